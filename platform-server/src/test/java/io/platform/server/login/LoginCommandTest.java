package io.platform.server.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ExecConfig;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.platform.api.pki.ClusterPki;
import io.platform.server.identity.RunningIdentityProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code platform login}: the kubeconfig it writes, and a sign-in against the data dir's built-in provider. */
class LoginCommandTest {

    private static final List<String> PLUGIN = List.of("/opt/platform/platform");

    @TempDir
    Path dataDir;

    @TempDir
    Path home;

    @Test
    void writesAnExecPluginUserAndAContextForTheBuiltInProvider() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1");
        Files.writeString(dataDir.resolve(LoginCommand.ISSUER_FILE), "https://127.0.0.1:6444\n");
        Path kubeconfig = home.resolve(".kube/config");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = login(out, Optional.empty()).run(List.of("--kubeconfig", kubeconfig.toString(), "--no-sign-in",
                "--data-dir", dataDir.toString()), Path.of("unused"));

        assertThat(code).isZero();
        Config config = KubeConfigUtils.parseConfig(kubeconfig.toFile());
        assertThat(config.getCurrentContext()).isEqualTo("oidc-platform@platform");
        NamedAuthInfo user = config.getUsers().getFirst();
        assertThat(user.getName()).isEqualTo("oidc-platform");
        ExecConfig exec = user.getUser().getExec();
        assertThat(exec.getApiVersion()).isEqualTo("client.authentication.k8s.io/v1");
        assertThat(exec.getCommand()).isEqualTo("/opt/platform/platform");
        assertThat(exec.getArgs()).containsExactly("credential", "--issuer", "https://127.0.0.1:6444",
                "--client-id", "kubectl", "--ca-file", pki.caCertificate().toString());
        assertThat(exec.getInteractiveMode()).isEqualTo("IfAvailable");
        NamedCluster cluster = config.getClusters().getFirst();
        assertThat(cluster.getName()).isEqualTo("platform");
        assertThat(cluster.getCluster().getServer()).isEqualTo("https://127.0.0.1:6443");
        assertThat(cluster.getCluster().getCertificateAuthorityData()).isNotBlank();
        assertThat(Files.getPosixFilePermissions(kubeconfig)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("oidc-platform@platform");
    }

    @Test
    void keepsWhatElseTheKubeconfigHoldsAndReplacesItsOwnEntries() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1");
        Path kubeconfig = home.resolve("config");
        Files.copy(pki.adminKubeconfig(), kubeconfig);
        List<String> args = List.of("--kubeconfig", kubeconfig.toString(), "--no-sign-in", "--issuer",
                "https://idp.example.com", "--client-id", "platform", "--user", "alice", "--device",
                "--data-dir", dataDir.toString());

        login(new ByteArrayOutputStream(), Optional.empty()).run(args, Path.of("unused"));
        login(new ByteArrayOutputStream(), Optional.empty()).run(args, Path.of("unused"));

        Config config = KubeConfigUtils.parseConfig(kubeconfig.toFile());
        assertThat(config.getUsers()).extracting(NamedAuthInfo::getName).containsExactly("admin", "alice");
        assertThat(config.getContexts()).extracting(c -> c.getName()).containsExactly("admin@platform", "alice@platform");
        assertThat(config.getCurrentContext()).isEqualTo("alice@platform");
        assertThat(config.getUsers().get(1).getUser().getExec().getArgs())
                .containsExactly("credential", "--issuer", "https://idp.example.com", "--client-id", "platform", "--device");
    }

    @Test
    void withoutAProviderOnTheDataDirItSaysHowToStartOne() {
        assertThatThrownBy(() -> login(new ByteArrayOutputStream(), Optional.empty())
                .run(List.of("--data-dir", dataDir.toString(), "--kubeconfig", home.resolve("c").toString()), Path.of("x")))
                .isInstanceOf(CredentialCommand.UsageError.class)
                .hasMessageContaining("platform up");
    }

    @Test
    void signsInOnceAndShowsWhoTheUserIs() throws Exception {
        ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1");
        try (RunningIdentityProvider provider = RunningIdentityProvider.start(dataDir)) {
            provider.addUser("erin", "erins password", List.of("devs"));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AtomicInteger signIns = new AtomicInteger();
            CredentialCommand credential = new CredentialCommand(new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC(),
                    Optional.of(CredentialCommandTestBrowsers.signingIn(provider, "erin", "erins password", signIns)));

            new LoginCommand(new PrintStream(out, true, StandardCharsets.UTF_8), credential, PLUGIN).run(List.of(
                    "--kubeconfig", home.resolve("config").toString(), "--data-dir", dataDir.toString(),
                    "--cache-dir", home.resolve("cache").toString()), Path.of("unused"));

            assertThat(out.toString(StandardCharsets.UTF_8)).contains("as erin (groups devs)");
            assertThat(signIns).hasValue(1);
            assertThat(KubeConfigUtils.parseConfig(home.resolve("config").toFile()).getUsers().getFirst().getUser()
                    .getExec().getArgs()).containsSubsequence("--cache-dir", home.resolve("cache").toString());
        }
    }

    private LoginCommand login(ByteArrayOutputStream out, Optional<java.util.function.Consumer<java.net.URI>> browser) {
        CredentialCommand credential = new CredentialCommand(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), Clock.systemUTC(), browser);
        return new LoginCommand(new PrintStream(out, true, StandardCharsets.UTF_8), credential, PLUGIN);
    }
}
