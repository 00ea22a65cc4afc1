package io.platform.server.identity;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.platform.api.pki.ClusterPki;
import java.time.Clock;
import java.util.List;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;

/**
 * Spring Authorization Server for people: OIDC, authorization code with PKCE (loopback redirects on
 * any port, RFC 8252), the device flow, refresh tokens, and a form login against the local users.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class AuthorizationServerConfiguration {

    /** Scopes the public client may ask for; {@code groups} and {@code offline_access} as Dex names them. */
    static final List<String> SCOPES = List.of(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL, "groups",
            "offline_access");
    static final String DEVICE_VERIFICATION_ENDPOINT = "/oauth2/device_verification";
    static final String DEVICE_AUTHORIZATION_ENDPOINT = "/oauth2/device_authorization";

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerEndpoints(HttpSecurity http, RegisteredClientRepository clients,
            OAuth2AuthorizationService authorizations, OAuth2TokenGenerator<?> tokens) throws Exception {
        http.oauth2AuthorizationServer(server -> {
            http.securityMatcher(server.getEndpointsMatcher());
            server.oidc(Customizer.withDefaults())
                    .tokenGenerator(tokens)
                    .clientAuthentication(client -> client
                            .authenticationConverter(new PublicClientAuthentication.Converter(DEVICE_AUTHORIZATION_ENDPOINT))
                            .authenticationProvider(new PublicClientAuthentication.Provider(clients)))
                    .deviceAuthorizationEndpoint(device -> device.verificationUri(DeviceActivationPage.PATH)
                            .deviceAuthorizationRequestConverter(new DeviceOpenIdScope()))
                    .deviceVerificationEndpoint(verification -> verification
                            .deviceVerificationResponseHandler(DeviceActivationPage::signedIn))
                    .tokenEndpoint(token -> token.authenticationProviders(providers -> providers.replaceAll(
                            provider -> provider instanceof OAuth2DeviceCodeAuthenticationProvider deviceCode
                                    ? new DeviceCodeIdTokens(deviceCode, authorizations, tokens)
                                    : provider)));
        });
        http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                // People's browsers are sent to the login form; API clients get 401.
                .exceptionHandling(exceptions -> exceptions.defaultAuthenticationEntryPointFor(
                        new LoginUrlAuthenticationEntryPoint("/login"), new MediaTypeRequestMatcher(MediaType.TEXT_HTML)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain loginForm(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers(DeviceActivationPage.PATH, "/error").permitAll()
                        .anyRequest().authenticated())
                .formLogin(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    DelegatingFilterProxyRegistrationBean securityFilterRegistration() {
        // Boot's security auto-configuration is not on the class path (it would secure every other component).
        DelegatingFilterProxyRegistrationBean registration = new DelegatingFilterProxyRegistrationBean("springSecurityFilterChain");
        registration.setOrder(-100);
        return registration;
    }

    @Bean
    ServletRegistrationBean<DeviceActivationPage> deviceActivationPage() {
        return new ServletRegistrationBean<>(new DeviceActivationPage(DEVICE_VERIFICATION_ENDPOINT), DeviceActivationPage.PATH);
    }

    @Bean
    RegisteredClientRepository registeredClients(IdentityProperties properties) {
        RegisteredClient kubectl = RegisteredClient.withId(properties.clientId())
                .clientId(properties.clientId())
                .clientName("kubectl")
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
                .authorizationGrantType(AuthorizationGrantType.DEVICE_CODE)
                // Spring Authorization Server accepts any port for loopback IP redirects (RFC 8252 section 7.3).
                .redirectUri("http://127.0.0.1/callback")
                .redirectUri("http://[::1]/callback")
                .scopes(scopes -> scopes.addAll(SCOPES))
                .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenTimeToLive(properties.accessTokenTtl())
                        .refreshTokenTimeToLive(properties.refreshTokenTtl())
                        .deviceCodeTimeToLive(properties.deviceCodeTtl())
                        .authorizationCodeTimeToLive(properties.authorizationCodeTtl())
                        .reuseRefreshTokens(false)
                        .build())
                .build();
        return new InMemoryRegisteredClientRepository(kubectl);
    }

    @Bean
    OAuth2AuthorizationService authorizations(LocalUsers users, RegisteredClientRepository clients) {
        return new JdbcOAuth2AuthorizationService(new JdbcTemplate(users.dataSource()), clients);
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(IdentityProperties properties) {
        return AuthorizationServerSettings.builder()
                .issuer(properties.issuer())
                .deviceAuthorizationEndpoint(DEVICE_AUTHORIZATION_ENDPOINT)
                .deviceVerificationEndpoint(DEVICE_VERIFICATION_ENDPOINT)
                .build();
    }

    @Bean
    JWKSource<SecurityContext> signingKeys(IdentityProperties properties) {
        return new ImmutableJWKSet<>(new JWKSet(SigningKey.loadOrCreate(properties.dataDir().resolve(ClusterPki.PKI_DIR))));
    }

    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> signingKeys) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(signingKeys);
    }

    @Bean
    OAuth2TokenGenerator<?> tokenGenerator(JWKSource<SecurityContext> signingKeys, LocalUsers users,
            IdentityProperties properties) {
        JwtGenerator jwts = new JwtGenerator(new NimbusJwtEncoder(signingKeys));
        jwts.setJwtCustomizer(new UserClaims(users, properties));
        return new DelegatingOAuth2TokenGenerator(jwts, new PublicClientRefreshTokens(Clock.systemUTC()));
    }

    @Bean
    LocalUsers localUsers(IdentityProperties properties) {
        return LocalUsers.open(properties.dataDir());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService userDetails(LocalUsers users) {
        return name -> users.find(name)
                .map(user -> User.withUsername(user.name()).password(user.passwordHash()).authorities(List.of()).build())
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }
}
