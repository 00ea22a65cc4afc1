package io.platform.common.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;
import org.jspecify.annotations.Nullable;

/**
 * A PKCS#10 certificate signing request as the certificates.k8s.io API carries it in {@code spec.request}: a PEM
 * {@code CERTIFICATE REQUEST} block. The parsed form exposes what Kubernetes' signers and approvers look at: the
 * subject's CN (user) and O (groups), the subject alternative names by kind, the public key and whether the request
 * is signed by that key's private half. {@link #subjectAlternativeNames()} holds only the DNS, IP, e-mail and URI
 * names, the kinds a signer copies into the certificate.
 */
public record CertificateRequest(X500Name subject, String commonName, List<String> organizations,
        List<String> dnsNames, List<InetAddress> ipAddresses, List<String> emailAddresses, List<String> uris,
        @Nullable GeneralNames subjectAlternativeNames, PublicKey publicKey, boolean signatureValid) {

    /** The PEM block type upstream's certificate request parsing insists on. */
    public static final String PEM_TYPE = "CERTIFICATE REQUEST";

    public CertificateRequest {
        organizations = List.copyOf(organizations);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        emailAddresses = List.copyOf(emailAddresses);
        uris = List.copyOf(uris);
    }

    /** True when the request names no DNS, IP, e-mail or URI subject alternative name. */
    public boolean hasNoSubjectAlternativeNames() {
        return dnsNames.isEmpty() && ipAddresses.isEmpty() && emailAddresses.isEmpty() && uris.isEmpty();
    }

    /**
     * A PEM request for a certificate whose subject is {@code commonName} with one O per organization (as the
     * Kubernetes x509 authenticator reads user and groups), naming the given DNS names and IP addresses as subject
     * alternative names, signed by {@code keys}.
     */
    public static String createPem(KeyPair keys, String commonName, List<String> organizations, List<String> dnsNames,
            List<String> ipAddresses) {
        if (commonName.isBlank()) {
            throw new IllegalArgumentException("a certificate request needs a common name");
        }
        JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(
                CertificateNames.subject(commonName, organizations), keys.getPublic());
        GeneralNames sans = CertificateNames.subjectAlternativeNames(dnsNames, ipAddresses);
        try {
            if (sans != null) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false, sans);
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            PKCS10CertificationRequest request = builder.build(
                    new JcaContentSignerBuilder(CertificateSigner.signatureAlgorithm(keys.getPrivate()))
                            .build(keys.getPrivate()));
            StringWriter out = new StringWriter();
            try (PemWriter writer = new PemWriter(out)) {
                writer.writeObject(new PemObject(PEM_TYPE, request.getEncoded()));
            }
            return out.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new PkiException("cannot sign a certificate request for " + commonName + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the first PEM block of {@code pem}, which must be a {@code CERTIFICATE REQUEST}; throws
     * {@link PkiException} with a message fit for a CSR's condition otherwise. An invalid signature is reported by
     * {@link #signatureValid()}, not thrown.
     */
    public static CertificateRequest parse(String pem) {
        PKCS10CertificationRequest request;
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            PemObject block = reader.readPemObject();
            if (block == null || !PEM_TYPE.equals(block.getType())) {
                throw new PkiException("PEM block type must be " + PEM_TYPE);
            }
            request = new PKCS10CertificationRequest(block.getContent());
        } catch (IOException | IllegalArgumentException | ClassCastException e) {
            throw new PkiException("cannot parse the certificate request: " + e.getMessage(), e);
        }
        PublicKey publicKey;
        boolean signatureValid;
        try {
            publicKey = new JcaPEMKeyConverter().getPublicKey(request.getSubjectPublicKeyInfo());
        } catch (IOException e) {
            throw new PkiException("the certificate request holds an unreadable public key: " + e.getMessage(), e);
        }
        try {
            signatureValid = request.isSignatureValid(new JcaContentVerifierProviderBuilder().build(publicKey));
        } catch (OperatorCreationException | PKCSException e) {
            signatureValid = false;
        }
        X500Name subject = request.getSubject();
        GeneralNames requested = subjectAlternativeNames(request);
        List<GeneralName> kept = new ArrayList<>();
        List<String> dnsNames = new ArrayList<>();
        List<InetAddress> ipAddresses = new ArrayList<>();
        List<String> emailAddresses = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (GeneralName name : requested == null ? new GeneralName[0] : requested.getNames()) {
            switch (name.getTagNo()) {
                case GeneralName.dNSName -> dnsNames.add(text(name));
                case GeneralName.rfc822Name -> emailAddresses.add(text(name));
                case GeneralName.uniformResourceIdentifier -> uris.add(text(name));
                case GeneralName.iPAddress -> ipAddresses.add(address(name));
                default -> {
                    // other name kinds (directory names, other names) are neither read nor signed, as upstream's signer
                    continue;
                }
            }
            kept.add(name);
        }
        GeneralNames sans = kept.isEmpty() ? null : new GeneralNames(kept.toArray(GeneralName[]::new));
        return new CertificateRequest(subject, CertificateNames.commonName(subject),
                CertificateNames.organizations(subject), dnsNames, ipAddresses, emailAddresses, uris, sans, publicKey,
                signatureValid);
    }

    private static @Nullable GeneralNames subjectAlternativeNames(PKCS10CertificationRequest request) {
        try {
            Extensions extensions = request.getRequestedExtensions();
            return extensions == null ? null : GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new PkiException("the certificate request holds unreadable extensions: " + e.getMessage(), e);
        }
    }

    private static String text(GeneralName name) {
        return ((ASN1String) name.getName()).getString();
    }

    private static InetAddress address(GeneralName name) {
        byte[] bytes = ASN1OctetString.getInstance(name.getName()).getOctets();
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new PkiException("the certificate request names an IP address of " + bytes.length + " bytes", e);
        }
    }
}
