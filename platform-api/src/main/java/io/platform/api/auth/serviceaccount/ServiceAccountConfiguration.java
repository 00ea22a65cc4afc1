package io.platform.api.auth.serviceaccount;

import io.platform.api.ApiServerProperties;
import io.platform.api.auth.ApiAudiences;
import io.platform.api.auth.AuthenticationProperties;
import io.platform.api.auth.CachedObjects;
import io.platform.api.resource.ResourceStorage;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Wires ServiceAccount tokens: the signing keys in {@code <data-dir>/pki/sa-signing/}, the issuer, the token
 * authenticator (asked first), the TokenRequest route and the issuer's discovery documents. The API server's
 * audiences default to the issuer here, as kube-apiserver's {@code --api-audiences} default to the first
 * {@code --service-account-issuer}.
 */
@Configuration(proxyBeanMethods = false)
public class ServiceAccountConfiguration {

    /** The signing keys' folder under the PKI directory. */
    public static final String SIGNING_KEYS_DIR = "sa-signing";

    @Bean
    ApiAudiences apiAudiences(AuthenticationProperties authentication, ServiceAccountProperties serviceAccounts) {
        return new ApiAudiences(authentication.apiAudiences().isEmpty() ? List.of(serviceAccounts.issuer())
                : authentication.apiAudiences());
    }

    @Bean(destroyMethod = "close")
    SigningKeys serviceAccountSigningKeys(ApiServerProperties api, ServiceAccountProperties properties, Clock clock) {
        SigningKeys keys = SigningKeys.open(api.pkiDir().resolve(SIGNING_KEYS_DIR), clock,
                properties.keyRotationPeriod(), properties.maxTokenExpiration());
        keys.startMaintenance(properties.keyCheckInterval());
        return keys;
    }

    @Bean
    ServiceAccountTokenIssuer serviceAccountTokenIssuer(SigningKeys keys, ServiceAccountProperties properties) {
        return new ServiceAccountTokenIssuer(keys, properties.issuer());
    }

    @Bean
    @Order(0)
    ServiceAccountTokenAuthenticator serviceAccountTokenAuthenticator(SigningKeys keys,
            ServiceAccountProperties properties, ApiAudiences audiences, CachedObjects objects, Clock clock) {
        return new ServiceAccountTokenAuthenticator(keys, properties.issuer(), audiences, objects, clock);
    }

    @Bean
    TokenRequests tokenRequests(ResourceStorage storage, ServiceAccountTokenIssuer issuer, ApiAudiences audiences,
            ServiceAccountProperties properties, Clock clock) {
        return new TokenRequests(storage, issuer, audiences, properties.maxTokenExpiration(), clock);
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RouterFunction<ServerResponse> tokenRequestRoutes(TokenRequests requests, ApiServerProperties api) {
        return TokenRequestRoutes.routes(requests, Math.toIntExact(api.maxRequestBody().toBytes()));
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    RouterFunction<ServerResponse> issuerDiscoveryRoutes(ServiceAccountProperties properties, SigningKeys keys) {
        return IssuerDiscovery.routes(properties.issuer(), properties.effectiveJwksUri(), keys);
    }
}
