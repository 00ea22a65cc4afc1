package io.platform.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.pki.CertificateEntry;
import io.platform.api.pki.CertificateInventory;
import io.platform.api.pki.ClusterPki;
import io.platform.api.pki.IssuedCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code platform certs check | renew | rotate-ca} through {@link PlatformMain}, on a data dir the launcher would write. */
class CertsCommandTest {

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PlatformMain main = new PlatformMain(new PrintStream(printed, true, UTF_8));

    /** A PKI written 350 days ago: its one-year leaf certificates have about 15 days left. */
    private ClusterPki oldPki() {
        Instant written = Instant.now().minus(Duration.ofDays(350));
        return ClusterPki.loadOrCreate(dataDir, "https://127.0.0.1:6443", "node-1", "127.0.0.1",
                Clock.fixed(written, ZoneOffset.UTC));
    }

    private String output() {
        return printed.toString(UTF_8);
    }

    @Test
    void checkListsEveryCertificateWithExpiryAndWarnsAboutThoseExpiringSoon() {
        ClusterPki pki = oldPki();
        X509Certificate serving = IssuedCertificate.read(pki.apiServerCertificate(), pki.apiServerKey()).certificate();

        int code = main.run(List.of("certs", "check", "--data-dir", dataDir.toString()));

        assertThat(code).isEqualTo(PlatformMain.OK);
        String out = output();
        assertThat(out.lines().findFirst().orElseThrow()).startsWith("NAME").contains("SUBJECT", "ISSUER", "NOT AFTER", "DAYS LEFT");
        assertThat(out).containsPattern("(?m)^ca\\s+pki/ca\\.crt\\s+CN=platform-ca\\s+CN=platform-ca\\s+\\S+Z\\s+3[0-9]{3}$");
        assertThat(out).containsPattern("(?m)^apiserver\\s+pki/apiserver\\.crt\\s+CN=kube-apiserver\\s+CN=platform-ca\\s+"
                + serving.getNotAfter().toInstant().truncatedTo(ChronoUnit.SECONDS) + "\\s+1[45]$");
        assertThat(out).containsPattern("(?m)^admin\\.kubeconfig\\s+admin\\.kubeconfig\\s+CN=admin,O=system:masters\\s+");
        assertThat(out).contains("WARNING: apiserver expires in 1", "run: platform certs renew apiserver");
        assertThat(out).contains("WARNING: web-console.kubeconfig expires in");
        assertThat(out).doesNotContain("WARNING: ca ");
    }

    @Test
    void renewMovesNotAfterAndKeepsTheSubject() {
        ClusterPki pki = oldPki();
        X509Certificate before = IssuedCertificate.read(pki.apiServerCertificate(), pki.apiServerKey()).certificate();

        int code = main.run(List.of("certs", "renew", "apiserver", "--days", "90", "--data-dir", dataDir.toString()));

        assertThat(code).isEqualTo(PlatformMain.OK);
        X509Certificate after = IssuedCertificate.read(pki.apiServerCertificate(), pki.apiServerKey()).certificate();
        assertThat(after.getNotAfter()).isAfter(before.getNotAfter());
        assertThat(Duration.between(Instant.now(), after.getNotAfter().toInstant()).toDays()).isBetween(89L, 90L);
        assertThat(after.getSubjectX500Principal()).isEqualTo(before.getSubjectX500Principal());
        assertThat(output()).contains("renewed apiserver (CN=kube-apiserver) until");

        printed.reset();
        assertThat(main.run(List.of("certs", "renew", "--all", "--data-dir", dataDir.toString()))).isEqualTo(PlatformMain.OK);
        assertThat(output()).contains("renewed admin.kubeconfig (CN=admin,O=system:masters)");
        printed.reset();
        main.run(List.of("certs", "check", "--data-dir", dataDir.toString()));
        assertThat(output()).doesNotContain("WARNING");
    }

    @Test
    void rotateCaTrustsBothCasUntilFinished() {
        oldPki();
        Path bundle = dataDir.resolve("pki/ca-bundle.crt");

        assertThat(main.run(List.of("certs", "rotate-ca", "--data-dir", dataDir.toString()))).isEqualTo(PlatformMain.OK);
        assertThat(certificatesIn(bundle)).isEqualTo(2);
        assertThat(output()).contains("renewed admin.kubeconfig", "rotate-ca --finish").doesNotContain("renewed apiserver (");
        List<CertificateEntry> entries = CertificateInventory.of(dataDir);
        assertThat(entries).extracting(CertificateEntry::name).contains("ca", "ca-old");
        String newCa = entries.getFirst().subject();
        assertThat(entries).filteredOn(CertificateEntry::renewable).filteredOn(e -> e.name().endsWith(".kubeconfig"))
                .extracting(CertificateEntry::issuer).containsOnly(newCa);
        assertThat(main.run(List.of("certs", "rotate-ca", "--data-dir", dataDir.toString()))).isEqualTo(PlatformMain.USAGE);

        assertThat(main.run(List.of("certs", "rotate-ca", "--finish", "--data-dir", dataDir.toString()))).isEqualTo(PlatformMain.OK);
        assertThat(certificatesIn(bundle)).isEqualTo(1);
        assertThat(output()).contains("renewed apiserver (");
        assertThat(CertificateInventory.of(dataDir)).extracting(CertificateEntry::name).doesNotContain("ca-old");
        assertThat(CertificateInventory.of(dataDir)).filteredOn(CertificateEntry::renewable)
                .extracting(CertificateEntry::issuer).containsOnly(newCa);
    }

    @Test
    void wrongUsageExitsWithTwo() {
        oldPki();

        assertThat(main.run(List.of("certs"))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("certs", "renew", "--data-dir", dataDir.toString()))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("certs", "renew", "--all", "apiserver", "--data-dir", dataDir.toString())))
                .isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("certs", "renew", "nope", "--data-dir", dataDir.toString()))).isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("certs", "renew", "--all", "--days", "0", "--data-dir", dataDir.toString())))
                .isEqualTo(PlatformMain.USAGE);
        assertThat(main.run(List.of("certs", "check", "--data-dir", dataDir.resolve("missing").toString())))
                .isEqualTo(PlatformMain.USAGE);
    }

    private static long certificatesIn(Path bundle) {
        try {
            return Files.readAllLines(bundle).stream().filter(l -> l.equals("-----BEGIN CERTIFICATE-----")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
