package io.platform.api.auth.serviceaccount;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a ServiceAccount token is bound to, as the private {@code kubernetes.io} claim of kube-apiserver's tokens:
 * the ServiceAccount (name and uid) in its namespace, and the Pod or Secret it was requested for, with the Pod's
 * Node. The token stops authenticating when any of them is deleted or replaced by one with another uid.
 */
public record TokenBinding(String namespace, Reference serviceAccount, @Nullable Reference pod,
        @Nullable Reference secret, @Nullable Reference node) {

    /** An object by name and uid; the uid is "" for a Node the API server did not find when it issued the token. */
    public record Reference(String name, String uid) {

        Map<String, Object> claim() {
            Map<String, Object> claim = new LinkedHashMap<>();
            claim.put("name", name);
            if (!uid.isEmpty()) {
                claim.put("uid", uid);
            }
            return claim;
        }

        static @Nullable Reference of(@Nullable Object claim) {
            if (!(claim instanceof Map<?, ?> map) || !(map.get("name") instanceof String name) || name.isEmpty()) {
                return null;
            }
            return new Reference(name, map.get("uid") instanceof String uid ? uid : "");
        }
    }

    /** The {@code kubernetes.io} claim, fields as upstream names them, absent ones left out. */
    Map<String, Object> claim() {
        Map<String, Object> claim = new LinkedHashMap<>();
        claim.put("namespace", namespace);
        claim.put("serviceaccount", serviceAccount.claim());
        if (pod != null) {
            claim.put("pod", pod.claim());
        }
        if (secret != null) {
            claim.put("secret", secret.claim());
        }
        if (node != null) {
            claim.put("node", node.claim());
        }
        return claim;
    }

    /** The binding a {@code kubernetes.io} claim describes; null when it names no namespace and ServiceAccount. */
    static @Nullable TokenBinding of(@Nullable Object claim) {
        if (!(claim instanceof Map<?, ?> map) || !(map.get("namespace") instanceof String namespace)
                || namespace.isEmpty()) {
            return null;
        }
        Reference serviceAccount = Reference.of(map.get("serviceaccount"));
        if (serviceAccount == null) {
            return null;
        }
        return new TokenBinding(namespace, serviceAccount, Reference.of(map.get("pod")), Reference.of(map.get("secret")),
                Reference.of(map.get("node")));
    }
}
