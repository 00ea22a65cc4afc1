package io.platform.api.storage.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * kube-apiserver's {@code aesgcm} value format: {@code k8s:enc:aesgcm:v1:<key name>:} followed by a random
 * 12-byte nonce and the AES-GCM ciphertext with its 16-byte tag. The store key is the additional authenticated
 * data, so a value copied under another key does not decrypt.
 */
final class AesGcm {

    /** What every encrypted value starts with, whatever its provider. */
    static final byte[] ENCRYPTED_PREFIX = "k8s:enc:".getBytes(StandardCharsets.US_ASCII);
    static final String PREFIX = "k8s:enc:aesgcm:v1:";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AesGcm() {}

    static byte[] prefix(String keyName) {
        return (PREFIX + keyName + ":").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] encrypt(EncryptionConfig.Key key, String storeKey, byte[] plaintext) {
        byte[] prefix = prefix(key.name());
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce, storeKey);
            byte[] out = new byte[prefix.length + NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            System.arraycopy(nonce, 0, out, prefix.length, NONCE_BYTES);
            cipher.doFinal(plaintext, 0, plaintext.length, out, prefix.length + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * Decrypts a value whose prefix named {@code key}.
     *
     * @throws IllegalArgumentException when the value is too short, was written under another store key, or was
     *     sealed with a different secret of the same name
     */
    static byte[] decrypt(EncryptionConfig.Key key, String storeKey, byte[] stored) {
        int start = prefix(key.name()).length;
        if (stored.length < start + NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("the value is too short to be AES-GCM ciphertext");
        }
        byte[] nonce = Arrays.copyOfRange(stored, start, start + NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce, storeKey);
            int offset = start + NONCE_BYTES;
            return cipher.doFinal(stored, offset, stored.length - offset);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("the value does not authenticate with key '" + key.name()
                    + "' (wrong secret, or the value belongs to another key)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    private static Cipher cipher(int mode, EncryptionConfig.Key key, byte[] nonce, String storeKey)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key.secret(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(storeKey.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    static boolean startsWith(byte[] value, byte[] prefix) {
        return value.length >= prefix.length && Arrays.equals(value, 0, prefix.length, prefix, 0, prefix.length);
    }

    static EncryptionConfig.Key newKey(String name) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new EncryptionConfig.Key(name, secret);
    }
}
