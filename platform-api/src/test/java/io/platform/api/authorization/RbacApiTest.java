package io.platform.api.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.api.ApiServerApplication;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.Kubeconfig;
import io.platform.common.client.KubeconfigClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * RBAC and the Node authorizer on a real API server over TLS, with clients whose certificates the cluster CA issued:
 * the default policy as it is bootstrapped, a user bound to {@code view}, escalation prevention, ClusterRole
 * aggregation and a node reading only what its pods use. Its own server, since it changes cluster-wide policy.
 */
@SpringBootTest(classes = ApiServerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "platform.api.storage.poll-interval=200ms"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RbacApiTest {

    private static final Path DATA_DIR = createDataDir();
    private static final String NS = "team";
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    private final List<KubernetesClient> clients = new ArrayList<>();
    private KubernetesClient admin;
    private KubernetesClient bob;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("platform.api.data-dir", DATA_DIR::toString);
    }

    @BeforeAll
    void setUp() {
        admin = client("admin", List.of("system:masters"));
        bob = client("bob", List.of());
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        admin.pods().inNamespace(NS).resource(pod("web", "n1", "used")).create();
        admin.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder()
                .withNewMetadata().withName("bob-view").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                .addNewSubject().withKind("User").withName("bob").withApiGroup("rbac.authorization.k8s.io").endSubject()
                .build()).create();
        Awaitility.await().atMost(PROPAGATION).ignoreExceptions()
                .until(() -> bob.pods().inNamespace(NS).list().getItems().size() == 1);
    }

    @AfterAll
    void tearDown() throws IOException {
        clients.forEach(KubernetesClient::close);
        try (Stream<Path> paths = Files.walk(DATA_DIR)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theAdminInSystemMastersDoesEverything() {
        admin.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("admin-cm")
                .endMetadata().addToData("k", "v").build()).create();
        assertThat(admin.nodes().list().getItems()).isNotNull();
        assertThat(admin.rbac().clusterRoles().withName("cluster-admin").get().getRules())
                .allSatisfy(rule -> assertThat(rule.getVerbs()).containsExactly("*"))
                .anySatisfy(rule -> assertThat(rule.getNonResourceURLs()).containsExactly("*"));
        admin.configMaps().inNamespace(NS).withName("admin-cm").delete();
    }

    @Test
    void aViewerReadsButCannotCreate() {
        assertThat(bob.pods().inNamespace(NS).withName("web").get()).isNotNull();
        assertThatThrownBy(() -> bob.pods().inNamespace(NS).resource(pod("bobs", "", "used")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("pods is forbidden: User \"bob\" cannot create"
                            + " resource \"pods\" in API group \"\" in the namespace \"team\"");
                });
        // view holds no Secrets, and nothing outside its namespace
        assertThatThrownBy(() -> bob.secrets().inNamespace(NS).list()).isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThatThrownBy(() -> bob.pods().inNamespace("default").list()).isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage()).isEqualTo(
                        "pods is forbidden: User \"bob\" cannot list resource \"pods\" in API group \"\" in the"
                                + " namespace \"default\""));
    }

    @Test
    void accessAndRulesReviewsAnswerPerRbac() {
        SelfSubjectAccessReview get = bob.authorization().v1().selfSubjectAccessReview().create(review("get"));
        assertThat(get.getStatus().getAllowed()).isTrue();
        assertThat(get.getStatus().getReason()).isEqualTo(
                "RBAC: allowed by RoleBinding \"bob-view/team\" of ClusterRole \"view\" to User \"bob\"");
        SelfSubjectAccessReview create = bob.authorization().v1().selfSubjectAccessReview().create(review("create"));
        assertThat(create.getStatus().getAllowed()).isFalse();
        assertThat(create.getStatus().getDenied()).isNotEqualTo(Boolean.TRUE);

        SelfSubjectRulesReview rules = bob.authorization().v1().selfSubjectRulesReview().create(
                new SelfSubjectRulesReviewBuilder().withNewSpec().withNamespace(NS).endSpec().build());
        assertThat(rules.getStatus().getResourceRules()).anySatisfy(rule -> {
            assertThat(rule.getResources()).contains("pods");
            assertThat(rule.getVerbs()).containsExactly("get", "list", "watch");
        });
        assertThat(rules.getStatus().getResourceRules()).noneMatch(rule -> rule.getResources().contains("pods")
                && (rule.getVerbs().contains("create") || rule.getVerbs().contains("*")));
        assertThat(rules.getStatus().getNonResourceRules()).anySatisfy(rule ->
                assertThat(rule.getNonResourceURLs()).contains("/api", "/version"));
    }

    @Test
    void nobodyGrantsWhatTheyDoNotHold() {
        admin.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("rbac-writer")
                .endMetadata().addToRules(new PolicyRuleBuilder().withApiGroups("rbac.authorization.k8s.io")
                        .withResources("roles", "rolebindings").withVerbs("create").build()).build()).create();
        admin.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder()
                .withNewMetadata().withName("bob-rbac-writer").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", "rbac-writer")
                .addNewSubject().withKind("User").withName("bob").endSubject().build()).create();

        Awaitility.await().atMost(PROPAGATION).ignoreExceptions().untilAsserted(() -> assertThat(
                bob.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("reader")
                        .endMetadata().addToRules(new PolicyRuleBuilder().withApiGroups("").withResources("pods")
                                .withVerbs("get", "list").build()).build()).create()).isNotNull());

        assertThatThrownBy(() -> bob.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata()
                .withName("creator").endMetadata().addToRules(new PolicyRuleBuilder().withApiGroups("")
                        .withResources("pods").withVerbs("get", "create").build()).build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("roles.rbac.authorization.k8s.io \"creator\" is"
                            + " forbidden: user \"bob\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC"
                            + " permissions not currently held:\n{APIGroups:[\"\"], Resources:[\"pods\"],"
                            + " Verbs:[\"create\"]}");
                });
        assertThatThrownBy(() -> bob.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder()
                .withNewMetadata().withName("bob-admin").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                .addNewSubject().withKind("User").withName("bob").endSubject().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .contains("is attempting to grant RBAC permissions not currently held"));
    }

    @Test
    void aggregatedRolesGatherTheirPieces() {
        ClusterRole adminRole = admin.rbac().clusterRoles().withName("admin").get();
        assertThat(adminRole.getRules()).anySatisfy(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("apps");
            assertThat(rule.getResources()).contains("deployments");
            assertThat(rule.getVerbs()).contains("create");
        });
        assertThat(adminRole.getRules()).anySatisfy(rule -> assertThat(rule.getResources()).contains("rolebindings"));

        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("widgets-view")
                .addToLabels("rbac.authorization.k8s.io/aggregate-to-view", "true").endMetadata()
                .addToRules(new PolicyRuleBuilder().withApiGroups("example.com").withResources("widgets")
                        .withVerbs("get").build()).build()).create();
        for (String role : List.of("view", "edit", "admin")) {
            Awaitility.await().atMost(PROPAGATION).untilAsserted(() -> assertThat(
                    admin.rbac().clusterRoles().withName(role).get().getRules())
                    .as(role).anySatisfy(rule -> assertThat(rule.getResources()).containsExactly("widgets")));
        }
    }

    @Test
    void aNodeReadsOnlyTheSecretsItsPodsUse() {
        admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("used").endMetadata()
                .addToStringData("k", "v").build()).create();
        admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("unused")
                .endMetadata().addToStringData("k", "v").build()).create();
        KubernetesClient node = client("system:node:n1", List.of("system:nodes"));
        Awaitility.await().atMost(PROPAGATION).ignoreExceptions()
                .untilAsserted(() -> assertThat(node.secrets().inNamespace(NS).withName("used").get()).isNotNull());
        assertThatThrownBy(() -> node.secrets().inNamespace(NS).withName("unused").get())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("secrets \"unused\" is forbidden: User"
                            + " \"system:node:n1\" cannot get resource \"secrets\" in API group \"\" in the namespace"
                            + " \"team\": no relationship found between node 'n1' and this object");
                });
        KubernetesClient otherNode = client("system:node:n2", List.of("system:nodes"));
        assertThatThrownBy(() -> otherNode.secrets().inNamespace(NS).withName("used").get())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        // NodeRestriction: only the status of its own pods
        Pod web = node.pods().inNamespace(NS).withName("web").get();
        assertThatThrownBy(() -> otherNode.pods().inNamespace(NS).resource(web).updateStatus())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage())
                        .contains("can only update pod status for pods with spec.nodeName set to itself"));
    }

    @Test
    void anonymousRequestsReachOnlyThePublicInformation() throws Exception {
        KeyStore trust = CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki")).trustStore();
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        try (HttpClient http = HttpClient.newBuilder().sslContext(ssl).build()) {
            assertThat(http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/version")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/v1/pods"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
    }

    private static SelfSubjectAccessReview review(String verb) {
        return new SelfSubjectAccessReviewBuilder().withNewSpec().withResourceAttributes(new ResourceAttributesBuilder()
                .withNamespace(NS).withVerb(verb).withResource("pods").build()).endSpec().build();
    }

    private static Pod pod(String name, String nodeName, String secret) {
        PodBuilder builder = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("main").withImage("busybox:1.35")
                .addNewEnv().withName("TOKEN").withNewValueFrom().withNewSecretKeyRef("k", secret, false)
                .endValueFrom().endEnv().endContainer()
                .endSpec();
        if (!nodeName.isEmpty()) {
            builder.editSpec().withNodeName(nodeName).endSpec();
        }
        return builder.build();
    }

    private KubernetesClient client(String user, List<String> groups) {
        try {
            CertificateAuthority ca = CertificateAuthority.loadOrCreate(DATA_DIR.resolve("pki"));
            Path kubeconfig = Files.createTempFile(DATA_DIR, "user", ".kubeconfig");
            Files.writeString(kubeconfig, Kubeconfig.render("https://127.0.0.1:" + port, ca.certificatePem(), user,
                    ca.issueClient(user, groups)));
            KubernetesClient client = KubeconfigClients.fromFile(kubeconfig);
            clients.add(client);
            return client;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("platform-api-rbac");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
