package io.platform.agent.process;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Removes whatever a test's process runtime left on the host, whatever state the test ended in: processes (the
 * container's process group and its supervisor), cgroups, network namespaces with their veths, and the bridge.
 */
public final class ProcessRuntimeCleanup {

    private ProcessRuntimeCleanup() {}

    public static void removeEverything(Path rootDir, String bridge) {
        InstanceFiles files = new InstanceFiles(rootDir.toAbsolutePath().resolve("process-runtime"));
        PodNetwork network = new PodNetwork(bridge, "10.0.0.0/8");
        for (InstanceRecord record : files.readAll()) {
            if (record.supervisorPid() != null && record.supervisorStart() != null
                    && ProcStat.alive(record.supervisorPid(), record.supervisorStart())) {
                HostCommand.attempt(List.of("kill", "-s", "KILL", record.supervisorPid().toString()));
            }
            if (record.pid() != null && record.pidStart() != null && ProcStat.alive(record.pid(), record.pidStart())) {
                HostCommand.attempt(List.of("kill", "-s", "KILL", "--", "-" + record.pid()));
            }
            for (long pid : ContainerCgroups.processes(record.cgroups())) {
                HostCommand.attempt(List.of("kill", "-s", "KILL", Long.toString(pid)));
            }
        }
        List<InstanceRecord> records = files.readAll();
        // a killed process leaves its cgroup a moment later
        await("processes of the test's containers gone").atMost(Duration.ofSeconds(20))
                .until(() -> records.stream().allMatch(record -> ContainerCgroups.processes(record.cgroups()).isEmpty()));
        for (InstanceRecord record : records) {
            ContainerCgroups.remove(record.cgroups());
            MountPoints.removeUnused(record, List.of());
            if (record.netns() != null && record.hostVeth() != null) {
                network.delete(record.netns(), record.hostVeth());
            }
            files.delete(record.id());
        }
        network.deleteBridgeIfUnused();
        for (String controller : ContainerCgroups.CONTROLLERS) {
            try {
                Files.deleteIfExists(Path.of("/sys/fs/cgroup", controller, "platform"));
            } catch (IOException e) {
                // still used by pods outside this test
            }
        }
    }
}
