package io.platform.scheduler.scheduling;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Binds a pod to a node by POSTing a {@code Binding} to the pod's {@code binding} subresource, as
 * kube-scheduler's DefaultBinder. fabric8 only offers the namespace-level {@code bindings}
 * collection, so the subresource is called through the client's raw request support.
 */
public class Binder {

    private final KubernetesClient client;

    public Binder(KubernetesClient client) {
        this.client = client;
    }

    /** @throws KubernetesClientException when the API refuses the binding (e.g. the pod is already bound or gone) */
    public void bind(Pod pod, String nodeName) {
        String namespace = pod.getMetadata().getNamespace();
        String name = pod.getMetadata().getName();
        Binding binding = new BindingBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withUid(pod.getMetadata().getUid()).endMetadata()
                .withNewTarget().withApiVersion("v1").withKind("Node").withName(nodeName).endTarget()
                .build();
        String path = "/api/v1/namespaces/" + namespace + "/pods/" + name + "/binding";
        String response = client.raw(path, "POST", binding);
        if (response == null) {
            throw new KubernetesClientException("pod " + namespace + "/" + name + " not found while binding", 404, null);
        }
    }
}
