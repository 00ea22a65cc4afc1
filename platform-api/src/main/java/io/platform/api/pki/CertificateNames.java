package io.platform.api.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.GeneralName;
import org.jspecify.annotations.Nullable;

/** Reads the names Kubernetes takes from a certificate: CN (user), O (groups), SANs (hosts). */
final class CertificateNames {

    private CertificateNames() {}

    static String commonName(X509Certificate certificate) {
        List<String> names = attributes(certificate, BCStyle.CN);
        return names.isEmpty() ? "" : names.getFirst();
    }

    static List<String> organizations(X509Certificate certificate) {
        return attributes(certificate, BCStyle.O);
    }

    private static List<String> attributes(X509Certificate certificate, ASN1ObjectIdentifier type) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        List<String> values = new ArrayList<>();
        for (RDN rdn : subject.getRDNs(type)) {
            values.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return values;
    }

    /** True when a DNS name or IP address SAN of the certificate equals {@code host}. */
    static boolean covers(X509Certificate certificate, String host) {
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null) {
            return false;
        }
        String wanted = host.toLowerCase(Locale.ROOT);
        byte[] wantedAddress = ipLiteral(host);
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (type == GeneralName.dNSName && value.toLowerCase(Locale.ROOT).equals(wanted)) {
                return true;
            }
            if (type == GeneralName.iPAddress && wantedAddress != null) {
                byte[] address = ipLiteral(value);
                if (address != null && Arrays.equals(address, wantedAddress)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The bytes of an IP literal, or null for a host name (never resolves names over DNS). */
    static byte @Nullable [] ipLiteral(String host) {
        String literal = stripBrackets(host);
        boolean ipv4 = literal.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = literal.contains(":") && literal.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            return null;
        }
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
