package io.platform.agent.trust;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Published after the agent's kubeconfig and client CA file were rewritten with a new cluster trust bundle: the
 * certificates the agent holds should be requested again, so they come from the CA that signs now.
 */
public record ClusterTrustChanged(List<X509Certificate> trusted) {

    public ClusterTrustChanged {
        trusted = List.copyOf(trusted);
    }
}
