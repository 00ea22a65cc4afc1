package io.platform.common.pki;

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
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.jspecify.annotations.Nullable;

/** The names Kubernetes reads from certificates and certificate requests: CN (user), O (groups), SANs (hosts). */
public final class CertificateNames {

    private CertificateNames() {}

    /** A subject with one O per group and the user as CN, as the Kubernetes x509 authenticator reads them. */
    public static X500Name subject(String commonName, List<String> organizations) {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(organization -> subject.addRDN(BCStyle.O, organization));
        subject.addRDN(BCStyle.CN, commonName);
        return subject.build();
    }

    /** DNS name and IP address subject alternative names, or null when there are none. */
    public static @Nullable GeneralNames subjectAlternativeNames(List<String> dnsNames, List<String> ipAddresses) {
        List<GeneralName> sans = new ArrayList<>();
        dnsNames.forEach(dns -> sans.add(new GeneralName(GeneralName.dNSName, dns)));
        ipAddresses.forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, stripBrackets(ip))));
        return sans.isEmpty() ? null : new GeneralNames(sans.toArray(GeneralName[]::new));
    }

    public static String commonName(X509Certificate certificate) {
        return commonName(subjectOf(certificate));
    }

    public static String commonName(X500Name subject) {
        List<String> names = attributes(subject, BCStyle.CN);
        return names.isEmpty() ? "" : names.getFirst();
    }

    public static List<String> organizations(X509Certificate certificate) {
        return organizations(subjectOf(certificate));
    }

    public static List<String> organizations(X500Name subject) {
        return attributes(subject, BCStyle.O);
    }

    private static X500Name subjectOf(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    private static List<String> attributes(X500Name subject, ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : subject.getRDNs(type)) {
            values.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        }
        return values;
    }

    /** True when a DNS name or IP address SAN of the certificate equals {@code host}. */
    public static boolean covers(X509Certificate certificate, String host) {
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
    public static byte @Nullable [] ipLiteral(String host) {
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

    public static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
