package io.platform.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.agent.bootstrap.ClientCertificateBootstrap;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.common.client.KubeconfigClients;
import java.time.Clock;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/** The node agent as its own Spring Boot application (WebFlux on Netty for its HTTPS API). */
@SpringBootApplication
@EnableConfigurationProperties(AgentProperties.class)
public class NodeAgentApplication {

    /** Port of the agent's API when {@code server.port} is not given, as the kubelet's. */
    public static final int DEFAULT_PORT = 10250;

    public static void main(String[] args) {
        new SpringApplicationBuilder(NodeAgentApplication.class)
                .web(WebApplicationType.REACTIVE)
                .properties(defaultProperties())
                .run(args);
    }

    /** Defaults a launcher passes along with its own properties (lowest precedence). */
    public static Map<String, Object> defaultProperties() {
        return Map.of("server.port", DEFAULT_PORT, "spring.application.name", "node-agent");
    }

    @Bean(destroyMethod = "close")
    ContainerRuntime containerRuntime(AgentProperties properties) {
        return ContainerRuntimes.select(properties);
    }

    /** From the node's kubeconfig, after the TLS bootstrap has written it when it had to. */
    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient(ClientCertificateBootstrap bootstrap) {
        return KubeconfigClients.fromFile(bootstrap.kubeconfig());
    }

    /**
     * Netty event loops of the agent's own, not Reactor's global ones: closing the global ones with
     * this context would also stop the API server's when both run in one JVM.
     */
    @Bean
    ReactorResourceFactory reactorResourceFactory() {
        ReactorResourceFactory factory = new ReactorResourceFactory();
        factory.setUseGlobalResources(false);
        return factory;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
