package io.platform.api.pki;

/** A certificate, key or kubeconfig of the cluster could not be read, made or written. */
public class PkiException extends RuntimeException {

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
