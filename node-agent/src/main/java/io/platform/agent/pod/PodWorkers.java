package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.platform.agent.AgentProperties;
import io.platform.agent.probe.LifecycleHooks;
import io.platform.agent.probe.PodProbes;
import io.platform.agent.runtime.ContainerInstance;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.common.events.EventRecorder;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Watches the pods bound to this node and syncs each on its own worker: never two syncs of one pod
 * at once, repeated triggers collapse. Triggers: informer events, container deaths in the engine,
 * requested requeues and a periodic resync. Stopping the agent leaves every container running; the
 * next start adopts them by their labels.
 */
@Component
public class PodWorkers implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PodWorkers.class);

    private final KubernetesClient client;
    private final AgentProperties properties;
    private final ContainerRuntime runtime;
    private final PodSync sync;
    private final PodProbes probes;
    private final EventRecorder events;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    private final Set<String> queued = new HashSet<>();
    private final Set<String> active = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private volatile boolean running;
    private @Nullable ExecutorService workers;
    private @Nullable ScheduledExecutorService timers;
    private @Nullable SharedIndexInformer<Pod> informer;
    /** Every service, for the containers' service environment variables (as the kubelet's service informer). */
    private volatile @Nullable SharedIndexInformer<Service> services;
    private volatile @Nullable Closeable engineEvents;

    PodWorkers(KubernetesClient client, ContainerRuntime runtime, AgentProperties properties, Clock clock) {
        this.client = client;
        this.properties = properties;
        this.runtime = runtime;
        this.probes = new PodProbes(runtime, clock, this::enqueue);
        this.events = new EventRecorder(client, "kubelet", clock);
        this.sync = new PodSync(client, runtime, probes, new LifecycleHooks(runtime, clock), events, properties, clock,
                this::knownServices);
    }

    @Override
    public void start() {
        running = true;
        workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("pod-worker-", 0).factory());
        timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("pod-timers").daemon().factory());
        runtime.prepare();
        // started without waiting: until its first list, containers wait instead of the whole agent
        SharedIndexInformer<Service> serviceInformer = client.services().inAnyNamespace().runnableInformer(0);
        serviceInformer.start();
        services = serviceInformer;
        informer = client.pods()
                .inAnyNamespace()
                .withField("spec.nodeName", properties.nodeName())
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        track(pod);
                    }

                    @Override
                    public void onUpdate(Pod oldPod, Pod pod) {
                        track(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        pods.remove(pod.getMetadata().getUid());
                        enqueue(pod.getMetadata().getUid());
                    }
                }, 0);
        engineEvents = runtime.watchExits(this::enqueue);
        long resync = properties.resyncInterval().toMillis();
        timers.scheduleWithFixedDelay(() -> pods.keySet().forEach(this::enqueue), resync, resync, TimeUnit.MILLISECONDS);
        long orphans = properties.orphanInterval().toMillis();
        timers.scheduleWithFixedDelay(this::removeOrphans, 0, orphans, TimeUnit.MILLISECONDS);
        log.info("Node agent {} watching pods bound to it", properties.nodeName());
    }

    @Override
    public void stop() {
        running = false;
        if (informer != null) {
            informer.close();
        }
        SharedIndexInformer<Service> serviceInformer = services;
        if (serviceInformer != null) {
            serviceInformer.close();
        }
        closeEngineEvents();
        if (timers != null) {
            timers.shutdownNow();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        probes.close();
        events.close();
        log.info("Node agent {} stopped; pod containers keep running", properties.nodeName());
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The pod bound to this node with that name, from the informer's cache. */
    public Optional<Pod> pod(String namespace, String name) {
        SharedIndexInformer<Pod> current = informer;
        return current == null ? Optional.empty() : Optional.ofNullable(current.getStore().getByKey(namespace + "/" + name));
    }

    /** The runtime's instances of a pod's containers, newest start first. */
    public List<ContainerInstance> containers(String uid) {
        return runtime.podContainers(uid);
    }

    private Optional<List<Service>> knownServices() {
        SharedIndexInformer<Service> current = services;
        return current == null || !current.hasSynced() ? Optional.empty() : Optional.of(current.getStore().list());
    }

    private void track(Pod pod) {
        String uid = pod.getMetadata().getUid();
        // the field selector already filters; a pod rebound elsewhere is no longer ours all the same
        if (properties.nodeName().equals(pod.getSpec().getNodeName())) {
            pods.put(uid, pod);
        } else {
            pods.remove(uid);
        }
        enqueue(uid);
    }

    void enqueue(String uid) {
        synchronized (this) {
            if (!running || workers == null) {
                return;
            }
            if (active.contains(uid)) {
                dirty.add(uid);
                return;
            }
            if (!queued.add(uid)) {
                return;
            }
        }
        workers.execute(() -> work(uid));
    }

    private void work(String uid) {
        synchronized (this) {
            queued.remove(uid);
            active.add(uid);
        }
        Duration again = null;
        try {
            again = sync.sync(uid, pods.get(uid));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                log.warn("Pod {}: sync failed, retrying in {}: {}", uid, properties.retryInterval(), e.getMessage());
                again = properties.retryInterval();
            }
        } finally {
            boolean rerun;
            synchronized (this) {
                active.remove(uid);
                rerun = dirty.remove(uid);
            }
            if (rerun) {
                enqueue(uid);
            }
        }
        if (again != null && running && timers != null) {
            timers.schedule(() -> enqueue(uid), again.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Removes containers and volumes of pods that are no longer bound here (deleted while the agent was down). */
    private void removeOrphans() {
        SharedIndexInformer<Pod> current = informer;
        if (current == null || !current.hasSynced()) {
            return;
        }
        try {
            Set<String> orphanPods = new HashSet<>();
            runtime.nodeContainerPods().forEach((id, uid) -> {
                if (!pods.containsKey(uid)) {
                    orphanPods.add(uid);
                }
            });
            // volume directories too, as the kubelet's cleanupOrphanedPodDirs: a pod may have had no container left
            sync.podsWithVolumes().stream().filter(uid -> !pods.containsKey(uid)).forEach(orphanPods::add);
            orphanPods.forEach(this::enqueue);
            sync.removeReleasedLocalPaths();
        } catch (RuntimeException e) {
            log.warn("Looking for containers of deleted pods failed: {}", e.getMessage());
        }
    }

    private void closeEngineEvents() {
        Closeable events = engineEvents;
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                log.debug("closing the engine event stream failed: {}", e.getMessage());
            }
        }
    }
}
