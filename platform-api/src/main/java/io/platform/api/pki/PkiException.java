package io.platform.api.pki;

/**
 * A certificate, key or kubeconfig of the cluster could not be read, made or written. A kind of the shared
 * {@link io.platform.common.pki.PkiException}, which PEM parsing throws; catch that one to see both.
 */
public class PkiException extends io.platform.common.pki.PkiException {

    public PkiException(String message) {
        super(message);
    }

    public PkiException(String message, Throwable cause) {
        super(message, cause);
    }
}
