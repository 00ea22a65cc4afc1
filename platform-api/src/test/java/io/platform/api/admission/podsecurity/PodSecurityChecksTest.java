package io.platform.api.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.admission.podsecurity.PodSecurityChecks.Violation;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

/** One violation per case, worded as upstream's checks word them, at the policy version each check has. */
class PodSecurityChecksTest {

    /** As a server emulating a later Kubernetes, for the checks added after the version this one emulates. */
    private static final PodSecurityEvaluator LATER = new PodSecurityEvaluator(PodSecurityChecks.ALL, 37);

    /** The violations of {@code level:version} by a pod that passes restricted, with {@code spec}'s fields replacing its own. */
    private static List<Violation> evaluate(PodSecurityEvaluator evaluator, String level, String version, String spec,
            String annotations) {
        ObjectNode pod = AdmissionHarness.json("{'metadata':{'annotations':" + annotations + "},"
                + "'spec':{'securityContext':{'runAsNonRoot':true,"
                + "'seccompProfile':{'type':'RuntimeDefault'}},'containers':[{'name':'c','securityContext':"
                + "{'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL']}}}]}}");
        ObjectNode changes = AdmissionHarness.json(spec);
        ObjectNode target = (ObjectNode) pod.path("spec");
        changes.properties().forEach(e -> target.set(e.getKey(), e.getValue()));
        LevelVersion policy = new LevelVersion(PodSecurityLevel.parse(level).orElseThrow(),
                PodSecurityVersion.parse(version).orElseThrow());
        return evaluator.evaluate(policy, pod.path("metadata"), target);
    }

    private static List<String> described(PodSecurityEvaluator evaluator, String level, String version, String spec) {
        return evaluate(evaluator, level, version, spec, "{}").stream().map(Violation::describe).toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "restricted|{'volumes':[{'name':'a','hostPath':{'path':'/'}},{'name':'b','nfs':{'server':'x','path':'/'}},"
                + "{'name':'i','image':{'reference':'busybox'}}]}"
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
        "baseline|{'securityContext':{'windowsOptions':{'hostProcess':true}},'containers':[{'name':'c',"
                + "'securityContext':{'windowsOptions':{'hostProcess':true}}}]}"
                + "|hostProcess (pod and container \"c\" must not set securityContext.windowsOptions.hostProcess=true)",
    })
    void eachCheckNamesItsReasonAndDetail(String level, String spec, String expected) {
        assertThat(described(PodSecurityEvaluator.emulated(), level, "latest", spec)).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"privileged", "baseline", "restricted"})
    void aCompliantPodPassesEveryLevel(String level) {
        assertThat(described(PodSecurityEvaluator.emulated(), level, "latest",
                "{'volumes':[{'name':'v','configMap':{'name':'x'}}]}")).isEmpty();
    }

    @Test
    void latestIsTheVersionTheServerEmulates() {
        assertThat(PodSecurityEvaluator.emulated().newest()).isEqualTo(PodSecurityVersion.of(32));
        assertThat(LATER.newest()).isEqualTo(PodSecurityVersion.of(37));
        // upstream's check of probe hosts is from 1.34: not applied by a 1.32 server, whatever the label says
        String probe = "{'containers':[{'name':'c','livenessProbe':{'httpGet':{'host':'10.0.0.1','port':80}},"
                + "'lifecycle':{'preStop':{'tcpSocket':{'host':'example.com','port':80}}},"
                + "'securityContext':{'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL']}}}]}";
        assertThat(described(PodSecurityEvaluator.emulated(), "baseline", "v1.34", probe)).isEmpty();
        assertThat(described(LATER, "baseline", "v1.33", probe)).isEmpty();
        assertThat(described(LATER, "baseline", "latest", probe)).containsExactly("probe or lifecycle host (container "
                + "\"c\" uses probe or lifecycle hosts \"10.0.0.1\", \"example.com\")");
    }

    @Test
    void sysctlsAndSeLinuxTypesWidenWithTheVersion() {
        String sysctls = "{'securityContext':{'runAsNonRoot':true,'seccompProfile':{'type':'RuntimeDefault'},"
                + "'sysctls':[{'name':'net.ipv4.tcp_rmem','value':'4096 87380 16777216'},"
                + "{'name':'net.ipv4.ip_local_reserved_ports','value':'8080'}]}}";
        assertThat(described(PodSecurityEvaluator.emulated(), "baseline", "v1.26", sysctls))
                .containsExactly("forbidden sysctls (net.ipv4.tcp_rmem, net.ipv4.ip_local_reserved_ports)");
        assertThat(described(PodSecurityEvaluator.emulated(), "baseline", "v1.31", sysctls))
                .containsExactly("forbidden sysctls (net.ipv4.tcp_rmem)");
        assertThat(described(PodSecurityEvaluator.emulated(), "baseline", "latest", sysctls)).isEmpty();
        String lowat = "{'securityContext':{'sysctls':[{'name':'net.ipv4.tcp_notsent_lowat','value':'1'}]}}";
        assertThat(described(PodSecurityEvaluator.emulated(), "baseline", "latest", lowat)).hasSize(1);
        assertThat(described(LATER, "baseline", "v1.37", lowat)).isEmpty();

        String engine = "{'securityContext':{'seLinuxOptions':{'type':'container_engine_t'}}}";
        assertThat(described(PodSecurityEvaluator.emulated(), "baseline", "v1.30", engine)).containsExactly(
                "seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type \"container_engine_t\")");
        assertThat(described(PodSecurityEvaluator.emulated(), "baseline", "v1.31", engine)).isEmpty();
    }

    @Test
    void seccompWasAnnotationsBefore119() {
        List<Violation> violations = evaluate(PodSecurityEvaluator.emulated(), "restricted", "v1.18",
                "{'securityContext':{'runAsNonRoot':true}}",
                "{'seccomp.security.alpha.kubernetes.io/pod':'unconfined',"
                        + "'container.seccomp.security.alpha.kubernetes.io/c':'localhost/profile.json'}");
        assertThat(violations).extracting(Violation::describe).containsExactly("seccompProfile (forbidden annotation "
                + "seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")");
        // from 1.19 the fields count and the annotations are not looked at
        assertThat(evaluate(PodSecurityEvaluator.emulated(), "baseline", "v1.19", "{}",
                "{'seccomp.security.alpha.kubernetes.io/pod':'unconfined'}")).isEmpty();
    }

    @Test
    void appArmorAnnotationsAndFieldsAreOneCheck() {
        List<Violation> violations = evaluate(PodSecurityEvaluator.emulated(), "baseline", "latest",
                "{'securityContext':{'appArmorProfile':{'type':'Unconfined'}}}",
                "{'container.apparmor.security.beta.kubernetes.io/c':'unconfined',"
                        + "'container.apparmor.security.beta.kubernetes.io/d':'runtime/default'}");
        assertThat(violations).extracting(Violation::describe).containsExactly("forbidden AppArmor profiles (pod and "
                + "annotation must not set AppArmor profile type to \"Unconfined\", "
                + "\"container.apparmor.security.beta.kubernetes.io/c=\"unconfined\"\")");
    }

    @Test
    void userNamespacesRelaxRootAndProcMountFrom135ButRestrictedKeepsProcMountMasked() {
        String userNamespaced = "{'hostUsers':false,'securityContext':{'runAsUser':0,'seccompProfile':{'type':'RuntimeDefault'}},"
                + "'containers':[{'name':'c','securityContext':{'allowPrivilegeEscalation':false,"
                + "'capabilities':{'drop':['ALL']},'procMount':'Unmasked'}}]}";
        assertThat(described(LATER, "baseline", "v1.35", userNamespaced)).isEmpty();
        assertThat(described(LATER, "restricted", "v1.35", userNamespaced)).containsExactly(
                "procMount (container \"c\" must not set securityContext.procMount to \"Unmasked\")");
        assertThat(described(LATER, "restricted", "v1.34", userNamespaced)).containsExactly(
                "procMount (container \"c\" must not set securityContext.procMount to \"Unmasked\")",
                "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true)",
                "runAsUser=0 (pod must not set runAsUser=0)");
    }

    @Test
    void olderRestrictedVersionsRunTheBaselineChecksTheyHadNotReplacedYet() {
        String addsSysTime = "{'containers':[{'name':'c','securityContext':{'allowPrivilegeEscalation':false,"
                + "'capabilities':{'add':['SYS_TIME']}}}]}";
        assertThat(described(PodSecurityEvaluator.emulated(), "restricted", "v1.21", addsSysTime)).containsExactly(
                "non-default capabilities (container \"c\" must not include \"SYS_TIME\" in securityContext.capabilities.add)");
        assertThat(described(PodSecurityEvaluator.emulated(), "restricted", "v1.22", addsSysTime)).containsExactly(
                "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]; "
                        + "container \"c\" must not include \"SYS_TIME\" in securityContext.capabilities.add)");
        // allowPrivilegeEscalation is restricted's from 1.8
        String escalating = "{'containers':[{'name':'c','securityContext':{'capabilities':{'drop':['ALL']}}}]}";
        assertThat(described(PodSecurityEvaluator.emulated(), "restricted", "v1.7", escalating)).isEmpty();
        assertThat(described(PodSecurityEvaluator.emulated(), "restricted", "v1.8", escalating)).hasSize(1);
    }
}
