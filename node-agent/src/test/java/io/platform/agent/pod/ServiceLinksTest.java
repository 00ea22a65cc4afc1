package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceLinksTest {

    private static final Service KUBERNETES = service("default", "kubernetes", "10.96.0.1",
            new ServicePortBuilder().withName("https").withPort(443).withProtocol("TCP").build());

    @Test
    void theKubernetesServiceGivesTheVariablesInClusterClientsRead() {
        Map<String, String> env = ServiceLinks.variables(List.of(KUBERNETES), "apps", true);
        assertThat(env).containsExactlyInAnyOrderEntriesOf(Map.of(
                "KUBERNETES_SERVICE_HOST", "10.96.0.1",
                "KUBERNETES_SERVICE_PORT", "443",
                "KUBERNETES_SERVICE_PORT_HTTPS", "443",
                "KUBERNETES_PORT", "tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP", "tcp://10.96.0.1:443",
                "KUBERNETES_PORT_443_TCP_PROTO", "tcp",
                "KUBERNETES_PORT_443_TCP_PORT", "443",
                "KUBERNETES_PORT_443_TCP_ADDR", "10.96.0.1"));
    }

    @Test
    void servicesOfThePodsNamespaceAreLinkedUnlessTheLinksAreOff() {
        Service web = service("apps", "my-web", "10.96.3.4",
                new ServicePortBuilder().withPort(80).build(),
                new ServicePortBuilder().withName("dns-udp").withPort(53).withProtocol("UDP").build());
        Service elsewhere = service("other", "db", "10.96.5.5", new ServicePortBuilder().withPort(5432).build());
        Service headless = service("apps", "headless", "None", new ServicePortBuilder().withPort(80).build());

        Map<String, String> env = ServiceLinks.variables(List.of(KUBERNETES, web, elsewhere, headless), "apps", true);
        assertThat(env).containsEntry("MY_WEB_SERVICE_HOST", "10.96.3.4")
                .containsEntry("MY_WEB_SERVICE_PORT", "80")
                .containsEntry("MY_WEB_SERVICE_PORT_DNS_UDP", "53")
                .containsEntry("MY_WEB_PORT", "tcp://10.96.3.4:80")
                .containsEntry("MY_WEB_PORT_53_UDP", "udp://10.96.3.4:53")
                .containsEntry("MY_WEB_PORT_53_UDP_PROTO", "udp")
                .containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1")
                .doesNotContainKeys("DB_SERVICE_HOST", "HEADLESS_SERVICE_HOST");

        Map<String, String> withoutLinks = ServiceLinks.variables(List.of(KUBERNETES, web), "apps", false);
        assertThat(withoutLinks).containsEntry("KUBERNETES_SERVICE_HOST", "10.96.0.1").doesNotContainKey("MY_WEB_SERVICE_HOST");
    }

    private static Service service(String namespace, String name, String clusterIp, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withClusterIP(clusterIp).withPorts(ports).endSpec().build();
    }
}
