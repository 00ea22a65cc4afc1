package io.platform.agent.bootstrap;

import java.security.cert.X509Certificate;
import java.util.Optional;

/** A certificate of the agent that {@link CertificateRotation} renews through the cluster before it expires. */
interface RotatingCertificate {

    /** What it is, for the log: "client certificate of /path". */
    String description();

    /** The certificate in use now, empty when there is none or it cannot be read. */
    Optional<X509Certificate> current();

    /** True when {@code certificate} must be replaced at once, whatever its age (e.g. the cluster did not sign it). */
    boolean replaceNow(X509Certificate certificate);

    /** Requests a new certificate for a new key and puts both in place; throws when the cluster did not issue one. */
    void renew();
}
