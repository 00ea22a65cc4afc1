package io.platform.api.kubernetesservice;

import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ResourceStorage;
import io.platform.api.resource.UpdateMode;
import io.platform.api.storage.KeyExistsException;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.RevisionConflictException;
import io.platform.api.storage.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps {@code default/kubernetes}: the Service (ClusterIP the first service address, port 443
 * {@code https} to the API server's port), its Endpoints and its EndpointSlice listing the address of
 * every API server whose lease is current, as kube-apiserver's bootstrap controller with the
 * {@code lease} endpoint reconciler. Each server renews a lease under {@code /platform/apiserver-leases/}
 * every round; leases not renewed within the ttl drop out of the endpoints. Writes go through
 * {@link ResourceStorage}, so watchers see ordinary events.
 */
public final class KubernetesServiceReconciler {

    private static final Logger log = LoggerFactory.getLogger(KubernetesServiceReconciler.class);
    static final String NAMESPACE = "default";
    static final String NAME = "kubernetes";
    static final String PORT_NAME = "https";
    static final String LEASES = "/platform/apiserver-leases/";
    private static final ResourceType SERVICES = BuiltinResources.find("", "v1", "services").orElseThrow();
    private static final ResourceType ENDPOINTS = BuiltinResources.find("", "v1", "endpoints").orElseThrow();
    private static final ResourceType ENDPOINT_SLICES = BuiltinResources.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();

    private final ResourceStorage storage;
    private final Store store;
    private final Clock clock;
    private final KubernetesServiceProperties properties;
    private final String address;
    private final int apiServerPort;

    public KubernetesServiceReconciler(ResourceStorage storage, Clock clock, KubernetesServiceProperties properties,
            String address, int apiServerPort) {
        this.storage = storage;
        this.store = storage.store();
        this.clock = clock;
        this.properties = properties;
        this.address = address;
        this.apiServerPort = apiServerPort;
    }

    /** One round: renew this server's lease, then bring the Service, Endpoints and EndpointSlice to what they should be. */
    public void reconcile() {
        renewLease();
        ensure(SERVICES, service(), KubernetesServiceReconciler::sameService);
        reconcileEndpoints(currentAddresses());
    }

    /**
     * Takes this server out of the endpoints as it stops; the last server leaves them as they are, as
     * upstream refuses to erase every endpoint of the {@code kubernetes} Service.
     */
    public void removeSelf() {
        store.get(leaseKey()).ifPresent(kv -> {
            try {
                store.delete(kv.key(), kv.modRevision());
            } catch (KeyNotFoundException | RevisionConflictException e) {
                // renewed or removed meanwhile: the ttl takes it out
            }
        });
        TreeSet<String> others = currentAddresses();
        if (!others.isEmpty()) {
            reconcileEndpoints(others);
        }
    }

    String address() {
        return address;
    }

    private void reconcileEndpoints(TreeSet<String> addresses) {
        ensure(ENDPOINTS, endpoints(addresses), (current, desired) -> current.path("subsets").equals(desired.path("subsets"))
                && labelsInclude(current, desired));
        ensure(ENDPOINT_SLICES, endpointSlice(addresses), (current, desired) -> current.path("endpoints").equals(desired.path("endpoints"))
                && current.path("ports").equals(desired.path("ports"))
                && current.path("addressType").equals(desired.path("addressType"))
                && labelsInclude(current, desired));
    }

    private void renewLease() {
        ObjectNode lease = Json.object();
        lease.put("address", address).put("port", apiServerPort)
                .put("expires", clock.instant().plus(properties.leaseTtl()).toString());
        byte[] value = Json.bytes(lease);
        Optional<KeyValue> current = store.get(leaseKey());
        try {
            if (current.isEmpty()) {
                store.create(leaseKey(), value);
                log.info("apiserver lease {}: created", address);
            } else {
                store.update(leaseKey(), current.get().modRevision(), value);
            }
        } catch (KeyExistsException | KeyNotFoundException | RevisionConflictException e) {
            // another round of this server raced it; the next round renews it
            log.debug("apiserver lease {}: {}", address, e.toString());
        }
    }

    /** Addresses of every API server whose lease is current; expired leases are deleted on the way. */
    private TreeSet<String> currentAddresses() {
        Instant now = clock.instant();
        TreeSet<String> addresses = new TreeSet<>();
        for (KeyValue kv : store.list(LEASES, 0, 0, null).items()) {
            JsonNode lease = Json.parseObject(kv.value());
            Instant expires = Instant.parse(lease.path("expires").asString(Instant.EPOCH.toString()));
            if (expires.isAfter(now)) {
                addresses.add(lease.path("address").asString());
                continue;
            }
            try {
                store.delete(kv.key(), kv.modRevision());
                log.info("apiserver lease {}: expired, removed from the kubernetes endpoints", lease.path("address").asString());
            } catch (KeyNotFoundException | RevisionConflictException e) {
                // renewed or removed meanwhile
            }
        }
        return addresses;
    }

    private String leaseKey() {
        return LEASES + address;
    }

    /** Creates {@code desired} when missing, or writes its fields over the stored object when {@code same} says they differ. */
    private void ensure(ResourceType type, ObjectNode desired, Matcher same) {
        ObjectNode current;
        try {
            current = storage.get(type, NAMESPACE, NAME);
        } catch (ApiException e) {
            if (e.code() != 404) {
                throw e;
            }
            try {
                storage.create(type, NAMESPACE, desired, false);
            } catch (ApiException created) {
                // 409: created by another server meanwhile; 404/403: the default namespace is not there yet
                if (created.code() != 409 && created.code() != 404 && created.code() != 403) {
                    throw created;
                }
                log.debug("{} {}/{}: not created: {}", type.qualifiedPlural(), NAMESPACE, NAME, created.getMessage());
            }
            return;
        }
        if (same.test(current, desired)) {
            return;
        }
        UnaryOperator<ObjectNode> change = stored -> {
            desired.properties().forEach(field -> {
                if (field.getKey().equals("metadata")) {
                    ObjectNode labels = Json.child(Json.metadata(stored), "labels");
                    desired.path("metadata").path("labels").properties().forEach(label -> labels.set(label.getKey(), label.getValue()));
                } else if (!field.getKey().equals("spec")) {
                    stored.set(field.getKey(), field.getValue());
                }
            });
            if (desired.has("spec")) {
                // only what this reconciler owns: the ClusterIP and anything a user added stay
                ObjectNode spec = Json.child(stored, "spec");
                desired.path("spec").properties().forEach(field -> {
                    if (!field.getKey().equals("clusterIP")) {
                        spec.set(field.getKey(), field.getValue());
                    }
                });
            }
            return stored;
        };
        try {
            storage.update(type, NAMESPACE, NAME, UpdateMode.MAIN, false, change);
            log.info("{} {}/{}: repaired", type.qualifiedPlural(), NAMESPACE, NAME);
        } catch (ApiException e) {
            // deleted meanwhile: the next round creates it
            if (e.code() != 404) {
                throw e;
            }
        }
    }

    @FunctionalInterface
    private interface Matcher {
        boolean test(ObjectNode current, ObjectNode desired);
    }

    private ObjectNode service() {
        ObjectNode service = object("v1", "Service");
        ObjectNode labels = Json.child(Json.metadata(service), "labels");
        labels.put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = Json.child(service, "spec");
        spec.put("type", "ClusterIP").put("clusterIP", properties.clusterIp()).put("sessionAffinity", "None");
        spec.putArray("ports").addObject().put("name", PORT_NAME).put("port", properties.port()).put("protocol", "TCP")
                .put("targetPort", apiServerPort);
        return service;
    }

    /** As upstream's getMasterServiceUpdateIfNeeded: only the ports and the type are put back. */
    private static boolean sameService(ObjectNode current, ObjectNode desired) {
        return current.path("spec").path("ports").equals(desired.path("spec").path("ports"))
                && current.path("spec").path("type").equals(desired.path("spec").path("type"));
    }

    private ObjectNode endpoints(TreeSet<String> addresses) {
        ObjectNode endpoints = object("v1", "Endpoints");
        // the API server writes the EndpointSlice itself; the mirroring controller must leave it alone
        Json.child(Json.metadata(endpoints), "labels").put("endpointslice.kubernetes.io/skip-mirror", "true");
        ObjectNode subset = endpoints.putArray("subsets").addObject();
        ArrayNode list = subset.putArray("addresses");
        addresses.forEach(ip -> list.addObject().put("ip", ip));
        subset.putArray("ports").addObject().put("name", PORT_NAME).put("port", apiServerPort).put("protocol", "TCP");
        return endpoints;
    }

    private ObjectNode endpointSlice(TreeSet<String> addresses) {
        ObjectNode slice = object("discovery.k8s.io/v1", "EndpointSlice");
        Json.child(Json.metadata(slice), "labels").put("kubernetes.io/service-name", NAME);
        slice.put("addressType", addresses.stream().anyMatch(ip -> ip.contains(":")) ? "IPv6" : "IPv4");
        ArrayNode list = slice.putArray("endpoints");
        addresses.forEach(ip -> {
            ObjectNode endpoint = list.addObject();
            endpoint.putArray("addresses").add(ip);
            endpoint.putObject("conditions").put("ready", true);
        });
        slice.putArray("ports").addObject().put("name", PORT_NAME).put("port", apiServerPort).put("protocol", "TCP");
        return slice;
    }

    private static ObjectNode object(String apiVersion, String kind) {
        ObjectNode object = Json.object();
        object.put("apiVersion", apiVersion).put("kind", kind);
        Json.metadata(object).put("name", NAME).put("namespace", NAMESPACE);
        return object;
    }

    private static boolean labelsInclude(JsonNode current, JsonNode desired) {
        JsonNode have = current.path("metadata").path("labels");
        for (var label : desired.path("metadata").path("labels").properties()) {
            if (!have.path(label.getKey()).equals(label.getValue())) {
                return false;
            }
        }
        return true;
    }
}
