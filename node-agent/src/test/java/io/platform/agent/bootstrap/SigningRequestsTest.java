package io.platform.agent.bootstrap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.CertificateTemplate;
import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node's certificate request against the real API server, made with a bootstrap token: issued, denied with the
 * approver's reason, or not issued in time. The test itself plays approver and signer.
 */
class SigningRequestsTest {

    private static final String TOKEN = "abcdef.0123456789abcdef";

    private static RunningApiServer server;
    private static KubernetesClient admin;
    private static KubernetesClient bootstrap;

    @BeforeAll
    static void start() throws Exception {
        server = RunningApiServer.start("other-node", Map.of("platform.api.authorization.modes", "Node,RBAC"));
        admin = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
        admin.secrets().inNamespace("kube-system").resource(new SecretBuilder()
                .withNewMetadata().withName("bootstrap-token-abcdef").endMetadata()
                .withType("bootstrap.kubernetes.io/token")
                .withData(Map.of(
                        "token-id", base64("abcdef"),
                        "token-secret", base64("0123456789abcdef"),
                        "usage-bootstrap-authentication", base64("true"),
                        "auth-extra-groups", base64("system:bootstrappers:platform:default-node-token")))
                .build()).create();
        Path kubeconfig = Files.createTempDirectory("bootstrap").resolve("bootstrap.kubeconfig");
        KubeconfigFiles.write(kubeconfig, KubeconfigFiles.withToken(server.url(),
                Files.readString(server.pki().caBundle()), KubeconfigFiles.BOOTSTRAP_USER, TOKEN));
        bootstrap = KubeconfigClients.fromFile(kubeconfig);
    }

    @AfterAll
    static void stop() {
        if (bootstrap != null) {
            bootstrap.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void returnsTheCertificateOnceApprovedAndSigned() throws Exception {
        KeyPair keys = KeyPairs.ecP256();
        CompletableFuture<String> issued = request(new SigningRequests(Duration.ofSeconds(30), Duration.ofHours(1)), keys,
                "issued-node");

        CertificateSigningRequest csr = awaitPending("issued-node");
        assertThat(csr.getMetadata().getName()).startsWith("node-csr-");
        assertThat(csr.getSpec().getSignerName()).isEqualTo("kubernetes.io/kube-apiserver-client-kubelet");
        assertThat(csr.getSpec().getUsages()).containsExactly("digital signature", "client auth");
        assertThat(csr.getSpec().getExpirationSeconds()).isEqualTo(3600);
        assertThat(csr.getSpec().getUsername()).isEqualTo("system:bootstrap:abcdef");
        CertificateRequest request = CertificateRequest.parse(decode(csr.getSpec().getRequest()));
        assertThat(request.commonName()).isEqualTo("system:node:issued-node");
        assertThat(request.organizations()).containsExactly("system:nodes");
        approveAndSign(csr, request);

        X509Certificate certificate = PemFiles.parseCertificate(issued.get(30, TimeUnit.SECONDS), "issued");
        assertThat(certificate.getPublicKey().getEncoded()).isEqualTo(keys.getPublic().getEncoded());
        assertThat(CertificateNames.commonName(certificate)).isEqualTo("system:node:issued-node");
    }

    @Test
    void failsWithTheApproversReasonWhenDenied() throws Exception {
        CompletableFuture<String> issued = request(new SigningRequests(Duration.ofSeconds(30), null), KeyPairs.ecP256(),
                "denied-node");

        CertificateSigningRequest csr = awaitPending("denied-node");
        admin.certificates().v1().certificateSigningRequests().withName(csr.getMetadata().getName())
                .deny(new CertificateSigningRequestConditionBuilder().withType("Denied").withStatus("True")
                        .withReason("UnknownMachine").withMessage("this machine is not in the inventory").build());

        assertThat(issued).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                .havingRootCause()
                .isInstanceOf(SigningRequests.CertificateRequestFailedException.class)
                .withMessage("CertificateSigningRequest " + csr.getMetadata().getName()
                        + " was denied (UnknownMachine): this machine is not in the inventory");
    }

    @Test
    void failsSayingHowToApproveWhenNothingHappensInTime() {
        SigningRequests requests = new SigningRequests(Duration.ofSeconds(2), null);

        assertThatThrownBy(() -> requests.request(bootstrap, KeyPairs.ecP256(), SigningRequests.CLIENT_SIGNER,
                "forgotten-node", SigningRequests.CLIENT_USAGES, List.of(), List.of()))
                .isInstanceOf(SigningRequests.CertificateRequestFailedException.class)
                .hasMessageMatching("CertificateSigningRequest (node-csr-[a-z0-9]{16}) was not approved and issued "
                        + "within 2s; approve it with: kubectl certificate approve \\1");
    }

    private static CompletableFuture<String> request(SigningRequests requests, KeyPair keys, String node) {
        return CompletableFuture.supplyAsync(() -> requests.request(bootstrap, keys, SigningRequests.CLIENT_SIGNER,
                node, SigningRequests.CLIENT_USAGES, List.of(), List.of()));
    }

    /** The request made for {@code node}, once the API server has it. */
    private static CertificateSigningRequest awaitPending(String node) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> admin.certificates().v1()
                .certificateSigningRequests().list().getItems().stream()
                .filter(csr -> CertificateRequest.parse(decode(csr.getSpec().getRequest())).commonName()
                        .equals("system:node:" + node))
                .findFirst().orElse(null), csr -> csr != null);
    }

    private static void approveAndSign(CertificateSigningRequest csr, CertificateRequest request) {
        var resource = admin.certificates().v1().certificateSigningRequests().withName(csr.getMetadata().getName());
        resource.approve(new CertificateSigningRequestConditionBuilder().withType("Approved").withStatus("True")
                .withReason("TestApproved").withMessage("approved by the test").build());
        Instant now = Instant.now();
        X509Certificate signed = new CertificateSigner(server.pki().authority().certificate(),
                server.pki().authority().privateKey()).sign(new CertificateTemplate(request.subject(),
                request.publicKey(), now.minusSeconds(60), now.plus(Duration.ofHours(1)), KeyUsage.digitalSignature,
                List.of(KeyPurposeId.id_kp_clientAuth), null));
        CertificateSigningRequest approved = resource.get();
        approved.getStatus().setCertificate(base64(PemFiles.certificatePem(signed)));
        admin.certificates().v1().certificateSigningRequests().resource(approved).subresource("status").update();
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(UTF_8));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), UTF_8);
    }
}
