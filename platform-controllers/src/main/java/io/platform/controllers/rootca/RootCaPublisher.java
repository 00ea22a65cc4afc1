package io.platform.controllers.rootca;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import io.platform.controllers.everynamespace.EveryNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the cluster CA as the ConfigMap {@code kube-root-ca.crt} (key {@code ca.crt}) in every
 * namespace, as kube-controller-manager's root-ca-cert-publisher: created when a namespace appears,
 * re-created when deleted, its data and description annotation put back when changed, never in a
 * namespace that is terminating. Pods verify the API server with it through their projected
 * {@code kube-api-access-*} volume. Keys are namespace names.
 */
public final class RootCaPublisher implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(RootCaPublisher.class);
    public static final String CONFIG_MAP = "kube-root-ca.crt";
    public static final String KEY = "ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    /** Upstream's wording, so tools that show it read the same. */
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
            + "guaranteed across distributions of Kubernetes clusters.";

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final Supplier<String> rootCa;

    /** @param rootCa the CA bundle to publish now: read at every reconcile, so a rotated CA is published */
    public RootCaPublisher(KubernetesClient client, SharedInformers informers, Supplier<String> rootCa) {
        this.client = client;
        this.informers = informers;
        this.rootCa = rootCa;
    }

    /**
     * The CAs the controller manager's kubeconfig trusts for the API server ({@code certificate-authority-data} or
     * file), as kube-controller-manager falls back to its kubeconfig's CA without {@code --root-ca-file}; read from
     * the file each time, so that after {@code certs rotate-ca} the bundle of old and new CA is published (the
     * informers' resync reaches every namespace), and after {@code --finish} the new CA alone.
     */
    public static Supplier<String> clusterCa(Path kubeconfig) {
        return () -> {
            Config config = KubeconfigClients.config(kubeconfig);
            String ca;
            if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
                ca = new String(Base64.getDecoder().decode(config.getCaCertData().strip()), StandardCharsets.UTF_8);
            } else if (config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
                try {
                    ca = Files.readString(Path.of(config.getCaCertFile()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the cluster CA " + config.getCaCertFile(), e);
                }
            } else {
                throw new IllegalStateException(kubeconfig + " names no certificate authority to publish");
            }
            if (ca.isBlank()) {
                throw new IllegalStateException("the root CA to publish from " + kubeconfig + " is empty");
            }
            return ca;
        };
    }

    /** The controller: namespaces, and every {@code kube-root-ca.crt} ConfigMap mapped to its namespace. */
    public static Controller controller(SharedInformers informers, Reconciler reconciler, int workers,
            Duration backoffBase, Duration backoffMax) {
        return EveryNamespace.controller("root-ca-cert-publisher", informers, ConfigMap.class, List.of(CONFIG_MAP),
                reconciler, workers, backoffBase, backoffMax);
    }

    @Override
    public Result reconcile(ObjectKey key) {
        String namespace = key.name();
        if (EveryNamespace.active(informers, key).isEmpty()) {
            return Result.done();
        }
        Map<String, String> data = Map.of(KEY, rootCa.get());
        ConfigMap current = informers.get(ConfigMap.class, new ObjectKey(namespace, CONFIG_MAP)).orElse(null);
        if (current == null) {
            ConfigMap created = new ConfigMapBuilder()
                    .withNewMetadata().withName(CONFIG_MAP).withNamespace(namespace)
                    .addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION).endMetadata()
                    .withData(data)
                    .build();
            try {
                client.configMaps().inNamespace(namespace).resource(created).create();
                log.info("configmap {}/{}: published the cluster CA", namespace, CONFIG_MAP);
            } catch (KubernetesClientException e) {
                // the cache is behind (409: the update event brings the key back), or the namespace is going away
                if (!EveryNamespace.lostToNamespaceChange(e)) {
                    throw e;
                }
            }
            return Result.done();
        }
        Map<String, String> annotations = current.getMetadata().getAnnotations();
        boolean described = annotations != null && annotations.get(DESCRIPTION_ANNOTATION) != null
                && !annotations.get(DESCRIPTION_ANNOTATION).isEmpty();
        if (data.equals(current.getData()) && described) {
            return Result.done();
        }
        // a copy: the cached object is shared with every other reader of the informer
        ConfigMap repaired = client.getKubernetesSerialization().clone(current);
        repaired.setData(data);
        Map<String, String> newAnnotations = annotations == null ? new HashMap<>() : new HashMap<>(annotations);
        newAnnotations.put(DESCRIPTION_ANNOTATION, DESCRIPTION);
        repaired.getMetadata().setAnnotations(newAnnotations);
        try {
            client.configMaps().inNamespace(namespace).resource(repaired).update();
            log.info("configmap {}/{}: put the cluster CA back", namespace, CONFIG_MAP);
        } catch (KubernetesClientException e) {
            // deleted meanwhile: its delete event brings the key back
            if (e.getCode() != 404) {
                throw e;
            }
        }
        return Result.done();
    }
}
