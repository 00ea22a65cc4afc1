package io.platform.api.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platform.api.json.Json;
import io.platform.api.testing.RunningApiServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PodSecurity as a user meets it through the real kubectl 1.33: warnings printed as {@code Warning: ...} on writes
 * that succeed, refusals, and what the audit log records (annotations, exemptions from the server's settings).
 */
class PodSecurityKubectlTest {

    private static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.33");
    private static final String RESTRICTED_REASONS = "allowPrivilegeEscalation != false (container \"c\" must set "
            + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"c\" must set "
            + "securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"c\" must set "
            + "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"c\" must set "
            + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    private static RunningApiServer server;
    private static Path work;

    private record Result(int exit, String stdout, String stderr) {}

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl 1.33 is not installed at " + KUBECTL);
        server = RunningApiServer.start("node-a",
                Map.of(PodSecurityProperties.PREFIX + ".exemptions.namespaces[0]", "sandbox"));
        work = Files.createTempDirectory("podsecurity-kubectl");
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Result kubectl(String stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(KUBECTL.toString(), "--kubeconfig",
                server.pki().adminKubeconfig().toString(), "--cache-dir", work.resolve("cache").toString(),
                "--request-timeout", "60s"));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(work, "stdout", ".txt");
            Path err = Files.createTempFile(work, "stderr", ".txt");
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl did not finish: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Result ok(String stdin, String... args) {
        Result result = kubectl(stdin, args);
        assertThat(result.exit()).as(result.stderr()).isZero();
        return result;
    }

    /** A namespace with these labels, once its default ServiceAccount (which pods need) exists. */
    private static void namespace(String name, String labels) {
        ok("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n  labels: {" + labels + "}\n",
                "apply", "-f", "-");
        await().atMost(Duration.ofSeconds(20)).until(() -> kubectl("", "get", "serviceaccount", "default", "-n", name)
                .exit() == 0);
    }

    private static String pod(String name, boolean privileged) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\nspec:\n  containers:\n  - name: c\n"
                + "    image: busybox:1.35\n    command: [sleep, '3600']\n"
                + (privileged ? "    securityContext:\n      privileged: true\n" : "");
    }

    /** The ResponseComplete event of the one pod create in {@code namespace}, once the audit log has it. */
    private static JsonNode podCreateEvent(String namespace) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> auditEvents().stream()
                .filter(e -> e.path("stage").asString("").equals("ResponseComplete")
                        && e.path("verb").asString("").equals("create")
                        && e.path("objectRef").path("resource").asString("").equals("pods")
                        && e.path("objectRef").path("namespace").asString("").equals(namespace))
                .toList(), events -> events.size() == 1).getFirst();
    }

    private static List<JsonNode> auditEvents() throws IOException {
        Path log = server.dataDir().resolve("audit.log");
        if (!Files.exists(log)) {
            return List.of();
        }
        return Files.readAllLines(log).stream()
                .map(line -> (JsonNode) Json.parseObject(line.getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void applyInAWarnNamespacePrintsTheWarningAndCreatesThePod() {
        namespace("watched", "pod-security.kubernetes.io/warn: restricted");
        Result applied = ok(pod("web", false), "apply", "-n", "watched", "-f", "-");
        assertThat(applied.stderr()).contains("Warning: would violate PodSecurity \"restricted:latest\": " + RESTRICTED_REASONS);
        assertThat(applied.stdout()).contains("pod/web created");
        assertThat(ok("", "get", "pod", "web", "-n", "watched", "-o", "name").stdout().strip()).isEqualTo("pod/web");
        assertThat(podCreateEvent("watched").path("annotations").path("pod-security.kubernetes.io/enforce-policy")
                .asString("")).isEqualTo("privileged:latest");

        Result deployment = ok("", "create", "deployment", "api", "-n", "watched", "--image=busybox:1.35");
        assertThat(deployment.stderr()).contains("Warning: would violate PodSecurity \"restricted:latest\": "
                + "allowPrivilegeEscalation != false (container \"busybox\" must set securityContext.allowPrivilegeEscalation=false)");
        assertThat(deployment.stdout()).contains("deployment.apps/api created");
    }

    @Test
    void labellingANamespaceRestrictedPrintsTheExistingPodsThatViolateIt() {
        namespace("legacy", "");
        ok(pod("app", false), "apply", "-n", "legacy", "-f", "-");

        Result labelled = ok("", "label", "namespace", "legacy", "pod-security.kubernetes.io/enforce=restricted");
        assertThat(labelled.stderr()).contains("Warning: existing pods in namespace \"legacy\" violate the new "
                + "PodSecurity enforce level \"restricted:latest\"", "Warning: app: allowPrivilegeEscalation != false, "
                + "unrestricted capabilities, runAsNonRoot != true, seccompProfile");
        assertThat(labelled.stdout()).contains("namespace/legacy labeled");

        Result refused = kubectl(pod("late", false), "apply", "-n", "legacy", "-f", "-");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.stderr()).contains("pods \"late\" is forbidden: violates PodSecurity \"restricted:latest\": "
                + RESTRICTED_REASONS);

        Result invalid = kubectl("", "label", "namespace", "legacy", "pod-security.kubernetes.io/enforce=strict",
                "--overwrite");
        assertThat(invalid.exit()).isNotZero();
        assertThat(invalid.stderr()).contains("Namespace \"legacy\" is invalid: metadata.labels"
                + "[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, "
                + "restricted");
    }

    @Test
    void theAuditLevelAndExemptionsAreRecordedInTheAuditLog() {
        namespace("audited", "pod-security.kubernetes.io/audit: baseline");
        Result quiet = ok(pod("root", true), "apply", "-n", "audited", "-f", "-");
        assertThat(quiet.stderr()).doesNotContain("Warning");
        JsonNode annotations = podCreateEvent("audited").path("annotations");
        assertThat(annotations.path("pod-security.kubernetes.io/audit-violations").asString("")).isEqualTo(
                "would violate PodSecurity \"baseline:latest\": privileged (container \"c\" must not set "
                        + "securityContext.privileged=true)");
        assertThat(annotations.path("pod-security.kubernetes.io/enforce-policy").asString("")).isEqualTo("privileged:latest");

        // exempt by the server's settings: the labels are ignored, and the label update says so
        namespace("sandbox", "");
        Result exemptLabel = ok("", "label", "namespace", "sandbox", "pod-security.kubernetes.io/enforce=restricted");
        assertThat(exemptLabel.stderr()).contains("Warning: namespace \"sandbox\" is exempt from Pod Security, and the "
                + "policy (enforce=restricted:latest) will be ignored");
        ok(pod("root", true), "apply", "-n", "sandbox", "-f", "-");
        assertThat(podCreateEvent("sandbox").path("annotations").path("pod-security.kubernetes.io/exempt").asString(""))
                .isEqualTo("namespace");
    }
}
