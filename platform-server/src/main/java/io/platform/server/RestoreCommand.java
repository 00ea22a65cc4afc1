package io.platform.server;

import io.platform.api.pki.ClusterPki;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.Store;
import io.platform.api.storage.StoreUrl;
import io.platform.api.storage.compaction.RevisionTimeline;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code platform restore FILE}: writes every key of a backup into a store, of any backend (a SQLite
 * backup restores into etcd and back). The store must be empty unless {@code --force}, which makes
 * it hold exactly the backup's keys. Keys are written in the order of their revision in the backup,
 * so the restored resourceVersions keep the backup's order, though not its numbers: they continue
 * from the target store's own revision. Then the store is compacted to the restored revision (as
 * {@code etcdutl snapshot restore --mark-compacted}), so a client still holding an older
 * resourceVersion gets 410 Expired and lists again.
 */
final class RestoreCommand {

    private static final int PAGE_SIZE = 500;

    record Options(StoreLocation location, Path file, boolean force) {

        static Options parse(List<String> args) {
            Path dataDir = UpOptions.DEFAULT_DATA_DIR;
            String storeUrl = null;
            Path file = null;
            boolean force = false;
            UpOptions.Arguments arguments = new UpOptions.Arguments(args);
            while (arguments.hasNext()) {
                String arg = arguments.next();
                switch (arg) {
                    case "--data-dir" -> dataDir = Path.of(arguments.value(arg));
                    case "--store" -> storeUrl = arguments.value(arg);
                    case "--force" -> force = true;
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new UsageException("unknown option '" + arg + "' for restore");
                        }
                        if (file != null) {
                            throw new UsageException("restore takes one FILE, got " + file + " and " + arg);
                        }
                        file = Path.of(arg);
                    }
                }
            }
            if (file == null) {
                throw new UsageException("restore needs the backup FILE to read");
            }
            return new Options(new StoreLocation(dataDir, storeUrl), file, force);
        }
    }

    /** What a restore wrote: keys written, keys deleted (with {@code --force}), the revisions it used. */
    record Result(long written, long deleted, long firstRevision, long restoredRevision) {}

    private final PrintStream out;

    RestoreCommand(PrintStream out) {
        this.out = out;
    }

    int run(Options options) {
        StoreLocation location = options.location();
        new PidFile(location.dataDir()).runningProcess().ifPresent(process -> {
            throw new RefusedException("the platform runs on " + location.dataDir() + " (pid " + process.pid()
                    + "): stop it first (platform down --data-dir " + location.dataDir() + "), then restore");
        });
        StoreUrl url = location.url();
        BackupFile.Contents backup = BackupFile.read(options.file());
        BackupFile.Header header = backup.header();
        long begin = System.nanoTime();
        Result result;
        try (Store store = location.open()) {
            result = restore(store, url, backup, options.force());
        }
        out.println("restored " + result.written() + " keys from " + options.file() + " (" + header.backend()
                + " backup of " + header.store() + " at revision " + header.revision() + ", taken " + header.taken()
                + ") into " + url.display() + " as revisions " + result.firstRevision() + ".."
                + result.restoredRevision() + (result.deleted() > 0 ? ", deleting " + result.deleted()
                        + " keys the backup lacks" : "") + " (" + PlatformLauncher.seconds(begin) + ")");
        out.println("resourceVersions differ from the backup's; the store is compacted to revision "
                + result.restoredRevision() + ", so clients holding older ones get 410 Expired and list again");
        keepClusterId(location, header.clusterId());
        return PlatformMain.OK;
    }

    Result restore(Store store, StoreUrl url, BackupFile.Contents backup, boolean force) {
        Set<String> existing = keys(store);
        if (!existing.isEmpty() && !force) {
            throw new RefusedException("the store " + url.display() + " is not empty (" + existing.size()
                    + " keys): restore writes into an empty store only. Name a new store (--store URL, or"
                    + " another --data-dir), or pass --force to replace what this one holds with the backup");
        }
        List<BackupFile.Entry> entries = backup.entries().stream()
                .sorted(Comparator.comparingLong(BackupFile.Entry::modRevision))
                .toList();
        long first = 0;
        Set<String> restored = new HashSet<>();
        for (BackupFile.Entry entry : entries) {
            KeyValue written = existing.contains(entry.key()) ? store.update(entry.key(), 0, entry.value())
                    : store.create(entry.key(), entry.value());
            if (first == 0) {
                first = written.modRevision();
            }
            restored.add(entry.key());
        }
        long deleted = 0;
        for (String key : existing) {
            if (!restored.contains(key)) {
                try {
                    store.delete(key, 0);
                    deleted++;
                } catch (KeyNotFoundException e) {
                    // gone already: nothing to do
                }
            }
        }
        long revision = store.currentRevision();
        store.compact(revision);
        return new Result(entries.size(), deleted, first == 0 ? revision : first, revision);
    }

    /** Every key of the store but its compaction samples, read at one revision. */
    private static Set<String> keys(Store store) {
        Set<String> keys = new TreeSet<>();
        ListResult page = store.list("", 0, PAGE_SIZE, null);
        while (true) {
            page.items().stream().map(KeyValue::key).filter(key -> !key.equals(RevisionTimeline.KEY)).forEach(keys::add);
            if (page.continueAfterKey() == null) {
                return keys;
            }
            page = store.list("", page.revision(), PAGE_SIZE, page.continueAfterKey());
        }
    }

    /**
     * The cluster's identity (pod containers carry it) comes back with its objects: a data dir
     * without a cluster id takes the backup's, so the next {@code up} is that cluster; one of another
     * cluster keeps its own, and the command says so.
     */
    private void keepClusterId(StoreLocation location, @Nullable String backupClusterId) {
        if (backupClusterId == null) {
            return;
        }
        Optional<String> current = location.clusterId();
        if (current.isEmpty()) {
            Path file = location.dataDir().resolve(ClusterPki.CLUSTER_ID_FILE);
            try {
                if (!Files.isDirectory(location.dataDir())) {
                    // private, as the PKI that up writes into it needs
                    Files.createDirectories(location.dataDir(),
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                Files.writeString(file, backupClusterId + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            out.println("wrote cluster id " + backupClusterId + " (the backup's) to " + file);
        } else if (!current.get().equals(backupClusterId)) {
            out.println("note: the backup is of cluster " + backupClusterId + "; " + location.dataDir()
                    + " keeps its own cluster id " + current.get());
        }
    }
}
