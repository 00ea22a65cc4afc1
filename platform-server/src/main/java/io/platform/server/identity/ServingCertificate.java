package io.platform.server.identity;

import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.ClusterPki;
import io.platform.api.pki.IssuedCertificate;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's HTTPS certificate, {@code <data-dir>/pki/identity.crt|key}, issued by the cluster
 * CA: kubectl's exec plugin and the API server verify the issuer with the CA they already trust.
 */
final class ServingCertificate {

    static final String CERT_FILE = "identity.crt";
    static final String KEY_FILE = "identity.key";
    private static final Logger log = LoggerFactory.getLogger(ServingCertificate.class);
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private ServingCertificate() {}

    /** Keeps a valid certificate naming the issuer's host, else issues one. */
    static void ensure(Path pkiDir, String issuer) {
        CertificateAuthority authority = CertificateAuthority.loadOrCreate(pkiDir);
        Path certFile = pkiDir.resolve(CERT_FILE);
        Path keyFile = pkiDir.resolve(KEY_FILE);
        String issuerHost = host(issuer);
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            X509Certificate existing = IssuedCertificate.read(certFile, keyFile).certificate();
            if (authority.issued(existing) && names(existing).contains(issuerHost)) {
                return;
            }
            log.info("re-issuing {}: expired, not signed by the cluster CA or not naming {}", certFile, issuerHost);
        }
        Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1", ClusterPki.hostName(), issuerHost));
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (String host : hosts) {
            (isIpLiteral(host) ? ips : dns).add(host);
        }
        authority.issueServer("platform-identity", dns, ips).writeTo(certFile, keyFile);
    }

    private static String host(String issuer) {
        String host = URI.create(issuer).getHost();
        if (host == null) {
            throw new IllegalArgumentException("the issuer " + issuer + " names no host");
        }
        return normalize(host);
    }

    private static Set<String> names(X509Certificate certificate) {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == SAN_DNS || type == SAN_IP) {
                        names.add(normalize(String.valueOf(san.get(1))));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            log.info("cannot read the names of the identity serving certificate: {}", e.getMessage());
        }
        return names;
    }

    // IP addresses compare in one canonical form: "::1" and "0:0:0:0:0:0:0:1" are one name.
    private static String normalize(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (isIpLiteral(bare)) {
            try {
                return InetAddress.getByName(bare).getHostAddress();
            } catch (java.net.UnknownHostException e) {
                return bare;
            }
        }
        return bare.toLowerCase(Locale.ROOT);
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }
}
