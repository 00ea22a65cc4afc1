package io.platform.server.identity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The local users and groups of the built-in provider, in {@code <data-dir>/identity.db} (SQLite,
 * tables created by Flyway; the provider keeps its authorizations in the same file). Every call reads the file again, so {@code platform users} changes made
 * while the platform runs apply to the next sign-in and the next token refresh.
 */
public final class LocalUsers {

    public static final String DATABASE_FILE = "identity.db";

    // Kubernetes user names are free-form, but these also appear in kubeconfigs and shell commands.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,252}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@/-]{0,252}");
    private static final String MIGRATIONS = "classpath:io/platform/server/identity/db";

    private final SQLiteDataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    private LocalUsers(SQLiteDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.clock = clock;
    }

    /** Opens (creating and migrating when needed) the users database of a data dir. */
    public static LocalUsers open(Path dataDir) {
        return open(dataDir, Clock.systemUTC());
    }

    static LocalUsers open(Path dataDir, Clock clock) {
        Path file = dataDir.toAbsolutePath().normalize().resolve(DATABASE_FILE);
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                // password hashes: owner-only from the first byte (SQLite takes an empty file as a new database)
                Files.createFile(file);
                if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + file.getParent() + ": " + e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        // The running provider and `platform users` share the file; a writer waits instead of failing.
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        Flyway.configure().dataSource(dataSource).locations(MIGRATIONS).load().migrate();
        return new LocalUsers(dataSource, clock);
    }

    /** The database, which also holds the provider's authorizations (refresh tokens survive restarts). */
    DataSource dataSource() {
        return dataSource;
    }

    /** Adds a user; refuses a name already taken. */
    public void add(String name, String passwordHash, @Nullable String email, List<String> groups) {
        checkName(name);
        groups.forEach(LocalUsers::checkGroup);
        transactions.executeWithoutResult(status -> {
            if (find(name).isPresent()) {
                throw new IllegalArgumentException("user " + name + " already exists; change its password with: platform users passwd " + name);
            }
            jdbc.sql("INSERT INTO users (name, password_hash, email, created_at) VALUES (?, ?, ?, ?)")
                    .params(name, passwordHash, email, clock.instant().toString())
                    .update();
            for (String group : new TreeSet<>(groups)) {
                jdbc.sql("INSERT INTO user_groups (user_name, group_name) VALUES (?, ?)").params(name, group).update();
            }
        });
    }

    /** Replaces a user's password hash; false when there is no such user. */
    public boolean setPassword(String name, String passwordHash) {
        return jdbc.sql("UPDATE users SET password_hash = ? WHERE name = ?").params(passwordHash, name).update() == 1;
    }

    /** Removes a user and its group memberships; false when there is no such user. */
    public boolean remove(String name) {
        Boolean removed = transactions.execute(status -> {
            jdbc.sql("DELETE FROM user_groups WHERE user_name = ?").param(name).update();
            return jdbc.sql("DELETE FROM users WHERE name = ?").param(name).update() == 1;
        });
        return Boolean.TRUE.equals(removed);
    }

    public Optional<LocalUser> find(String name) {
        return jdbc.sql("SELECT name, password_hash, email FROM users WHERE name = ?")
                .param(name)
                .query((row, n) -> new LocalUser(row.getString("name"), row.getString("password_hash"),
                        row.getString("email"), groupsOf(row.getString("name"))))
                .optional();
    }

    /** Every user, by name. */
    public List<LocalUser> list() {
        Map<String, List<String>> groups = new LinkedHashMap<>();
        jdbc.sql("SELECT user_name, group_name FROM user_groups ORDER BY user_name, group_name")
                .query(row -> {
                    groups.computeIfAbsent(row.getString("user_name"), k -> new ArrayList<>()).add(row.getString("group_name"));
                });
        return jdbc.sql("SELECT name, password_hash, email FROM users ORDER BY name")
                .query((row, n) -> new LocalUser(row.getString("name"), row.getString("password_hash"),
                        row.getString("email"), groups.getOrDefault(row.getString("name"), List.of())))
                .list();
    }

    private List<String> groupsOf(String name) {
        return jdbc.sql("SELECT group_name FROM user_groups WHERE user_name = ? ORDER BY group_name")
                .param(name)
                .query(String.class)
                .list();
    }

    static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name '" + name
                    + "' is not allowed: use letters, digits, '.', '_', '@' and '-' (starting with a letter or digit)");
        }
    }

    // Upstream reserves system: names for the platform's own identities; rights come from RBAC bindings.
    static void checkGroup(String group) {
        if (group.startsWith("system:")) {
            throw new IllegalArgumentException("group '" + group + "' is reserved for the platform's own identities;"
                    + " grant rights with RBAC instead, e.g. kubectl create clusterrolebinding NAME"
                    + " --clusterrole=cluster-admin --group=GROUP");
        }
        if (!GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("group name '" + group
                    + "' is not allowed: use letters, digits, '.', '_', ':', '@', '/' and '-'");
        }
    }
}
