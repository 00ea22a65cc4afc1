package io.platform.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.platform.api.testing.MutableClock;
import io.platform.api.testing.RunningApiServer;
import io.platform.common.client.KubeconfigClients;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pod volumes written by the node agent from the real API server, under the node's own identity:
 * the {@code kube-api-access} projected volume (a bound token from TokenRequest, the cluster CA, the
 * namespace), and what a pod does with it: reach the API as its ServiceAccount, with exactly the
 * rights RBAC gives that account.
 */
class PodVolumesApiServerTest {

    private static final String NODE = "volume-node";
    private static final String NS = "volumes";
    private static final String SA_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount";

    private static RunningApiServer server;
    private static KubernetesClient admin;
    private static KubernetesClient node;
    private static String clusterCa;

    @TempDir
    Path root;

    @BeforeAll
    static void start() throws Exception {
        server = RunningApiServer.start(NODE);
        admin = KubeconfigClients.fromFile(server.pki().adminKubeconfig());
        node = KubeconfigClients.fromFile(server.pki().nodeAgentKubeconfig());
        clusterCa = Files.readString(server.pki().caCertificate());
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        for (String account : new String[] {"default", "robot"}) {
            // default may come from the API server's side already
            admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(account)
                    .endMetadata().build()).createOr(NonDeletingOperation::update);
        }
        // what the root CA publisher keeps in every namespace (it does not run in this test)
        admin.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").endMetadata()
                .addToData("ca.crt", clusterCa).build()).create();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void configMapSecretAndDownwardApiVolumesAreWrittenWithTheirModes() throws Exception {
        admin.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("settings").endMetadata()
                .addToData("app.yaml", "level: debug").addToData("other", "x").build()).create();
        admin.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
                .addToData("password", Base64.getEncoder().encodeToString("s3cret".getBytes(StandardCharsets.UTF_8))).build()).create();
        Volume settings = new VolumeBuilder().withName("settings").withNewConfigMap().withName("settings")
                .addNewItem().withKey("app.yaml").withPath("conf/app.yaml").endItem().endConfigMap().build();
        Volume creds = new VolumeBuilder().withName("creds").withNewSecret().withSecretName("creds").withDefaultMode(0400).endSecret().build();
        Volume info = new VolumeBuilder().withName("info").withNewDownwardAPI()
                .addNewItem().withPath("labels").withNewFieldRef().withFieldPath("metadata.labels").endFieldRef().endItem()
                .addNewItem().withPath("name").withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endItem()
                .endDownwardAPI().build();
        Volume optional = new VolumeBuilder().withName("optional").withNewConfigMap().withName("absent").withOptional(true)
                .endConfigMap().build();
        Pod pod = createPod("files", "default", settings, creds, info, optional);

        Map<String, Path> dirs = new PodVolumes(node, root, Clock.systemUTC()).setUp(pod);

        assertThat(Files.readString(dirs.get("settings").resolve("conf/app.yaml"))).isEqualTo("level: debug");
        assertThat(dirs.get("settings").resolve("other")).doesNotExist();
        assertThat(Files.readString(dirs.get("creds").resolve("password"))).isEqualTo("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dirs.get("creds").resolve("password")))).isEqualTo("r--------");
        assertThat(Files.readString(dirs.get("info").resolve("labels"))).isEqualTo("app=\"files\"\ntier=\"a \\\"quoted\\\" value\"");
        assertThat(Files.readString(dirs.get("info").resolve("name"))).isEqualTo("files");
        assertThat(dirs.get("optional")).isDirectory();
        assertThat(dirs.get("settings").toString()).contains("pods/" + pod.getMetadata().getUid() + "/volumes/kubernetes.io~configmap/settings");
    }

    @Test
    void aMissingConfigMapFailsTheMountAsTheKubeletSaysIt() {
        Volume missing = new VolumeBuilder().withName("missing").withNewConfigMap().withName("nowhere").endConfigMap().build();
        Pod pod = createPod("missing", "default", missing);

        assertThatThrownBy(() -> new PodVolumes(node, root, Clock.systemUTC()).setUp(pod))
                .isInstanceOf(PodVolumes.VolumeException.class)
                .hasMessage("MountVolume.SetUp failed for volume \"missing\" : configmap \"nowhere\" not found");
    }

    @Test
    void theKubeApiAccessVolumeAuthenticatesThePodAsItsServiceAccountWithItsRbacRights() throws Exception {
        Pod pod = createPod("client", "default", kubeApiAccess());
        PodVolumes volumes = new PodVolumes(node, root, Clock.systemUTC());

        Path dir = volumes.setUp(pod).get("kube-api-access-test");

        String token = Files.readString(dir.resolve("token"));
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(clusterCa);
        assertThat(Files.readString(dir.resolve("namespace"))).isEqualTo(NS);
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(claims).contains("\"sub\":\"system:serviceaccount:" + NS + ":default\"").contains(pod.getMetadata().getUid());

        // what a process in the pod does: trust ca.crt, send the token
        HttpClient http = HttpClient.newBuilder().sslContext(trusting(Files.readString(dir.resolve("ca.crt")))).build();
        String configMaps = server.url() + "/api/v1/namespaces/" + NS + "/configmaps";
        assertThat(get(http, configMaps, token).statusCode()).isEqualTo(403);

        admin.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata().withName("default-view").endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("view").endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName("default").withNamespace(NS).endSubject()
                .build()).create();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(http, configMaps, token).statusCode()).isEqualTo(200));
        // view may read but not write, and nothing outside its namespace
        assertThat(get(http, server.url() + "/api/v1/namespaces/default/configmaps", token).statusCode()).isEqualTo(403);
        HttpResponse<String> create = http.send(HttpRequest.newBuilder(URI.create(configMaps))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"nope\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(create.statusCode()).isEqualTo(403);
        // without the token, nobody
        assertThat(get(http, configMaps, null).statusCode()).isEqualTo(401);
    }

    @Test
    void theTokenIsKeptUntil80PercentOfItsLifetimeThenRequestedAgain() throws Exception {
        Pod pod = createPod("refresh", "robot", kubeApiAccess());
        MutableClock clock = new MutableClock(Instant.now());
        PodVolumes volumes = new PodVolumes(node, root, clock);
        Path dir = volumes.setUp(pod).get("kube-api-access-test");
        String first = Files.readString(dir.resolve("token"));

        // with the account gone, any new TokenRequest fails: a sync that succeeds used the cached token
        admin.serviceAccounts().inNamespace(NS).withName("robot").delete();
        await().atMost(Duration.ofSeconds(5)).until(() -> admin.serviceAccounts().inNamespace(NS).withName("robot").get() == null);
        clock.advance(Duration.ofSeconds(2800));
        volumes.setUp(pod);
        assertThat(Files.readString(dir.resolve("token"))).isEqualTo(first);

        // past 80% of 3607 s the agent asks again
        clock.advance(Duration.ofSeconds(100));
        assertThatThrownBy(() -> volumes.setUp(pod)).isInstanceOf(PodVolumes.VolumeException.class)
                .hasMessageContaining("failed to fetch token");
        assertThat(Files.readString(dir.resolve("token"))).isEqualTo(first);

        volumes.tearDown(pod.getMetadata().getUid());
        assertThat(root.resolve("pods").resolve(pod.getMetadata().getUid())).doesNotExist();
    }

    @Test
    void aClaimOfThePodResolvesToItsBoundVolumesPathReadAsTheNode() throws Exception {
        Path dir = root.resolve("local-path").resolve(NS + "_claimed_pv-claimed");
        PersistentVolumeClaim claim = admin.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("claimed").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        Volume volume = new VolumeBuilder().withName("data").withNewPersistentVolumeClaim().withClaimName("claimed")
                .endPersistentVolumeClaim().build();
        Pod pod = createPod("claims", "default", volume);
        PodVolumes volumes = new PodVolumes(node, root, Clock.systemUTC());
        assertThatThrownBy(() -> volumes.setUp(pod)).hasMessage("PVC " + NS + "/claimed has non-bound phase (\"Pending\") "
                + "or empty pvc.Spec.VolumeName (\"\")");

        admin.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName("pv-claimed").endMetadata()
                .withNewSpec().addToCapacity("storage", new Quantity("1Gi")).withAccessModes("ReadWriteOnce")
                .withNewHostPath().withPath(dir.toString()).withType("DirectoryOrCreate").endHostPath()
                .withNewClaimRef().withNamespace(NS).withName("claimed").withUid(claim.getMetadata().getUid()).endClaimRef()
                .endSpec().build()).create();
        claim = admin.persistentVolumeClaims().inNamespace(NS).withName("claimed")
                .edit(c -> new PersistentVolumeClaimBuilder(c).editSpec().withVolumeName("pv-claimed").endSpec().build());
        claim.setStatus(new PersistentVolumeClaimStatusBuilder().withPhase("Bound").build());
        admin.persistentVolumeClaims().inNamespace(NS).resource(claim).updateStatus();

        // the node reads the claim its pod references (the node authorizer's graph may take a moment to see the pod)
        Map<String, Path> dirs = await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> volumes.setUp(pod), d -> d != null);
        assertThat(dirs.get("data")).isEqualTo(dir).isDirectory();
        assertThat(PodVolumes.mounts(pod, pod.getSpec().getContainers().getFirst(), dirs, List.of()))
                .contains(new PodVolumes.Mount(dir, "/mnt/data", false, "None"));

        // a claim no pod of the node references stays out of its reach
        admin.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("elsewhere").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        assertThatThrownBy(() -> node.persistentVolumeClaims().inNamespace(NS).withName("elsewhere").get())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));

        // the volume's directory stays while the volume exists, and goes on the sweep after it was deleted
        volumes.removeReleasedLocalPaths();
        assertThat(dir).isDirectory();
        admin.persistentVolumes().withName("pv-claimed").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.persistentVolumes().withName("pv-claimed").get() == null);
        volumes.removeReleasedLocalPaths();
        assertThat(dir).doesNotExist();
    }

    /** The volume the ServiceAccount admission plugin adds to pods, as upstream's. */
    private static Volume kubeApiAccess() {
        return new VolumeBuilder().withName("kube-api-access-test").withNewProjected().withDefaultMode(0644)
                .addNewSource().withNewServiceAccountToken().withPath("token").withExpirationSeconds(3607L).endServiceAccountToken().endSource()
                .addNewSource().withNewConfigMap().withName("kube-root-ca.crt").addNewItem().withKey("ca.crt").withPath("ca.crt").endItem()
                .endConfigMap().endSource()
                .addNewSource().withNewDownwardAPI().addNewItem().withPath("namespace").withNewFieldRef().withApiVersion("v1")
                .withFieldPath("metadata.namespace").endFieldRef().endItem().endDownwardAPI().endSource()
                .endProjected().build();
    }

    private static Pod createPod(String name, String serviceAccount, Volume... volumes) {
        ContainerBuilder container = new ContainerBuilder().withName("app").withImage("busybox:1.35");
        for (Volume volume : volumes) {
            container.addNewVolumeMount().withName(volume.getName())
                    .withMountPath(volume.getProjected() != null ? SA_MOUNT : "/mnt/" + volume.getName()).endVolumeMount();
        }
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels("app", name).addToLabels("tier", "a \"quoted\" value").endMetadata()
                .withNewSpec().withNodeName(NODE).withServiceAccountName(serviceAccount).withVolumes(volumes)
                .withContainers(container.build()).endSpec().build();
        return admin.pods().inNamespace(NS).resource(pod).create();
    }

    private static HttpResponse<String> get(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext trusting(String caPem) throws Exception {
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII)));
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("ca", ca);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
