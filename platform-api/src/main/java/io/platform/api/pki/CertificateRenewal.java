package io.platform.api.pki;

import io.platform.common.pki.PemFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the certificates of a data dir and rotates its CA, as {@code kubeadm certs renew} and the manual CA
 * rotation of Kubernetes' documentation do, by writing files only: the API server and the node agents reload
 * their serving certificates and the trust bundle when those change.
 *
 * <p>A renewal keeps each certificate's subject, SANs and key usages, and its key unless new keys are asked for;
 * kubeconfigs get a new client certificate in place and the current trust bundle as their CA data. A CA
 * rotation, as Kubernetes' manual rotation, first makes every party trust both CAs ({@code pki/ca-bundle.crt})
 * and re-issues client certificates and kubeconfigs by the new CA; {@link #finishCaRotation} then re-issues the
 * serving certificates by the new CA and drops the old CA from the bundle.
 */
public final class CertificateRenewal {

    private static final Logger log = LoggerFactory.getLogger(CertificateRenewal.class);
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final DateTimeFormatter CA_SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path dataDir;
    private final Path pkiDir;
    private final Clock clock;

    public CertificateRenewal(Path dataDir, Clock clock) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.pkiDir = this.dataDir.resolve(ClusterPki.PKI_DIR);
        this.clock = clock;
    }

    /**
     * Re-issues the named certificates ({@code certs check} names them), every renewable one when {@code names}
     * is empty, each valid {@code validity} from now, with new keys when {@code newKeys}. Returns what was written.
     */
    public List<CertificateEntry> renew(Collection<String> names, Duration validity, boolean newKeys) {
        List<CertificateEntry> all = CertificateInventory.of(dataDir);
        List<CertificateEntry> chosen = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>(names);
        for (CertificateEntry entry : all) {
            if (names.isEmpty() ? entry.renewable() : wanted.remove(entry.name())) {
                if (!entry.renewable()) {
                    throw new PkiException(entry.name() + " is a CA certificate; a CA is replaced by ./platform certs rotate-ca");
                }
                chosen.add(entry);
            }
        }
        if (!wanted.isEmpty()) {
            throw new PkiException("no certificate named " + String.join(", ", wanted) + " in " + dataDir
                    + "; ./platform certs check lists them: "
                    + String.join(", ", all.stream().filter(CertificateEntry::renewable).map(CertificateEntry::name).toList()));
        }
        return reissue(chosen, authority().withLeafValidity(validity), newKeys);
    }

    /**
     * Renews, keeping keys, every certificate that expires within {@code within} or that no trusted CA issued: what
     * a launcher calls on a schedule so certificates never lapse while the platform runs.
     */
    public List<CertificateEntry> renewExpiring(Duration within, Duration validity) {
        CertificateAuthority authority = authority().withLeafValidity(validity);
        List<X509Certificate> trusted = PemFiles.parseCertificates(
                PemFiles.read(pkiDir.resolve(ClusterPki.CA_BUNDLE_FILE)), ClusterPki.CA_BUNDLE_FILE);
        Instant limit = clock.instant().plus(within);
        List<CertificateEntry> due = CertificateInventory.of(dataDir).stream()
                .filter(CertificateEntry::renewable)
                .filter(e -> e.notAfter().isBefore(limit)
                        || trusted.stream().noneMatch(ca -> signedBy(e.certificate(), ca)))
                .toList();
        return reissue(due, authority, false);
    }

    /**
     * Starts a CA rotation: the current CA becomes {@code pki/ca-old.crt}, a new CA is written as
     * {@code pki/ca.crt|key}, {@code pki/ca-bundle.crt} trusts both, and every client certificate and kubeconfig
     * is re-issued by the new CA (kubeconfigs with the bundle as their CA data). Serving certificates keep the old
     * CA until {@link #finishCaRotation}. Refused while a rotation is in progress.
     */
    public List<CertificateEntry> rotateCa(Duration validity, boolean newKeys) {
        Path oldFile = pkiDir.resolve(ClusterPki.OLD_CA_FILE);
        if (Files.exists(oldFile)) {
            throw new PkiException("a CA rotation is already in progress (" + oldFile
                    + " exists); finish it first with ./platform certs rotate-ca --finish");
        }
        CertificateAuthority old = authority();
        CertificateAuthority fresh = CertificateAuthority.create(clock,
                CertificateAuthority.CA_COMMON_NAME + "-" + CA_SUFFIX.format(clock.instant()));
        PemFiles.write(oldFile, PemFiles.certificatePem(old.certificate()), PemFiles.WORLD_READABLE);
        writeBundle(List.of(fresh.certificate(), old.certificate()));
        fresh.writeTo(pkiDir);
        log.info("rotating the cluster CA: {} replaces {}; both are trusted until the rotation is finished",
                fresh.certificate().getSubjectX500Principal().getName(), old.certificate().getSubjectX500Principal().getName());
        // Serving certificates stay with the old CA until the rotation finishes, so clients that do not trust the
        // new CA yet keep working; client certificates of the new CA are accepted at once by servers trusting the bundle.
        List<CertificateEntry> clients = CertificateInventory.of(dataDir).stream()
                .filter(CertificateEntry::renewable)
                .filter(e -> !serving(e.certificate()))
                .toList();
        return reissue(clients, fresh.withLeafValidity(validity), newKeys);
    }

    /** Waits, after the serving certificates of the new CA are written, until running servers present them. */
    @FunctionalInterface
    public interface ServingCheck {

        /** Returns once servers serve certificates {@code newCa} signed; throws (a {@link PkiException}) to stop. */
        void awaitServing(X509Certificate newCa);
    }

    /** Ends a CA rotation without waiting for running servers: for a platform that is stopped. */
    public List<CertificateEntry> finishCaRotation(Duration validity) {
        return finishCaRotation(validity, newCa -> {});
    }

    /**
     * Ends a CA rotation: re-issues (same keys) whatever the new CA did not issue yet, the serving certificates
     * above all, while kubeconfigs and {@code pki/ca-bundle.crt} still trust both CAs; then {@code servingCheck}
     * waits until running servers reloaded them, so no client distrusts a certificate a server still serves; only
     * then the bundle and kubeconfigs trust only the new CA and {@code pki/ca-old.crt} is removed. When the check
     * throws, the rotation stays in progress (both CAs trusted) and {@code --finish} can be run again. Returns the
     * certificates written.
     */
    public List<CertificateEntry> finishCaRotation(Duration validity, ServingCheck servingCheck) {
        Path oldFile = pkiDir.resolve(ClusterPki.OLD_CA_FILE);
        if (!Files.exists(oldFile)) {
            throw new PkiException("no CA rotation is in progress (" + oldFile + " does not exist)");
        }
        CertificateAuthority current = authority().withLeafValidity(validity);
        List<CertificateEntry> stale = CertificateInventory.of(dataDir).stream()
                .filter(CertificateEntry::renewable)
                .filter(e -> !signedBy(e.certificate(), current.certificate()))
                .toList();
        List<CertificateEntry> written = new ArrayList<>(reissue(stale, current, false));
        servingCheck.awaitServing(current.certificate());
        writeBundle(List.of(current.certificate()));
        for (CertificateEntry entry : CertificateInventory.of(dataDir)) {
            if (entry.kind() == CertificateEntry.Kind.KUBECONFIG) {
                writeKubeconfig(entry.file(), PemFiles.read(entry.file()), null, null);
            }
        }
        try {
            Files.delete(oldFile);
        } catch (IOException e) {
            throw new PkiException("cannot remove " + oldFile + ": " + e.getMessage(), e);
        }
        log.info("finished the CA rotation: only {} is trusted", current.certificate().getSubjectX500Principal().getName());
        return written;
    }

    private List<CertificateEntry> reissue(List<CertificateEntry> entries, CertificateAuthority authority, boolean newKeys) {
        List<CertificateEntry> written = new ArrayList<>();
        for (CertificateEntry entry : entries) {
            X509Certificate renewed = switch (entry.kind()) {
                case CERTIFICATE -> reissueFile(entry, authority, newKeys);
                case KUBECONFIG -> reissueKubeconfig(entry, authority, newKeys);
                case CA, PREVIOUS_CA -> throw new PkiException(entry.name() + " is a CA certificate and is not re-issued");
            };
            log.info("renewed {} ({}), valid until {}", entry.name(), entry.subject(), renewed.getNotAfter().toInstant());
            written.add(new CertificateEntry(entry.name(), entry.file(), entry.kind(), renewed));
        }
        return written;
    }

    private X509Certificate reissueFile(CertificateEntry entry, CertificateAuthority authority, boolean newKeys) {
        Path keyFile = CertificateInventory.keyOf(entry.file());
        if (newKeys) {
            IssuedCertificate issued = authority.reissueWithNewKey(entry.certificate());
            issued.writeTo(entry.file(), keyFile);
            return issued.certificate();
        }
        PrivateKey key = PemFiles.parsePrivateKey(PemFiles.read(keyFile), keyFile.toString());
        X509Certificate renewed = authority.reissue(entry.certificate(), entry.certificate().getPublicKey());
        new IssuedCertificate(renewed, key).writeTo(entry.file(), keyFile);
        return renewed;
    }

    private X509Certificate reissueKubeconfig(CertificateEntry entry, CertificateAuthority authority, boolean newKeys) {
        String content = PemFiles.read(entry.file());
        IssuedCertificate issued;
        if (newKeys) {
            issued = authority.reissueWithNewKey(entry.certificate());
        } else {
            String keyPem = CertificateInventory.embedded(content, CertificateInventory.CLIENT_KEY_DATA);
            if (keyPem == null) {
                throw new PkiException(entry.file() + " has a client certificate but no client-key-data");
            }
            PrivateKey key = PemFiles.parsePrivateKey(keyPem, entry.file() + " client-key-data");
            issued = new IssuedCertificate(authority.reissue(entry.certificate(), entry.certificate().getPublicKey()), key);
        }
        writeKubeconfig(entry.file(), content, issued.certificatePem(), newKeys ? issued.kubeconfigKeyPem() : null);
        return issued.certificate();
    }

    /** Rewrites a kubeconfig with the current trust bundle and, when given, a new client certificate and key. */
    private void writeKubeconfig(Path file, String content, @Nullable String certificatePem, @Nullable String keyPem) {
        String updated = replace(content, CertificateInventory.CA_DATA, PemFiles.read(pkiDir.resolve(ClusterPki.CA_BUNDLE_FILE)));
        if (certificatePem != null) {
            updated = replace(updated, CertificateInventory.CLIENT_CERT_DATA, certificatePem);
        }
        if (keyPem != null) {
            updated = replace(updated, CertificateInventory.CLIENT_KEY_DATA, keyPem);
        }
        PemFiles.write(file, updated, PemFiles.OWNER_ONLY);
    }

    private static String replace(String content, Pattern field, String pem) {
        Matcher matcher = field.matcher(content);
        if (!matcher.find()) {
            return content;
        }
        String data = Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
        return content.substring(0, matcher.start(2)) + data + content.substring(matcher.end(2));
    }

    private void writeBundle(List<X509Certificate> trusted) {
        PemFiles.write(pkiDir.resolve(ClusterPki.CA_BUNDLE_FILE), PemFiles.certificatesPem(trusted), PemFiles.WORLD_READABLE);
    }

    private CertificateAuthority authority() {
        if (!Files.exists(pkiDir.resolve(CertificateAuthority.CA_CERT_FILE))) {
            throw new PkiException("no cluster CA in " + pkiDir + "; ./platform up creates it");
        }
        CertificateAuthority authority = CertificateAuthority.loadOrCreate(pkiDir, clock);
        if (!Files.exists(pkiDir.resolve(ClusterPki.CA_BUNDLE_FILE))) {
            ClusterPki.ensureBundle(pkiDir, authority, new ArrayList<>());
        }
        return authority;
    }

    private static boolean serving(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages != null && usages.contains(SERVER_AUTH);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static boolean signedBy(X509Certificate certificate, X509Certificate issuer) {
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
