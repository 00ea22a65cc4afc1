package io.platform.e2e.security;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.Kubeconfig;
import io.platform.api.testing.RunningApiServer;
import io.platform.api.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * One API server for a security suite and the real kubectl 1.33 against it: as the admin, as a user the cluster CA
 * issues a certificate to, or with no credentials of its own (for {@code --token}). Closing it stops the server
 * and removes its work folder. Starting it skips the suite when kubectl 1.33 is not installed.
 */
final class KubectlCluster implements AutoCloseable {

    static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.33");

    private final RunningApiServer server;
    private final Path work;
    private final Kubectl admin;

    private KubectlCluster(RunningApiServer server, Path work) {
        this.server = server;
        this.work = work;
        this.admin = new Kubectl(KUBECTL, server.pki().adminKubeconfig(), work.resolve("cache-admin"));
    }

    static KubectlCluster start(String suite) throws IOException {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl 1.33 is not installed at " + KUBECTL);
        Path work = Files.createTempDirectory("kubectl-" + suite);
        return new KubectlCluster(RunningApiServer.start("node-a"), work);
    }

    RunningApiServer server() {
        return server;
    }

    /** kubectl as {@code admin} in {@code system:masters}. */
    Kubectl admin() {
        return admin;
    }

    /** kubectl as {@code user} in {@code groups}, with a client certificate from the cluster CA. */
    Kubectl user(String user, List<String> groups) throws IOException {
        CertificateAuthority ca = server.pki().authority();
        Path kubeconfig = work.resolve(user + ".kubeconfig");
        Files.writeString(kubeconfig, Kubeconfig.render(server.url(), ca.certificatePem(), user,
                ca.issueClient(user, groups)));
        return new Kubectl(KUBECTL, kubeconfig, work.resolve("cache-" + user));
    }

    /** kubectl trusting the cluster CA with no credentials: every call brings its own, e.g. {@code --token}. */
    Kubectl withoutCredentials() throws IOException {
        Path kubeconfig = Kubectl.credentiallessKubeconfig(work.resolve("no-credentials.kubeconfig"), server.url(),
                server.pki().caCertificate());
        return new Kubectl(KUBECTL, kubeconfig, work.resolve("cache-no-credentials"));
    }

    @Override
    public void close() throws IOException {
        server.close();
        try (Stream<Path> paths = Files.walk(work)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
