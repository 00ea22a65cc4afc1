package io.platform.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.platform.agent.AgentProperties;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's container deaths of this node's pods, reported by pod uid so a pod is synced at once
 * instead of at the next resync; reconnects after the engine restarts.
 */
final class EngineEvents implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(EngineEvents.class);

    private final DockerClient docker;
    private final AgentProperties properties;
    private final Consumer<String> podUid;
    private final ScheduledExecutorService reconnects =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("engine-events").daemon().factory());
    private volatile boolean open = true;
    private volatile @Nullable Closeable stream;

    EngineEvents(DockerClient docker, AgentProperties properties, Consumer<String> podUid) {
        this.docker = docker;
        this.properties = properties;
        this.podUid = podUid;
        connect();
    }

    private void connect() {
        if (!open) {
            return;
        }
        try {
            stream = docker.eventsCmd()
                    .withEventTypeFilter(EventType.CONTAINER)
                    .withLabelFilter(Map.of(ClusterContainers.CLUSTER, properties.clusterId(),
                            ClusterContainers.NODE, properties.nodeName()))
                    .withEventFilter("die", "oom", "destroy")
                    .exec(new ResultCallback.Adapter<Event>() {
                        @Override
                        public void onNext(Event event) {
                            if (event.getActor() != null && event.getActor().getAttributes() != null) {
                                String uid = event.getActor().getAttributes().get(ClusterContainers.POD_UID);
                                if (uid != null) {
                                    podUid.accept(uid);
                                }
                            }
                        }

                        @Override
                        public void onError(Throwable error) {
                            reconnect();
                        }

                        @Override
                        public void onComplete() {
                            reconnect();
                        }
                    });
        } catch (RuntimeException e) {
            reconnect();
        }
    }

    private void reconnect() {
        if (open && !reconnects.isShutdown()) {
            reconnects.schedule(this::connect, properties.retryInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        open = false;
        reconnects.shutdownNow();
        Closeable current = stream;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                log.debug("closing the engine event stream failed: {}", e.getMessage());
            }
        }
    }
}
