package io.platform.api.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.admission.podsecurity.PodSecurityChecks.Violation;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

/** One violation per case, worded as upstream's checks word them. */
class PodSecurityChecksTest {

    /** The violations of {@code level} by a pod that passes restricted, with {@code spec}'s fields replacing its own. */
    private static List<Violation> restricted(String level, String spec) {
        ObjectNode pod = AdmissionHarness.json("{'spec':{'securityContext':{'runAsNonRoot':true,"
                + "'seccompProfile':{'type':'RuntimeDefault'}},'containers':[{'name':'c','securityContext':"
                + "{'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL']}}}]}}");
        ObjectNode changes = AdmissionHarness.json(spec);
        ObjectNode target = (ObjectNode) pod.path("spec");
        changes.properties().forEach(e -> target.set(e.getKey(), e.getValue()));
        return PodSecurityChecks.evaluate(PodSecurityLevel.parse(level).orElseThrow(), pod.path("metadata"), target);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "restricted|{'volumes':[{'name':'a','hostPath':{'path':'/'}},{'name':'b','nfs':{'server':'x','path':'/'}}]}"
                + "|restricted volume types (volumes \"a\", \"b\" use restricted volume types \"hostPath\", \"nfs\")",
        "restricted|{'securityContext':{'runAsNonRoot':false,'seccompProfile':{'type':'RuntimeDefault'}}}"
                + "|runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)",
        "restricted|{'securityContext':{'runAsNonRoot':true,'runAsUser':0,'seccompProfile':{'type':'RuntimeDefault'}}}"
                + "|runAsUser=0 (pod must not set runAsUser=0)",
        "baseline|{'securityContext':{'seccompProfile':{'type':'Unconfined'}}}"
                + "|seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")",
        "restricted|{'securityContext':{'runAsNonRoot':true,'seccompProfile':{'type':'Unconfined'}}}"
                + "|seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")",
        "baseline|{'containers':[{'name':'c','securityContext':{'procMount':'Unmasked'}}]}"
                + "|procMount (container \"c\" must not set securityContext.procMount to \"Unmasked\")",
        "baseline|{'securityContext':{'seLinuxOptions':{'type':'spc_t','user':'root'}}}"
                + "|seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type \"spc_t\"; user may not be set)",
        "baseline|{'containers':[{'name':'c','securityContext':{'appArmorProfile':{'type':'Unconfined'}}}]}"
                + "|forbidden AppArmor profile (container \"c\" must not set AppArmor profile type to \"Unconfined\")",
        "restricted|{'containers':[{'name':'c','securityContext':{'allowPrivilegeEscalation':false,"
                + "'capabilities':{'drop':['ALL'],'add':['NET_BIND_SERVICE','SYS_TIME']}}}]}"
                + "|unrestricted capabilities (container \"c\" must not include \"SYS_TIME\" in securityContext.capabilities.add)",
    })
    void eachCheckNamesItsReasonAndDetail(String level, String spec, String expected) {
        List<Violation> violations = restricted(level, spec);
        assertThat(violations).extracting(Violation::describe).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"privileged", "baseline", "restricted"})
    void aCompliantPodPassesEveryLevel(String level) {
        assertThat(restricted(level, "{'volumes':[{'name':'v','configMap':{'name':'x'}}]}")).isEmpty();
    }
}
