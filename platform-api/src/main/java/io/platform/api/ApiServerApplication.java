package io.platform.api;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The API server: WebFlux on Netty, HTTPS with client certificates. Boot's own DataSource, JDBC
 * and Flyway configurations are off because the store builds its own; Vaadin's are off because
 * the one-JVM launcher has Vaadin on the classpath for the console.
 */
@SpringBootApplication(excludeName = {
        "com.vaadin.flow.spring.SpringBootAutoConfiguration",
        "com.vaadin.flow.spring.SpringSecurityAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@ConfigurationPropertiesScan
public class ApiServerApplication {

    public static void main(String[] args) {
        builder().run(args);
    }

    /**
     * The application as the launcher starts it: always REACTIVE, whatever else is on the classpath. Spring's generic
     * {@code http.server.requests} observation is off: the API server publishes no Spring metrics, so nothing read
     * it, and it took about 3 % of the CPU of each create.
     */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ApiServerApplication.class).web(WebApplicationType.REACTIVE)
                .properties("management.observations.enable.http.server.requests=false");
    }

    /** The properties the launcher passes: the data dir (PKI and SQLite file live there) and the port. */
    public static Map<String, Object> defaultProperties(Path dataDir, int port) {
        return Map.of(
                "platform.api.data-dir", dataDir.toAbsolutePath().toString(),
                "server.port", port,
                "spring.application.name", "platform-api");
    }
}
