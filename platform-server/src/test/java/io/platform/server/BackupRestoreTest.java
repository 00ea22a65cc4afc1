package io.platform.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platform.api.storage.KeyExistsException;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.Store;
import io.platform.api.storage.compaction.RevisionTimeline;
import io.platform.api.testing.EtcdProcess;
import io.platform.api.testing.PostgresProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code platform backup} and {@code restore} through {@link PlatformMain}, on every backend (each
 * skipped when its server is not installed): a backup taken while a writer keeps writing restores
 * to exactly the state at the revision it records, across backends too.
 */
class BackupRestoreTest {

    /** Keys seeded before a backup and the backup's page size; {@code -Dbackup.keys=N} measures larger stores. */
    private static final int KEYS = Integer.getInteger("backup.keys", 300);
    private static final int PAGE_SIZE = Integer.getInteger("backup.page-size", 7);
    private static @Nullable PostgresProcess postgres;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PlatformMain main = new PlatformMain(new PrintStream(printed, true, UTF_8));

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static PostgresProcess postgres() {
        if (postgres == null) {
            postgres = PostgresProcess.start();
        }
        return postgres;
    }

    @Test
    void sqliteBackupWhileWritingRestoresTheStateAtItsRevision() throws Exception {
        backupWhileWritingThenRestore("sqlite:" + dir.resolve("source.db"), "sqlite:" + dir.resolve("target.db"));
    }

    @Test
    void postgresBackupWhileWritingRestoresTheStateAtItsRevision() throws Exception {
        backupWhileWritingThenRestore(postgres().createDatabase(), postgres().createDatabase());
    }

    @Test
    void etcdBackupWhileWritingRestoresTheStateAtItsRevision() throws Exception {
        try (EtcdProcess source = EtcdProcess.start(); EtcdProcess target = EtcdProcess.start()) {
            backupWhileWritingThenRestore(source.storeUrl(), target.storeUrl());
        }
    }

    @Test
    void aSqliteBackupRestoresIntoEtcd() throws Exception {
        try (EtcdProcess target = EtcdProcess.start()) {
            backupWhileWritingThenRestore("sqlite:" + dir.resolve("source.db"), target.storeUrl());
        }
    }

    private void backupWhileWritingThenRestore(String sourceUrl, String targetUrl) throws Exception {
        Path file = dir.resolve("cluster.backup");
        Map<String, byte[]> expected;
        long recorded;
        try (Store source = open(sourceUrl); Store writing = open(sourceUrl)) {
            seed(source, KEYS);
            try (Writer writer = new Writer(writing)) {
                writer.awaitWrites(20);
                // small pages: the backup spans many reads while the writer goes on
                assertThat(run("backup", file.toString(), "--store", sourceUrl, "--page-size", String.valueOf(PAGE_SIZE)))
                        .isEqualTo(PlatformMain.OK);
                long writtenByNow = writer.latestRevision();
                recorded = BackupFile.read(file).header().revision();
                assertThat(writtenByNow).as("writes went on during the backup").isGreaterThan(recorded);
            }
            expected = state(source, recorded);
        }
        assertThat(printed()).contains("backed up " + expected.size() + " keys", "at revision " + recorded);

        assertThat(run("restore", file.toString(), "--store", targetUrl, "--data-dir", dir.resolve("restored").toString()))
                .isEqualTo(PlatformMain.OK);
        try (Store target = open(targetUrl)) {
            Map<String, byte[]> restored = state(target, 0);
            assertThat(restored.keySet()).containsExactlyElementsOf(expected.keySet());
            expected.forEach((key, value) -> assertThat(restored.get(key)).as(key).isEqualTo(value));
            assertSameOrder(BackupFile.read(file).entries(), target);
            assertThat(target.compactedRevision()).isEqualTo(target.currentRevision());
        }
        System.out.println(printed());
    }

    /** Keys restored in the order of their revisions in the backup. */
    private static void assertSameOrder(List<BackupFile.Entry> backup, Store target) {
        List<String> bySourceRevision = backup.stream().sorted(Comparator.comparingLong(BackupFile.Entry::modRevision))
                .map(BackupFile.Entry::key).toList();
        List<String> byTargetRevision = target.list("", 0, 0, null).items().stream()
                .sorted(Comparator.comparingLong(KeyValue::modRevision)).map(KeyValue::key).toList();
        assertThat(byTargetRevision).containsExactlyElementsOf(bySourceRevision);
    }

    @Test
    void restoreIntoAStoreThatIsNotEmptyIsRefusedUnlessForced() throws Exception {
        String sourceUrl = "sqlite:" + dir.resolve("source.db");
        String targetUrl = "sqlite:" + dir.resolve("target.db");
        try (Store source = open(sourceUrl)) {
            seed(source, 20);
        }
        Path file = dir.resolve("cluster.backup");
        assertThat(run("backup", file.toString(), "--store", sourceUrl)).isEqualTo(PlatformMain.OK);
        try (Store target = open(targetUrl)) {
            target.create("/registry/configmaps/other/kept-out", bytes("not in the backup"));
            target.create("/registry/configmaps/seed/cm-1", bytes("older value"));
        }

        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(errors, true, UTF_8));
        int refused;
        try {
            refused = run("restore", file.toString(), "--store", targetUrl);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(refused).isEqualTo(PlatformMain.USAGE);
        assertThat(errors.toString(UTF_8)).contains("is not empty (2 keys)", "--force");
        try (Store target = open(targetUrl)) {
            assertThat(state(target, 0)).containsOnlyKeys("/registry/configmaps/other/kept-out",
                    "/registry/configmaps/seed/cm-1");
        }

        assertThat(run("restore", file.toString(), "--store", targetUrl, "--force")).isEqualTo(PlatformMain.OK);
        Map<String, byte[]> expected;
        try (Store source = open(sourceUrl)) {
            expected = state(source, 0);
        }
        try (Store target = open(targetUrl)) {
            Map<String, byte[]> restored = state(target, 0);
            assertThat(restored.keySet()).containsExactlyElementsOf(expected.keySet());
            assertThat(restored.get("/registry/configmaps/seed/cm-1")).isEqualTo(expected.get("/registry/configmaps/seed/cm-1"));
        }
        assertThat(printed()).contains("deleting 1 keys the backup lacks");
    }

    @Test
    void restoreWhileThePlatformRunsOnTheDataDirIsRefused() throws Exception {
        try (Store source = open("sqlite:" + dir.resolve("source.db"))) {
            seed(source, 3);
        }
        Path file = dir.resolve("cluster.backup");
        assertThat(run("backup", file.toString(), "--store", "sqlite:" + dir.resolve("source.db")))
                .isEqualTo(PlatformMain.OK);
        Path dataDir = Files.createDirectories(dir.resolve("running"));
        // this test's own JVM stands for the running platform
        new PidFile(dataDir).writeCurrent();

        assertThat(run("restore", file.toString(), "--data-dir", dataDir.toString())).isEqualTo(PlatformMain.USAGE);
        assertThat(dataDir.resolve("state.db")).doesNotExist();
    }

    @Test
    void theClusterIdComesBackWithTheObjects() throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        Files.writeString(dataDir.resolve("cluster-id"), "0123456789abcdef\n");
        try (Store source = open("sqlite:" + dataDir.resolve("state.db"))) {
            seed(source, 3);
        }
        Path file = dir.resolve("cluster.backup");
        assertThat(run("backup", file.toString(), "--data-dir", dataDir.toString())).isEqualTo(PlatformMain.OK);
        assertThat(BackupFile.read(file).header().clusterId()).isEqualTo("0123456789abcdef");
        assertThat(BackupFile.read(file).header().backend()).isEqualTo("sqlite");

        Path fresh = dir.resolve("fresh");
        assertThat(run("restore", file.toString(), "--data-dir", fresh.toString())).isEqualTo(PlatformMain.OK);
        assertThat(Files.readString(fresh.resolve("cluster-id")).strip()).isEqualTo("0123456789abcdef");
        try (Store restored = open("sqlite:" + fresh.resolve("state.db"))) {
            assertThat(restored.count("/registry/")).isEqualTo(3);
        }
    }

    @Test
    void theCompactionSamplesStayWithTheirStore() throws Exception {
        String sourceUrl = "sqlite:" + dir.resolve("source.db");
        try (Store source = open(sourceUrl)) {
            seed(source, 2);
            source.create(RevisionTimeline.KEY, bytes("1 2025-03-01T00:00:00Z\n"));
        }
        Path file = dir.resolve("cluster.backup");
        assertThat(run("backup", file.toString(), "--store", sourceUrl)).isEqualTo(PlatformMain.OK);
        assertThat(BackupFile.read(file).entries()).extracting(BackupFile.Entry::key)
                .doesNotContain(RevisionTimeline.KEY).hasSize(2);
    }

    @Test
    void aTruncatedOrForeignFileIsNotRestored() throws Exception {
        String sourceUrl = "sqlite:" + dir.resolve("source.db");
        try (Store source = open(sourceUrl)) {
            seed(source, 50);
        }
        Path file = dir.resolve("cluster.backup");
        assertThat(run("backup", file.toString(), "--store", sourceUrl)).isEqualTo(PlatformMain.OK);
        byte[] whole = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.backup");
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        Path foreign = dir.resolve("foreign.backup");
        Files.writeString(foreign, "not a backup");
        String targetUrl = "sqlite:" + dir.resolve("target.db");

        assertThat(run("restore", cut.toString(), "--store", targetUrl)).isEqualTo(PlatformMain.FAILED);
        assertThat(run("restore", foreign.toString(), "--store", targetUrl)).isEqualTo(PlatformMain.FAILED);
        assertThat(run("restore", dir.resolve("missing.backup").toString(), "--store", targetUrl))
                .isEqualTo(PlatformMain.FAILED);
        assertThat(Files.exists(dir.resolve("target.db"))).isFalse();
    }

    @Test
    void wrongUsageAndMissingStoresSaySo() {
        assertThat(run("backup")).isEqualTo(PlatformMain.USAGE);
        assertThat(run("backup", "a", "b")).isEqualTo(PlatformMain.USAGE);
        assertThat(run("backup", "a", "--page-size", "0")).isEqualTo(PlatformMain.USAGE);
        assertThat(run("restore")).isEqualTo(PlatformMain.USAGE);
        assertThat(run("restore", "a", "--bump")).isEqualTo(PlatformMain.USAGE);
        assertThat(run("backup", "a", "--store", "mysql://x/y")).isEqualTo(PlatformMain.USAGE);
        assertThat(run("backup", "--etcd-snapshot", dir.resolve("s.db").toString(), "--store",
                "sqlite:" + dir.resolve("x.db"))).isEqualTo(PlatformMain.USAGE);
        // backing up a SQLite file that is not there creates nothing
        assertThat(run("backup", dir.resolve("b").toString(), "--data-dir", dir.resolve("none").toString()))
                .isEqualTo(PlatformMain.FAILED);
        assertThat(dir.resolve("none")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    /** etcd's own snapshot, restored with etcd's own tool into a new member that then holds the same keys. */
    @Test
    void etcdSnapshotRestoresWithEtcdsOwnTool() throws Exception {
        Path etcdctl = Path.of("/usr/bin/etcdctl");
        Path etcdutl = Path.of("/usr/bin/etcdutl");
        assumeTrue(Files.isExecutable(etcdutl) || Files.isExecutable(etcdctl),
                "neither etcdutl nor etcdctl is installed (Debian: apt-get install etcd-client)");
        Path snapshot = dir.resolve("etcd.snapshot");
        Map<String, byte[]> expected;
        try (EtcdProcess etcd = EtcdProcess.start()) {
            try (Store source = open(etcd.storeUrl())) {
                seed(source, 40);
                assertThat(run("backup", "--etcd-snapshot", snapshot.toString(), "--store", etcd.storeUrl()))
                        .isEqualTo(PlatformMain.OK);
                expected = state(source, 0);
            }
        }
        assertThat(printed()).contains("wrote etcd's snapshot");

        int peerPort = FreePorts.next();
        int clientPort = FreePorts.next();
        String peer = "http://127.0.0.1:" + peerPort;
        String client = "http://127.0.0.1:" + clientPort;
        Path data = dir.resolve("restored-etcd");
        List<String> restore = new ArrayList<>(Files.isExecutable(etcdutl) ? List.of(etcdutl.toString())
                : List.of(etcdctl.toString()));
        restore.addAll(List.of("snapshot", "restore", snapshot.toString(), "--data-dir", data.toString(),
                "--name", "restored", "--initial-cluster", "restored=" + peer, "--initial-advertise-peer-urls", peer));
        Process restoring = new ProcessBuilder(restore).redirectErrorStream(true)
                .redirectOutput(dir.resolve("restore.log").toFile()).start();
        assertThat(restoring.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(restoring.exitValue()).as(Files.readString(dir.resolve("restore.log"))).isZero();

        Process member = new ProcessBuilder(EtcdProcess.BINARY.toString(), "--name", "restored",
                "--data-dir", data.toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "restored=" + peer, "--log-level", "warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions().until(() -> {
                        try (Store restored = open("etcd://127.0.0.1:" + clientPort)) {
                            return restored.count("") >= 0;
                        }
                    });
            try (Store restored = open("etcd://127.0.0.1:" + clientPort)) {
                Map<String, byte[]> state = state(restored, 0);
                assertThat(state.keySet()).containsExactlyElementsOf(expected.keySet());
                expected.forEach((key, value) -> assertThat(state.get(key)).isEqualTo(value));
            }
        } finally {
            member.destroy();
            if (!member.waitFor(10, TimeUnit.SECONDS)) {
                member.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private int run(String... args) {
        return main.run(List.of(args));
    }

    private String printed() {
        return printed.toString(UTF_8);
    }

    private Store open(String url) {
        return new StoreLocation(dir, url).open();
    }

    /** {@code count} keys over several resources and namespaces, some updated, a few deleted. */
    private static void seed(Store store, int count) {
        Random random = new Random(count);
        for (int i = 0; i < count; i++) {
            String key = "/registry/" + (i % 3 == 0 ? "secrets" : "configmaps") + "/seed" + (i % 5 == 0 ? "-b" : "")
                    + "/cm-" + i;
            KeyValue kv = store.create(key, value(random, i));
            if (i % 4 == 0) {
                store.update(key, kv.modRevision(), value(random, i + 1));
            } else if (i % 17 == 0) {
                store.delete(key, kv.modRevision());
            }
        }
    }

    private static byte[] value(Random random, int i) {
        StringBuilder text = new StringBuilder("{\"kind\":\"ConfigMap\",\"data\":{\"n\":\"" + i + "\",\"pad\":\"");
        int length = 100 + random.nextInt(1500);
        for (int c = 0; c < length; c++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.append("\"}}").toString().getBytes(UTF_8);
    }

    /** Every key's value at {@code revision} (0 = latest), read in pages, without the compaction samples. */
    private static Map<String, byte[]> state(Store store, long revision) {
        Map<String, byte[]> state = new TreeMap<>();
        ListResult page = store.list("", revision, 100, null);
        while (true) {
            page.items().stream().filter(kv -> !kv.key().equals(RevisionTimeline.KEY))
                    .forEach(kv -> state.put(kv.key(), kv.value()));
            if (page.continueAfterKey() == null) {
                return new LinkedHashMap<>(state);
            }
            page = store.list("", page.revision(), 100, page.continueAfterKey());
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    /** Creates, updates and deletes keys of its own until closed. */
    private static final class Writer implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong latest = new AtomicLong();
        private final AtomicLong writes = new AtomicLong();
        private final Thread thread;

        Writer(Store store) {
            thread = Thread.ofPlatform().name("backup-test-writer").start(() -> {
                Random random = new Random(7);
                while (running.get()) {
                    String key = "/registry/configmaps/live/k-" + random.nextInt(40);
                    try {
                        KeyValue kv = switch (random.nextInt(3)) {
                            case 0 -> store.create(key, value(random, 0));
                            case 1 -> store.update(key, 0, value(random, 1));
                            default -> store.delete(key, 0);
                        };
                        latest.accumulateAndGet(kv.modRevision(), Math::max);
                        writes.incrementAndGet();
                    } catch (KeyExistsException | KeyNotFoundException e) {
                        // the key was not in the state this write needs: pick another
                    }
                }
            });
        }

        void awaitWrites(long count) {
            await().until(() -> writes.get() >= count);
        }

        long latestRevision() {
            return latest.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }
}
