package io.platform.console;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.client.KubeconfigClients;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The web console (servlet stack, Vaadin). Runs alone or beside the other components in
 * {@code platform-server}; it only scans {@code io.platform.console}, so it never picks up another
 * component's beans.
 */
@SpringBootApplication
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleApplication {

    /** Properties every launcher of the console passes, whatever else shares the classpath. */
    public static Map<String, Object> defaultProperties() {
        return Map.of(
                "spring.application.name", "web-console",
                "server.port", "8080",
                // Vaadin scans only its own components and ours for routes: faster start, no surprises.
                "vaadin.allowed-packages", "com.vaadin,io.platform.console",
                "vaadin.launch-browser", "false",
                // Sessions hold live UIs; writing them to disk at shutdown only produces errors.
                "server.servlet.session.persistent", "false");
    }

    public static void main(String[] args) {
        new SpringApplicationBuilder(ConsoleApplication.class)
                .web(WebApplicationType.SERVLET)
                .properties(defaultProperties())
                .run(args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    KubernetesClient consoleClient(ConsoleProperties properties) {
        if (!Files.isReadable(properties.kubeconfig())) {
            throw new IllegalStateException("the console's kubeconfig " + properties.kubeconfig().toAbsolutePath()
                    + " is missing or unreadable; set platform.console.kubeconfig");
        }
        int timeoutMillis = Math.toIntExact(properties.requestTimeout().toMillis());
        return KubeconfigClients.fromFile(properties.kubeconfig(), config -> {
            config.setConnectionTimeout(timeoutMillis);
            config.setRequestTimeout(timeoutMillis);
            // The page refreshes on its own; retrying inside one read would only delay the "unreachable" message.
            config.setRequestRetryBackoffLimit(0);
        });
    }
}
