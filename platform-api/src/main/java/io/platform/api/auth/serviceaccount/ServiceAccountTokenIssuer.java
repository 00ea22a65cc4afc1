package io.platform.api.auth.serviceaccount;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Signs ServiceAccount tokens with the newest signing key, with kube-apiserver's claims: {@code iss}, {@code sub}
 * {@code system:serviceaccount:NS:NAME}, {@code aud}, {@code exp}, {@code iat}, {@code nbf}, {@code jti} and the
 * private {@code kubernetes.io} claim naming what the token is bound to.
 */
public final class ServiceAccountTokenIssuer {

    /** The private claim holding the {@link TokenBinding}. */
    static final String KUBERNETES_CLAIM = "kubernetes.io";

    private final SigningKeys keys;
    private final String issuer;

    public ServiceAccountTokenIssuer(SigningKeys keys, String issuer) {
        this.keys = keys;
        this.issuer = issuer;
    }

    public String issuer() {
        return issuer;
    }

    /** A token valid from {@code now} for {@code lifetime} (whole seconds, as JWT times are). */
    public String issue(TokenBinding binding, List<String> audiences, Instant now, Duration lifetime) {
        Instant issuedAt = now.truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(ServiceAccountNames.username(binding.namespace(), binding.serviceAccount().name()))
                .audience(audiences)
                .expirationTime(Date.from(issuedAt.plus(lifetime)))
                .issueTime(Date.from(issuedAt))
                .notBeforeTime(Date.from(issuedAt))
                .jwtID(UUID.randomUUID().toString())
                .claim(KUBERNETES_CLAIM, binding.claim())
                .build();
        SigningKey key = keys.signing();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.keyId()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a ServiceAccount token with key " + key.keyId(), e);
        }
        return jwt.serialize();
    }
}
