package io.platform.api.auth.bootstrap;

import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.auth.CachedObjects;
import io.platform.api.auth.TokenAuthenticator;
import io.platform.api.auth.TokenResult;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authenticates bootstrap tokens ({@code <id>.<secret>}, six and sixteen of {@code [a-z0-9]}), as kube-apiserver's
 * bootstrap token authenticator: the Secret {@code bootstrap-token-<id>} in {@code kube-system} of type
 * {@code bootstrap.kubernetes.io/token} must hold the same id and secret, be marked
 * {@code usage-bootstrap-authentication: "true"}, not have passed its {@code expiration} nor be marked for
 * deletion. The user is {@code system:bootstrap:<id>} in {@code system:bootstrappers} and the Secret's
 * {@code auth-extra-groups}. As upstream, a token that does not match is simply not authenticated (the reason goes
 * to the log, never to the client), and audiences are not checked: the token is good for whatever was asked.
 */
public final class BootstrapTokenAuthenticator implements TokenAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(BootstrapTokenAuthenticator.class);

    public static final String NAMESPACE = "kube-system";
    public static final String SECRET_PREFIX = "bootstrap-token-";
    public static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
    public static final String USER_PREFIX = "system:bootstrap:";
    public static final String GROUP = "system:bootstrappers";

    private static final Pattern TOKEN = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
    private static final Pattern EXTRA_GROUP = Pattern.compile("system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]");
    private static final ResourceType SECRETS = BuiltinResources.find("", "v1", "secrets").orElseThrow();

    private final CachedObjects objects;
    private final Clock clock;

    public BootstrapTokenAuthenticator(CachedObjects objects, Clock clock) {
        this.objects = objects;
        this.clock = clock;
    }

    @Override
    public Mono<TokenResult> authenticate(String token, List<String> audiences) {
        var matcher = TOKEN.matcher(token);
        if (!matcher.matches()) {
            return Mono.just(TokenResult.notRecognised());
        }
        String id = matcher.group(1);
        String secret = matcher.group(2);
        return objects.get(SECRETS, NAMESPACE, SECRET_PREFIX + id)
                .map(found -> found.map(s -> authenticate(s, id, secret, audiences)).orElseGet(() -> {
                    log.debug("no secret {}/{}{} matches bootstrap token {}", NAMESPACE, SECRET_PREFIX, id, id);
                    return TokenResult.notRecognised();
                }));
    }

    private TokenResult authenticate(ObjectNode secret, String id, String tokenSecret, List<String> audiences) {
        String name = SECRET_PREFIX + id;
        if (!secret.path("metadata").path("deletionTimestamp").asString("").isEmpty()) {
            return refused(name, "is deleted and awaiting removal");
        }
        JsonNode data = secret.path("data");
        if (!SECRET_TYPE.equals(secret.path("type").asString("")) || !data.isObject()) {
            return refused(name, "has invalid type, expected " + SECRET_TYPE + ".");
        }
        if (!MessageDigest.isEqual(value(data, "token-secret").getBytes(StandardCharsets.UTF_8),
                tokenSecret.getBytes(StandardCharsets.UTF_8))) {
            return refused(name, "has invalid value for key token-secret.");
        }
        if (!value(data, "token-id").equals(id)) {
            return refused(name, "has invalid value for key token-id.");
        }
        String expiration = value(data, "expiration");
        if (!expiration.isEmpty() && expired(expiration, clock.instant())) {
            return refused(name, "has expired (" + expiration + ").");
        }
        if (!value(data, "usage-bootstrap-authentication").equals("true")) {
            return refused(name, "not marked usage-bootstrap-authentication=true.");
        }
        Optional<List<String>> groups = groups(value(data, "auth-extra-groups"));
        if (groups.isEmpty()) {
            return refused(name, "has invalid value for key auth-extra-groups.");
        }
        return TokenResult.authenticated(new AuthenticatedUser(USER_PREFIX + id, groups.get()), audiences);
    }

    /** As upstream: the reason is logged, the token is merely not authenticated. */
    private static TokenResult refused(String secretName, String reason) {
        log.debug("bootstrap secret {}/{} {}", NAMESPACE, secretName, reason);
        return TokenResult.notRecognised();
    }

    /** An expiration that cannot be read counts as expired, as upstream's HasExpired. */
    private static boolean expired(String expiration, Instant now) {
        try {
            return !now.isBefore(OffsetDateTime.parse(expiration).toInstant());
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    /**
     * {@code system:bootstrappers} then each extra group once, as upstream's GetGroups; empty when one of them is
     * not of the form {@code system:bootstrappers:...}.
     */
    static Optional<List<String>> groups(String extraGroups) {
        List<String> groups = new ArrayList<>(List.of(GROUP));
        if (extraGroups.isEmpty()) {
            return Optional.of(groups);
        }
        for (String raw : extraGroups.split(",")) {
            String group = raw.trim();
            if (!EXTRA_GROUP.matcher(group).matches()) {
                return Optional.empty();
            }
            if (!groups.contains(group)) {
                groups.add(group);
            }
        }
        return Optional.of(groups);
    }

    /** A value of the Secret's data, decoded; "" when absent or not base64. */
    private static String value(JsonNode data, String key) {
        JsonNode encoded = data.path(key);
        if (!encoded.isString()) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(encoded.asString()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
