package io.platform.api.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.api.ApiServerApplication;
import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.authorization.Rules.NonResourceRule;
import io.platform.api.authorization.Rules.ResourceRule;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.Kubeconfig;
import io.platform.common.client.KubeconfigClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API server with another {@link Authorizer} bean than AlwaysAllow, as RBAC will plug in: every request and
 * every review asks it. Its own server and data dir, since its answers differ from every other test's.
 */
@SpringBootTest(classes = {ApiServerApplication.class, AuthorizerWiringTest.SecretsOffLimits.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class AuthorizerWiringTest {

    private static final Path DATA_DIR = createDataDir();

    /** Denies every verb on secrets and lists rules that say so; not a component, so no scan picks it up. */
    static class SecretsOffLimits {
        @Bean
        @Primary
        Authorizer secretsOffLimits() {
            return new Authorizer() {
                @Override
                public Decision decide(Attributes attributes) {
                    return attributes.resource().equals("secrets") ? Decision.deny("secrets are off limits")
                            : Decision.allow("");
                }

                @Override
                public Rules rulesFor(AuthenticatedUser user, String namespace) {
                    return new Rules(List.of(new ResourceRule(List.of("get", "list"), List.of(""), List.of("configmaps"),
                            List.of())), List.of(new NonResourceRule(List.of("get"), List.of("/version"))), true, "");
                }
            };
        }
    }

    @LocalServerPort
    int port;

    private KubernetesClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.api.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void connect() throws IOException {
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"));
        Path kubeconfig = Files.createTempFile(DATA_DIR, "admin", ".kubeconfig");
        Files.writeString(kubeconfig, Kubeconfig.render("https://127.0.0.1:" + port, ca.certificatePem(), "admin",
                ca.issueClient("admin", List.of("system:masters"))));
        client = KubeconfigClients.fromFile(kubeconfig);
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void requestsTheAuthorizerDeniesAreForbidden() {
        assertThat(client.configMaps().inNamespace("default").list().getItems()).isNotNull();
        assertThatThrownBy(() -> client.secrets().inNamespace("default").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                    assertThat(e.getStatus().getMessage()).isEqualTo("secrets is forbidden: User \"admin\" cannot list"
                            + " resource \"secrets\" in API group \"\" in the namespace \"default\": secrets are off limits");
                });
    }

    @Test
    void reviewsAnswerWhatTheAuthorizerSays() {
        SelfSubjectAccessReview secrets = client.authorization().v1().selfSubjectAccessReview().create(
                new SelfSubjectAccessReviewBuilder().withNewSpec().withResourceAttributes(new ResourceAttributesBuilder()
                        .withNamespace("default").withVerb("get").withResource("secrets").withName("s").build())
                        .endSpec().build());
        assertThat(secrets.getStatus().getAllowed()).isFalse();
        assertThat(secrets.getStatus().getDenied()).isTrue();
        assertThat(secrets.getStatus().getReason()).isEqualTo("secrets are off limits");

        SelfSubjectAccessReview pods = client.authorization().v1().selfSubjectAccessReview().create(
                new SelfSubjectAccessReviewBuilder().withNewSpec().withResourceAttributes(new ResourceAttributesBuilder()
                        .withNamespace("default").withVerb("get").withResource("pods").build()).endSpec().build());
        assertThat(pods.getStatus().getAllowed()).isTrue();

        SelfSubjectRulesReview rules = client.authorization().v1().selfSubjectRulesReview().create(
                new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace("default").endSpec().build());
        assertThat(rules.getStatus().getIncomplete()).isTrue();
        assertThat(rules.getStatus().getResourceRules()).singleElement()
                .satisfies(rule -> assertThat(rule.getResources()).containsExactly("configmaps"));
        assertThat(rules.getStatus().getNonResourceRules()).singleElement()
                .satisfies(rule -> assertThat(rule.getNonResourceURLs()).containsExactly("/version"));
    }

    private static Path createDataDir() {
        try {
            Path dir = Files.createTempDirectory("platform-api-authz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    // the JVM is exiting; a leftover temp dir is harmless
                }
            }));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
