package io.platform.common.pki;

/** A certificate, key, certificate request or kubeconfig could not be read, made or written. */
public class PkiException extends RuntimeException {

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
