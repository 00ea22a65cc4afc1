package io.platform.agent.volume;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bound ServiceAccount tokens for projected volumes, as the kubelet's token manager: requested
 * through TokenRequest ({@code serviceaccounts/{name}/token}) bound to the pod, cached per pod,
 * account, audience and lifetime, and requested again once 80% of the lifetime has passed or the
 * token is a day old.
 */
public final class ServiceAccountTokens {

    private static final Logger log = LoggerFactory.getLogger(ServiceAccountTokens.class);
    /** As the kubelet: a token is refreshed at the latest a day after it was issued. */
    static final Duration MAX_AGE = Duration.ofHours(24);

    record Key(String podUid, String namespace, String serviceAccount, String audience, long expirationSeconds) {}

    /** A token and the window it is valid in. */
    record Issued(String token, Instant issuedAt, Instant expiresAt) {

        /** Past 80% of its lifetime, or older than {@link #MAX_AGE}. */
        boolean needsRefresh(Instant now) {
            Duration lifetime = Duration.between(issuedAt, expiresAt);
            return !now.isBefore(expiresAt.minus(lifetime.dividedBy(5))) || !now.isBefore(issuedAt.plus(MAX_AGE));
        }
    }

    private final KubernetesClient client;
    private final Clock clock;
    private final Map<Key, Issued> cache = new ConcurrentHashMap<>();

    public ServiceAccountTokens(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** A token for the pod's ServiceAccount with this audience (empty: the API server's) and lifetime. */
    String token(Pod pod, String audience, long expirationSeconds) {
        String serviceAccount = serviceAccountName(pod);
        Key key = new Key(pod.getMetadata().getUid(), pod.getMetadata().getNamespace(), serviceAccount, audience, expirationSeconds);
        Instant now = clock.instant();
        Issued current = cache.get(key);
        if (current != null && !current.needsRefresh(now)) {
            return current.token();
        }
        TokenRequest request = new TokenRequestBuilder()
                .withNewSpec()
                .withAudiences(audience.isEmpty() ? List.of() : List.of(audience))
                .withExpirationSeconds(expirationSeconds)
                .withNewBoundObjectRef()
                .withApiVersion("v1").withKind("Pod")
                .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid())
                .endBoundObjectRef()
                .endSpec()
                .build();
        TokenRequest answer = client.serviceAccounts().inNamespace(key.namespace()).withName(serviceAccount).tokenRequest(request);
        if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null) {
            throw new IllegalStateException("the API server answered the TokenRequest for serviceaccount "
                    + key.namespace() + "/" + serviceAccount + " without a token");
        }
        Instant expires = OffsetDateTime.parse(answer.getStatus().getExpirationTimestamp()).toInstant();
        // the server may grant another lifetime than asked for: the refresh point follows what it granted
        Long granted = answer.getSpec() == null ? null : answer.getSpec().getExpirationSeconds();
        Instant issued = granted == null ? now : expires.minusSeconds(granted);
        cache.put(key, new Issued(answer.getStatus().getToken(), issued, expires));
        log.info("Pod {}/{}: {} token for serviceaccount {} (expires {})", pod.getMetadata().getNamespace(),
                pod.getMetadata().getName(), current == null ? "requested a" : "refreshed the", serviceAccount, expires);
        return answer.getStatus().getToken();
    }

    /** Drops the tokens of a pod that is gone. */
    void forget(String podUid) {
        cache.keySet().removeIf(key -> key.podUid().equals(podUid));
    }

    static String serviceAccountName(Pod pod) {
        String name = pod.getSpec().getServiceAccountName();
        return name == null || name.isEmpty() ? "default" : name;
    }
}
