package io.platform.controllers.volume;

import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the StorageClass {@code local-path} in the cluster, as a distribution's addon manager keeps its default class
 * ("EnsureExists": created when absent, created again when deleted, never changed once there, so an administrator may
 * take its default annotation away). Claims without a class get it through the DefaultStorageClass admission plugin.
 */
public final class DefaultStorageClass implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(DefaultStorageClass.class);
    public static final String NAME = "local-path";
    static final String DEFAULT_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    private static final ObjectKey KEY = new ObjectKey("", NAME);

    private final KubernetesClient client;
    private final SharedInformers informers;

    public DefaultStorageClass(KubernetesClient client, SharedInformers informers) {
        this.client = client;
        this.informers = informers;
    }

    /** The controller, with its one key queued from the start (there is no event for a class that never existed). */
    public static Controller controller(SharedInformers informers, Reconciler reconciler, Duration backoffBase, Duration backoffMax) {
        Controller controller = Controller.builder("default-storage-class", informers)
                .forType(StorageClass.class, storageClass -> NAME.equals(storageClass.getMetadata().getName()))
                .reconciler(reconciler)
                .workers(1)
                .backoff(backoffBase, backoffMax)
                .build();
        controller.enqueue(KEY);
        return controller;
    }

    @Override
    public Result reconcile(ObjectKey key) {
        if (!KEY.equals(key) || informers.get(StorageClass.class, KEY).isPresent()) {
            return Result.done();
        }
        StorageClass storageClass = new StorageClassBuilder()
                .withNewMetadata().withName(NAME).addToAnnotations(DEFAULT_ANNOTATION, "true").endMetadata()
                .withProvisioner(LocalPathProvisioner.PROVISIONER)
                .withVolumeBindingMode("WaitForFirstConsumer")
                .withReclaimPolicy("Delete")
                .build();
        try {
            client.storage().v1().storageClasses().resource(storageClass).create();
            log.info("storageclass {}: created as the default class", NAME);
        } catch (KubernetesClientException e) {
            // created meanwhile: its event confirms it
            if (e.getCode() != 409) {
                throw e;
            }
        }
        return Result.done();
    }
}
