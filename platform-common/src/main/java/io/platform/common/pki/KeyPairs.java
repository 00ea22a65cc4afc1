package io.platform.common.pki;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** New key pairs for the platform's certificates. */
public final class KeyPairs {

    private static final SecureRandom RANDOM = new SecureRandom();

    private KeyPairs() {}

    /**
     * An ECDSA P-256 key pair: accepted by Go's crypto/tls (kubectl), the JDK and Netty alike, and what kubeadm and
     * the kubelet generate for their own certificates.
     */
    public static KeyPair ecP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("the JDK offers no EC P-256 key generator: " + e.getMessage(), e);
        }
    }

    /**
     * True when {@code privateKey} is the other half of {@code publicKey} (e.g. a key file and the certificate it was
     * written with): a probe signed with the one verifies with the other.
     */
    public static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
        byte[] probe = "key pair probe".getBytes(StandardCharsets.UTF_8);
        try {
            String algorithm = CertificateSigner.signatureAlgorithm(privateKey);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | PkiException e) {
            return false;
        }
    }
}
