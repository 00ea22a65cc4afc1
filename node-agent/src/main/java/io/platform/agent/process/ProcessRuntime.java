package io.platform.agent.process;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.platform.agent.AgentProperties;
import io.platform.agent.docker.ClusterContainers;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerLaunch;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.ContainerStartException;
import io.platform.agent.runtime.ContainerUsage;
import io.platform.agent.runtime.ExecRequest;
import io.platform.agent.runtime.ExecSession;
import io.platform.agent.runtime.LogOptions;
import io.platform.agent.volume.PodVolumes;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * Runs each container's command as a host process, for machines without a container engine. Images are recorded,
 * never pulled: a container runs its {@code command} and {@code args} with its environment and working directory.
 * Every container starts under a supervisor ({@code supervise.pl}) in a session of its own that writes its CRI log
 * and records its exit, and the runtime keeps each instance as a JSON file, so a restarted agent finds its processes
 * running and never starts them twice.
 *
 * <p>Isolated (root, {@code platform.agent.process.isolate}): the sandbox is a network namespace on the runtime's
 * bridge; each container joins it, gets a mount namespace with its volumes bind-mounted at their container paths and
 * cgroups with its limits. Otherwise containers are plain host processes in the node's network, and volumes stay at
 * their host paths.
 */
public final class ProcessRuntime implements ContainerRuntime {

    private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);
    /** Docker's PATH for images that set none. */
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final int MAX_HOSTNAME = 63;
    /** A record never started this long after its creation was left by an agent that died while starting it. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(1);
    /** How long a stopped container's supervisor may take to read out its output and record the exit. */
    private static final Duration EXIT_RECORD_TIMEOUT = Duration.ofSeconds(10);
    /** Sets up a container's mount namespace (volumes at their container paths) and hostname, then runs it. */
    private static final String MOUNT_SCRIPT = """
            set -e
            hostname "$1"
            workdir=$2
            count=$3
            shift 3
            while [ "$count" -gt 0 ]; do
              if [ -d "$1" ]; then mkdir -p "$2"; else mkdir -p "$(dirname "$2")"; [ -e "$2" ] || : > "$2"; fi
              mount --bind "$1" "$2"
              if [ "$3" = ro ]; then mount -o remount,bind,ro "$2"; fi
              shift 3
              count=$((count - 1))
            done
            cd "$workdir"
            exec "$@"
            """;

    private final AgentProperties properties;
    private final AgentProperties.Process settings;
    private final Clock clock;
    private final boolean isolated;
    private final InstanceFiles files;
    private final Supervisor supervisor;
    private final ContainerCgroups cgroups;
    private final PodNetwork network;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, InstanceRecord> instances = new ConcurrentHashMap<>();
    private final Set<String> imagesNoted = ConcurrentHashMap.newKeySet();
    private final Set<String> volumesNoted = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> exitListeners = new CopyOnWriteArrayList<>();
    private final Object addresses = new Object();
    private @Nullable ScheduledExecutorService exitPoller;
    private volatile boolean closed;

    public ProcessRuntime(AgentProperties properties) {
        this(properties, Clock.systemUTC(), Path.of("/sys/fs/cgroup"));
    }

    ProcessRuntime(AgentProperties properties, Clock clock, Path cgroupMount) {
        this.properties = properties;
        this.settings = properties.process();
        this.clock = clock;
        this.files = new InstanceFiles(properties.rootDir().toAbsolutePath().resolve("process-runtime"));
        this.supervisor = new Supervisor(settings.perl(), files.dir());
        this.cgroups = new ContainerCgroups(cgroupMount);
        this.network = new PodNetwork(settings.bridge(), settings.podCidr());
        this.isolated = settings.isolate() && isolationPossible(cgroups);
        for (InstanceRecord record : files.readAll()) {
            if (properties.clusterId().equals(record.labels().get(ClusterContainers.CLUSTER))
                    && properties.nodeName().equals(record.labels().get(ClusterContainers.NODE))) {
                instances.put(record.id(), record);
            }
        }
    }

    /** Whether pods get their own namespaces and cgroups (root and {@code isolate}), else plain host processes. */
    public boolean isolated() {
        return isolated;
    }

    private static boolean isolationPossible(ContainerCgroups cgroups) {
        if (!runningAsRoot()) {
            log.warn("The process runtime is not running as root: containers run as plain host processes in the node's "
                    + "network, without resource limits, and volumes stay at their host paths");
            return false;
        }
        if (!cgroups.available()) {
            log.warn("cgroup v1 controllers {} are not all mounted under /sys/fs/cgroup: containers run as plain host processes",
                    ContainerCgroups.CONTROLLERS);
            return false;
        }
        return true;
    }

    static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    // real, effective, saved, filesystem: the effective one decides
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    @Override
    public String name() {
        return "process";
    }

    @Override
    public String version() {
        if (!supervisor.interpreterPresent()) {
            throw new IllegalStateException("the process runtime's supervisor needs Perl at " + supervisor.interpreter()
                    + " (platform.agent.process.perl)");
        }
        // no engine: the processes run on the kernel itself
        return "process://" + System.getProperty("os.version");
    }

    @Override
    public void prepare() {
        files.create();
        supervisor.install();
        if (isolated) {
            network.ensureBridge();
        }
        long running = instances.values().stream().filter(r -> !r.sandbox() && isRunning(current(r))).count();
        log.info("Node {} runs pods as host processes ({}); {} running containers found in {}", properties.nodeName(),
                isolated ? "isolated: a network namespace per pod on bridge " + settings.bridge() + ", cgroups per container"
                        : "not isolated: the node's network, no resource limits",
                running, files.dir());
    }

    @Override
    public List<ContainerInstance> podContainers(String podUid) {
        List<ContainerInstance> found = new ArrayList<>();
        for (InstanceRecord record : List.copyOf(instances.values())) {
            if (record.podUid().equals(podUid)) {
                found.add(instance(current(record)));
            }
        }
        found.sort(Comparator.comparingInt(ContainerInstance::attempt).reversed());
        return found;
    }

    @Override
    public Map<String, String> nodeContainerPods() {
        Map<String, String> pods = new HashMap<>();
        instances.values().forEach(record -> pods.put(record.id(), record.podUid()));
        return pods;
    }

    @Override
    public String startSandbox(Pod pod, int attempt) {
        String id = newId();
        String uid = pod.getMetadata().getUid();
        String netns = null;
        String hostVeth = null;
        String address = properties.address();
        if (isolated) {
            netns = "platform-" + uid.replace("-", "").substring(0, Math.min(12, uid.replace("-", "").length()));
            hostVeth = "vp" + id.substring(0, 12);
            synchronized (addresses) {
                if (PodNetwork.exists(netns)) {
                    // left by a sandbox whose record is gone (the agent died while removing it)
                    network.delete(netns, hostVeth);
                }
                Set<String> taken = instances.values().stream()
                        .filter(InstanceRecord::sandbox)
                        .map(InstanceRecord::ipAddress)
                        .filter(Objects::nonNull)
                        .collect(Collectors.toSet());
                address = network.allocate(taken);
                network.create(netns, hostVeth, address);
                save(sandboxRecord(id, pod, attempt, netns, address, hostVeth));
            }
        } else {
            save(sandboxRecord(id, pod, attempt, null, address, null));
        }
        return id;
    }

    private InstanceRecord sandboxRecord(String id, Pod pod, int attempt, @Nullable String netns, String address,
            @Nullable String hostVeth) {
        Instant now = clock.instant();
        return new InstanceRecord(id, pod.getMetadata().getUid(), ContainerInstance.SANDBOX, attempt, "", now,
                labels(pod, ContainerInstance.SANDBOX, attempt), netns, address, hostVeth, null, List.of(), List.of(), "/",
                List.of(), List.of(), List.of(), null, null, null, null, now, null, null, false, null);
    }

    /** Nothing to look up: images are never unpacked, only their names recorded. */
    @Override
    public boolean imagePresent(String image) {
        return true;
    }

    @Override
    public void pull(String image, List<RegistryCredential> credentials) {
        if (imagesNoted.add(image)) {
            log.info("Image {} is not pulled: the process runtime runs a container's command on the host", image);
        }
    }

    @Override
    public String startContainer(ContainerLaunch launch) {
        Pod pod = launch.pod();
        Container spec = launch.spec();
        String uid = pod.getMetadata().getUid();
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        String id = newId();
        List<String> command = new ArrayList<>(launch.entrypoint());
        command.addAll(launch.cmd());
        Map<String, String> env = environment(launch.env(), hostname(pod.getMetadata().getName()));
        String workingDir = spec.getWorkingDir() == null || spec.getWorkingDir().isBlank() ? "/" : spec.getWorkingDir();
        Path logPath = logPath(uid, spec.getName(), launch.attempt());
        InstanceRecord sandbox = instances.get(launch.sandboxId());
        List<String> cgroupDirs = List.of();
        List<String> mountPoints = List.of();
        List<String> createdPaths = List.of();
        List<String> argv = command;
        String problem = problem(command, env, workingDir, launch.mounts());
        if (problem == null && isolated) {
            if (sandbox == null || sandbox.netns() == null) {
                problem = "the pod's sandbox " + launch.sandboxId() + " is gone";
            } else {
                cgroupDirs = cgroups.create(uid, id, spec).stream().map(Path::toString).toList();
                mountPoints = launch.mounts().stream().map(PodVolumes.Mount::containerPath).toList();
                createdPaths = MountPoints.create(launch.mounts());
                argv = isolatedCommand(sandbox.netns(), hostname(pod.getMetadata().getName()), workingDir, launch.mounts(), command);
            }
        }
        InstanceRecord record = new InstanceRecord(id, uid, spec.getName(), launch.attempt(), spec.getImage() == null ? "" : spec.getImage(),
                clock.instant(), labels(pod, spec.getName(), launch.attempt()), null, null, null, logPath.toString(), argv,
                launch.env(), workingDir, cgroupDirs, mountPoints, createdPaths, null, null, null, null, null, null, null, false, null);
        if (problem != null) {
            save(record.exited(128, clock.instant(), false, problem));
            throw new ContainerStartException(id, problem);
        }
        if (!isolated && !launch.mounts().isEmpty() && volumesNoted.add(uid)) {
            log.info("Pod {}: without isolation the process runtime mounts no volumes; its containers find them at their "
                    + "host paths only: {}", key, launch.mounts().stream()
                    .map(m -> m.containerPath() + " is " + m.hostPath()).collect(Collectors.joining(", ")));
        }
        try {
            Files.createDirectories(logPath.getParent());
            for (Path stale : CriLogs.files(logPath)) {
                Files.deleteIfExists(stale);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log directory of container " + spec.getName() + " of pod " + key, e);
        }
        save(record);
        Supervisor.Launched launched = supervisor.launch(files.statePrefix(id), files.supervisorLog(id), logPath,
                settings.logMaxSize().toBytes(), settings.logMaxFiles(), isolated ? "" : workingDir,
                cgroupDirs.stream().map(dir -> dir + "/cgroup.procs").toList(), argv, env);
        if (launched.failure() != null) {
            save(record.exited(128, clock.instant(), false, launched.failure()));
            throw new ContainerStartException(id, launched.failure());
        }
        Process process = Objects.requireNonNull(launched.process());
        long supervisorStart = ProcStat.read(process.pid()).map(ProcStat::startTicks).orElse(-1L);
        long pidStart = ProcStat.read(launched.pid()).map(ProcStat::startTicks).orElse(-1L);
        Instant startedAt = files.started(id).map(InstanceFiles.Started::at).orElse(clock.instant());
        save(record.started(process.pid(), supervisorStart, launched.pid(), pidStart, startedAt));
        // the supervisor ends right after recording the exit: the pod worker hears of it at once
        process.onExit().thenRun(() -> noticeExit(id));
        return id;
    }

    /** Why the container cannot start, checked before anything runs; null when it can. */
    private @Nullable String problem(List<String> command, Map<String, String> env, String workingDir, List<PodVolumes.Mount> mounts) {
        if (command.isEmpty()) {
            return "the process runtime runs a container's command and this container has none: images are not run, "
                    + "so there is no entrypoint to fall back to; set command (and args)";
        }
        String executable = command.getFirst();
        boolean inVolume = mounts.stream().anyMatch(m -> executable.startsWith(m.containerPath() + "/"));
        if (executable.contains("/")) {
            if (!inVolume && !Files.isExecutable(Path.of(executable))) {
                return "exec: \"" + executable + "\": no such executable file on this node";
            }
        } else if (!onPath(executable, env.getOrDefault("PATH", DEFAULT_PATH))) {
            return "exec: \"" + executable + "\": executable file not found in $PATH";
        }
        boolean workingDirInVolume = mounts.stream().anyMatch(m -> (workingDir + "/").startsWith(m.containerPath() + "/"));
        if (!workingDirInVolume && !Files.isDirectory(Path.of(workingDir))) {
            return "working directory " + workingDir + " does not exist on this node";
        }
        return null;
    }

    private static boolean onPath(String executable, String path) {
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
                return true;
            }
        }
        return false;
    }

    private List<String> isolatedCommand(String netns, String hostname, String workingDir, List<PodVolumes.Mount> mounts,
            List<String> command) {
        List<String> argv = new ArrayList<>(List.of(tool("nsenter"), "--net=" + PodNetwork.path(netns), tool("unshare"),
                "--mount", "--uts", "--propagation", "private", "--", "/bin/sh", "-c", MOUNT_SCRIPT, "sh", hostname, workingDir,
                Integer.toString(mounts.size())));
        for (PodVolumes.Mount mount : mounts) {
            argv.add(mount.hostPath().toString());
            argv.add(mount.containerPath());
            argv.add(mount.readOnly() ? "ro" : "rw");
        }
        argv.addAll(command);
        return argv;
    }

    /** A host tool by absolute path, so a container's own PATH cannot hide it. */
    private static String tool(String name) {
        for (String dir : DEFAULT_PATH.split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        throw new IllegalStateException("the isolated process runtime needs " + name + " (util-linux) on this node");
    }

    /** The container's variables over Docker's defaults for an image without any ({@code PATH}, {@code HOSTNAME}). */
    private static Map<String, String> environment(List<String> entries, String hostname) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", DEFAULT_PATH);
        env.put("HOSTNAME", hostname);
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        return env;
    }

    private static String hostname(String name) {
        return name.length() > MAX_HOSTNAME ? name.substring(0, MAX_HOSTNAME) : name;
    }

    /** {@code <root-dir>/pods/<uid>/logs/<container>/<attempt>.log}: beside the pod's volumes, never a volume's name. */
    private Path logPath(String podUid, String container, int attempt) {
        return properties.rootDir().toAbsolutePath().resolve("pods").resolve(podUid).resolve("logs").resolve(container)
                .resolve(attempt + ".log");
    }

    @Override
    public void stop(String containerId, Duration grace) {
        InstanceRecord record = instances.get(containerId);
        if (record == null || record.sandbox()) {
            return;
        }
        record = current(record);
        if (!isRunning(record) || record.pid() == null) {
            return;
        }
        long pid = record.pid();
        if (sameProcess(record)) {
            signalGroup(pid, "TERM");
        }
        if (!awaitExit(containerId, grace)) {
            log.info("Container {} ({}) did not stop within {}s of SIGTERM: SIGKILL", record.container(),
                    containerId.substring(0, 12), grace.toSeconds());
            if (sameProcess(record)) {
                signalGroup(pid, "KILL");
            }
            // also what left the process group, as the cgroup holds it
            for (long member : ContainerCgroups.processes(record.cgroups())) {
                HostCommand.attempt(List.of("kill", "-s", "KILL", Long.toString(member)));
            }
            awaitExit(containerId, EXIT_RECORD_TIMEOUT);
        }
    }

    private boolean sameProcess(InstanceRecord record) {
        return record.pid() != null && record.pidStart() != null && ProcStat.alive(record.pid(), record.pidStart());
    }

    private static void signalGroup(long pid, String signal) {
        HostCommand.attempt(List.of("kill", "-s", signal, "--", "-" + pid));
    }

    /** Waits until the supervisor recorded the exit; false when {@code timeout} passed first. */
    private boolean awaitExit(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            InstanceRecord record = instances.get(id);
            if (record == null || !isRunning(current(record))) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(settings.stopCheckInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    @Override
    public void remove(String containerId) {
        InstanceRecord record = instances.get(containerId);
        if (record == null) {
            return;
        }
        if (record.sandbox()) {
            if (record.netns() != null && record.hostVeth() != null) {
                network.delete(record.netns(), record.hostVeth());
            }
            if (isolated) {
                cgroups.removePod(record.podUid());
            }
        } else {
            if (isRunning(current(record))) {
                stop(containerId, Duration.ZERO);
            }
            ContainerCgroups.remove(record.cgroups());
            MountPoints.removeUnused(record, instances.values());
            if (record.logPath() != null) {
                removeLogs(Path.of(record.logPath()));
            }
        }
        synchronized (instances) {
            // after this, a late exit record of the instance is not written back (see finish)
            files.delete(containerId);
            instances.remove(containerId);
        }
        exitListeners.forEach(listener -> listener.accept(record.podUid()));
    }

    private static void removeLogs(Path log) {
        try {
            for (Path file : CriLogs.files(log)) {
                Files.deleteIfExists(file);
            }
            Path containerDir = log.getParent();
            if (Files.isDirectory(containerDir)) {
                try (var left = Files.list(containerDir)) {
                    if (left.findAny().isEmpty()) {
                        Files.delete(containerDir);
                    }
                }
            }
        } catch (IOException e) {
            ProcessRuntime.log.warn("Removing log {} failed: {}", log, e.getMessage());
        }
    }

    @Override
    public synchronized Closeable watchExits(Consumer<String> podUid) {
        exitListeners.add(podUid);
        if (exitPoller == null) {
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("process-exits").daemon().factory());
            long interval = settings.exitPollInterval().toMillis();
            poller.scheduleWithFixedDelay(this::pollExits, interval, interval, TimeUnit.MILLISECONDS);
            exitPoller = poller;
        }
        return () -> {
            exitListeners.remove(podUid);
            stopPollerIfUnused();
        };
    }

    private synchronized void stopPollerIfUnused() {
        if (exitListeners.isEmpty() && exitPoller != null) {
            exitPoller.shutdownNow();
            exitPoller = null;
        }
    }

    /** Finds exits the supervisors' own ends did not report (processes of an earlier agent, sandboxes gone). */
    private void pollExits() {
        try {
            for (InstanceRecord record : List.copyOf(instances.values())) {
                if (record.sandbox()) {
                    if (record.netns() != null && !PodNetwork.exists(record.netns())) {
                        exitListeners.forEach(listener -> listener.accept(record.podUid()));
                    }
                } else if (!record.finished()) {
                    noticeExit(record.id());
                }
            }
        } catch (RuntimeException e) {
            log.warn("Checking the process runtime's containers for exits failed: {}", e.getMessage());
        }
    }

    private void noticeExit(String id) {
        if (closed) {
            return;
        }
        InstanceRecord record = instances.get(id);
        if (record != null && !record.finished() && current(record).finished()) {
            exitListeners.forEach(listener -> listener.accept(record.podUid()));
        }
    }

    @Override
    public Flux<byte[]> logs(String containerId, LogOptions options) {
        InstanceRecord record = instances.get(containerId);
        if (record == null || record.logPath() == null) {
            return Flux.error(new IllegalStateException("container " + containerId + " has no log on this node"));
        }
        return CriLogs.read(Path.of(record.logPath()), options, settings.logPollInterval(), () -> {
            InstanceRecord now = instances.get(containerId);
            return now != null && isRunning(current(now));
        });
    }

    @Override
    public ExecSession exec(String containerId, ExecRequest request) throws IOException {
        InstanceRecord record = instances.get(containerId);
        if (record == null || record.sandbox() || !isRunning(current(record)) || record.pid() == null) {
            throw new IOException("container " + containerId + " is not running");
        }
        if (request.tty()) {
            throw new IOException("the process runtime cannot give a command a terminal (tty): run it without -t");
        }
        if (request.command().isEmpty()) {
            throw new IOException("exec needs a command");
        }
        List<String> argv = new ArrayList<>();
        if (isolated) {
            argv.addAll(List.of(tool("nsenter"), "-t", Long.toString(record.pid()), "-n", "-m", "-u", "--wd=" + record.workingDir()));
        }
        argv.addAll(request.command());
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().clear();
        builder.environment().putAll(environment(record.env(),
                hostname(record.labels().getOrDefault(ClusterContainers.POD_NAME, ""))));
        if (!isolated) {
            builder.directory(Path.of(record.workingDir()).toFile());
        }
        Process process = builder.start();
        for (String dir : record.cgroups()) {
            try {
                // as docker exec: the command counts against the container's limits
                Files.writeString(Path.of(dir, "cgroup.procs"), Long.toString(process.pid()));
            } catch (IOException e) {
                log.debug("exec in {} could not join cgroup {}: {}", containerId, dir, e.getMessage());
            }
        }
        return new ProcessExecSession(process);
    }

    @Override
    public ExecSession attach(String containerId, ExecRequest request) throws IOException {
        throw new IOException("the process runtime cannot attach to a container: its output goes straight to its log file "
                + "and its stdin is closed; use kubectl logs -f to follow the output");
    }

    @Override
    public InetSocketAddress podPort(ContainerInstance sandbox, int port) {
        if (isolated && sandbox.ipAddress() != null) {
            return new InetSocketAddress(sandbox.ipAddress(), port);
        }
        // the pod shares the node's network: its ports are the host's
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public Optional<ContainerUsage> usage(String containerId) {
        InstanceRecord record = instances.get(containerId);
        if (record == null || record.sandbox() || !isRunning(current(record)) || record.pid() == null) {
            return Optional.empty();
        }
        if (isolated) {
            return ContainerCgroups.usage(record.cgroups(), clock.instant());
        }
        // without cgroups: the main process and its descendants, from /proc
        List<Long> pids = new ArrayList<>();
        pids.add(record.pid());
        ProcessHandle.of(record.pid()).ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
        long ticks = 0;
        long pages = 0;
        boolean found = false;
        for (long pid : pids) {
            Optional<ProcStat> stat = ProcStat.read(pid);
            if (stat.isPresent()) {
                found = true;
                ticks += stat.get().cpuTicks();
                pages += stat.get().rssPages();
            }
        }
        if (!found) {
            return Optional.empty();
        }
        long rss = pages * ProcStat.PAGE_SIZE;
        return Optional.of(new ContainerUsage(clock.instant(), ticks * (1_000_000_000L / ProcStat.TICKS_PER_SECOND), rss, rss));
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (exitPoller != null) {
            exitPoller.shutdownNow();
            exitPoller = null;
        }
        exitListeners.clear();
        if (isolated) {
            // leave the host as found once no pod uses the bridge; running pods keep it
            network.deleteBridgeIfUnused();
        }
    }

    /** The record brought up to date with its supervisor's files and the processes it names. */
    private InstanceRecord current(InstanceRecord record) {
        if (record.sandbox() || record.finished()) {
            return record;
        }
        Optional<InstanceFiles.Exit> exit = files.exit(record.id());
        if (exit.isPresent()) {
            InstanceFiles.Exit ended = exit.get();
            // cgroup v1 counts the OOM killer's kills; its victim dies of SIGKILL
            boolean oom = ended.signal() == 9 && ContainerCgroups.oomKilled(record.cgroups());
            return finish(record, ended.code(), ended.at(), oom, ended.error());
        }
        if (record.supervisorPid() == null) {
            if (record.createdAt().plus(START_TIMEOUT).isBefore(clock.instant())) {
                return finish(record, 255, clock.instant(), false, "the agent stopped while starting the container");
            }
            return record;
        }
        if (record.supervisorStart() != null && ProcStat.alive(record.supervisorPid(), record.supervisorStart())) {
            return record;
        }
        // the supervisor ended: its exit record may have landed since the first look
        exit = files.exit(record.id());
        if (exit.isPresent()) {
            return current(record);
        }
        if (sameProcess(record)) {
            // nobody records this process's end any more: stop it rather than lose track of it
            signalGroup(Objects.requireNonNull(record.pid()), "KILL");
            log.warn("Container {} ({}) lost its supervisor: killed, it will be restarted as its pod's policy says",
                    record.container(), record.id().substring(0, 12));
            return finish(record, 137, clock.instant(), false, null);
        }
        log.warn("Container {} ({}) ended while nobody watched it (its supervisor is gone): exit code unknown",
                record.container(), record.id().substring(0, 12));
        return finish(record, 255, clock.instant(), false, null);
    }

    private InstanceRecord finish(InstanceRecord record, int code, Instant at, boolean oom, @Nullable String error) {
        InstanceRecord finished = record.exited(code, at, oom, error);
        synchronized (instances) {
            if (instances.containsKey(record.id())) {
                save(finished);
            }
        }
        return finished;
    }

    private void save(InstanceRecord record) {
        synchronized (instances) {
            files.write(record);
            instances.put(record.id(), record);
        }
    }

    private boolean isRunning(InstanceRecord record) {
        if (record.sandbox()) {
            return record.netns() == null || PodNetwork.exists(record.netns());
        }
        return !record.finished() && record.supervisorPid() != null;
    }

    private ContainerInstance instance(InstanceRecord record) {
        boolean running = isRunning(record);
        String status = running ? "running" : record.finished() || record.sandbox() ? "exited" : "created";
        return new ContainerInstance(
                record.id(),
                record.container(),
                record.attempt(),
                record.image(),
                status,
                running,
                record.exitCode() == null ? 0 : record.exitCode(),
                record.oomKilled(),
                record.error(),
                record.createdAt(),
                record.startedAt(),
                record.finishedAt(),
                record.sandbox() ? record.ipAddress() : null);
    }

    private Map<String, String> labels(Pod pod, String container, int attempt) {
        return ClusterContainers.labels(properties.clusterId(), properties.nodeName(), pod, container, attempt);
    }

    private String newId() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
