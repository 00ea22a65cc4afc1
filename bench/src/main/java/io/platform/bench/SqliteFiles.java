package io.platform.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.util.FileSystemUtils;

/** SQLite stores: one new database file per store in a temporary directory on the machine's disk. */
final class SqliteFiles implements StoreServer {

    private final Path dir;
    private int stores;

    private SqliteFiles(Path dir) {
        this.dir = dir;
    }

    static SqliteFiles create() {
        try {
            return new SqliteFiles(Files.createTempDirectory("bench-sqlite"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for the SQLite stores", e);
        }
    }

    @Override
    public String newStore() {
        return "sqlite:" + dir.resolve("store-" + (++stores) + ".db");
    }

    @Override
    public void close() {
        try {
            FileSystemUtils.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
