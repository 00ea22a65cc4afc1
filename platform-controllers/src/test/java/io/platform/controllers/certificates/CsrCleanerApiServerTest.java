package io.platform.controllers.certificates;

import static io.platform.controllers.certificates.CertificateControllersApiServerTest.awaitIssued;
import static io.platform.controllers.certificates.CertificateControllersApiServerTest.csr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.api.testing.MutableClock;
import io.platform.common.pki.KeyPairs;
import io.platform.controllers.RunningControllers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CSR cleaner against the real API server, its clock moved by the test: each kind of request goes at its age. */
class CsrCleanerApiServerTest {

    private static final String API_CLIENT = "kubernetes.io/kube-apiserver-client";

    private static MutableClock clock;
    private static RunningControllers cluster;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() {
        clock = new MutableClock(Instant.now());
        cluster = RunningControllers.start(clock);
        admin = cluster.admin();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void requestsAreDeletedAtUpstreamsAges() {
        admin.resource(csr("short-lived", API_CLIENT, KeyPairs.ecP256(), "gina", List.of(), List.of(), List.of(),
                List.of("client auth"), 600)).create();
        admin.resource(csr("issued", API_CLIENT, KeyPairs.ecP256(), "hank", List.of(), List.of(), List.of(),
                List.of("client auth"), null)).create();
        admin.resource(csr("denied", API_CLIENT, KeyPairs.ecP256(), "ida", List.of(), List.of(), List.of(),
                List.of("client auth"), null)).create();
        admin.resource(csr("failed", API_CLIENT, KeyPairs.ecP256(), "jo", List.of(), List.of(), List.of(),
                List.of("server auth"), null)).create();
        admin.resource(csr("pending", "example.com/nobody", KeyPairs.ecP256(), "kim", List.of(), List.of(), List.of(),
                List.of("client auth"), null)).create();
        for (String name : List.of("short-lived", "issued", "failed")) {
            admin.certificates().v1().certificateSigningRequests().withName(name).approve();
        }
        admin.certificates().v1().certificateSigningRequests().withName("denied").deny();
        awaitIssued(admin, "short-lived");
        awaitIssued(admin, "issued");
        await().atMost(Duration.ofSeconds(15)).until(() -> Csrs.has(get("failed"), Csrs.FAILED));
        assertThat(names()).containsExactlyInAnyOrder("short-lived", "issued", "denied", "failed", "pending");

        // its 10-minute certificate has expired
        clock.advance(Duration.ofMinutes(11));
        awaitNames("issued", "denied", "failed", "pending");

        // an hour after approval, denial and failure
        clock.advance(Duration.ofMinutes(50));
        awaitNames("pending");

        clock.advance(Duration.ofHours(23));
        awaitNames();
    }

    private static CertificateSigningRequest get(String name) {
        return admin.certificates().v1().certificateSigningRequests().withName(name).get();
    }

    private static List<String> names() {
        return admin.certificates().v1().certificateSigningRequests().list().getItems().stream()
                .map(csr -> csr.getMetadata().getName()).toList();
    }

    private static void awaitNames(String... expected) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(names()).containsExactlyInAnyOrder(expected));
    }
}
