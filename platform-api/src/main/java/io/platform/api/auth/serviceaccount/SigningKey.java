package io.platform.api.auth.serviceaccount;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;

/**
 * One ServiceAccount signing key: the newest signs, every one still kept verifies.
 *
 * @param keyId the {@code kid} of its tokens and JWKS entry, as kube-apiserver derives it from the public key
 * @param created when it was made; it signs from then until a newer key is made
 */
public record SigningKey(String keyId, Instant created, RSAPrivateKey privateKey, RSAPublicKey publicKey) {

    /** As upstream's keyIDFromPublicKey: unpadded base64url of the SHA-256 of the DER (PKIX) public key. */
    public static String keyId(PublicKey publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
