package io.platform.common.tls;

/** A private key that does not belong to the certificate it is paired with. */
public final class KeyMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public KeyMismatchException(String message) {
        super(message);
    }
}
