package io.platform.server.identity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The built-in OIDC provider: a servlet application (Tomcat) on its own HTTPS port (6444 by
 * default) with a serving certificate from the cluster CA. It owns {@code identity.db}; Boot's
 * DataSource and Flyway configurations are off because {@link LocalUsers} opens the file itself
 * (as {@code platform users} does while the provider runs).
 */
@SpringBootApplication(excludeName = {
        "com.vaadin.flow.spring.SpringBootAutoConfiguration",
        "com.vaadin.flow.spring.SpringSecurityAutoConfiguration",
        "com.vaadin.flow.spring.VaadinScopesConfig",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@EnableConfigurationProperties(IdentityProperties.class)
public class IdentityProviderApplication {

    public static final int DEFAULT_PORT = 6444;
    public static final String DEFAULT_CLIENT_ID = "kubectl";
    /** The issuer URL of the last provider started on the data dir, for {@code platform login}. */
    public static final String ISSUER_FILE = "identity-issuer";

    /** The application as the launcher starts it: always SERVLET, whatever else is on the classpath. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(IdentityProviderApplication.class).web(WebApplicationType.SERVLET);
    }

    /** The issuer URL of a provider listening on {@code host}:{@code port}. */
    public static String issuer(String host, int port) {
        String urlHost = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "https://" + urlHost + ":" + port;
    }

    /**
     * The properties the launcher passes, after making sure the serving certificate in
     * {@code <data-dir>/pki} names the issuer's host (the cluster CA must exist or is created).
     */
    public static Map<String, Object> properties(Path dataDir, String bindAddress, int port, String issuer) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path pkiDir = dir.resolve("pki");
        ServingCertificate.ensure(pkiDir, issuer);
        // `platform login` without --issuer signs in here: it reads the URL from the data dir.
        try {
            Files.writeString(dir.resolve(ISSUER_FILE), issuer + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + dir.resolve(ISSUER_FILE) + ": " + e.getMessage(), e);
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.application.name", "platform-identity");
        properties.put("server.port", port);
        properties.put("server.address", bindAddress);
        properties.put("spring.ssl.bundle.pem.identity.keystore.certificate", pkiDir.resolve(ServingCertificate.CERT_FILE).toUri().toString());
        properties.put("spring.ssl.bundle.pem.identity.keystore.private-key", pkiDir.resolve(ServingCertificate.KEY_FILE).toUri().toString());
        properties.put("server.ssl.bundle", "identity");
        properties.put("platform.identity.data-dir", dir.toString());
        properties.put("platform.identity.issuer", issuer);
        return properties;
    }
}
