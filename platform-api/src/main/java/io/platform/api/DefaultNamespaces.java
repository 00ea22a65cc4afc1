package io.platform.api;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.namespaces.DefaultServiceAccounts;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import java.util.List;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creates the namespaces every cluster has (default, kube-system, kube-public, kube-node-lease) on start, each with
 * its {@code default} ServiceAccount (also when the namespace was there already, from a store older than that).
 */
final class DefaultNamespaces implements ApplicationRunner {

    static final List<String> NAMES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final ResourceStorage storage;
    private final Readiness readiness;
    private final DefaultServiceAccounts serviceAccounts;

    DefaultNamespaces(ResourceStorage storage, Readiness readiness, DefaultServiceAccounts serviceAccounts) {
        this.storage = storage;
        this.readiness = readiness;
        this.serviceAccounts = serviceAccounts;
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
                serviceAccounts.ensure(name);
            }
        }
        readiness.namespacesCreated();
    }
}
