package io.platform.controllers.certificates;

import io.platform.common.pki.CertificateRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the kubernetes.io signers issue, as upstream's certificate validation: a request that breaks its signer's
 * rules is neither auto-approved nor signed ({@code SignerValidationFailure}). Each check answers the problem in a
 * sentence, or empty when the request fits.
 */
final class SignerRules {

    static final String KUBE_APISERVER_CLIENT = "kubernetes.io/kube-apiserver-client";
    static final String KUBE_APISERVER_CLIENT_KUBELET = "kubernetes.io/kube-apiserver-client-kubelet";
    static final String KUBELET_SERVING = "kubernetes.io/kubelet-serving";
    static final Set<String> SIGNERS = Set.of(KUBE_APISERVER_CLIENT, KUBE_APISERVER_CLIENT_KUBELET, KUBELET_SERVING);

    static final String NODE_USER_PREFIX = "system:node:";
    static final String NODES_GROUP = "system:nodes";

    // as upstream: key encipherment is what RSA keys add, and kubelets of any key type have sent it
    private static final Set<String> KUBELET_CLIENT_USAGES = Set.of("digital signature", "client auth");
    private static final Set<String> KUBELET_CLIENT_USAGES_RSA = Set.of("digital signature", "key encipherment",
            "client auth");
    private static final Set<String> KUBELET_SERVING_USAGES = Set.of("digital signature", "server auth");
    private static final Set<String> KUBELET_SERVING_USAGES_RSA = Set.of("digital signature", "key encipherment",
            "server auth");

    private SignerRules() {}

    /** The problem of {@code request} for {@code signerName}, which must be one of {@link #SIGNERS}. */
    static Optional<String> problem(String signerName, CertificateRequest request, List<String> usages) {
        return switch (signerName) {
            case KUBE_APISERVER_CLIENT_KUBELET -> kubeletClientProblem(request, usages);
            case KUBELET_SERVING -> kubeletServingProblem(request, usages);
            case KUBE_APISERVER_CLIENT -> apiServerClientProblem(usages);
            default -> throw new IllegalArgumentException("not a signer of the controller manager: " + signerName);
        };
    }

    /** A node's client certificate: {@code system:node:<name>} in exactly {@code system:nodes}, no names besides. */
    static Optional<String> kubeletClientProblem(CertificateRequest request, List<String> usages) {
        return nodeSubjectProblem(request)
                .or(() -> request.hasNoSubjectAlternativeNames() ? Optional.empty()
                        : Optional.of("subject alternative names are not allowed"))
                .or(() -> exactUsages(usages, KUBELET_CLIENT_USAGES, KUBELET_CLIENT_USAGES_RSA));
    }

    /** A node's serving certificate: {@code system:node:<name>} in exactly {@code system:nodes}, DNS and IP names. */
    static Optional<String> kubeletServingProblem(CertificateRequest request, List<String> usages) {
        return nodeSubjectProblem(request)
                .or(() -> request.emailAddresses().isEmpty() ? Optional.empty()
                        : Optional.of("email subjectAltNames are not allowed"))
                .or(() -> request.uris().isEmpty() ? Optional.empty()
                        : Optional.of("URI subjectAltNames are not allowed"))
                .or(() -> request.dnsNames().isEmpty() && request.ipAddresses().isEmpty()
                        ? Optional.of("DNS or IP subjectAltName is required") : Optional.empty())
                .or(() -> exactUsages(usages, KUBELET_SERVING_USAGES, KUBELET_SERVING_USAGES_RSA));
    }

    /** Any client certificate: client auth, with nothing beyond digital signature and key encipherment. */
    static Optional<String> apiServerClientProblem(List<String> usages) {
        for (String usage : usages) {
            if (!usage.equals("digital signature") && !usage.equals("key encipherment") && !usage.equals("client auth")) {
                return Optional.of("invalid usage for client certificate: " + usage);
            }
        }
        return usages.contains("client auth") ? Optional.empty()
                : Optional.of("missing required usage for client certificate: client auth");
    }

    private static Optional<String> nodeSubjectProblem(CertificateRequest request) {
        if (!request.organizations().equals(List.of(NODES_GROUP))) {
            return Optional.of("subject organization is not system:nodes");
        }
        if (!request.commonName().startsWith(NODE_USER_PREFIX)
                || request.commonName().length() == NODE_USER_PREFIX.length()) {
            return Optional.of("subject common name does not begin with system:node:");
        }
        return Optional.empty();
    }

    private static Optional<String> exactUsages(List<String> usages, Set<String> allowed, Set<String> allowedRsa) {
        Set<String> asked = Set.copyOf(usages);
        return asked.size() == usages.size() && (asked.equals(allowed) || asked.equals(allowedRsa)) ? Optional.empty()
                : Optional.of("usages did not match " + allowedRsa.stream().sorted().toList()
                        + " (key encipherment optional)");
    }
}
