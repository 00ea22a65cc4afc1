package io.platform.controllers.certificates;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.PkiException;
import io.platform.common.reconcile.Controller;
import io.platform.common.reconcile.ObjectKey;
import io.platform.common.reconcile.Reconciler;
import io.platform.common.reconcile.Result;
import io.platform.common.reconcile.SharedInformers;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Approves node certificate requests, as kube-controller-manager's csrapproving controller: a
 * {@code kube-apiserver-client-kubelet} request that is a valid node client request is approved when a
 * SubjectAccessReview says its requester (the request's {@code spec.username}, groups and extra) may
 * {@code create certificatesigningrequests/selfnodeclient} (renewing its own certificate: the requester is the
 * requested CN) or {@code .../nodeclient} (a bootstrap token asking for a new node). Beyond upstream, a node's
 * {@code kubelet-serving} request is approved when the node asks for itself and every name is one of its Node's
 * addresses. Nothing else is approved here: other signers wait for {@code kubectl certificate approve}.
 */
public final class CsrApprover implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(CsrApprover.class);
    static final String REASON = "AutoApproved";
    private static final Set<String> DNS_ADDRESS_TYPES = Set.of("Hostname", "InternalDNS", "ExternalDNS");
    private static final Set<String> IP_ADDRESS_TYPES = Set.of("InternalIP", "ExternalIP");

    private final KubernetesClient client;
    private final SharedInformers informers;
    private final boolean approveKubeletServing;
    private final Clock clock;

    public CsrApprover(KubernetesClient client, SharedInformers informers, boolean approveKubeletServing, Clock clock) {
        this.client = client;
        this.informers = informers;
        this.approveKubeletServing = approveKubeletServing;
        this.clock = clock;
    }

    /** The controller: certificate requests, and Nodes mapped to their pending kubelet-serving requests. */
    public static Controller controller(SharedInformers informers, Reconciler reconciler, Duration backoffBase,
            Duration backoffMax) {
        return Csrs.controller("csrapproving", informers, reconciler, backoffBase, backoffMax)
                // a node's addresses may arrive after its serving request
                .watches(Node.class, node -> informers.list(CertificateSigningRequest.class).stream()
                        .filter(csr -> SignerRules.KUBELET_SERVING.equals(Csrs.signerName(csr)))
                        .filter(csr -> (SignerRules.NODE_USER_PREFIX + node.getMetadata().getName())
                                .equals(csr.getSpec().getUsername()))
                        .map(ObjectKey::of).toList())
                .build();
    }

    @Override
    public Result reconcile(ObjectKey key) {
        CertificateSigningRequest csr = informers.get(CertificateSigningRequest.class, key).orElse(null);
        if (csr == null || Csrs.issued(csr) || Csrs.has(csr, Csrs.APPROVED) || Csrs.has(csr, Csrs.DENIED)) {
            return Result.done();
        }
        String signerName = Csrs.signerName(csr);
        if (!signerName.equals(SignerRules.KUBE_APISERVER_CLIENT_KUBELET) && !signerName.equals(SignerRules.KUBELET_SERVING)) {
            return Result.done();
        }
        CertificateRequest request;
        try {
            request = Csrs.request(csr);
        } catch (PkiException e) {
            log.debug("csrapproving: {} is no certificate request: {}", key.name(), e.getMessage());
            return Result.done();
        }
        if (!request.signatureValid()) {
            return Result.done();
        }
        return signerName.equals(SignerRules.KUBELET_SERVING) ? reconcileServing(csr, request)
                : reconcileClient(csr, request);
    }

    private Result reconcileClient(CertificateSigningRequest csr, CertificateRequest request) {
        if (SignerRules.kubeletClientProblem(request, Csrs.usages(csr)).isPresent()) {
            return Result.done();
        }
        if (request.commonName().equals(csr.getSpec().getUsername()) && allowed(csr.getSpec(), "selfnodeclient")) {
            approve(csr, "Auto approving self kubelet client certificate after SubjectAccessReview.");
            return Result.done();
        }
        if (allowed(csr.getSpec(), "nodeclient")) {
            approve(csr, "Auto approving kubelet client certificate after SubjectAccessReview.");
            return Result.done();
        }
        // as upstream: RBAC may grant it later, so the request is looked at again with back-off
        log.debug("csrapproving: {} is a node client request, but its requester {} may create neither "
                + "selfnodeclient nor nodeclient requests", csr.getMetadata().getName(), csr.getSpec().getUsername());
        return Result.requeue();
    }

    private Result reconcileServing(CertificateSigningRequest csr, CertificateRequest request) {
        CertificateSigningRequestSpec spec = csr.getSpec();
        if (!approveKubeletServing || SignerRules.kubeletServingProblem(request, Csrs.usages(csr)).isPresent()
                || !request.commonName().equals(spec.getUsername()) || spec.getGroups() == null
                || !spec.getGroups().contains(SignerRules.NODES_GROUP)) {
            return Result.done();
        }
        String nodeName = request.commonName().substring(SignerRules.NODE_USER_PREFIX.length());
        Node node = informers.get(Node.class, new ObjectKey("", nodeName)).orElse(null);
        if (node == null || node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Result.done();
        }
        List<NodeAddress> addresses = node.getStatus().getAddresses();
        boolean ownNames = request.dnsNames().stream().allMatch(dns -> hasDnsAddress(addresses, dns))
                && request.ipAddresses().stream().allMatch(ip -> hasIpAddress(addresses, ip));
        if (ownNames) {
            approve(csr, "Auto approving kubelet serving certificate: every name is an address of node " + nodeName + ".");
        } else {
            log.debug("csrapproving: {} names addresses node {} does not report; left for an approver",
                    csr.getMetadata().getName(), nodeName);
        }
        return Result.done();
    }

    private static boolean hasDnsAddress(List<NodeAddress> addresses, String dns) {
        return addresses.stream().anyMatch(a -> DNS_ADDRESS_TYPES.contains(a.getType())
                && dns.toLowerCase(Locale.ROOT).equals(String.valueOf(a.getAddress()).toLowerCase(Locale.ROOT)));
    }

    private static boolean hasIpAddress(List<NodeAddress> addresses, InetAddress ip) {
        return addresses.stream().filter(a -> IP_ADDRESS_TYPES.contains(a.getType()) && a.getAddress() != null)
                .map(a -> CertificateNames.ipLiteral(a.getAddress()))
                .anyMatch(bytes -> bytes != null && Arrays.equals(bytes, ip.getAddress()));
    }

    /** As upstream: the requester's identity from the request, asked about creating the subresource. */
    private boolean allowed(CertificateSigningRequestSpec spec, String subresource) {
        SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
                .withUser(spec.getUsername())
                .withUid(spec.getUid())
                .withGroups(spec.getGroups())
                .withExtra(spec.getExtra() == null ? Map.of() : spec.getExtra())
                .withNewResourceAttributes()
                .withGroup("certificates.k8s.io").withResource("certificatesigningrequests")
                .withSubresource(subresource).withVerb("create")
                .endResourceAttributes()
                .endSpec().build();
        SubjectAccessReview answer = client.authorization().v1().subjectAccessReview().create(review);
        return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
    }

    private void approve(CertificateSigningRequest csr, String message) {
        CertificateSigningRequest copy = Csrs.withCondition(client.getKubernetesSerialization().clone(csr),
                Csrs.APPROVED, REASON, message, clock.instant());
        client.certificates().v1().certificateSigningRequests().resource(copy).subresource("approval").update();
        log.info("certificatesigningrequest {}: approved for {} ({})", csr.getMetadata().getName(),
                csr.getSpec().getUsername(), Csrs.signerName(csr));
    }
}
