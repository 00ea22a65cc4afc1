package io.platform.api.auth.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.platform.api.auth.ApiAudiences;
import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.auth.CachedObjects;
import io.platform.api.auth.TokenAuthenticator;
import io.platform.api.auth.TokenResult;
import io.platform.common.golang.GoSyntax;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authenticates ServiceAccount tokens, as kube-apiserver's ServiceAccount JWT authenticator with its bound-token
 * validator: a JWT of this issuer (others are left to the next authenticator) signed with one of the current
 * signing keys, meant for one of the audiences asked about (the API server's when none are), within its validity
 * (a minute of leeway for clock skew), whose ServiceAccount and bound Pod or Secret still exist with the uids the
 * token names. Objects are read from the watch cache off the event loop. The user is
 * {@code system:serviceaccount:NS:NAME} with the ServiceAccount's uid, its groups, and upstream's extra attributes
 * for the bound pod, its node and the token's id.
 */
public final class ServiceAccountTokenAuthenticator implements TokenAuthenticator {

    /** As go-jose's DefaultLeeway, which kube-apiserver validates exp, nbf and iat with. */
    static final Duration LEEWAY = Duration.ofMinutes(1);

    public static final String POD_NAME_EXTRA = "authentication.kubernetes.io/pod-name";
    public static final String POD_UID_EXTRA = "authentication.kubernetes.io/pod-uid";
    public static final String NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";
    public static final String NODE_UID_EXTRA = "authentication.kubernetes.io/node-uid";
    public static final String CREDENTIAL_ID_EXTRA = "authentication.kubernetes.io/credential-id";

    static final ResourceType SERVICE_ACCOUNTS = BuiltinResources.find("", "v1", "serviceaccounts").orElseThrow();
    static final ResourceType PODS = BuiltinResources.find("", "v1", "pods").orElseThrow();
    static final ResourceType SECRETS = BuiltinResources.find("", "v1", "secrets").orElseThrow();

    private final SigningKeys keys;
    private final String issuer;
    private final ApiAudiences apiAudiences;
    private final CachedObjects objects;
    private final Clock clock;

    public ServiceAccountTokenAuthenticator(SigningKeys keys, String issuer, ApiAudiences apiAudiences,
            CachedObjects objects, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.apiAudiences = apiAudiences;
        this.objects = objects;
        this.clock = clock;
    }

    @Override
    public Mono<TokenResult> authenticate(String token, List<String> audiences) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Mono.just(TokenResult.notRecognised());
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm()) || !issuer.equals(claims.getIssuer())) {
            // another issuer's token (an OIDC id_token, say): the next authenticator may know it
            return Mono.just(TokenResult.notRecognised());
        }
        if (!signedByCurrentKey(jwt)) {
            return Mono.just(TokenResult.rejected(
                    "invalid signature: the token is not signed by any current ServiceAccount signing key"));
        }
        List<String> tokenAudiences = claims.getAudience().isEmpty() ? apiAudiences.values() : claims.getAudience();
        List<String> requested = audiences.isEmpty() ? apiAudiences.values() : audiences;
        List<String> granted = tokenAudiences.stream().filter(requested::contains).distinct().toList();
        if (granted.isEmpty()) {
            return Mono.just(TokenResult.rejected("token audiences " + goList(tokenAudiences)
                    + " is invalid for the target audiences " + goList(requested)));
        }
        Instant now = clock.instant();
        String timeError = timeError(claims, now);
        if (timeError != null) {
            return Mono.just(TokenResult.rejected(timeError));
        }
        TokenBinding binding = TokenBinding.of(claims.getClaim(ServiceAccountTokenIssuer.KUBERNETES_CLAIM));
        if (binding == null) {
            return Mono.just(TokenResult.rejected("service account token claims could not be validated"));
        }
        String jti = claims.getJWTID() == null ? "" : claims.getJWTID();
        return bound(binding, now).map(error -> error.isEmpty()
                ? TokenResult.authenticated(user(binding, jti), granted)
                : TokenResult.rejected(error));
    }

    private boolean signedByCurrentKey(SignedJWT jwt) {
        String keyId = jwt.getHeader().getKeyID();
        List<SigningKey> candidates = keyId == null ? keys.all() : keys.find(keyId).map(List::of).orElse(keys.all());
        for (SigningKey key : candidates) {
            try {
                if (jwt.verify(new RSASSAVerifier(key.publicKey()))) {
                    return true;
                }
            } catch (JOSEException e) {
                // a key that cannot check this token is no match; the next one may be
            }
        }
        return false;
    }

    /** As go-jose's claim validation with leeway, in kube-apiserver's words. */
    private static @Nullable String timeError(JWTClaimsSet claims, Instant now) {
        if (isAfter(now, claims.getExpirationTime(), LEEWAY)) {
            return "service account token has expired";
        }
        if (isBefore(now, claims.getNotBeforeTime(), LEEWAY)) {
            return "service account token is not valid yet";
        }
        if (isBefore(now, claims.getIssueTime(), LEEWAY)) {
            return "service account token is issued in the future";
        }
        return null;
    }

    private static boolean isAfter(Instant now, @Nullable Date limit, Duration leeway) {
        return limit != null && now.isAfter(limit.toInstant().plus(leeway));
    }

    private static boolean isBefore(Instant now, @Nullable Date start, Duration leeway) {
        return start != null && now.isBefore(start.toInstant().minus(leeway));
    }

    /**
     * "" when the ServiceAccount and the bound objects still exist as the token names them, else why not, as
     * upstream's bound-token validator words it. Objects deleted (marked for deletion) more than the leeway ago
     * count as gone.
     */
    private Mono<String> bound(TokenBinding binding, Instant now) {
        String namespace = binding.namespace();
        Mono<Optional<ObjectNode>> pod = binding.pod() == null ? Mono.just(Optional.empty())
                : objects.get(PODS, namespace, binding.pod().name(), binding.pod().uid());
        Mono<Optional<ObjectNode>> secret = binding.secret() == null ? Mono.just(Optional.empty())
                : objects.get(SECRETS, namespace, binding.secret().name(), binding.secret().uid());
        return Mono.zip(objects.get(SERVICE_ACCOUNTS, namespace, binding.serviceAccount().name(),
                        binding.serviceAccount().uid()), pod, secret)
                .map(found -> {
                    Instant deletedBefore = now.minus(LEEWAY);
                    TokenBinding.Reference sa = binding.serviceAccount();
                    if (found.getT1().isEmpty()) {
                        return "serviceaccounts " + GoSyntax.quote(sa.name()) + " not found";
                    }
                    String saUid = uid(found.getT1().get());
                    if (!saUid.equals(sa.uid())) {
                        return "service account UID (" + saUid + ") does not match claim (" + sa.uid() + ")";
                    }
                    if (deletedBefore(found.getT1().get(), deletedBefore)) {
                        return "service account " + namespace + "/" + sa.name() + " has been deleted";
                    }
                    String secretError = boundObjectError("secret", binding.secret(), found.getT3(), deletedBefore);
                    if (!secretError.isEmpty()) {
                        return secretError;
                    }
                    return boundObjectError("pod", binding.pod(), found.getT2(), deletedBefore);
                });
    }

    private static String boundObjectError(String kind, TokenBinding.@Nullable Reference reference,
            Optional<ObjectNode> found, Instant deletedBefore) {
        if (reference == null) {
            return "";
        }
        if (found.isEmpty() || deletedBefore(found.get(), deletedBefore)) {
            return "service account token has been invalidated";
        }
        String uid = uid(found.get());
        if (!uid.equals(reference.uid())) {
            return kind + " UID (" + uid + ") does not match service account " + kind + " ref claim ("
                    + reference.uid() + ")";
        }
        return "";
    }

    private static String uid(ObjectNode object) {
        return object.path("metadata").path("uid").asString("");
    }

    private static boolean deletedBefore(ObjectNode object, Instant limit) {
        String deletion = object.path("metadata").path("deletionTimestamp").asString("");
        if (deletion.isEmpty()) {
            return false;
        }
        try {
            return Instant.parse(deletion).isBefore(limit);
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** As upstream's ServiceAccountInfo.UserInfo. */
    static AuthenticatedUser user(TokenBinding binding, String jti) {
        Map<String, List<String>> extra = new LinkedHashMap<>();
        TokenBinding.Reference pod = binding.pod();
        if (pod != null && !pod.uid().isEmpty()) {
            extra.put(POD_NAME_EXTRA, List.of(pod.name()));
            extra.put(POD_UID_EXTRA, List.of(pod.uid()));
        }
        if (!jti.isEmpty()) {
            extra.put(CREDENTIAL_ID_EXTRA, List.of("JTI=" + jti));
        }
        TokenBinding.Reference node = binding.node();
        if (node != null) {
            extra.put(NODE_NAME_EXTRA, List.of(node.name()));
            if (!node.uid().isEmpty()) {
                extra.put(NODE_UID_EXTRA, List.of(node.uid()));
            }
        }
        return new AuthenticatedUser(ServiceAccountNames.username(binding.namespace(), binding.serviceAccount().name()),
                binding.serviceAccount().uid(), ServiceAccountNames.groups(binding.namespace()), extra);
    }

    /** A list as Go's %q prints a []string: {@code ["a" "b"]}. */
    private static String goList(List<String> values) {
        return values.stream().map(GoSyntax::quote).collect(Collectors.joining(" ", "[", "]"));
    }
}
