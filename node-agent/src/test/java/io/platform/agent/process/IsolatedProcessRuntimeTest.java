package io.platform.agent.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.platform.agent.testing.RequiresRoot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The process runtime as root: a network namespace per pod on the runtime's bridge, a mount namespace per container
 * with its volumes at their container paths, cgroups with its limits. Run it inside a network namespace made for
 * tests (see SESSION notes: {@code nsenter --net=/var/run/netns/dev}) so the bridge and pod namespaces stay there.
 */
@RequiresRoot
class IsolatedProcessRuntimeTest extends ProcessRuntimeScenarios {

    @Override
    boolean isolate() {
        return true;
    }

    @Override
    void assertPodAddress(String podIp) {
        assertThat(podIp).startsWith("10.213.");
    }

    @Test
    void aPodHasItsOwnAddressHostnameAndServesOnIt() throws Exception {
        kubectl.ok("create", "configmap", "www", "--from-literal=index.html=hello-from-pod");
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: web}
                spec:
                  nodeName: %s
                  volumes: [{name: www, configMap: {name: www}}]
                  containers:
                  - name: httpd
                    image: busybox:1.35
                    command: [/bin/sh, -c, 'hostname; exec /bin/busybox httpd -f -p 18080 -h /www']
                    volumeMounts: [{name: www, mountPath: /www}]
                """);
        kubectl.ok("wait", "--for=condition=Ready", "pod/web", "--timeout=60s");
        String podIp = jsonpath("web", "{.status.podIP}");
        assertPodAddress(podIp);
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("logs", "web").stdout(), "web\n"::equals);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> http.send(HttpRequest.newBuilder(URI.create("http://" + podIp + ":18080/"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 200);
            assertThat(response.body()).isEqualTo("hello-from-pod");
        }
        // the volume is at its container path only inside the container's mount namespace; the mount point the runtime
        // made for it on the host goes with the pod
        assertThat(java.nio.file.Path.of("/www/index.html")).doesNotExist();
        kubectl.ok("delete", "pod", "web", "--wait=true", "--timeout=60s");
        assertThat(java.nio.file.Path.of("/www")).doesNotExist();
    }

    @Test
    void theServiceAccountTokenIsAtItsContainerPath() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: token}
                spec:
                  nodeName: %s
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/sh, -c, 'd=/var/run/secrets/kubernetes.io/serviceaccount; cat $d/namespace; echo; ls $d; head -c 3 $d/token; echo; exec sleep 1000']
                """);
        kubectl.ok("wait", "--for=condition=Ready", "pod/token", "--timeout=60s");
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl.run("logs", "token").stdout(),
                out -> out.equals("default\nca.crt\nnamespace\ntoken\neyJ\n"));
    }

    @Test
    void aContainerOverItsMemoryLimitIsOomKilled() {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: hungry}
                spec:
                  nodeName: %s
                  restartPolicy: Never
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [/bin/busybox, tail, /dev/zero]
                    resources: {limits: {memory: 32Mi, cpu: 500m}}
                """);
        await("OOMKilled").atMost(Duration.ofSeconds(60))
                .until(() -> jsonpath("hungry", "{.status.containerStatuses[0].state.terminated.reason}"), "OOMKilled"::equals);
        assertThat(jsonpath("hungry", "{.status.containerStatuses[0].state.terminated.exitCode}")).isEqualTo("137");
        assertThat(jsonpath("hungry", "{.status.phase}")).isEqualTo("Failed");
    }

    @Test
    void limitsReachTheContainersCgroups() throws Exception {
        apply("""
                apiVersion: v1
                kind: Pod
                metadata: {name: limited}
                spec:
                  nodeName: %s
                  containers:
                  - name: app
                    image: busybox:1.35
                    command: [sleep, "3600"]
                    resources: {limits: {memory: 64Mi, cpu: 250m}, requests: {cpu: 100m}}
                """);
        kubectl.ok("wait", "--for=condition=Ready", "pod/limited", "--timeout=60s");
        InstanceRecord record = record("limited", "app");
        java.nio.file.Path memory = java.nio.file.Path.of(record.cgroups().get(0));
        java.nio.file.Path cpu = java.nio.file.Path.of(record.cgroups().get(1));
        assertThat(java.nio.file.Files.readString(memory.resolve("memory.limit_in_bytes")).strip()).isEqualTo(Long.toString(64L << 20));
        assertThat(java.nio.file.Files.readString(cpu.resolve("cpu.cfs_quota_us")).strip()).isEqualTo("25000");
        assertThat(java.nio.file.Files.readString(cpu.resolve("cpu.shares")).strip()).isEqualTo("102");
        assertThat(ContainerCgroups.processes(record.cgroups())).contains(record.pid());
    }
}
