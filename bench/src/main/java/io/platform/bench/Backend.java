package io.platform.bench;

import io.platform.api.testing.EtcdProcess;
import io.platform.api.testing.PostgresProcess;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A store backend the harness measures, with what it needs to run on this machine. */
enum Backend {
    SQLITE,
    POSTGRES,
    ETCD;

    /** The backend's name as options and the table spell it: {@code sqlite}, {@code postgres}, {@code etcd}. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Backend named(String name) {
        return Arrays.stream(values())
                .filter(backend -> backend.label().equals(name.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown backend '" + name + "'; known: sqlite, postgres, etcd"));
    }

    /** Why the backend cannot run here (its server binaries are missing), or empty when it can. */
    Optional<String> missing() {
        return switch (this) {
            case SQLITE -> Optional.empty();
            case POSTGRES -> PostgresProcess.binaries().isPresent() ? Optional.empty()
                    : Optional.of("initdb and pg_ctl not found in /usr/local/bin or /usr/lib/postgresql/*/bin"
                            + " (apt-get install postgresql)");
            case ETCD -> Files.isExecutable(EtcdProcess.BINARY) ? Optional.empty()
                    : Optional.of(EtcdProcess.BINARY + " not found (apt-get install etcd-server)");
        };
    }

    /** Starts what the backend's stores live in; close it to stop it and delete their data. */
    StoreServer start() {
        return switch (this) {
            case SQLITE -> SqliteFiles.create();
            case POSTGRES -> new PostgresDatabases(PostgresProcess.start());
            case ETCD -> new EtcdMembers();
        };
    }
}
