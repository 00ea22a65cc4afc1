package io.platform.controllers;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.events.EventRecorder;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.Expectations;
import io.platform.common.reconcile.SharedInformers;
import io.platform.controllers.deployment.DeploymentReconciler;
import io.platform.controllers.garbagecollector.GarbageCollector;
import io.platform.controllers.replicaset.ReplicaSetReconciler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Every controller of the manager over one set of shared informers; started and stopped together. */
public final class ControllerManager implements AutoCloseable {

    private static final List<Class<? extends HasMetadata>> DEPENDENT_TYPES = List.of(ReplicaSet.class, Pod.class);
    private static final List<Class<? extends HasMetadata>> OWNER_TYPES = List.of(Deployment.class, ReplicaSet.class);

    private final SharedInformers informers;
    private final EventRecorder events;
    private final List<Controller> controllers = new ArrayList<>();

    public ControllerManager(KubernetesClient client, ControllersProperties properties, Clock clock) {
        this.informers = new SharedInformers(client, properties.resync());
        this.events = new EventRecorder(client, "controller-manager", clock);
        Expectations expectations = new Expectations(clock, properties.expectationsTimeout());
        controllers.add(ReplicaSetReconciler.controller(informers,
                new ReplicaSetReconciler(client, informers, expectations, events, clock), expectations,
                properties.replicaSetWorkers(), properties.backoffBase(), properties.backoffMax()));
        controllers.add(DeploymentReconciler.controller(informers, new DeploymentReconciler(client, informers, events, clock),
                properties.deploymentWorkers(), properties.backoffBase(), properties.backoffMax()));
        controllers.addAll(GarbageCollector.controllers(client, informers, DEPENDENT_TYPES, OWNER_TYPES,
                properties.garbageCollectorWorkers(), properties.backoffBase(), properties.backoffMax()));
    }

    public void start() {
        controllers.forEach(Controller::start);
        informers.start();
    }

    public boolean hasSynced() {
        return controllers.stream().allMatch(Controller::hasSynced);
    }

    @Override
    public void close() {
        controllers.forEach(Controller::close);
        informers.close();
        events.close();
    }
}
