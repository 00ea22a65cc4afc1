package io.platform.server;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * A bootstrap token {@code <id>.<secret>} (six and sixteen of {@code [a-z0-9]}), its Secret
 * {@code kube-system/bootstrap-token-<id>} as kubeadm writes it, and the detached JWS (HS256, key id = token id, key
 * = token secret) with which the cluster-info ConfigMap proves that the server knows the token, as upstream's
 * bootstrap signer.
 */
record BootstrapToken(String id, String secret) {

    static final String NAMESPACE = "kube-system";
    static final String SECRET_PREFIX = "bootstrap-token-";
    static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
    /** The group every node agent's token adds: the bootstrap RBAC and the CSR approver grant it node rights. */
    static final String NODE_GROUP = "system:bootstrappers:platform:default-node-token";

    private static final Pattern TOKEN = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
    private static final Pattern ID = Pattern.compile("[a-z0-9]{6}");
    private static final String CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789";

    static BootstrapToken generate(SecureRandom random) {
        return new BootstrapToken(random(random, 6), random(random, 16));
    }

    /** A token as given on a command line; throws {@link IllegalArgumentException} saying what form it must have. */
    static BootstrapToken parse(String value) {
        Matcher matcher = TOKEN.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("a bootstrap token has the form [a-z0-9]{6}.[a-z0-9]{16} "
                    + "(e.g. abcdef.0123456789abcdef), not '" + value + "'");
        }
        return new BootstrapToken(matcher.group(1), matcher.group(2));
    }

    static boolean isId(String value) {
        return ID.matcher(value).matches();
    }

    String value() {
        return id + "." + secret;
    }

    static String secretName(String id) {
        return SECRET_PREFIX + id;
    }

    /** The Secret that makes the token valid for authentication and for signing cluster-info. */
    Secret toSecret(@Nullable Instant expiration, @Nullable String description) {
        Map<String, String> data = new LinkedHashMap<>();
        if (description != null && !description.isBlank()) {
            data.put("description", description);
        }
        data.put("token-id", id);
        data.put("token-secret", secret);
        if (expiration != null) {
            data.put("expiration", DateTimeFormatter.ISO_INSTANT.format(expiration.truncatedTo(ChronoUnit.SECONDS)));
        }
        data.put("usage-bootstrap-authentication", "true");
        data.put("usage-bootstrap-signing", "true");
        data.put("auth-extra-groups", NODE_GROUP);
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach((key, value) -> encoded.put(key, base64(value)));
        return new SecretBuilder()
                .withNewMetadata().withName(secretName(id)).withNamespace(NAMESPACE).endMetadata()
                .withType(SECRET_TYPE)
                .withData(encoded)
                .build();
    }

    /** The detached JWS of {@code content}: {@code header..signature}, the payload left out. */
    String sign(String content) {
        String header = base64Url(("{\"alg\":\"HS256\",\"kid\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8));
        String payload = base64Url(content.getBytes(StandardCharsets.UTF_8));
        return header + ".." + base64Url(hmac(header + "." + payload));
    }

    /** Whether {@code detached} is this token's signature of {@code content}, compared in constant time. */
    boolean signed(String content, String detached) {
        return MessageDigest.isEqual(sign(content).getBytes(StandardCharsets.UTF_8),
                detached.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] hmac(String input) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no HmacSHA256: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        // never the secret half: a token printed into a log must not let anyone join
        return "BootstrapToken[" + id + "]";
    }

    private static String random(SecureRandom random, int length) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(CHARACTERS.charAt(random.nextInt(CHARACTERS.length())));
        }
        return value.toString();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
