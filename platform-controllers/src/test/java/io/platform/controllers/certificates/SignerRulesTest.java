package io.platform.controllers.certificates;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.common.pki.CertificateRequest;
import io.platform.common.pki.KeyPairs;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which requests each kubernetes.io signer issues, and the reason it gives when it does not. */
class SignerRulesTest {

    @ParameterizedTest(name = "{0} {1} {2} {3} {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            kubernetes.io/kube-apiserver-client-kubelet|system:node:n1|system:nodes|-|digital signature,client auth|-
            kubernetes.io/kube-apiserver-client-kubelet|system:node:n1|system:nodes|-|digital signature,key encipherment,client auth|-
            kubernetes.io/kube-apiserver-client-kubelet|system:node:n1|system:nodes,system:masters|-|digital signature,client auth|subject organization is not system:nodes
            kubernetes.io/kube-apiserver-client-kubelet|alice|system:nodes|-|digital signature,client auth|subject common name does not begin with system:node:
            kubernetes.io/kube-apiserver-client-kubelet|system:node:|system:nodes|-|digital signature,client auth|subject common name does not begin with system:node:
            kubernetes.io/kube-apiserver-client-kubelet|system:node:n1|system:nodes|n1|digital signature,client auth|subject alternative names are not allowed
            kubernetes.io/kube-apiserver-client-kubelet|system:node:n1|system:nodes|-|client auth|usages did not match [client auth, digital signature, key encipherment] (key encipherment optional)
            kubernetes.io/kube-apiserver-client-kubelet|system:node:n1|system:nodes|-|digital signature,client auth,server auth|usages did not match [client auth, digital signature, key encipherment] (key encipherment optional)
            kubernetes.io/kubelet-serving|system:node:n1|system:nodes|n1|digital signature,server auth|-
            kubernetes.io/kubelet-serving|system:node:n1|system:nodes|-|digital signature,server auth|DNS or IP subjectAltName is required
            kubernetes.io/kubelet-serving|system:node:n1|-|n1|digital signature,server auth|subject organization is not system:nodes
            kubernetes.io/kubelet-serving|system:node:n1|system:nodes|n1|digital signature,client auth|usages did not match [digital signature, key encipherment, server auth] (key encipherment optional)
            kubernetes.io/kube-apiserver-client|anyone|-|-|client auth|-
            kubernetes.io/kube-apiserver-client|anyone|devs|any.example|digital signature,key encipherment,client auth|-
            kubernetes.io/kube-apiserver-client|anyone|-|-|digital signature|missing required usage for client certificate: client auth
            kubernetes.io/kube-apiserver-client|anyone|-|-|client auth,cert sign|invalid usage for client certificate: cert sign
            """)
    void requestsFitTheirSigner(String signer, String commonName, String organizations, String dnsName, String usages,
            String problem) {
        CertificateRequest request = CertificateRequest.parse(CertificateRequest.createPem(KeyPairs.ecP256(), commonName,
                organizations == null ? List.of() : List.of(organizations.split(",")),
                dnsName == null ? List.of() : List.of(dnsName), List.of()));
        assertThat(SignerRules.problem(signer, request, Arrays.asList(usages.split(",")))).isEqualTo(
                Optional.ofNullable(problem));
    }
}
