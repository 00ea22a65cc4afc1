package io.platform.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume types that need no API server: hostPath type checks in the kubelet's words, emptyDir directories (and
 * the plain-directory fallback of {@code medium: Memory} without root, a real tmpfs with it), sizeLimit measuring,
 * subPath and subPathExpr, and which mounts are read-only.
 */
class HostVolumesTest {

    @TempDir
    Path dir;

    private KubernetesClient unused;

    @BeforeEach
    void client() {
        // never called: these volume types read nothing from the API
        unused = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("https://127.0.0.1:1").build()).build();
    }

    @AfterEach
    void close() {
        unused.close();
    }

    @Test
    void hostPathTypesCheckAndCreateAsTheKubelet() throws Exception {
        Path made = dir.resolve("a/b/c");
        HostPaths.check(made, "DirectoryOrCreate");
        assertThat(made).isDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a")))).isEqualTo("rwxr-xr-x");

        Path file = dir.resolve("a/file");
        HostPaths.check(file, "FileOrCreate");
        assertThat(file).isRegularFile().isEmptyFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        HostPaths.check(file, "File");
        HostPaths.check(made, "Directory");
        HostPaths.check(dir.resolve("nothing"), "");
        HostPaths.check(dir.resolve("nothing"), null);

        assertThatThrownBy(() -> HostPaths.check(file, "Directory")).hasMessage("hostPath type check failed: " + file + " is not a directory");
        assertThatThrownBy(() -> HostPaths.check(file, "DirectoryOrCreate")).hasMessage("hostPath type check failed: " + file + " is not a directory");
        assertThatThrownBy(() -> HostPaths.check(made, "File")).hasMessage("hostPath type check failed: " + made + " is not a file");
        assertThatThrownBy(() -> HostPaths.check(dir.resolve("missing"), "File")).hasMessageEndingWith("missing is not a file");
        assertThatThrownBy(() -> HostPaths.check(dir.resolve("no/parent"), "FileOrCreate")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> HostPaths.check(file, "Socket")).hasMessage("hostPath type check failed: " + file + " is not a socket file");
        assertThatThrownBy(() -> HostPaths.check(file, "CharDevice")).hasMessage("hostPath type check failed: " + file + " is not a character device");
        assertThatThrownBy(() -> HostPaths.check(Path.of("/dev/null"), "BlockDevice")).hasMessage("hostPath type check failed: /dev/null is not a block device");
        assertThatThrownBy(() -> HostPaths.check(file, "Fifo")).hasMessage("Fifo is an invalid volume type");
        HostPaths.check(Path.of("/dev/null"), "CharDevice");

        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            HostPaths.check(socket, "Socket");
        }
    }

    @Test
    void hostPathFailuresAreFailedMountsOfThePod() {
        Path file = dir.resolve("plain");
        Pod pod = pod(List.of(container()), Map.of("host", "{\"hostPath\":{\"path\":\"" + file + "\",\"type\":\"Directory\"}}"));
        assertThatThrownBy(() -> new PodVolumes(unused, dir.resolve("root"), Clock.systemUTC(), false).setUp(pod))
                .isInstanceOf(PodVolumes.VolumeException.class)
                .hasMessage("MountVolume.SetUp failed for volume \"host\" : hostPath type check failed: " + file + " is not a directory");
    }

    @Test
    void emptyDirsAreWritableDirectoriesOfThePodRemovedWithIt() throws Exception {
        Path host = dir.resolve("host");
        Pod pod = pod(List.of(container()), Map.of(
                "scratch", "{\"emptyDir\":{}}",
                "memory", "{\"emptyDir\":{\"medium\":\"Memory\",\"sizeLimit\":\"1Mi\"}}",
                "host", "{\"hostPath\":{\"path\":\"" + host + "\",\"type\":\"DirectoryOrCreate\"}}"));
        PodVolumes volumes = new PodVolumes(unused, dir.resolve("root"), Clock.systemUTC(), false);

        Map<String, Path> dirs = volumes.setUp(pod);

        assertThat(dirs.get("scratch")).isDirectory().isEqualTo(dir.resolve("root/pods/uid-1/volumes/kubernetes.io~empty-dir/scratch"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dirs.get("scratch")))).isEqualTo("rwxrwxrwx");
        // without mount rights, medium Memory is a plain directory
        assertThat(dirs.get("memory")).isDirectory();
        assertThat(EmptyDirs.Mounts.under(dirs.get("memory"))).isEmpty();
        assertThat(dirs.get("host")).isEqualTo(host).isDirectory();

        assertThat(volumes.exceeded(pod)).isNull();
        Files.write(dirs.get("memory").resolve("big"), new byte[2 * 1024 * 1024]);
        assertThat(volumes.exceeded(pod)).isEqualTo("Usage of EmptyDir volume \"memory\" exceeds the limit \"1Mi\".");

        volumes.tearDown("uid-1");
        assertThat(dir.resolve("root/pods/uid-1")).doesNotExist();
        assertThat(host).isDirectory();
    }

    @Test
    void asRootMediumMemoryIsATmpfsOfTheLimitUnmountedWithThePod() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(EmptyDirs.root(), "mounting needs root");
        Pod pod = pod(List.of(container()), Map.of("memory", "{\"emptyDir\":{\"medium\":\"Memory\",\"sizeLimit\":\"2Mi\"}}"));
        PodVolumes volumes = new PodVolumes(unused, dir.resolve("root"), Clock.systemUTC(), true);
        try {
            Path memory = volumes.setUp(pod).get("memory");
            assertThat(EmptyDirs.Mounts.under(memory)).containsExactly(memory);
            assertThat(Files.getFileStore(memory).type()).isEqualTo("tmpfs");
            assertThat(Files.getFileStore(memory).getTotalSpace()).isEqualTo(2 * 1024 * 1024);
            volumes.setUp(pod);
            assertThat(EmptyDirs.Mounts.under(memory)).hasSize(1);
        } finally {
            volumes.tearDown("uid-1");
        }
        assertThat(EmptyDirs.Mounts.under(dir)).isEmpty();
        assertThat(dir.resolve("root/pods/uid-1")).doesNotExist();
    }

    @Test
    void tmpfsSizeIsTheLimitElseThePodsMemoryLimitsElseTheNodes() {
        EmptyDirVolumeSource memory = new EmptyDirVolumeSourceBuilder().withMedium("Memory").build();
        Container limited = new ContainerBuilder(container()).withNewResources().addToLimits("memory", new Quantity("64Mi")).endResources().build();
        Container other = new ContainerBuilder(limited).withName("other").build();
        assertThat(EmptyDirs.tmpfsSize(pod(List.of(limited, other), Map.of()), memory)).isEqualTo(128L * 1024 * 1024);
        assertThat(EmptyDirs.tmpfsSize(pod(List.of(limited, other), Map.of()),
                new EmptyDirVolumeSourceBuilder(memory).withSizeLimit(new Quantity("1Mi")).build())).isEqualTo(1024 * 1024);
        assertThat(EmptyDirs.tmpfsSize(pod(List.of(limited, container()), Map.of()), memory)).isGreaterThan(128L * 1024 * 1024);
    }

    @Test
    void subPathsAreMadeInsideTheVolumeAndReadOnlyFollowsTheMountOrTheVolumeType() throws Exception {
        Path host = dir.resolve("shared");
        Container container = new ContainerBuilder(container())
                .addNewVolumeMount().withName("scratch").withMountPath("/data").withSubPath("one/two").endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/ro").withReadOnly(true).endVolumeMount()
                .addNewVolumeMount().withName("host").withMountPath("/logs").withSubPathExpr("logs/$(POD_NAME)/$(MISSING)/$$x")
                .withMountPropagation("HostToContainer").endVolumeMount()
                .build();
        Pod pod = pod(List.of(container), Map.of("scratch", "{\"emptyDir\":{}}",
                "host", "{\"hostPath\":{\"path\":\"" + host + "\",\"type\":\"DirectoryOrCreate\"}}"));
        Map<String, Path> dirs = new PodVolumes(unused, dir.resolve("root"), Clock.systemUTC(), false).setUp(pod);

        List<PodVolumes.Mount> mounts = PodVolumes.mounts(pod, container, dirs, List.of("POD_NAME=web-1", "A=b=c"));

        assertThat(mounts).containsExactly(
                new PodVolumes.Mount(dirs.get("scratch").resolve("one/two").toRealPath(), "/data", false, "None"),
                new PodVolumes.Mount(dirs.get("scratch"), "/ro", true, "None"),
                new PodVolumes.Mount(host.resolve("logs/web-1/$(MISSING)/$x").toRealPath(), "/logs", false, "HostToContainer"));
        assertThat(host.resolve("logs/web-1")).isDirectory();

        Files.createSymbolicLink(dirs.get("scratch").resolve("escape"), dir);
        Container escaping = new ContainerBuilder(container())
                .addNewVolumeMount().withName("scratch").withMountPath("/x").withSubPath("escape").endVolumeMount().build();
        assertThatThrownBy(() -> PodVolumes.mounts(pod, escaping, dirs, List.of()))
                .isInstanceOf(PodVolumes.VolumeException.class).hasMessageContaining("not within volume path");
        Container dotDot = new ContainerBuilder(container())
                .addNewVolumeMount().withName("scratch").withMountPath("/x").withSubPath("../up").endVolumeMount().build();
        assertThatThrownBy(() -> PodVolumes.mounts(pod, dotDot, dirs, List.of()))
                .hasMessage("volume mount scratch of container app: invalid subPath \"../up\"");
    }

    @Test
    void apiDataVolumesAreReadOnlyWhateverTheMountSays() throws Exception {
        Path configMap = dir.resolve("root/pods/uid-1/volumes/kubernetes.io~configmap/cfg");
        Path emptyDir = dir.resolve("root/pods/uid-1/volumes/kubernetes.io~empty-dir/scratch");
        Files.createDirectories(configMap);
        Files.createDirectories(emptyDir);
        Container container = new ContainerBuilder(container())
                .addNewVolumeMount().withName("cfg").withMountPath("/etc/cfg").withReadOnly(false).endVolumeMount()
                .addNewVolumeMount().withName("scratch").withMountPath("/scratch").endVolumeMount().build();
        Pod pod = pod(List.of(container), Map.of("cfg", "{\"configMap\":{\"name\":\"cfg\"}}", "scratch", "{\"emptyDir\":{}}"));
        Map<String, Path> dirs = Map.of("cfg", configMap, "scratch", emptyDir);

        assertThat(PodVolumes.mounts(pod, container, dirs, List.of())).extracting(PodVolumes.Mount::readOnly).containsExactly(true, false);
    }

    private static Container container() {
        return new ContainerBuilder().withName("app").withImage("busybox").build();
    }

    /** A pod with the given volumes, each as its JSON volume source. */
    private Pod pod(List<Container> containers, Map<String, String> volumes) {
        StringBuilder json = new StringBuilder("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"uid\":\"uid-1\"},\"spec\":{\"volumes\":[");
        new java.util.TreeMap<>(volumes).forEach((name, source) -> json.append(json.charAt(json.length() - 1) == '[' ? "" : ",")
                .append(source, 0, source.length() - 1).append(",\"name\":\"").append(name).append("\"}"));
        json.append("]}}");
        Pod pod = unused.getKubernetesSerialization().unmarshal(json.toString(), Pod.class);
        return new PodBuilder(pod).editSpec().withContainers(containers).endSpec().build();
    }
}
