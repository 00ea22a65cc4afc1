package io.platform.api.admission.serviceaccount;

import io.platform.api.admission.AdmissionOrder;
import io.platform.api.admission.AdmissionPlugin;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.ObjectLookup;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.security.SecureRandom;
import java.util.Random;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * As kube-apiserver's ServiceAccount plugin, on pod creation: {@code serviceAccountName} defaults to {@code default};
 * the account must exist (403 otherwise; looked up in the watch cache, then the store); unless the pod or else the
 * account sets {@code automountServiceAccountToken: false}, a projected volume {@code kube-api-access-xxxxx} (a bound
 * token good for 3607 s, the {@code kube-root-ca.crt} ConfigMap's {@code ca.crt}, the namespace) is added and mounted
 * read-only at {@value #TOKEN_MOUNT_PATH} in every init and app container that mounts nothing there yet; the
 * account's image pull secrets are copied to a pod that has none. Mirror pods are left alone.
 */
@Component
@Order(AdmissionOrder.SERVICE_ACCOUNT)
public final class ServiceAccountAdmission implements AdmissionPlugin {

    static final String DEFAULT_ACCOUNT = "default";
    static final String TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
    static final String VOLUME_PREFIX = "kube-api-access-";
    /** Upstream's WarnOnlyBoundTokenExpirationSeconds: an hour, plus seven seconds that mark the kubelet's default. */
    static final long TOKEN_EXPIRATION_SECONDS = 3607;
    private static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
    private static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    private static final ResourceType SERVICE_ACCOUNTS = BuiltinResources.find("", "v1", "serviceaccounts").orElseThrow();

    private final ObjectLookup lookup;
    private final Random random;

    @Autowired
    public ServiceAccountAdmission(ObjectLookup lookup) {
        this(lookup, new SecureRandom());
    }

    ServiceAccountAdmission(ObjectLookup lookup, Random random) {
        this.lookup = lookup;
        this.random = random;
    }

    @Override
    public String name() {
        return "ServiceAccount";
    }

    @Override
    public void mutate(AdmissionRequest request) {
        if (!request.creates("", "pods") || request.namespace() == null) {
            return;
        }
        ObjectNode pod = request.object();
        if (pod.path("metadata").path("annotations").has(MIRROR_POD_ANNOTATION)) {
            return;
        }
        ObjectNode spec = Json.child(pod, "spec");
        String accountName = spec.path("serviceAccountName").asString("");
        if (accountName.isEmpty()) {
            accountName = DEFAULT_ACCOUNT;
            spec.put("serviceAccountName", accountName);
        }
        String namespace = request.namespace();
        String name = accountName;
        ObjectNode account = lookup.get(SERVICE_ACCOUNTS, namespace, name).orElseThrow(() ->
                ApiException.forbidden(request.type(), request.name(), "error looking up service account "
                        + namespace + "/" + name + ": serviceaccount \"" + name + "\" not found"));
        if (automounts(spec, account)) {
            mountToken(spec);
        }
        if (spec.path("imagePullSecrets").isEmpty() && !account.path("imagePullSecrets").isEmpty()) {
            ArrayNode secrets = spec.putArray("imagePullSecrets");
            account.path("imagePullSecrets").forEach(secret -> secrets.addObject()
                    .put("name", secret.path("name").asString("")));
        }
    }

    /** The pod's own setting wins, then the account's; mounted by default. */
    private static boolean automounts(JsonNode spec, JsonNode account) {
        if (spec.path("automountServiceAccountToken").isBoolean()) {
            return spec.path("automountServiceAccountToken").asBoolean();
        }
        return !account.path("automountServiceAccountToken").isBoolean()
                || account.path("automountServiceAccountToken").asBoolean();
    }

    private void mountToken(ObjectNode spec) {
        String volumeName = null;
        for (JsonNode volume : spec.path("volumes")) {
            if (volume.path("name").asString("").startsWith(VOLUME_PREFIX)) {
                volumeName = volume.path("name").asString("");
                break;
            }
        }
        boolean hasVolume = volumeName != null;
        if (volumeName == null) {
            volumeName = VOLUME_PREFIX + randomSuffix();
        }
        boolean needed = mountInto(spec.path("initContainers"), volumeName);
        needed |= mountInto(spec.path("containers"), volumeName);
        if (needed && !hasVolume) {
            ArrayNode volumes = spec.path("volumes") instanceof ArrayNode existing ? existing : spec.putArray("volumes");
            volumes.add(tokenVolume(volumeName));
        }
    }

    /** Mounts the volume in every container without a mount at the token path; whether any needed it. */
    private static boolean mountInto(JsonNode containers, String volumeName) {
        boolean mounted = false;
        for (JsonNode node : containers) {
            if (!(node instanceof ObjectNode container)) {
                continue;
            }
            boolean occupied = false;
            for (JsonNode mount : container.path("volumeMounts")) {
                occupied |= mount.path("mountPath").asString("").equals(TOKEN_MOUNT_PATH);
            }
            if (!occupied) {
                ArrayNode mounts = container.path("volumeMounts") instanceof ArrayNode existing
                        ? existing : container.putArray("volumeMounts");
                mounts.addObject().put("name", volumeName).put("readOnly", true).put("mountPath", TOKEN_MOUNT_PATH);
                mounted = true;
            }
        }
        return mounted;
    }

    /** The projected volume exactly as upstream's TokenVolumeSource, its default mode set explicitly (0644). */
    static ObjectNode tokenVolume(String name) {
        ObjectNode volume = Json.object().put("name", name);
        ObjectNode projected = volume.putObject("projected");
        ArrayNode sources = projected.putArray("sources");
        sources.addObject().putObject("serviceAccountToken")
                .put("expirationSeconds", TOKEN_EXPIRATION_SECONDS).put("path", "token");
        ObjectNode configMap = sources.addObject().putObject("configMap").put("name", "kube-root-ca.crt");
        configMap.putArray("items").addObject().put("key", "ca.crt").put("path", "ca.crt");
        ObjectNode item = sources.addObject().putObject("downwardAPI").putArray("items").addObject();
        item.putObject("fieldRef").put("apiVersion", "v1").put("fieldPath", "metadata.namespace");
        item.put("path", "namespace");
        projected.put("defaultMode", 420);
        return volume;
    }

    private String randomSuffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            suffix.append(NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length())));
        }
        return suffix.toString();
    }
}
