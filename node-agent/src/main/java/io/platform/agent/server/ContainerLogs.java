package io.platform.agent.server;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.platform.agent.AgentProperties;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.LogOptions;
import io.platform.agent.pod.PodWorkers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code GET /containerLogs/{namespace}/{pod}/{container}}: the container's stdout and stderr as
 * the runtime keeps them, with the kubelet's query parameters ({@code follow}, {@code tailLines},
 * {@code timestamps}, {@code sinceSeconds}, {@code limitBytes}, {@code previous}).
 */
@Component
class ContainerLogs {

    private final PodWorkers workers;
    private final ContainerRuntime runtime;
    private final AgentProperties properties;
    private final Clock clock;

    ContainerLogs(PodWorkers workers, ContainerRuntime runtime, AgentProperties properties, Clock clock) {
        this.workers = workers;
        this.runtime = runtime;
        this.properties = properties;
        this.clock = clock;
    }

    Mono<ServerResponse> serve(ServerRequest request) {
        String namespace = request.pathVariable("namespace");
        String podName = request.pathVariable("pod");
        String containerName = request.pathVariable("container");
        LogQuery query;
        try {
            query = LogQuery.of(request);
        } catch (IllegalArgumentException e) {
            return KubernetesStatusResponses.response(HttpStatus.BAD_REQUEST, "BadRequest", e.getMessage());
        }
        return Mono.fromCallable(() -> locate(namespace, podName, containerName, query.previous()))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(located -> located.error() != null
                        ? KubernetesStatusResponses.response(located.code(), located.code().getReasonPhrase().replace(" ", ""),
                                located.error())
                        : ServerResponse.ok()
                                .contentType(MediaType.TEXT_PLAIN)
                                .body(BodyInserters.fromDataBuffers(stream(Objects.requireNonNull(located.containerId()), query))));
    }

    private record Located(@Nullable String containerId, HttpStatus code, @Nullable String error) {
        static Located found(String id) {
            return new Located(id, HttpStatus.OK, null);
        }

        static Located failed(HttpStatus code, String error) {
            return new Located(null, code, error);
        }
    }

    private Located locate(String namespace, String podName, String containerName, boolean previous) {
        Optional<Pod> found = workers.pod(namespace, podName);
        if (found.isEmpty()) {
            return Located.failed(HttpStatus.NOT_FOUND, "pod \"" + podName + "\" in namespace \"" + namespace
                    + "\" is not running on node \"" + properties.nodeName() + "\"");
        }
        Pod pod = found.get();
        List<String> declared = containerNames(pod);
        if (!declared.contains(containerName)) {
            return Located.failed(HttpStatus.NOT_FOUND, "container \"" + containerName + "\" is not valid for pod \""
                    + podName + "\"; its containers are " + declared);
        }
        List<ContainerInstance> instances = workers.containers(pod.getMetadata().getUid()).stream()
                .filter(c -> c.name().equals(containerName))
                .toList();
        if (previous) {
            if (instances.size() < 2) {
                return Located.failed(HttpStatus.BAD_REQUEST, "previous terminated container \"" + containerName
                        + "\" in pod \"" + podName + "\" not found");
            }
            return Located.found(instances.get(1).id());
        }
        if (instances.isEmpty()) {
            return Located.failed(HttpStatus.BAD_REQUEST, "container \"" + containerName + "\" in pod \"" + podName
                    + "\" is waiting to start: " + waitingReason(pod, containerName));
        }
        return Located.found(instances.getFirst().id());
    }

    /** App, init and ephemeral containers: the kubelet serves the logs of each. */
    private static List<String> containerNames(Pod pod) {
        List<String> names = new ArrayList<>();
        pod.getSpec().getContainers().forEach(c -> names.add(c.getName()));
        if (pod.getSpec().getInitContainers() != null) {
            pod.getSpec().getInitContainers().forEach(c -> names.add(c.getName()));
        }
        if (pod.getSpec().getEphemeralContainers() != null) {
            pod.getSpec().getEphemeralContainers().forEach(c -> names.add(c.getName()));
        }
        return names;
    }

    private static String waitingReason(Pod pod, String containerName) {
        if (pod.getStatus() != null) {
            for (List<ContainerStatus> statuses : Arrays.asList(pod.getStatus().getContainerStatuses(),
                    pod.getStatus().getInitContainerStatuses(), pod.getStatus().getEphemeralContainerStatuses())) {
                for (ContainerStatus status : statuses == null ? List.<ContainerStatus>of() : statuses) {
                    if (status.getName().equals(containerName) && status.getState() != null
                            && status.getState().getWaiting() != null && status.getState().getWaiting().getReason() != null) {
                        return status.getState().getWaiting().getReason();
                    }
                }
            }
        }
        return "ContainerCreating";
    }

    private Flux<DataBuffer> stream(String containerId, LogQuery query) {
        Flux<byte[]> frames = runtime.logs(containerId, new LogOptions(query.follow(), query.timestamps(), query.tailLines(),
                query.sinceSeconds() == null ? null : clock.instant().minusSeconds(query.sinceSeconds())));
        if (query.limitBytes() != null) {
            AtomicLong left = new AtomicLong(query.limitBytes());
            frames = frames
                    .map(bytes -> {
                        long room = left.get();
                        byte[] part = bytes.length <= room ? bytes : Arrays.copyOf(bytes, (int) room);
                        left.addAndGet(-part.length);
                        return part;
                    })
                    .takeUntil(part -> left.get() <= 0);
        }
        return frames.map(DefaultDataBufferFactory.sharedInstance::wrap);
    }

    /** The kubelet's log options. */
    record LogQuery(boolean follow, boolean previous, boolean timestamps, @Nullable Integer tailLines,
            @Nullable Long sinceSeconds, @Nullable Long limitBytes) {

        static LogQuery of(ServerRequest request) {
            return new LogQuery(
                    flag(request, "follow"),
                    flag(request, "previous"),
                    flag(request, "timestamps"),
                    positive(request, "tailLines", true) == null ? null : positive(request, "tailLines", true).intValue(),
                    positive(request, "sinceSeconds", false),
                    positive(request, "limitBytes", false));
        }

        private static boolean flag(ServerRequest request, String name) {
            return request.queryParam(name).map(v -> v.isEmpty() || v.equalsIgnoreCase("true") || v.equals("1")).orElse(false);
        }

        private static @Nullable Long positive(ServerRequest request, String name, boolean zeroAllowed) {
            Optional<String> raw = request.queryParam(name);
            if (raw.isEmpty() || raw.get().isEmpty()) {
                return null;
            }
            long value;
            try {
                value = Long.parseLong(raw.get());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a number, got \"" + raw.get() + "\"");
            }
            if (value < 0 || (value == 0 && !zeroAllowed)) {
                throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? "zero or more" : "more than zero")
                        + ", got " + value);
            }
            return value;
        }
    }
}
