package io.platform.agent.probe;

import io.fabric8.kubernetes.api.model.Pod;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerLaunch;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.ContainerUsage;
import io.platform.agent.runtime.ExecRequest;
import io.platform.agent.runtime.ExecSession;
import io.platform.agent.runtime.LogOptions;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;

/**
 * A runtime whose pods live on loopback (every sandbox address is 127.0.0.1) and whose exec runs a
 * scripted answer; everything else is unsupported, since probes and hooks use nothing else.
 */
final class FakeRuntime implements ContainerRuntime {

    /** What an exec does: exit with a code after writing output, or hang until closed. */
    record ExecAnswer(int exitCode, String stdout, String stderr, boolean hang) {
        static ExecAnswer exit(int code, String stdout) {
            return new ExecAnswer(code, stdout, "", false);
        }

        static ExecAnswer hanging() {
            return new ExecAnswer(0, "", "", true);
        }
    }

    volatile ExecAnswer answer = ExecAnswer.exit(0, "");
    volatile boolean execFails;
    final List<List<String>> execs = new CopyOnWriteArrayList<>();
    final List<String> closedSessions = new CopyOnWriteArrayList<>();

    static ContainerInstance sandbox() {
        return new ContainerInstance("sandbox-1", ContainerInstance.SANDBOX, 0, "pause", "running", true, 0, false, null,
                Instant.EPOCH, Instant.EPOCH, null, "127.0.0.1");
    }

    static ContainerInstance container(String id, String name, Instant startedAt) {
        return new ContainerInstance(id, name, 0, "busybox", "running", true, 0, false, null, startedAt, startedAt, null, null);
    }

    @Override
    public InetSocketAddress podPort(ContainerInstance sandbox, int port) {
        return new InetSocketAddress(Objects.requireNonNull(sandbox.ipAddress()), port);
    }

    @Override
    public ExecSession exec(String containerId, ExecRequest request) throws IOException {
        if (execFails) {
            throw new IOException("container " + containerId + " is not running");
        }
        execs.add(request.command());
        ExecAnswer now = answer;
        CountDownLatch closed = new CountDownLatch(1);
        return new ExecSession() {
            @Override
            public OutputStream stdin() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public InputStream stdout() {
                return new ByteArrayInputStream(now.stdout().getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public InputStream stderr() {
                return new ByteArrayInputStream(now.stderr().getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void resize(int width, int height) {}

            @Override
            public int awaitExit() throws InterruptedException {
                if (now.hang()) {
                    closed.await();
                    return 137;
                }
                return now.exitCode();
            }

            @Override
            public void close() {
                closedSessions.add(containerId);
                closed.countDown();
            }
        };
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String version() {
        return "fake://1";
    }

    @Override
    public void prepare() {}

    @Override
    public List<ContainerInstance> podContainers(String podUid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> nodeContainerPods() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String startSandbox(Pod pod, int attempt) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean imagePresent(String image) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void pull(String image, List<RegistryCredential> credentials) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String startContainer(ContainerLaunch launch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stop(String containerId, Duration grace) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void remove(String containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Closeable watchExits(Consumer<String> podUid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Flux<byte[]> logs(String containerId, LogOptions options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ExecSession attach(String containerId, ExecRequest request) throws IOException {
        throw new IOException("no attach");
    }

    @Override
    public Optional<ContainerUsage> usage(String containerId) {
        return Optional.empty();
    }

    @Override
    public void close() {}
}
