package io.platform.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.events.EventRecorder;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.Expectations;
import io.platform.common.reconcile.SharedInformers;
import io.platform.controllers.certificates.CsrApprover;
import io.platform.controllers.certificates.CsrCleaner;
import io.platform.controllers.certificates.CsrSigner;
import io.platform.controllers.deployment.DeploymentReconciler;
import io.platform.controllers.garbagecollector.CollectedTypes;
import io.platform.controllers.garbagecollector.GarbageCollector;
import io.platform.common.reconcile.ReconcileGate;
import io.platform.controllers.replicaset.ReplicaSetReconciler;
import io.platform.controllers.rootca.RootCaPublisher;
import io.platform.controllers.serviceaccount.ServiceAccountsReconciler;
import io.platform.controllers.volume.DefaultStorageClass;
import io.platform.controllers.volume.LocalPathProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every controller of the manager over one set of shared informers; started and stopped together. */
public final class ControllerManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);

    private final SharedInformers informers;
    private final EventRecorder events;
    private final ReconcileGate gate = new ReconcileGate();
    private final Duration shutdownTimeout;
    private final List<Controller> controllers = new ArrayList<>();

    public ControllerManager(KubernetesClient client, ControllersProperties properties, Clock clock) {
        this.informers = new SharedInformers(client, properties.resync());
        this.events = new EventRecorder(client, "controller-manager", clock);
        this.shutdownTimeout = properties.shutdownTimeout();
        Expectations expectations = new Expectations(clock, properties.expectationsTimeout());
        controllers.add(ReplicaSetReconciler.controller(informers,
                gate.guard(new ReplicaSetReconciler(client, informers, expectations, events, clock)), expectations,
                properties.replicaSetWorkers(), properties.backoffBase(), properties.backoffMax()));
        controllers.add(DeploymentReconciler.controller(informers, gate.guard(new DeploymentReconciler(client, informers, events, clock)),
                properties.deploymentWorkers(), properties.backoffBase(), properties.backoffMax()));
        controllers.addAll(GarbageCollector.controllers(client, informers, CollectedTypes.ALL, CollectedTypes.ALL, gate::guard,
                properties.garbageCollectorWorkers(), properties.backoffBase(), properties.backoffMax()));
        // one worker each, as kube-controller-manager runs the serviceaccount controller and the root CA publisher
        controllers.add(ServiceAccountsReconciler.controller(informers, gate.guard(new ServiceAccountsReconciler(client, informers)),
                1, properties.backoffBase(), properties.backoffMax()));
        controllers.add(RootCaPublisher.controller(informers,
                gate.guard(new RootCaPublisher(client, informers, RootCaPublisher.clusterCa(properties.kubeconfig()))),
                1, properties.backoffBase(), properties.backoffMax()));
        addCertificateControllers(client, properties, clock);
        controllers.add(DefaultStorageClass.controller(informers, gate.guard(new DefaultStorageClass(client, informers)),
                properties.backoffBase(), properties.backoffMax()));
        controllers.add(LocalPathProvisioner.controller(informers, gate.guard(new LocalPathProvisioner(client, informers)),
                1, properties.backoffBase(), properties.backoffMax()));
    }

    /** csrapproving, csrsigning (only with signing files, as kube-controller-manager) and csrcleaner. */
    private void addCertificateControllers(KubernetesClient client, ControllersProperties properties, Clock clock) {
        ControllersProperties.Certificates certificates = properties.certificates();
        controllers.add(CsrApprover.controller(informers,
                gate.guard(new CsrApprover(client, informers, certificates.approveKubeletServing(), clock)),
                properties.backoffBase(), properties.backoffMax()));
        if (certificates.signingCertFile() != null && certificates.signingKeyFile() != null) {
            controllers.add(CsrSigner.controller(informers, gate.guard(CsrSigner.fromFiles(client, informers,
                    certificates.signingCertFile(), certificates.signingKeyFile(),
                    certificates.clusterSigningDuration(), certificates.signingBackdate(), clock)),
                    properties.backoffBase(), properties.backoffMax()));
        } else {
            log.info("csrsigning: no platform.controllers.certificates.signing-cert-file and signing-key-file; "
                    + "certificate requests are not signed here");
        }
        controllers.add(CsrCleaner.controller(informers, gate.guard(new CsrCleaner(client, informers,
                new CsrCleaner.Ages(certificates.approvedExpiration(), certificates.deniedExpiration(),
                        certificates.failedExpiration(), certificates.pendingExpiration(),
                        certificates.cleanerInterval()), clock)),
                properties.backoffBase(), properties.backoffMax()));
    }

    public void start() {
        controllers.forEach(Controller::start);
        informers.start();
    }

    public boolean hasSynced() {
        return controllers.stream().allMatch(Controller::hasSynced);
    }

    /**
     * Stops so that nothing is sent on the client afterwards, which its owner closes next: running
     * reconciles finish first, then the workers stop, then the informers once their initial list and
     * watch are under way (fabric8 logs an informer whose first list fails after a stop as an error),
     * and last the events already recorded are written.
     */
    @Override
    public void close() {
        if (!gate.close(shutdownTimeout)) {
            log.info("controller manager: reconciles still running after {}; stopping anyway", shutdownTimeout);
        }
        controllers.forEach(Controller::close);
        informers.close(shutdownTimeout);
        events.close(shutdownTimeout);
    }
}
