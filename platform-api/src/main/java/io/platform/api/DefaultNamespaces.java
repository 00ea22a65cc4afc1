package io.platform.api;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import java.util.List;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import tools.jackson.databind.node.ObjectNode;

/** Creates the namespaces every cluster has (default, kube-system, kube-public, kube-node-lease) on start. */
final class DefaultNamespaces implements ApplicationRunner {

    static final List<String> NAMES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final ResourceStorage storage;
    private final Readiness readiness;

    DefaultNamespaces(ResourceStorage storage, Readiness readiness) {
        this.storage = storage;
        this.readiness = readiness;
    }

    @Override
    public void run(ApplicationArguments args) {
        ResourceType namespaces = BuiltinResources.find("", "v1", "namespaces").orElseThrow();
        for (String name : NAMES) {
            ObjectNode namespace = Json.object();
            namespace.put("apiVersion", "v1").put("kind", "Namespace");
            Json.metadata(namespace).put("name", name);
            try {
                storage.create(namespaces, null, namespace, false);
            } catch (ApiException e) {
                if (e.code() != 409) {
                    throw e;
                }
            }
        }
        readiness.namespacesCreated();
    }
}
