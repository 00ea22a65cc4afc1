package io.platform.server;

import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.Store;
import io.platform.api.storage.StoreUrl;
import io.platform.api.storage.compaction.RevisionTimeline;
import io.platform.api.storage.etcd.EtcdStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code platform backup FILE}: a consistent copy of every key of the store, read at one revision in
 * pages (so the platform may keep running and writing meanwhile: later writes are simply not in it),
 * with that revision, the backend and the cluster id in the file's header. Should compaction pass
 * the revision while the pages are read (only a compaction run by hand can, within the default 24 h
 * retention), the backup starts over at a new revision. {@code --etcd-snapshot FILE} writes etcd's
 * own snapshot beside or instead of it.
 */
final class BackupCommand {

    static final int DEFAULT_PAGE_SIZE = 500;
    private static final int ATTEMPTS = 3;

    record Options(StoreLocation location, @Nullable Path file, @Nullable Path etcdSnapshot, int pageSize) {

        static Options parse(List<String> args) {
            Path dataDir = UpOptions.DEFAULT_DATA_DIR;
            String storeUrl = null;
            Path file = null;
            Path etcdSnapshot = null;
            int pageSize = DEFAULT_PAGE_SIZE;
            UpOptions.Arguments arguments = new UpOptions.Arguments(args);
            while (arguments.hasNext()) {
                String arg = arguments.next();
                switch (arg) {
                    case "--data-dir" -> dataDir = Path.of(arguments.value(arg));
                    case "--store" -> storeUrl = arguments.value(arg);
                    case "--etcd-snapshot" -> etcdSnapshot = Path.of(arguments.value(arg));
                    case "--page-size" -> pageSize = arguments.positiveValue(arg);
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new UsageException("unknown option '" + arg + "' for backup");
                        }
                        if (file != null) {
                            throw new UsageException("backup takes one FILE, got " + file + " and " + arg);
                        }
                        file = Path.of(arg);
                    }
                }
            }
            if (file == null && etcdSnapshot == null) {
                throw new UsageException("backup needs a FILE to write (or --etcd-snapshot FILE)");
            }
            return new Options(new StoreLocation(dataDir, storeUrl), file, etcdSnapshot, pageSize);
        }
    }

    /** What a backup wrote. */
    record Result(long revision, long keys, long bytes) {}

    private final PrintStream out;
    private final Clock clock;

    BackupCommand(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    int run(Options options) {
        StoreUrl url = options.location().url();
        if (options.etcdSnapshot() != null && !(url instanceof StoreUrl.Etcd)) {
            throw new UsageException("--etcd-snapshot needs an etcd store (--store etcd://...); this one is "
                    + url.display());
        }
        if (url instanceof StoreUrl.Sqlite sqlite && !Files.exists(sqlite.file())) {
            throw new IllegalStateException("no store at " + sqlite.file() + ": nothing to back up"
                    + " (is --data-dir or --store right?)");
        }
        try (Store store = options.location().open()) {
            Path file = options.file();
            if (file != null) {
                long begin = System.nanoTime();
                Result result = backup(store, url, options.location(), file, options.pageSize());
                out.println("backed up " + result.keys() + " keys of " + url.display() + " at revision "
                        + result.revision() + " to " + file + " (" + result.bytes() + " bytes, "
                        + PlatformLauncher.seconds(begin) + ")");
            }
            Path snapshot = options.etcdSnapshot();
            if (snapshot != null) {
                long begin = System.nanoTime();
                long bytes = etcdSnapshot((EtcdStore) store, snapshot);
                out.println("wrote etcd's snapshot of " + url.display() + " to " + snapshot + " ("
                        + bytes + " bytes, " + PlatformLauncher.seconds(begin) + "); restore it with"
                        + " etcdutl snapshot restore (etcd 3.4: etcdctl snapshot restore)");
            }
        }
        return PlatformMain.OK;
    }

    /** Every key at one revision, into the backup file; starts over when compaction overtakes that revision. */
    Result backup(Store store, StoreUrl url, StoreLocation location, Path file, int pageSize) {
        for (int attempt = 1; ; attempt++) {
            try {
                return backupAtOneRevision(store, url, location, file, pageSize);
            } catch (CompactedException e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException("the store was compacted past the backup's revision "
                            + ATTEMPTS + " times in a row (" + e.getMessage() + "); try again", e);
                }
                out.println("the store was compacted past the backup's revision while reading it; starting over");
            }
        }
    }

    private Result backupAtOneRevision(Store store, StoreUrl url, StoreLocation location, Path file, int pageSize) {
        ListResult page = store.list("", 0, pageSize, null);
        long revision = page.revision();
        BackupFile.Header header = new BackupFile.Header(StoreLocation.backend(url), url.display(), revision,
                store.compactedRevision(), location.clusterId().orElse(null), clock.instant());
        try (BackupFile.Output output = BackupFile.create(file, header)) {
            while (true) {
                for (KeyValue kv : page.items()) {
                    // the compaction samples describe this store's revisions, not a restored one's
                    if (!kv.key().equals(RevisionTimeline.KEY)) {
                        output.add(kv);
                    }
                }
                if (page.continueAfterKey() == null) {
                    break;
                }
                page = store.list("", revision, pageSize, page.continueAfterKey());
            }
            long keys = output.keys();
            return new Result(revision, keys, output.finish());
        }
    }

    private static long etcdSnapshot(EtcdStore store, Path file) {
        Path target = file.toAbsolutePath().normalize();
        try {
            Path temporary = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
            try {
                try (OutputStream out = Files.newOutputStream(temporary)) {
                    store.snapshot(out);
                }
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return Files.size(target);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the etcd snapshot " + target, e);
        }
    }
}
