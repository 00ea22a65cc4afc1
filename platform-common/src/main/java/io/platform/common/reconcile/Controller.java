package io.platform.common.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link Reconciler}: informer events become keys in a {@link WorkQueue}, and a few worker
 * threads take keys and reconcile them once every informer the controller uses has synced. Built
 * with {@link #builder}, which says what is watched; the reconciler says what is done.
 */
public final class Controller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private final String name;
    private final SharedInformers informers;
    private final Reconciler reconciler;
    private final WorkQueue<ObjectKey> queue;
    private final int workers;
    private final Duration syncPollInterval;
    private final List<Class<? extends HasMetadata>> watchedTypes;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Runnable> registrations;

    private Controller(Builder builder) {
        this.name = builder.name;
        this.informers = builder.informers;
        this.reconciler = Objects.requireNonNull(builder.reconciler, "reconciler");
        this.workers = builder.workers;
        this.syncPollInterval = builder.syncPollInterval;
        this.queue = new WorkQueue<>(name, new ExponentialBackoff<>(builder.backoffBase, builder.backoffMax), builder.registry);
        this.watchedTypes = List.copyOf(builder.watchedTypes);
        this.registrations = List.copyOf(builder.registrations);
    }

    public static Builder builder(String name, SharedInformers informers) {
        return new Builder(name, informers);
    }

    public String name() {
        return name;
    }

    /** The queue, for callers that enqueue keys themselves (e.g. on a timer). */
    public WorkQueue<ObjectKey> queue() {
        return queue;
    }

    public void enqueue(ObjectKey key) {
        queue.add(key);
    }

    /** Registers the event handlers and starts the workers; they wait for the informers to sync. */
    public synchronized void start() {
        registrations.forEach(Runnable::run);
        for (int i = 0; i < workers; i++) {
            Thread thread = Thread.ofPlatform().daemon().name(name + "-worker-" + i).start(this::work);
            threads.add(thread);
        }
    }

    public boolean hasSynced() {
        return informers.hasSynced(watchedTypes);
    }

    private void work() {
        try {
            while (!hasSynced()) {
                if (queue.isShuttingDown()) {
                    return;
                }
                TimeUnit.NANOSECONDS.sleep(syncPollInterval.toNanos());
            }
            while (true) {
                ObjectKey key = queue.take();
                if (key == null) {
                    return;
                }
                long started = System.nanoTime();
                try {
                    handle(key, reconciler.reconcile(key));
                } catch (TerminalReconcileException e) {
                    log.warn("{}: giving up on {}: {}", name, key, e.getMessage());
                    queue.forget(key);
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 409) {
                        log.info("{}: conflict on {}, retrying: {}", name, key, e.getMessage());
                    } else {
                        log.warn("{}: reconcile of {} failed, retrying: {}", name, key, e.getMessage());
                    }
                    queue.addRateLimited(key);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (Exception e) {
                    log.warn("{}: reconcile of {} failed, retrying: {}", name, key, e.toString());
                    log.debug("{}: reconcile failure of {}", name, key, e);
                    queue.addRateLimited(key);
                } finally {
                    queue.done(key, started);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(ObjectKey key, Result result) {
        switch (result.kind()) {
            case DONE -> queue.forget(key);
            case REQUEUE -> queue.addRateLimited(key);
            case REQUEUE_AFTER -> {
                queue.forget(key);
                queue.addAfter(key, Objects.requireNonNull(result.delay()));
            }
        }
    }

    @Override
    public synchronized void close() {
        queue.shutDown();
        threads.forEach(Thread::interrupt);
        threads.clear();
    }

    /** Says what a controller watches and how events map to keys of its primary type. */
    public static final class Builder {

        private final String name;
        private final SharedInformers informers;
        private final List<Class<? extends HasMetadata>> watchedTypes = new ArrayList<>();
        private final List<Runnable> registrations = new ArrayList<>();
        private @Nullable Class<? extends HasMetadata> primary;
        private @Nullable Reconciler reconciler;
        private @Nullable Expectations expectations;
        private int workers = 1;
        private Duration backoffBase = Duration.ofMillis(5);
        private Duration backoffMax = Duration.ofSeconds(60);
        private Duration syncPollInterval = Duration.ofMillis(50);
        private MeterRegistry registry = new SimpleMeterRegistry();
        // registrations run at start(), after the controller exists, so handlers can reach its queue
        private @Nullable Controller controller;

        private Builder(String name, SharedInformers informers) {
            this.name = name;
            this.informers = informers;
        }

        /** The primary type: every event on it enqueues the object's own key. */
        public <T extends HasMetadata> Builder forType(Class<T> type) {
            return forType(type, object -> true);
        }

        /** The primary type, enqueuing only objects that pass the filter (e.g. the scheduler's unscheduled pods). */
        public <T extends HasMetadata> Builder forType(Class<T> type, Predicate<? super T> filter) {
            this.primary = type;
            return watches(type, object -> filter.test(object) ? List.of(ObjectKey.of(object)) : List.of());
        }

        /**
         * Objects of this type controlled by the primary type: events enqueue the key of the owner named
         * by their controller reference, and, with {@link #expectations}, count as observed creations and
         * deletions of that owner.
         */
        public <T extends HasMetadata> Builder owns(Class<T> type) {
            Class<? extends HasMetadata> owner = Objects.requireNonNull(primary, "forType must come before owns");
            watchedTypes.add(type);
            registrations.add(() -> informers.informer(type).addEventHandler(new ResourceEventHandler<T>() {
                @Override
                public void onAdd(T object) {
                    ownerKey(owner, object).ifPresent(key -> {
                        if (expectations != null) {
                            expectations.creationObserved(key);
                        }
                        controller().enqueue(key);
                    });
                }

                @Override
                public void onUpdate(T oldObject, T newObject) {
                    Optional<ObjectKey> oldKey = ownerKey(owner, oldObject);
                    Optional<ObjectKey> newKey = ownerKey(owner, newObject);
                    if (expectations != null && newKey.isPresent() && newObject.getMetadata().getDeletionTimestamp() != null
                            && oldObject.getMetadata().getDeletionTimestamp() == null) {
                        // as kube-controller-manager: a graceful deletion counts as observed once it starts
                        expectations.deletionObserved(newKey.get(), ObjectKey.of(newObject));
                    }
                    oldKey.filter(key -> !key.equals(newKey.orElse(null))).ifPresent(controller()::enqueue);
                    newKey.ifPresent(controller()::enqueue);
                }

                @Override
                public void onDelete(T object, boolean finalStateUnknown) {
                    ownerKey(owner, object).ifPresent(key -> {
                        if (expectations != null) {
                            expectations.deletionObserved(key, ObjectKey.of(object));
                        }
                        controller().enqueue(key);
                    });
                }
            }));
            return this;
        }

        /** Any other type, mapped to the keys of primary objects it concerns. */
        public <T extends HasMetadata> Builder watches(Class<T> type, Function<? super T, ? extends Collection<ObjectKey>> mapper) {
            watchedTypes.add(type);
            registrations.add(() -> informers.informer(type).addEventHandler(new ResourceEventHandler<T>() {
                @Override
                public void onAdd(T object) {
                    mapper.apply(object).forEach(controller()::enqueue);
                }

                @Override
                public void onUpdate(T oldObject, T newObject) {
                    Set<ObjectKey> keys = new LinkedHashSet<>(mapper.apply(oldObject));
                    keys.addAll(mapper.apply(newObject));
                    keys.forEach(controller()::enqueue);
                }

                @Override
                public void onDelete(T object, boolean finalStateUnknown) {
                    mapper.apply(object).forEach(controller()::enqueue);
                }
            }));
            return this;
        }

        public Builder expectations(Expectations expectations) {
            this.expectations = expectations;
            return this;
        }

        public Builder reconciler(Reconciler reconciler) {
            this.reconciler = reconciler;
            return this;
        }

        public Builder workers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("a controller needs at least one worker, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        public Builder backoff(Duration base, Duration max) {
            this.backoffBase = base;
            this.backoffMax = max;
            return this;
        }

        public Builder syncPollInterval(Duration interval) {
            this.syncPollInterval = interval;
            return this;
        }

        public Builder metrics(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Controller build() {
            if (primary == null) {
                throw new IllegalStateException("controller " + name + " has no primary type (forType)");
            }
            controller = new Controller(this);
            // informers are created now, so SharedInformers.start() starts them with the others
            watchedTypes.forEach(informers::informer);
            return controller;
        }

        private Controller controller() {
            return Objects.requireNonNull(controller);
        }

        private static Optional<ObjectKey> ownerKey(Class<? extends HasMetadata> ownerType, HasMetadata object) {
            return OwnerReferences.controllerOf(object)
                    .filter(ref -> OwnerReferences.refersTo(ref, ownerType))
                    .map(OwnerReference::getName)
                    .map(ownerName -> new ObjectKey(object.getMetadata().getNamespace(), ownerName));
        }
    }
}
