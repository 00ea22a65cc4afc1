package io.platform.api.auth.oidc;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The OIDC issuers whose id_tokens the API server accepts ({@code platform.api.oidc.*}), each configured as
 * kube-apiserver's {@code --oidc-*} flags (or one {@code jwt} entry of its structured authentication configuration).
 *
 * @param issuers the trusted issuers; none by default (then no OIDC authenticator exists)
 * @param clockSkew how far a token's {@code exp} and {@code nbf} may be off from this server's clock
 * @param discoveryTimeout how long one fetch of an issuer's discovery document or keys may take
 */
@ConfigurationProperties(OidcProperties.PREFIX)
public record OidcProperties(
        @DefaultValue List<Issuer> issuers,
        @DefaultValue("1m") Duration clockSkew,
        @DefaultValue("10s") Duration discoveryTimeout) {

    static final String PREFIX = "platform.api.oidc";

    public OidcProperties {
        issuers = List.copyOf(issuers);
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException(PREFIX + ".clock-skew must not be negative, got " + clockSkew);
        }
        if (discoveryTimeout.isNegative() || discoveryTimeout.isZero()) {
            throw new IllegalArgumentException(PREFIX + ".discovery-timeout must be positive, got " + discoveryTimeout);
        }
        Set<String> urls = new HashSet<>();
        for (int i = 0; i < issuers.size(); i++) {
            Issuer issuer = issuers.get(i);
            issuer.validate(PREFIX + ".issuers[" + i + "]");
            if (!urls.add(issuer.issuerUrl())) {
                // as kube-apiserver's structured authentication configuration: one entry per issuer
                throw new IllegalArgumentException(PREFIX + ".issuers[" + i + "].issuer-url: duplicate issuer "
                        + issuer.issuerUrl());
            }
        }
    }

    /**
     * One trusted issuer.
     *
     * @param issuerUrl the issuer, exactly as its tokens' {@code iss} claim says; must be https. Its discovery
     *     document is {@code <issuer-url>/.well-known/openid-configuration}
     * @param audiences the client ids the tokens must be meant for: at least one must be in {@code aud}
     *     ({@code --oidc-client-id})
     * @param usernameClaim the claim holding the user name ({@code --oidc-username-claim}, default {@code sub})
     * @param usernamePrefix put before every user name; unset means {@code <issuer-url>#} unless the claim is
     *     {@code email}, {@code -} means none ({@code --oidc-username-prefix})
     * @param groupsClaim the claim holding the groups, a string or a list of strings; unset means no groups
     * @param groupsPrefix put before every group name
     * @param requiredClaims claims every token must carry with exactly these string values
     *     ({@code --oidc-required-claim})
     * @param caFile PEM certificates that sign the issuer's TLS certificate, instead of the JVM's trusted roots
     *     ({@code --oidc-ca-file})
     */
    public record Issuer(
            @Nullable String issuerUrl,
            @DefaultValue List<String> audiences,
            @DefaultValue("sub") String usernameClaim,
            @Nullable String usernamePrefix,
            @Nullable String groupsClaim,
            @DefaultValue("") String groupsPrefix,
            @DefaultValue Map<String, String> requiredClaims,
            @Nullable Path caFile) {

        public Issuer {
            audiences = List.copyOf(audiences);
            requiredClaims = Map.copyOf(requiredClaims);
        }

        /** The issuer URL; only null before {@link #validate(String)} has refused it. */
        @Override
        public String issuerUrl() {
            if (issuerUrl == null) {
                throw new IllegalStateException("issuer-url is not set");
            }
            return issuerUrl;
        }

        /** The prefix actually put before user names, with kube-apiserver's defaulting applied. */
        public String effectiveUsernamePrefix() {
            if (usernamePrefix == null) {
                return usernameClaim.equals("email") ? "" : issuerUrl() + "#";
            }
            return usernamePrefix.equals("-") ? "" : usernamePrefix;
        }

        void validate(String name) {
            if (issuerUrl == null || issuerUrl.isBlank()) {
                throw new IllegalArgumentException(name + ".issuer-url is required");
            }
            try {
                URI uri = new URI(issuerUrl);
                // as kube-apiserver: the issuer must be https, without query, fragment or user info
                if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw new IllegalArgumentException(name + ".issuer-url must be an https URL, got " + issuerUrl);
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                    throw new IllegalArgumentException(
                            name + ".issuer-url must not have a query, fragment or user info, got " + issuerUrl);
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(name + ".issuer-url is not a URL: " + e.getMessage());
            }
            if (audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException(name + ".audiences must list at least one client id, got "
                        + audiences);
            }
            if (usernameClaim.isBlank()) {
                throw new IllegalArgumentException(name + ".username-claim must not be empty");
            }
            if (groupsClaim == null && !groupsPrefix.isEmpty()) {
                throw new IllegalArgumentException(name + ".groups-prefix needs groups-claim");
            }
            if (requiredClaims.keySet().stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException(name + ".required-claims must not have an empty claim name");
            }
        }
    }
}
