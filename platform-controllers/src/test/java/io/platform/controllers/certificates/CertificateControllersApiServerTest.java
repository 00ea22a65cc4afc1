package io.platform.controllers.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview;
import io.fabric8.kubernetes.api.model.authentication.SelfSubjectReviewBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.IssuedCertificate;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PemFiles;
import io.platform.controllers.RunningControllers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSR approver and signer against the real API server: a bootstrap token gets a node client certificate that
 * then authenticates as the node, nodes renew theirs and get serving certificates for their own addresses only,
 * other requests wait for a person's approval, and requests a signer cannot honour fail.
 */
class CertificateControllersApiServerTest {

    private static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.33");
    private static final String KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet";
    private static final String KUBELET_SERVING = "kubernetes.io/kubelet-serving";
    private static final String API_CLIENT = "kubernetes.io/kube-apiserver-client";

    private static RunningControllers cluster;
    private static RunningApiServer server;
    private static KubernetesClient admin;
    private static X509Certificate clusterCa;

    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws IOException {
        cluster = RunningControllers.start();
        server = cluster.server();
        admin = cluster.admin();
        clusterCa = PemFiles.parseCertificate(Files.readString(server.pki().caCertificate()), "ca.crt");
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aBootstrapTokenGetsANodeClientCertificateThatAuthenticatesAsTheNode() throws Exception {
        KeyPair keys = KeyPairs.ecP256();
        try (KubernetesClient bootstrap = bootstrapClient("abcdef", "0123456789abcdef")) {
            bootstrap.resource(csr("node-b-client", KUBELET_CLIENT, keys, "system:node:node-b", List.of("system:nodes"),
                    List.of(), List.of(), List.of("digital signature", "client auth"), 3600)).create();
            CertificateSigningRequest issued = awaitIssued(bootstrap, "node-b-client");

            assertThat(issued.getSpec().getUsername()).isEqualTo("system:bootstrap:abcdef");
            CertificateSigningRequestCondition approved = condition(issued, "Approved");
            assertThat(approved.getReason()).isEqualTo("AutoApproved");
            assertThat(approved.getMessage()).isEqualTo("Auto approving kubelet client certificate after SubjectAccessReview.");

            X509Certificate certificate = certificate(issued);
            certificate.verify(clusterCa.getPublicKey());
            assertThat(CertificateNames.commonName(certificate)).isEqualTo("system:node:node-b");
            assertThat(CertificateNames.organizations(certificate)).containsExactly("system:nodes");
            assertThat(certificate.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_clientAuth.getId());
            assertThat(certificate.getKeyUsage()[0]).as("digital signature").isTrue();
            assertThat(certificate.getKeyUsage()[2]).as("key encipherment").isFalse();
            assertThat(certificate.getSubjectAlternativeNames()).isNull();
            assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
            Instant now = Instant.now();
            assertThat(certificate.getNotBefore().toInstant()).isBefore(now.minus(Duration.ofMinutes(4)));
            assertThat(certificate.getNotAfter().toInstant()).isBetween(now.plus(Duration.ofMinutes(58)),
                    now.plus(Duration.ofMinutes(61)));

            try (KubernetesClient node = certificateClient(certificate, keys)) {
                SelfSubjectReview review = node.resource(new SelfSubjectReviewBuilder().withNewMetadata().endMetadata()
                        .build()).create();
                assertThat(review.getStatus().getUserInfo().getUsername()).isEqualTo("system:node:node-b");
                assertThat(review.getStatus().getUserInfo().getGroups()).contains("system:nodes");
            }
        }
        if (Files.isExecutable(KUBECTL)) {
            assertThat(kubectl("get", "csr", "node-b-client", "--no-headers")).contains("Approved,Issued")
                    .contains("system:bootstrap:abcdef");
        }
    }

    @Test
    void aNodeRenewsItsOwnClientCertificate() {
        try (KubernetesClient node = KubeconfigClients.fromFile(server.pki().nodeAgentKubeconfig())) {
            node.resource(csr("node-a-renewal", KUBELET_CLIENT, KeyPairs.ecP256(), "system:node:node-a",
                    List.of("system:nodes"), List.of(), List.of(), List.of("digital signature", "client auth"), null))
                    .create();
            CertificateSigningRequest issued = awaitIssued(node, "node-a-renewal");
            assertThat(condition(issued, "Approved").getMessage())
                    .isEqualTo("Auto approving self kubelet client certificate after SubjectAccessReview.");
            // the cluster signing duration: a year
            assertThat(certificate(issued).getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(364)));
        }
    }

    @Test
    void aBootstrapTokenGetsNothingButANodeClientCertificate() {
        KeyPair keys = KeyPairs.ecP256();
        try (KubernetesClient bootstrap = bootstrapClient("ghijkl", "0123456789ghijkl")) {
            bootstrap.resource(csr("boot-other-signer", API_CLIENT, keys, "system:node:node-c", List.of("system:nodes"),
                    List.of(), List.of(), List.of("digital signature", "client auth"), null)).create();
            bootstrap.resource(csr("boot-not-a-node", KUBELET_CLIENT, keys, "alice", List.of("system:nodes"),
                    List.of(), List.of(), List.of("digital signature", "client auth"), null)).create();
            bootstrap.resource(csr("boot-masters", KUBELET_CLIENT, keys, "system:node:node-c",
                    List.of("system:nodes", "system:masters"), List.of(), List.of(),
                    List.of("digital signature", "client auth"), null)).create();
            bootstrap.resource(csr("boot-serving", KUBELET_SERVING, keys, "system:node:node-c", List.of("system:nodes"),
                    List.of("node-c"), List.of(), List.of("digital signature", "server auth"), null)).create();
            // created last, handled last by the approver's single worker
            bootstrap.resource(csr("boot-fine", KUBELET_CLIENT, keys, "system:node:node-c", List.of("system:nodes"),
                    List.of(), List.of(), List.of("digital signature", "client auth"), null)).create();
            awaitIssued(bootstrap, "boot-fine");

            for (String name : List.of("boot-other-signer", "boot-not-a-node", "boot-masters", "boot-serving")) {
                CertificateSigningRequest pending = bootstrap.certificates().v1().certificateSigningRequests()
                        .withName(name).get();
                assertThat(pending.getStatus().getConditions()).as(name).isNullOrEmpty();
            }
            // nor may it approve anything itself
            assertThatThrownBy(() -> bootstrap.certificates().v1().certificateSigningRequests()
                    .withName("boot-other-signer").approve())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        }
    }

    @Test
    void aNodeGetsAServingCertificateForItsOwnAddressesOnly() throws Exception {
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-a").endMetadata()
                .withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .addNewAddress().withType("Hostname").withAddress("node-a.example").endAddress()
                .endStatus().build()).create();
        try (KubernetesClient node = KubeconfigClients.fromFile(server.pki().nodeAgentKubeconfig())) {
            node.resource(csr("node-a-foreign", KUBELET_SERVING, KeyPairs.ecP256(), "system:node:node-a",
                    List.of("system:nodes"), List.of("node-a.example"), List.of("10.9.9.9"),
                    List.of("digital signature", "server auth"), null)).create();
            node.resource(csr("node-a-other-node", KUBELET_SERVING, KeyPairs.ecP256(), "system:node:node-z",
                    List.of("system:nodes"), List.of(), List.of("127.0.0.1"),
                    List.of("digital signature", "server auth"), null)).create();
            node.resource(csr("node-a-serving", KUBELET_SERVING, KeyPairs.ecP256(), "system:node:node-a",
                    List.of("system:nodes"), List.of("node-a.example"), List.of("127.0.0.1"),
                    List.of("digital signature", "key encipherment", "server auth"), null)).create();

            X509Certificate serving = certificate(awaitIssued(node, "node-a-serving"));
            assertThat(CertificateNames.covers(serving, "node-a.example")).isTrue();
            assertThat(CertificateNames.covers(serving, "127.0.0.1")).isTrue();
            assertThat(serving.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_serverAuth.getId());
            assertThat(serving.getKeyUsage()[2]).as("key encipherment").isTrue();
            for (String name : List.of("node-a-foreign", "node-a-other-node")) {
                assertThat(node.certificates().v1().certificateSigningRequests().withName(name).get()
                        .getStatus().getConditions()).as(name).isNullOrEmpty();
            }
        }
    }

    @Test
    void aClientCertificateApprovedByAPersonIsSignedAndOnlyApproversAndSignersMayDoSo() throws Exception {
        KeyPair keys = KeyPairs.ecP256();
        admin.resource(csr("dave", API_CLIENT, keys, "dave", List.of("devs"), List.of(), List.of(),
                List.of("digital signature", "client auth"), null)).create();
        // carol may write approvals and status, but approve and sign for no signer yet
        IssuedCertificate carolCertificate = CertificateAuthority.loadOrCreate(server.pki().pkiDir())
                .issueClient("carol", List.of());
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName("csr-writer").endMetadata()
                .addNewRule().withApiGroups("certificates.k8s.io")
                .withResources("certificatesigningrequests", "certificatesigningrequests/approval",
                        "certificatesigningrequests/status")
                .withVerbs("get", "update").endRule().build()).create();
        bind("carol-csr-writer", "csr-writer", "carol");
        try (KubernetesClient carol = certificateClient(carolCertificate.certificate(),
                new KeyPair(carolCertificate.certificate().getPublicKey(), carolCertificate.privateKey()))) {
            assertThatThrownBy(() -> carol.certificates().v1().certificateSigningRequests().withName("dave").approve())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getMessage()).contains(
                                "user not permitted to approve requests with signerName \"kubernetes.io/kube-apiserver-client\"");
                    });
            CertificateSigningRequest pending = carol.certificates().v1().certificateSigningRequests().withName("dave").get();
            pending.getStatus().setCertificate(Base64.getEncoder().encodeToString(
                    PemFiles.certificatePem(clusterCa).getBytes(StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> carol.resource(pending).subresource("status").update())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getMessage()).contains("user not permitted to sign requests with signerName");
                    });
        }
        assertThat(admin.certificates().v1().certificateSigningRequests().withName("dave").get().getStatus()
                .getConditions()).isNullOrEmpty();

        if (Files.isExecutable(KUBECTL)) {
            assertThat(kubectl("certificate", "approve", "dave"))
                    .isEqualTo("certificatesigningrequest.certificates.k8s.io/dave approved\n");
        } else {
            admin.certificates().v1().certificateSigningRequests().withName("dave").approve();
        }
        X509Certificate certificate = certificate(awaitIssued(admin, "dave"));
        try (KubernetesClient dave = certificateClient(certificate, keys)) {
            SelfSubjectReview review = dave.resource(new SelfSubjectReviewBuilder().withNewMetadata().endMetadata()
                    .build()).create();
            assertThat(review.getStatus().getUserInfo().getUsername()).isEqualTo("dave");
            assertThat(review.getStatus().getUserInfo().getGroups()).containsExactly("devs", "system:authenticated");
        }
        // issued once: the certificate is never replaced
        CertificateSigningRequest issued = admin.certificates().v1().certificateSigningRequests().withName("dave").get();
        issued.getStatus().setCertificate(Base64.getEncoder().encodeToString(
                PemFiles.certificatePem(clusterCa).getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> admin.resource(issued).subresource("status").update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("updates may not modify existing certificate content");
                });
    }

    @Test
    void aRequestItsSignerCannotHonourFailsAndOtherSignersAreLeftAlone() {
        admin.resource(csr("server-as-client", API_CLIENT, KeyPairs.ecP256(), "erin", List.of(), List.of(), List.of(),
                List.of("client auth", "server auth"), null)).create();
        admin.resource(csr("someone-elses", "example.com/other", KeyPairs.ecP256(), "frank", List.of(), List.of(),
                List.of(), List.of("client auth"), null)).create();
        admin.certificates().v1().certificateSigningRequests().withName("server-as-client").approve();
        admin.certificates().v1().certificateSigningRequests().withName("someone-elses").approve();

        CertificateSigningRequest failed = await().atMost(Duration.ofSeconds(15)).until(
                () -> admin.certificates().v1().certificateSigningRequests().withName("server-as-client").get(),
                csr -> Csrs.has(csr, "Failed"));
        CertificateSigningRequestCondition condition = condition(failed, "Failed");
        assertThat(condition.getReason()).isEqualTo("SignerValidationFailure");
        assertThat(condition.getMessage()).isEqualTo("invalid usage for client certificate: server auth");
        assertThat(failed.getStatus().getCertificate()).isNullOrEmpty();

        CertificateSigningRequest other = admin.certificates().v1().certificateSigningRequests().withName("someone-elses").get();
        assertThat(other.getStatus().getConditions()).extracting(CertificateSigningRequestCondition::getType)
                .containsExactly("Approved");
        // whoever signs for example.com/other writes PEM certificates only
        other.getStatus().setCertificate(Base64.getEncoder().encodeToString("not a certificate".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> admin.resource(other).subresource("status").update())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getMessage()).contains("must contain at least one CERTIFICATE PEM block");
                });
    }

    static CertificateSigningRequest csr(String name, String signerName, KeyPair keys, String commonName,
            List<String> organizations, List<String> dnsNames, List<String> ipAddresses, List<String> usages,
            Integer expirationSeconds) {
        String pem = CertificateRequest.createPem(keys, commonName, organizations, dnsNames, ipAddresses);
        return new CertificateSigningRequestBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec()
                .withRequest(Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8)))
                .withSignerName(signerName).withUsages(usages).withExpirationSeconds(expirationSeconds)
                .endSpec().build();
    }

    static CertificateSigningRequest awaitIssued(KubernetesClient client, String name) {
        return await().atMost(Duration.ofSeconds(15)).until(
                () -> client.certificates().v1().certificateSigningRequests().withName(name).get(),
                csr -> csr != null && Csrs.issued(csr));
    }

    static X509Certificate certificate(CertificateSigningRequest csr) {
        return PemFiles.parseCertificate(new String(Base64.getDecoder().decode(csr.getStatus().getCertificate()),
                StandardCharsets.UTF_8), csr.getMetadata().getName());
    }

    private static CertificateSigningRequestCondition condition(CertificateSigningRequest csr, String type) {
        return Csrs.condition(csr, type).orElseThrow();
    }

    /** A client authenticating with a bootstrap token whose Secret the test creates, as {@code platform token create}. */
    private static KubernetesClient bootstrapClient(String id, String secret) {
        admin.secrets().inNamespace("kube-system").resource(new SecretBuilder().withNewMetadata()
                .withName("bootstrap-token-" + id).withNamespace("kube-system").endMetadata()
                .withType("bootstrap.kubernetes.io/token")
                .withStringData(Map.of("token-id", id, "token-secret", secret,
                        "expiration", Instant.now().plus(Duration.ofHours(1)).toString(),
                        "usage-bootstrap-authentication", "true", "usage-bootstrap-signing", "true",
                        "auth-extra-groups", "system:bootstrappers:platform:default-node-token"))
                .build()).create();
        return client(new ConfigBuilder(Config.empty()).withOauthToken(id + "." + secret));
    }

    private static KubernetesClient certificateClient(X509Certificate certificate, KeyPair keys) {
        return client(new ConfigBuilder(Config.empty())
                .withClientCertData(base64(PemFiles.certificatePem(certificate)))
                .withClientKeyData(base64(PemFiles.kubeconfigKeyPem(keys.getPrivate(), keys.getPublic())))
                .withClientKeyAlgo("EC"));
    }

    private static KubernetesClient client(ConfigBuilder config) {
        return new KubernetesClientBuilder().withConfig(config.withMasterUrl(server.url())
                .withCaCertFile(server.pki().caCertificate().toString())
                .withRequestRetryBackoffLimit(0).build()).build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void bind(String name, String role, String user) {
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role)
                .endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(user).endSubject()
                .build()).create();
    }

    /** Real kubectl as the admin; its output, failing the test when it does. */
    private static String kubectl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig",
                server.pki().adminKubeconfig().toString(), "--cache-dir", temp.resolve("kubectl-cache").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not finish within 30s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }
}
