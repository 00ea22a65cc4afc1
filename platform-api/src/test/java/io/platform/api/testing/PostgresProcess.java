package io.platform.api.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster for tests: {@code initdb} into a temporary directory, then
 * {@code pg_ctl start} on a free loopback port with its unix socket in that directory, trust
 * authentication for the user {@value #USER}. The binaries come from {@code /usr/local/bin} or
 * Debian's {@code /usr/lib/postgresql/<version>/bin}; tests are skipped when neither has them.
 * PostgreSQL refuses to run as root, so as root the cluster runs as the {@code postgres} user
 * ({@code runuser}), or {@code nobody} when that user does not exist ({@code setpriv}). Close it
 * to stop the cluster (immediate shutdown) and delete its files.
 */
public final class PostgresProcess implements AutoCloseable {

    public static final String USER = "platform";
    private static final List<Path> BIN_DIRS = List.of(Path.of("/usr/local/bin"));
    private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");

    private final Path dir;
    private final Path bin;
    private final List<String> runAs;
    private final int port;
    private int databases;

    private PostgresProcess(Path dir, Path bin, List<String> runAs, int port) {
        this.dir = dir;
        this.bin = bin;
        this.runAs = runAs;
        this.port = port;
    }

    /** Where {@code initdb} and {@code pg_ctl} are, when installed. */
    public static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>(BIN_DIRS);
        if (Files.isDirectory(DEBIAN_VERSIONS)) {
            try (Stream<Path> versions = Files.list(DEBIAN_VERSIONS)) {
                versions.map(version -> version.resolve("bin"))
                        .sorted(Comparator.comparing(PostgresProcess::majorVersion).reversed())
                        .forEach(candidates::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl")))
                .findFirst();
    }

    private static int majorVersion(Path bin) {
        String name = bin.getParent().getFileName().toString();
        return name.matches("[0-9]+") ? Integer.parseInt(name) : 0;
    }

    /** Skips the calling test when PostgreSQL is not installed. */
    public static void assumeInstalled() {
        assumeTrue(binaries().isPresent(), "PostgreSQL's initdb and pg_ctl not found in /usr/local/bin or"
                + " /usr/lib/postgresql/*/bin: install Debian's postgresql (apt-get install postgresql)"
                + " to run the PostgreSQL tests");
    }

    /** Creates and starts a cluster. */
    public static PostgresProcess start() {
        assumeInstalled();
        Path bin = binaries().orElseThrow();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("postgres-test");
            List<String> runAs = runAs(dir);
            int port = EtcdProcess.freePort();
            PostgresProcess postgres = new PostgresProcess(dir, bin, runAs, port);
            postgres.run("initdb", "-D", postgres.data().toString(), "-U", USER, "--auth=trust", "-E", "UTF8",
                    "--locale=C", "--no-sync");
            postgres.run("pg_ctl", "-D", postgres.data().toString(), "-l", dir.resolve("postgres.log").toString(),
                    "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1", "start");
            return postgres;
        } catch (IOException e) {
            if (dir != null) {
                EtcdProcess.delete(dir);
            }
            throw new UncheckedIOException("cannot start PostgreSQL from " + bin, e);
        }
    }

    /** As root: the unprivileged user to run as, owning {@code dir}; otherwise nothing. */
    private static List<String> runAs(Path dir) throws IOException {
        if (!"root".equals(System.getProperty("user.name"))) {
            return List.of();
        }
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        if (exists(users, "postgres")) {
            view.setOwner(users.lookupPrincipalByName("postgres"));
            return List.of("runuser", "-u", "postgres", "--");
        }
        UserPrincipal nobody = users.lookupPrincipalByName("nobody");
        GroupPrincipal nogroup = users.lookupPrincipalByGroupName("nogroup");
        view.setOwner(nobody);
        view.setGroup(nogroup);
        return List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--");
    }

    private static boolean exists(UserPrincipalLookupService users, String name) {
        try {
            users.lookupPrincipalByName(name);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void run(String program, String... args) throws IOException {
        List<String> command = new ArrayList<>(runAs);
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("postgres-" + program, ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 90 s:\n"
                        + Files.readString(output));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue()
                        + ":\n" + Files.readString(output) + serverLog());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + program, e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String serverLog() throws IOException {
        Path log = dir.resolve("postgres.log");
        return Files.exists(log) ? "\n" + Files.readString(log) : "";
    }

    private Path data() {
        return dir.resolve("data");
    }

    public int port() {
        return port;
    }

    /** Creates an empty database and returns its store url, {@code postgres://platform@127.0.0.1:PORT/NAME}. */
    public synchronized String createDatabase() {
        String name = "store" + (++databases);
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, null);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return storeUrl(name);
    }

    public String storeUrl(String database) {
        return "postgres://" + USER + "@127.0.0.1:" + port + "/" + database;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A JDBC connection to {@code database} as {@value #USER}. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, null);
    }

    @Override
    public void close() {
        try {
            run("pg_ctl", "-D", data().toString(), "-m", "immediate", "-w", "stop");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot stop PostgreSQL in " + dir + ": " + e.getMessage(), e);
        } finally {
            EtcdProcess.delete(dir);
        }
    }

    /** The database name at the end of a store url made by {@link #createDatabase()}. */
    public static String databaseOf(String storeUrl) {
        return storeUrl.substring(storeUrl.lastIndexOf('/') + 1);
    }
}
