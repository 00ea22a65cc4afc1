package io.platform.common.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about objects from one component. Like client-go's recorder, writes happen
 * off the caller's thread and never fail the caller; an event repeated with the same reason and
 * message on the same object bumps {@code count} and {@code lastTimestamp} of the first one.
 */
public final class EventRecorder implements AutoCloseable {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
    private static final int MAX_AGGREGATED = 4096;

    private final KubernetesClient client;
    private final String component;
    private final Clock clock;
    private final ExecutorService writer;
    private final Map<String, String> eventNames = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_AGGREGATED;
        }
    };

    public EventRecorder(KubernetesClient client, String component, Clock clock) {
        this.client = client;
        this.component = component;
        this.clock = clock;
        this.writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "events-" + component);
            thread.setDaemon(true);
            return thread;
        });
    }

    public void normal(HasMetadata object, String reason, String message) {
        record(object, NORMAL, reason, message);
    }

    public void warning(HasMetadata object, String reason, String message) {
        record(object, WARNING, reason, message);
    }

    public void record(HasMetadata object, String type, String reason, String message) {
        // snapshot what we need now: the object may be a cache entry that changes later
        String namespace = Objects.requireNonNullElse(object.getMetadata().getNamespace(), "default");
        var involved = new ObjectReferenceBuilder()
                .withApiVersion(object.getApiVersion())
                .withKind(object.getKind())
                .withNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName())
                .withUid(object.getMetadata().getUid())
                .withResourceVersion(object.getMetadata().getResourceVersion())
                .build();
        String aggregationKey = String.join("\u0000", namespace, String.valueOf(involved.getUid()),
                involved.getKind(), involved.getName(), type, reason, message);
        Instant now = clock.instant();
        try {
            writer.execute(() -> write(namespace, involved, aggregationKey, type, reason, message, now));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            log.debug("event recorder closed; dropped {} {} for {}", type, reason, involved.getName());
        }
    }

    private void write(String namespace, io.fabric8.kubernetes.api.model.ObjectReference involved, String aggregationKey,
            String type, String reason, String message, Instant now) {
        String timestamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        try {
            String existingName;
            synchronized (eventNames) {
                existingName = eventNames.get(aggregationKey);
            }
            if (existingName != null) {
                Event existing = client.v1().events().inNamespace(namespace).withName(existingName).get();
                if (existing != null) {
                    int count = existing.getCount() == null ? 1 : existing.getCount();
                    Event updated = new EventBuilder(existing).withCount(count + 1).withLastTimestamp(timestamp).build();
                    client.v1().events().inNamespace(namespace).resource(updated).update();
                    return;
                }
            }
            String name = involved.getName() + "." + Long.toHexString(now.toEpochMilli() * 1_000_000L
                    + ThreadLocalRandom.current().nextInt(1_000_000));
            Event event = new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                    .withInvolvedObject(involved)
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message)
                    .withNewSource().withComponent(component).endSource()
                    .withReportingComponent(component)
                    .withFirstTimestamp(timestamp)
                    .withLastTimestamp(timestamp)
                    .withCount(1)
                    .build();
            client.v1().events().inNamespace(namespace).resource(event).create();
            synchronized (eventNames) {
                eventNames.put(aggregationKey, name);
            }
        } catch (KubernetesClientException e) {
            log.warn("could not write event {} {} for {}/{}: {}", type, reason, namespace, involved.getName(), e.getMessage());
        }
    }

    @Override
    public void close() {
        writer.shutdown();
    }

    /**
     * Stops taking events and waits up to {@code timeout} for the queued ones to be written, so that a
     * component stopping does not close its client under them; what is still queued then is dropped.
     */
    public void close(Duration timeout) {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                log.info("{}: dropped the events still queued after {}", component, timeout);
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writer.shutdownNow();
        }
    }
}
