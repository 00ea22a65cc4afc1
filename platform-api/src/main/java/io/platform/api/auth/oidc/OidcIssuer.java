package io.platform.api.auth.oidc;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.platform.api.auth.TokenResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * One trusted issuer: its own Spring Security JWT decoder, which finds the issuer's keys through its discovery
 * document on first use (retried on the next token while the issuer is unreachable, so startup never waits for it),
 * caches them and fetches them again when a token names a key it does not know (key rotation); the signature,
 * {@code iss}, {@code exp}/{@code nbf} and {@code aud} checks; then the claim mapping.
 */
final class OidcIssuer {

    private static final Logger log = LoggerFactory.getLogger(OidcIssuer.class);

    private final OidcProperties.Issuer config;
    private final NimbusReactiveJwtDecoder decoder;
    private final ClaimMapping mapping;
    /** Whether discovery and the keys were last fetched; null until the first token. */
    private final AtomicReference<@Nullable Boolean> reachable = new AtomicReference<>();

    OidcIssuer(OidcProperties.Issuer config, Clock clock, Duration clockSkew, Duration timeout) {
        this.config = config;
        this.mapping = new ClaimMapping(config);
        // go-oidc, which kube-apiserver uses, does not look at the typ header either
        this.decoder = NimbusReactiveJwtDecoder.withIssuerLocation(config.issuerUrl())
                .webClient(webClient(config.caFile(), timeout))
                .validateType(false)
                .build();
        JwtTimestampValidator timestamps = new JwtTimestampValidator(clockSkew);
        timestamps.setClock(clock);
        // as go-oidc: an id_token without exp never passes
        timestamps.setAllowEmptyExpiryClaim(false);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                timestamps, new JwtIssuerValidator(config.issuerUrl()), new AudienceValidator(config.audiences())));
    }

    String issuerUrl() {
        return config.issuerUrl();
    }

    /**
     * The user of a token that claims to be from this issuer; rejected with the reason when it is not valid.
     * Audience-agnostic as upstream's OIDC authenticator: the audiences asked about are answered as they are.
     */
    Mono<TokenResult> authenticate(String token, List<String> audiences) {
        return decoder.decode(token)
                .map(jwt -> {
                    reachable(true, "");
                    return TokenResult.authenticated(mapping.user(jwt.getClaims()), audiences);
                })
                .onErrorResume(ClaimMapping.InvalidClaims.class,
                        e -> Mono.just(TokenResult.rejected("oidc: " + e.getMessage())))
                .onErrorResume(e -> {
                    String reason = reason(e);
                    // a token the issuer's keys or the checks refused says nothing about the issuer; anything else
                    // (discovery or keys not fetched) means it cannot be reached
                    reachable(e instanceof BadJwtException, reason);
                    log.debug("token from {} refused: {}", config.issuerUrl(), reason);
                    return Mono.just(TokenResult.rejected("oidc: verify token: " + reason));
                });
    }

    /** Logs when the issuer becomes reachable or unreachable, once per change. */
    private void reachable(boolean now, String reason) {
        Boolean before = reachable.getAndSet(now);
        if (now && !Boolean.TRUE.equals(before)) {
            log.info("OIDC issuer {}: discovery and keys fetched, its id_tokens are verified", config.issuerUrl());
        } else if (!now && !Boolean.FALSE.equals(before)) {
            log.warn("OIDC issuer {} cannot be reached, its id_tokens are refused until it answers: {}",
                    config.issuerUrl(), reason);
        }
    }

    /** What went wrong, for the TokenReview's error: each validation failure, or the chain of causes. */
    static String reason(Throwable error) {
        if (error instanceof JwtValidationException invalid) {
            return invalid.getErrors().stream().map(OAuth2Error::getDescription).collect(Collectors.joining("; "));
        }
        StringBuilder reason = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().strip().replaceAll(":$", "");
            // wrapping exceptions often repeat their cause's message: keep each part once
            if (!message.isEmpty() && reason.indexOf(message) < 0) {
                reason.append(reason.isEmpty() ? "" : ": ").append(message);
            }
        }
        return reason.isEmpty() ? error.getClass().getSimpleName() : reason.toString();
    }

    private static WebClient webClient(@Nullable Path caFile, Duration timeout) {
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .responseTimeout(timeout);
        if (caFile != null) {
            // as --oidc-ca-file: these certificates replace the JVM's trusted roots for this issuer
            SslContext ssl = trusting(caFile);
            http = http.secure(spec -> spec.sslContext(ssl));
        }
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    private static SslContext trusting(Path caFile) {
        try {
            return SslContextBuilder.forClient().trustManager(caFile.toFile()).build();
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException(new IOException("cannot read ca-file " + caFile + ": " + e.getMessage(), e));
        }
    }
}
