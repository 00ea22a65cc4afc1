package io.platform.common.client;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the fabric8 clients our own components use, always from the platform's own kubeconfig
 * and never from {@code ~/.kube/config}, {@code KUBECONFIG} or system properties of whoever runs
 * the process.
 */
public final class KubeconfigClients {

    private KubeconfigClients() {}

    public static KubernetesClient fromFile(Path kubeconfig) {
        return new KubernetesClientBuilder().withConfig(config(kubeconfig)).build();
    }

    public static Config config(Path kubeconfig) {
        String content;
        try {
            content = Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
        }
        Config config = Config.fromKubeconfig(null, content, null);
        config.setAutoConfigure(false);
        return config;
    }
}
