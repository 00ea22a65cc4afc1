package io.platform.api.pki;

import io.platform.common.pki.PemFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Every certificate of a data dir, found by looking rather than by a fixed list, so certificates other parts of
 * the platform add to {@code pki/} (a {@code NAME.crt} beside its {@code NAME.key}) are checked and renewed too:
 * the CA, the previous CA during a rotation, each leaf certificate, and each kubeconfig's client certificate.
 */
public final class CertificateInventory {

    static final String KUBECONFIG_SUFFIX = ".kubeconfig";
    static final Pattern CA_DATA = Pattern.compile("(?m)^(\\s+certificate-authority-data:\\s*)(\\S+)\\s*$");
    static final Pattern CLIENT_CERT_DATA = Pattern.compile("(?m)^(\\s+client-certificate-data:\\s*)(\\S+)\\s*$");
    static final Pattern CLIENT_KEY_DATA = Pattern.compile("(?m)^(\\s+client-key-data:\\s*)(\\S+)\\s*$");

    private CertificateInventory() {}

    /** The certificates under {@code dataDir}: CA first, then the previous CA, the leaves and the kubeconfigs by name. */
    public static List<CertificateEntry> of(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Path pkiDir = dir.resolve(ClusterPki.PKI_DIR);
        List<CertificateEntry> entries = new ArrayList<>();
        Path ca = pkiDir.resolve(CertificateAuthority.CA_CERT_FILE);
        if (Files.exists(ca)) {
            entries.add(new CertificateEntry("ca", ca, CertificateEntry.Kind.CA, readCertificate(ca)));
        }
        Path old = pkiDir.resolve(ClusterPki.OLD_CA_FILE);
        if (Files.exists(old)) {
            entries.add(new CertificateEntry("ca-old", old, CertificateEntry.Kind.PREVIOUS_CA, readCertificate(old)));
        }
        List<CertificateEntry> leaves = new ArrayList<>();
        for (Path file : list(pkiDir, ".crt")) {
            String fileName = file.getFileName().toString();
            if (fileName.equals(CertificateAuthority.CA_CERT_FILE) || fileName.equals(ClusterPki.OLD_CA_FILE)
                    || fileName.equals(ClusterPki.CA_BUNDLE_FILE)) {
                continue;
            }
            String name = fileName.substring(0, fileName.length() - ".crt".length());
            if (Files.exists(keyOf(file))) {
                leaves.add(new CertificateEntry(name, file, CertificateEntry.Kind.CERTIFICATE, readCertificate(file)));
            }
        }
        leaves.sort(Comparator.comparing(CertificateEntry::name));
        entries.addAll(leaves);
        for (Path file : list(dir, KUBECONFIG_SUFFIX)) {
            String pem = embedded(PemFiles.read(file), CLIENT_CERT_DATA);
            if (pem != null) {
                entries.add(new CertificateEntry(file.getFileName().toString(), file, CertificateEntry.Kind.KUBECONFIG,
                        PemFiles.parseCertificate(pem, file + " client-certificate-data")));
            }
        }
        return entries;
    }

    /** The key file beside a {@code NAME.crt}: {@code NAME.key}. */
    static Path keyOf(Path certificateFile) {
        String fileName = certificateFile.getFileName().toString();
        return certificateFile.resolveSibling(fileName.substring(0, fileName.length() - ".crt".length()) + ".key");
    }

    /** The PEM text of a base64 {@code *-data} field of a kubeconfig, or null when it has none. */
    static @Nullable String embedded(String kubeconfig, Pattern field) {
        Matcher data = field.matcher(kubeconfig);
        if (!data.find()) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(data.group(2)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static X509Certificate readCertificate(Path file) {
        return PemFiles.parseCertificate(PemFiles.read(file), file.toString());
    }

    private static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix) && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
