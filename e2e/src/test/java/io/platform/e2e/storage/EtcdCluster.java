package io.platform.e2e.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.etcd.jetcd.options.GetOption;
import io.platform.api.testing.EtcdProcess;
import io.platform.api.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;

/**
 * An etcd cluster of several members on loopback, each Debian's {@code /usr/bin/etcd} with its own
 * client and peer ports and data dir under one temporary directory. A member can be killed with
 * SIGKILL and started again on its data dir, where it rejoins and catches up. Starting skips the
 * calling test when etcd is not installed ({@link EtcdProcess#assumeInstalled()}). Close it to stop
 * every member and delete the data.
 */
final class EtcdCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Path dir;
    private final List<Member> members;

    /** One member: its ports, data dir and log, the running process and a client talking to it alone. */
    private static final class Member {
        final String name;
        final int clientPort;
        final int peerPort;
        final Path dataDir;
        final Path log;
        @Nullable Process process;
        @Nullable Client client;

        Member(String name, Path dir) {
            this.name = name;
            this.clientPort = Loopback.freePort();
            this.peerPort = Loopback.freePort();
            this.dataDir = dir.resolve(name);
            this.log = dir.resolve(name + ".log");
        }

        String clientUrl() {
            return "http://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }

        Client client() {
            if (client == null) {
                client = Client.builder().endpoints(clientUrl()).build();
            }
            return client;
        }
    }

    private EtcdCluster(Path dir, List<Member> members) {
        this.dir = dir;
        this.members = members;
    }

    /** Starts {@code size} members together as a new cluster and waits until it has a leader. */
    static EtcdCluster start(int size) {
        EtcdProcess.assumeInstalled();
        Path dir;
        try {
            dir = Files.createTempDirectory("etcd-cluster");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            members.add(new Member("m" + i, dir));
        }
        EtcdCluster cluster = new EtcdCluster(dir, members);
        try {
            for (Member member : members) {
                cluster.launch(member);
            }
            for (Member member : members) {
                cluster.awaitListening(member);
            }
            Awaitility.await("etcd cluster of " + size + " elects a leader").atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> cluster.leader() >= 0);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void launch(Member member) {
        String initialCluster = members.stream().map(m -> m.name + "=" + m.peerUrl()).collect(Collectors.joining(","));
        // on a restart the data dir holds the membership and etcd ignores the --initial-* flags
        List<String> command = List.of(EtcdProcess.BINARY.toString(),
                "--name", member.name,
                "--data-dir", member.dataDir.toString(),
                "--listen-client-urls", member.clientUrl(),
                "--advertise-client-urls", member.clientUrl(),
                "--listen-peer-urls", member.peerUrl(),
                "--initial-advertise-peer-urls", member.peerUrl(),
                "--initial-cluster", initialCluster,
                "--initial-cluster-state", "new",
                "--initial-cluster-token", dir.getFileName().toString(),
                // as etcd 3.5 and later by default: a member coming back asks before it campaigns,
                // so its return does not depose the leader (3.4 leaves it off)
                "--pre-vote=true",
                "--log-level", "warn");
        try {
            member.process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(member.log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private void awaitListening(Member member) {
        Process process = member.process;
        Awaitility.await("etcd member " + member.name + " listens on " + member.clientUrl())
                .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (process == null || !process.isAlive()) {
                        throw new AssertionError("etcd member " + member.name + " exited:\n" + log(member));
                    }
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), member.clientPort)) {
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    /** The store url naming every member: {@code etcd://127.0.0.1:P1,127.0.0.1:P2,...}. */
    String storeUrl() {
        return "etcd://" + members.stream().map(m -> "127.0.0.1:" + m.clientPort).collect(Collectors.joining(","));
    }

    String name(int member) {
        return members.get(member).name;
    }

    /** The index of the member that is leader, as the running members report it; -1 when none knows. */
    int leader() {
        for (Member member : members) {
            if (member.process == null || !member.process.isAlive()) {
                continue;
            }
            StatusResponse status = await(member.client().getMaintenanceClient().statusMember(member.clientUrl()));
            if (status.getLeader() != 0) {
                for (int i = 0; i < members.size(); i++) {
                    Member candidate = members.get(i);
                    if (candidate.process != null && candidate.process.isAlive()
                            && await(candidate.client().getMaintenanceClient().statusMember(candidate.clientUrl()))
                                    .getHeader().getMemberId() == status.getLeader()) {
                        return i;
                    }
                }
            }
        }
        return -1;
    }

    /** SIGKILL to one member: no chance to sync, step down or say goodbye to its peers. */
    void kill(int member) {
        Member killed = members.get(member);
        if (killed.client != null) {
            killed.client.close();
            killed.client = null;
        }
        Process process = killed.process;
        if (process != null) {
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("etcd member " + killed.name + " survived SIGKILL for 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while killing etcd member " + killed.name, e);
            }
        }
    }

    /** Starts a killed member again on its data dir and ports. */
    void restart(int member) {
        Member restarted = members.get(member);
        if (restarted.process != null && restarted.process.isAlive()) {
            throw new IllegalStateException("etcd member " + restarted.name + " still runs");
        }
        launch(restarted);
        awaitListening(restarted);
    }

    /**
     * What one member alone holds: its revision and the number of keys under {@code prefix}, read
     * serializably (from its own copy, not through the leader) so a member that lags shows it.
     */
    MemberState state(int member, String prefix) {
        Member read = members.get(member);
        ByteSequence start = ByteSequence.from(prefix, UTF_8);
        GetResponse response = await(read.client().getKVClient().get(start,
                GetOption.builder().withRange(rangeEnd(prefix)).withCountOnly(true).withSerializable(true).build()));
        return new MemberState(response.getHeader().getRevision(), response.getCount());
    }

    /** A member's own revision and how many keys it has under a prefix. */
    record MemberState(long revision, long keys) {}

    private static ByteSequence rangeEnd(String prefix) {
        char last = prefix.charAt(prefix.length() - 1);
        return ByteSequence.from(prefix.substring(0, prefix.length() - 1) + (char) (last + 1), UTF_8);
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.get(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("etcd request failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IllegalStateException("etcd request had no answer within " + REQUEST_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during an etcd request", e);
        }
    }

    String log(int member) {
        return log(members.get(member));
    }

    private static String log(Member member) {
        try {
            return Files.exists(member.log) ? Files.readString(member.log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        for (Member member : members) {
            if (member.client != null) {
                member.client.close();
            }
            if (member.process != null) {
                Processes.stop(member.process, STOP_GRACE);
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
