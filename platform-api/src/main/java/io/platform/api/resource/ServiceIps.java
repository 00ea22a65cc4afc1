package io.platform.api.resource;

import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.Store;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Allocates service cluster IPs from 10.96.0.0/12, as kube-apiserver's default service CIDR, by
 * picking a random address no other service holds; the first address (10.96.0.1) stays reserved
 * for the {@code default/kubernetes} service, which asks for it explicitly.
 */
final class ServiceIps {

    private static final int BASE = (10 << 24) | (96 << 16);
    private static final int SIZE = 1 << 20;
    private static final int ATTEMPTS = 64;
    private static final ResourceType SERVICES = BuiltinResources.find("", "v1", "services").orElseThrow();

    private final Store store;
    private final SecureRandom random = new SecureRandom();

    ServiceIps(Store store) {
        this.store = store;
    }

    /** Sets clusterIP(s) and the IPv4 single-stack fields; headless and ExternalName services get none. */
    void assign(ObjectNode service) {
        ObjectNode spec = Json.child(service, "spec");
        if (spec.path("type").asString("").equals("ExternalName")) {
            return;
        }
        String requested = spec.path("clusterIP").asString("");
        if (requested.isEmpty()) {
            requested = free(service);
            spec.put("clusterIP", requested);
        }
        spec.putArray("clusterIPs").add(requested);
        if (!requested.equals("None")) {
            if (!spec.has("ipFamilies")) {
                spec.putArray("ipFamilies").add("IPv4");
            }
            if (!spec.has("ipFamilyPolicy")) {
                spec.put("ipFamilyPolicy", "SingleStack");
            }
        }
    }

    private String free(ObjectNode service) {
        Set<String> used = new HashSet<>();
        for (KeyValue kv : store.list(SERVICES.keyPrefix(), 0, 0, null).items()) {
            used.add(Json.parseObject(kv.value()).path("spec").path("clusterIP").asString(""));
        }
        for (int i = 0; i < ATTEMPTS; i++) {
            int offset = 2 + random.nextInt(SIZE - 3);
            int address = BASE + offset;
            String ip = ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff)
                    + "." + (address & 0xff);
            if (!used.contains(ip)) {
                return ip;
            }
        }
        String name = service.path("metadata").path("name").asString("");
        throw ApiException.invalid(SERVICES, name, List.of(StatusCause.invalid("spec.clusterIPs", "",
                "failed to allocate a service IP: the range is full")));
    }
}
