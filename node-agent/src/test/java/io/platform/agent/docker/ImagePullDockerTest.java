package io.platform.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.platform.agent.image.BusyboxImageBuilder;
import io.platform.agent.testing.AgentCluster;
import io.platform.agent.testing.DockerTestEngine;
import io.platform.agent.testing.LoopbackRegistry;
import io.platform.agent.testing.RequiresDockerEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Image pulls against a real registry on loopback that requires credentials: refused without a
 * pull secret, pulled with one, and the pull policies {@code IfNotPresent}, {@code Always} and
 * {@code Never} exactly as upstream (a changed tag is seen only by {@code Always}).
 */
@RequiresDockerEngine
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImagePullDockerTest {

    private static final String NS = "default";
    private static final String USER = "puller";
    private static final String PASSWORD = "s3cret-" + UUID.randomUUID();

    private static @Nullable LoopbackRegistry registry;
    private static @Nullable AgentCluster cluster;
    private static @Nullable DockerClient docker;
    private static String repository = "";

    @BeforeAll
    static void start() throws InterruptedException {
        registry = LoopbackRegistry.start(USER, PASSWORD);
        cluster = AgentCluster.start("pull-node", Map.of());
        docker = DockerEngines.connect(DockerTestEngine.host());
        repository = registry.host() + "/team/tool";
        push(BusyboxImageBuilder.IMAGE, "1");
        cluster.client().secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("registry")
                .endMetadata().withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", base64(dockerConfig(registry.host()))).build()).create();
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) {
            if (cluster != null) {
                cluster.close();
                cluster = null;
            }
            try {
                docker.removeImageCmd(repository + ":1").withForce(true).exec();
            } catch (NotFoundException e) {
                // never pulled
            }
            docker.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    @Order(1)
    void refusesAPrivateImageWithoutAPullSecret() {
        create(pod("anonymous", repository + ":1", "IfNotPresent", false));
        ContainerStatus waiting = await("pull refused").atMost(Duration.ofSeconds(30)).until(
                () -> status("anonymous"), s -> s != null && s.getState().getWaiting() != null
                        && ("ErrImagePull".equals(s.getState().getWaiting().getReason())
                                || "ImagePullBackOff".equals(s.getState().getWaiting().getReason())));
        assertThat(waiting.getState().getWaiting().getMessage()).contains(repository);
    }

    @Test
    @Order(2)
    void pullsWithThePodsPullSecret() {
        create(pod("authorized", repository + ":1", "IfNotPresent", true));
        awaitRunning("authorized");
    }

    @Test
    @Order(3)
    void neverUsesOnlyWhatIsPresent() {
        create(pod("never-present", repository + ":1", "Never", false));
        awaitRunning("never-present");
        create(pod("never-absent", repository + ":absent", "Never", false));
        ContainerStatus waiting = await().atMost(Duration.ofSeconds(20)).until(() -> status("never-absent"),
                s -> s != null && s.getState().getWaiting() != null
                        && "ErrImageNeverPull".equals(s.getState().getWaiting().getReason()));
        assertThat(waiting.getState().getWaiting().getMessage()).contains("is not present with pull policy of Never");
    }

    @Test
    @Order(4)
    void onlyAlwaysSeesATagMovedInTheRegistry() throws InterruptedException {
        String before = docker().inspectImageCmd(repository + ":1").exec().getId();
        String moved = docker().inspectImageCmd(commitVariant()).exec().getId();
        push(moved, "1");
        // the node still holds the old image under the tag: nothing pulled the moved one yet
        docker().tagImageCmd(before, repository, "1").withForce().exec();

        create(pod("if-not-present", repository + ":1", "IfNotPresent", true));
        assertThat(awaitRunning("if-not-present").getImageID()).isEqualTo("docker://" + before);

        create(pod("always", repository + ":1", "Always", true));
        assertThat(awaitRunning("always").getImageID()).isEqualTo("docker://" + moved);
    }

    private static ContainerStatus awaitRunning(String name) {
        return await(name + " running").atMost(Duration.ofSeconds(60)).until(() -> status(name),
                s -> s != null && s.getState().getRunning() != null);
    }

    private static @Nullable ContainerStatus status(String name) {
        Pod pod = cluster().client().pods().inNamespace(NS).withName(name).get();
        return pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                || pod.getStatus().getContainerStatuses().isEmpty() ? null : pod.getStatus().getContainerStatuses().getFirst();
    }

    private static void create(Pod pod) {
        cluster().client().pods().inNamespace(NS).resource(pod).create();
    }

    private static Pod pod(String name, String image, String pullPolicy, boolean withSecret) {
        PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(cluster().nodeName()).withTerminationGracePeriodSeconds(0L)
                .addNewContainer().withName("tool").withImage(image).withImagePullPolicy(pullPolicy)
                .withCommand("sleep", "3600").endContainer()
                .endSpec();
        if (withSecret) {
            pod.editSpec().addNewImagePullSecret("registry").endSpec();
        }
        return pod.build();
    }

    /** A busybox variant with its own image id, to move the registry's tag to. */
    private static String commitVariant() {
        String container = docker().createContainerCmd(BusyboxImageBuilder.IMAGE).withCmd("true").exec().getId();
        try {
            return docker().commitCmd(container).withEnv("VARIANT=" + UUID.randomUUID()).exec();
        } finally {
            docker().removeContainerCmd(container).withForce(true).exec();
        }
    }

    private static void push(String image, String tag) throws InterruptedException {
        docker().tagImageCmd(image, repository, tag).withForce().exec();
        docker().pushImageCmd(repository).withTag(tag)
                .withAuthConfig(new AuthConfig().withRegistryAddress(registry().host()).withUsername(USER).withPassword(PASSWORD))
                .start().awaitCompletion();
        // only the registry has it now: the node must pull it
        docker().removeImageCmd(repository + ":" + tag).withForce(true).exec();
    }

    private static String dockerConfig(String host) {
        String auth = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{\"" + host + "\":{\"username\":\"" + USER + "\",\"password\":\"" + PASSWORD + "\",\"auth\":\""
                + auth + "\"}}}";
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static AgentCluster cluster() {
        return java.util.Objects.requireNonNull(cluster);
    }

    private static DockerClient docker() {
        return java.util.Objects.requireNonNull(docker);
    }

    private static LoopbackRegistry registry() {
        return java.util.Objects.requireNonNull(registry);
    }
}
