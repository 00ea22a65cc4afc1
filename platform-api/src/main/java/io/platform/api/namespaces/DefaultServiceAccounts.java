package io.platform.api.namespaces;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.WriteContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creates the {@code default} ServiceAccount of a namespace as soon as the namespace is stored, the part of
 * kube-controller-manager's ServiceAccount controller that pod admission cannot wait for: the ServiceAccount admission
 * plugin refuses pods whose account does not exist, and a namespace's first pod often follows its creation at once.
 * The controller (platform-controllers) keeps recreating it later; whoever comes second meets AlreadyExists. Runs
 * after a namespace create is committed (never for dry runs), hooked into admission for that moment only.
 */
@Component
@Order(AdmissionOrder.SERVICE_ACCOUNT)
public final class DefaultServiceAccounts implements AdmissionPlugin {

    private static final Logger log = LoggerFactory.getLogger(DefaultServiceAccounts.class);
    static final String DEFAULT = "default";
    private static final ResourceType SERVICE_ACCOUNTS = BuiltinResources.find("", "v1", "serviceaccounts").orElseThrow();

    private final ResourceStorage storage;

    public DefaultServiceAccounts(ResourceStorage storage) {
        this.storage = storage;
    }

    @Override
    public String name() {
        return "DefaultServiceAccount";
    }

    @Override
    public void committed(AdmissionRequest request, ObjectNode stored) {
        if (request.creates("", "namespaces")) {
            ensure(request.name());
        }
    }

    /** Creates the namespace's {@code default} ServiceAccount unless it exists. */
    public void ensure(String namespace) {
        ObjectNode account = Json.object().put("apiVersion", "v1").put("kind", "ServiceAccount");
        Json.metadata(account).put("name", DEFAULT);
        try {
            storage.create(SERVICE_ACCOUNTS, namespace, account, false, ManagedFieldsTracker.UNTRACKED,
                    WriteContext.system());
        } catch (ApiException e) {
            if (e.code() != 409) {
                log.warn("could not create the default service account of namespace {}: {}", namespace, e.getMessage());
            }
        }
    }
}
