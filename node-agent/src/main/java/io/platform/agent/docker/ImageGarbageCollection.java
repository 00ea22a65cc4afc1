package io.platform.agent.docker;

import io.platform.agent.AgentProperties;
import io.platform.agent.runtime.ContainerRuntime;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** Runs the image garbage collector every {@code platform.agent.image-gc.interval} when the node's runtime is Docker. */
@Component
class ImageGarbageCollection implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ImageGarbageCollection.class);

    private final @Nullable ImageGarbageCollector collector;
    private final AgentProperties properties;
    private @Nullable ScheduledExecutorService timer;

    ImageGarbageCollection(ContainerRuntime runtime, AgentProperties properties, Clock clock) {
        this.properties = properties;
        this.collector = runtime instanceof DockerRuntime docker
                ? new ImageGarbageCollector(docker.engine(), properties, clock)
                : null;
    }

    @Override
    public void start() {
        if (collector == null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("image-gc").daemon().factory());
        long interval = properties.imageGc().interval().toMillis();
        timer.scheduleWithFixedDelay(this::collect, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void collect() {
        try {
            java.util.Objects.requireNonNull(collector).collect();
        } catch (RuntimeException e) {
            log.warn("Image garbage collection failed: {}", e.getMessage());
        }
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
