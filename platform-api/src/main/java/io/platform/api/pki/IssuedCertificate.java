package io.platform.api.pki;

import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.PemFiles;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate issued by the cluster CA together with its private key. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {

    /** Reads a certificate and its key from two PEM files (the key in PKCS#8 or SEC1 form). */
    public static IssuedCertificate read(Path certificateFile, Path privateKeyFile) {
        return new IssuedCertificate(
                PemFiles.parseCertificate(PemFiles.read(certificateFile), certificateFile.toString()),
                PemFiles.parsePrivateKey(PemFiles.read(privateKeyFile), privateKeyFile.toString()));
    }

    public String certificatePem() {
        return PemFiles.certificatePem(certificate);
    }

    /** The key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public String privateKeyPem() {
        return PemFiles.privateKeyPem(privateKey);
    }

    /** The key as embedded in kubeconfigs: SEC1 {@code EC PRIVATE KEY} for EC keys, which every client detects. */
    public String kubeconfigKeyPem() {
        return PemFiles.kubeconfigKeyPem(privateKey, certificate.getPublicKey());
    }

    /** Writes the certificate (mode 0644) and the key (mode 0600), replacing what is there. */
    public void writeTo(Path certificateFile, Path privateKeyFile) {
        PemFiles.write(privateKeyFile, privateKeyPem(), PemFiles.OWNER_ONLY);
        PemFiles.write(certificateFile, certificatePem(), PemFiles.WORLD_READABLE);
    }

    /** The certificate's subject common name, which the API server takes as the user name. */
    public String commonName() {
        return CertificateNames.commonName(certificate);
    }
}
