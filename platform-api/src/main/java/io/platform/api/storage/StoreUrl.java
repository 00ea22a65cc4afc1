package io.platform.api.storage;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where the store lives, parsed from {@code platform.api.storage.url} (or {@code platform up --store}):
 * a SQLite file, a PostgreSQL database, or the members of an etcd cluster.
 */
public sealed interface StoreUrl {

    /** What an error message lists as the accepted spellings. */
    String ACCEPTED_FORMS = "sqlite:PATH, postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE (or postgresql://...),"
            + " etcd://HOST:PORT[,HOST:PORT...] or etcds://HOST:PORT[,HOST:PORT...] (TLS)";

    /** The SQLite file {@code file}, made absolute. */
    record Sqlite(Path file) implements StoreUrl {
        @Override
        public String display() {
            return "SQLite " + file;
        }
    }

    /**
     * A PostgreSQL database as a JDBC url, with the user and password taken out of it.
     *
     * @param hosts {@code host[:port]}, several comma-separated for pgjdbc's multi-host failover
     */
    record Postgres(String hosts, String database, @Nullable String user, @Nullable String password,
            @Nullable String query) implements StoreUrl {

        public String jdbcUrl() {
            return "jdbc:postgresql://" + hosts + "/" + database + (query == null ? "" : "?" + query);
        }

        @Override
        public String display() {
            return "PostgreSQL " + (user == null ? "" : user + "@") + hosts + "/" + database;
        }
    }

    /** The client endpoints of an etcd cluster, {@code http://} or, with {@code tls}, {@code https://}. */
    record Etcd(List<URI> endpoints, boolean tls) implements StoreUrl {
        public Etcd {
            endpoints = List.copyOf(endpoints);
        }

        @Override
        public String display() {
            return "etcd " + endpoints;
        }
    }

    /** For log lines: the backend and where it is, without a password. */
    String display();

    /**
     * Parses a store url.
     *
     * @throws IllegalArgumentException naming the accepted forms when {@code url} is none of them
     */
    static StoreUrl parse(String url) {
        String trimmed = url.strip();
        int colon = trimmed.indexOf(':');
        String scheme = colon < 0 ? "" : trimmed.substring(0, colon);
        return switch (scheme) {
            case "sqlite" -> sqlite(trimmed, trimmed.substring(colon + 1));
            case "postgres", "postgresql" -> postgres(trimmed, rest(trimmed, colon));
            case "etcd" -> etcd(trimmed, rest(trimmed, colon), false);
            case "etcds" -> etcd(trimmed, rest(trimmed, colon), true);
            default -> throw invalid(trimmed, "unknown scheme");
        };
    }

    private static String rest(String url, int colon) {
        if (!url.startsWith("//", colon + 1)) {
            throw invalid(url, "expected '//' after the scheme");
        }
        return url.substring(colon + 3);
    }

    private static Sqlite sqlite(String url, String path) {
        if (path.isBlank()) {
            throw invalid(url, "the SQLite file is missing");
        }
        return new Sqlite(Path.of(path).toAbsolutePath().normalize());
    }

    private static Postgres postgres(String url, String rest) {
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw invalid(url, "the database name is missing");
        }
        String authority = rest.substring(0, slash);
        String path = rest.substring(slash + 1);
        int question = path.indexOf('?');
        String database = question < 0 ? path : path.substring(0, question);
        String query = question < 0 ? null : path.substring(question + 1);
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : authority.substring(0, at);
        String hosts = at < 0 ? authority : authority.substring(at + 1);
        if (hosts.isEmpty() || database.isEmpty()) {
            throw invalid(url, "the host or database name is missing");
        }
        String user = null;
        String password = null;
        if (userInfo != null) {
            int separator = userInfo.indexOf(':');
            user = decode(separator < 0 ? userInfo : userInfo.substring(0, separator));
            password = separator < 0 ? null : decode(userInfo.substring(separator + 1));
        }
        return new Postgres(hosts, database, user, password, query == null || query.isEmpty() ? null : query);
    }

    private static Etcd etcd(String url, String rest, boolean tls) {
        String hosts = rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        List<URI> endpoints = new ArrayList<>();
        for (String member : hosts.split(",")) {
            if (!member.matches("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):[0-9]{1,5}")) {
                throw invalid(url, "each etcd member must be HOST:PORT, got '" + member + "'");
            }
            endpoints.add(URI.create((tls ? "https://" : "http://") + member));
        }
        return new Etcd(endpoints, tls);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String url, String reason) {
        // never echo a password back
        String shown = url.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
        return new IllegalArgumentException("platform.api.storage.url '" + shown + "' is not a store url (" + reason
                + "); accepted forms: " + ACCEPTED_FORMS);
    }
}
