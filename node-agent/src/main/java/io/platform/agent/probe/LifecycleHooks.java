package io.platform.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Pod;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Runs a container's postStart and preStop handlers as the kubelet's handler runner; failures are
 * described in the kubelet's words ({@code Exec lifecycle hook ([...]) for Container "c" in Pod
 * "name_ns(uid)" failed - error: ..., message: "..."}), which its callers put into events and logs.
 */
public final class LifecycleHooks {

    private final HttpGetHandler httpGet;
    private final ExecHandler exec;

    public LifecycleHooks(ContainerRuntime runtime, Clock clock) {
        this.httpGet = new HttpGetHandler(runtime, clock);
        this.exec = new ExecHandler(runtime);
    }

    /** Runs a postStart/preStop handler (exec, httpGet, sleep) against the container; null on success, else why it failed. */
    public @Nullable String run(LifecycleHandler handler, Pod pod, ContainerInstance sandbox, ContainerInstance container,
            Duration timeout) throws InterruptedException {
        Container spec = ContainerPorts.find(pod, container.name());
        String where = " for Container \"" + container.name() + "\" in Pod \"" + ContainerPorts.podName(pod) + "\" failed - error: ";
        if (handler.getExec() != null) {
            List<String> command = handler.getExec().getCommand() == null ? List.of() : handler.getExec().getCommand();
            ExecHandler.Outcome outcome = exec.run(container.id(), command, timeout);
            if (outcome.exitCode() != null && outcome.exitCode() == 0) {
                return null;
            }
            String error = outcome.exitCode() != null
                    ? "command '" + String.join(" ", command) + "' exited with " + outcome.exitCode() + ": "
                    : outcome.problem();
            return "Exec lifecycle hook (" + command + ")" + where + error + ", message: \"" + outcome.output() + "\"";
        }
        if (handler.getHttpGet() != null) {
            String path = handler.getHttpGet().getPath() == null ? "" : handler.getHttpGet().getPath();
            try {
                // as the kubelet: only a request that gets no response fails the hook, whatever the status
                HttpGetHandler.Response response = httpGet.get(handler.getHttpGet(), spec, sandbox, timeout);
                return response.error() == null ? null : "HTTP lifecycle hook (" + path + ")" + where + response.error();
            } catch (IllegalArgumentException | IllegalStateException e) {
                return "HTTP lifecycle hook (" + path + ")" + where + e.getMessage();
            }
        }
        if (handler.getSleep() != null && handler.getSleep().getSeconds() != null) {
            Duration sleep = Duration.ofSeconds(Math.max(0, handler.getSleep().getSeconds()));
            if (sleep.compareTo(timeout) > 0) {
                Thread.sleep(timeout);
                return "Sleep lifecycle hook (" + sleep.toSeconds() + ")" + where + "container terminated before sleep hook finished";
            }
            Thread.sleep(sleep);
            return null;
        }
        // tcpSocket lands here too: the API keeps it for old manifests, but the kubelet fails such hooks at run time
        return "Cannot run handler: invalid handler for Container \"" + container.name() + "\" in Pod \""
                + ContainerPorts.podName(pod) + "\"";
    }
}
