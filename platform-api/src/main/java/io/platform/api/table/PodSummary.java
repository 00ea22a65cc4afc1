package io.platform.api.table;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The READY, STATUS and RESTARTS of a pod as kubectl prints them (kube-apiserver's pod printer): the reason of a
 * waiting or terminated container wins over the phase, init containers show as {@code Init:1/2}, sidecars
 * (restartable init containers) count as containers, and a pod with a deletion timestamp is {@code Terminating}.
 */
record PodSummary(long ready, long total, String status, long restarts, Optional<Instant> lastRestart) {

    /** The reason the node lifecycle controller sets on pods of an unreachable node. */
    private static final String NODE_UNREACHABLE = "NodeLost";

    static PodSummary of(JsonNode pod) {
        List<JsonNode> containers = Json.array(pod, "spec", "containers");
        List<JsonNode> initContainers = Json.array(pod, "spec", "initContainers");
        long total = containers.size();
        long ready = 0;
        long restarts = 0;
        long sidecarRestarts = 0;
        @Nullable Instant lastRestart = null;
        @Nullable Instant lastSidecarRestart = null;

        String phase = Json.text(pod, "status", "phase");
        String reason = Json.text(pod, "status", "reason").isEmpty() ? phase : Json.text(pod, "status", "reason");
        for (JsonNode condition : Json.array(pod, "status", "conditions")) {
            if (Json.text(condition, "type").equals("PodScheduled")
                    && Json.text(condition, "reason").equals("SchedulingGated")) {
                reason = "SchedulingGated";
            }
        }

        Map<String, Boolean> sidecars = new HashMap<>();
        for (JsonNode init : initContainers) {
            boolean sidecar = Json.text(init, "restartPolicy").equals("Always");
            sidecars.put(Json.text(init, "name"), sidecar);
            if (sidecar) {
                total++;
            }
        }

        boolean initializing = false;
        List<JsonNode> initStatuses = Json.array(pod, "status", "initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode status = initStatuses.get(i);
            long count = Json.number(status, "restartCount");
            restarts += count;
            Optional<Instant> finished = Json.time(status, "lastState", "terminated", "finishedAt");
            lastRestart = later(lastRestart, finished);
            boolean sidecar = sidecars.getOrDefault(Json.text(status, "name"), false);
            if (sidecar) {
                sidecarRestarts += count;
                lastSidecarRestart = later(lastSidecarRestart, finished);
            }
            JsonNode terminated = Json.at(status, "state", "terminated");
            JsonNode waiting = Json.at(status, "state", "waiting");
            if (terminated.isObject() && Json.number(terminated, "exitCode") == 0) {
                continue;
            }
            if (sidecar && Json.bool(status, "started")) {
                if (Json.bool(status, "ready")) {
                    ready++;
                }
                continue;
            }
            if (terminated.isObject()) {
                String terminatedReason = Json.text(terminated, "reason");
                if (!terminatedReason.isEmpty()) {
                    reason = "Init:" + terminatedReason;
                } else if (Json.number(terminated, "signal") != 0) {
                    reason = "Init:Signal:" + Json.number(terminated, "signal");
                } else {
                    reason = "Init:ExitCode:" + Json.number(terminated, "exitCode");
                }
            } else if (waiting.isObject() && !Json.text(waiting, "reason").isEmpty()
                    && !Json.text(waiting, "reason").equals("PodInitializing")) {
                reason = "Init:" + Json.text(waiting, "reason");
            } else {
                reason = "Init:" + i + "/" + initContainers.size();
            }
            initializing = true;
            break;
        }

        if (!initializing || initializedConditionTrue(pod)) {
            restarts = sidecarRestarts;
            lastRestart = lastSidecarRestart;
            boolean hasRunning = false;
            List<JsonNode> statuses = Json.array(pod, "status", "containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode status = statuses.get(i);
                restarts += Json.number(status, "restartCount");
                lastRestart = later(lastRestart, Json.time(status, "lastState", "terminated", "finishedAt"));
                JsonNode waiting = Json.at(status, "state", "waiting");
                JsonNode terminated = Json.at(status, "state", "terminated");
                if (waiting.isObject() && !Json.text(waiting, "reason").isEmpty()) {
                    reason = Json.text(waiting, "reason");
                } else if (terminated.isObject() && !Json.text(terminated, "reason").isEmpty()) {
                    reason = Json.text(terminated, "reason");
                } else if (terminated.isObject()) {
                    reason = Json.number(terminated, "signal") != 0
                            ? "Signal:" + Json.number(terminated, "signal")
                            : "ExitCode:" + Json.number(terminated, "exitCode");
                } else if (Json.bool(status, "ready") && Json.at(status, "state", "running").isObject()) {
                    hasRunning = true;
                    ready++;
                }
            }
            // a pod whose last container completed but another still runs is not "Completed"
            if (reason.equals("Completed") && hasRunning) {
                reason = readyConditionTrue(pod) ? "Running" : "NotReady";
            }
        }

        boolean deleting = !Json.text(pod, "metadata", "deletionTimestamp").isEmpty();
        if (deleting && Json.text(pod, "status", "reason").equals(NODE_UNREACHABLE)) {
            reason = "Unknown";
        } else if (deleting && !phase.equals("Succeeded") && !phase.equals("Failed")) {
            reason = "Terminating";
        }
        return new PodSummary(ready, total, reason, restarts, Optional.ofNullable(lastRestart));
    }

    private static boolean initializedConditionTrue(JsonNode pod) {
        for (JsonNode condition : Json.array(pod, "status", "conditions")) {
            if (Json.text(condition, "type").equals("Initialized")) {
                return Json.text(condition, "status").equals("True");
            }
        }
        return false;
    }

    private static boolean readyConditionTrue(JsonNode pod) {
        return Json.array(pod, "status", "conditions").stream()
                .anyMatch(c -> Json.text(c, "type").equals("Ready") && Json.text(c, "status").equals("True"));
    }

    private static @Nullable Instant later(@Nullable Instant current, Optional<Instant> candidate) {
        if (candidate.isEmpty()) {
            return current;
        }
        return current == null || candidate.get().isAfter(current) ? candidate.get() : current;
    }
}
