package io.platform.api.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.errors.ApiException;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.WriteContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodSecurityTest {

    private static final String PRIVILEGED_POD = "{'metadata':{'name':'x'},'spec':{'containers':[{'name':'c',"
            + "'image':'busybox','securityContext':{'privileged':true}}]}}";
    private static final String RESTRICTED_POD = "{'metadata':{'name':'ok'},'spec':{'securityContext':{'runAsNonRoot':true,"
            + "'seccompProfile':{'type':'RuntimeDefault'}},'containers':[{'name':'c','image':'busybox',"
            + "'securityContext':{'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL'],'add':['NET_BIND_SERVICE']}}}],"
            + "'volumes':[{'name':'scratch','emptyDir':{}}]}}";

    @TempDir
    Path dir;

    private AdmissionHarness harness;

    @BeforeEach
    void open() {
        harness = new AdmissionHarness(dir, h -> List.of(new PodSecurity(h.lookup)));
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void restrictedRefusesAPrivilegedPodListingEveryReasonInUpstreamsOrder() {
        harness.namespace("locked", "{'pod-security.kubernetes.io/enforce':'restricted'}");
        assertThatThrownBy(() -> harness.create("pods", "locked", PRIVILEGED_POD))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\": "
                            + "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), "
                            + "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), "
                            + "privileged (container \"c\" must not set securityContext.privileged=true), "
                            + "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), "
                            + "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to "
                            + "\"RuntimeDefault\" or \"Localhost\")");
                });
        harness.create("pods", "locked", RESTRICTED_POD);
    }

    @Test
    void baselineChecksHostAccessAndTheVersionLabelNamesTheLevel() {
        harness.namespace("base", "{'pod-security.kubernetes.io/enforce':'baseline',"
                + "'pod-security.kubernetes.io/enforce-version':'v1.32'}");
        assertThatThrownBy(() -> harness.create("pods", "base", "{'metadata':{'name':'h'},'spec':{'hostNetwork':true,"
                + "'hostPID':true,'containers':[{'name':'a','image':'busybox','ports':[{'containerPort':80,'hostPort':80}],"
                + "'securityContext':{'capabilities':{'add':['NET_ADMIN','CHOWN']}}},{'name':'b','image':'busybox',"
                + "'ports':[{'containerPort':81,'hostPort':8081}]}],'volumes':[{'name':'root','hostPath':{'path':'/'}}],"
                + "'securityContext':{'sysctls':[{'name':'kernel.msgmax','value':'1'}]}}}"))
                .hasMessage("pods \"h\" is forbidden: violates PodSecurity \"baseline:v1.32\": "
                        + "non-default capabilities (container \"a\" must not include \"NET_ADMIN\" in securityContext.capabilities.add), "
                        + "host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume \"root\"), "
                        + "hostPort (containers \"a\", \"b\" use hostPorts 80, 8081), forbidden sysctls (kernel.msgmax)");
        // baseline allows what restricted would not
        harness.create("pods", "base", "{'metadata':{'name':'plain'},'spec':{'containers':[{'name':'c','image':'busybox'}]}}");
    }

    @Test
    void warnLevelsAdmitWithAWarningAndWorkloadsAreOnlyEverWarned() {
        harness.namespace("watched", "{'pod-security.kubernetes.io/enforce':'baseline','pod-security.kubernetes.io/warn':'restricted'}");
        WriteContext context = WriteContext.of(AdmissionHarness.USER);
        harness.create("pods", "watched", "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'busybox'}]}}",
                context, false);
        assertThat(context.warnings()).containsExactly("would violate PodSecurity \"restricted:latest\": "
                + "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), "
                + "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), "
                + "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), "
                + "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");

        WriteContext deployment = WriteContext.of(AdmissionHarness.USER);
        harness.storage.create(AdmissionHarness.type("apps", "deployments"), "watched", AdmissionHarness.json(
                "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':{'selector':{'matchLabels':{'a':'b'}},"
                        + "'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'busybox',"
                        + "'securityContext':{'privileged':true}}]}}}}"), false, ManagedFieldsTracker.UNTRACKED, deployment);
        assertThat(deployment.warnings()).hasSize(2);
        assertThat(deployment.warnings().get(0)).startsWith("would violate PodSecurity \"baseline:latest\": privileged "
                + "(container \"c\" must not set securityContext.privileged=true)");
        assertThat(deployment.warnings().get(1)).startsWith("would violate PodSecurity \"restricted:latest\": "
                + "allowPrivilegeEscalation != false");
    }

    @Test
    void unlabelledNamespacesArePrivilegedAndUnknownEnforceLevelsFailClosed() {
        harness.namespace("open", "{}");
        harness.create("pods", "open", PRIVILEGED_POD);
        harness.namespace("typo", "{'pod-security.kubernetes.io/enforce':'restrictive'}");
        assertThatThrownBy(() -> harness.create("pods", "typo", PRIVILEGED_POD))
                .hasMessageStartingWith("pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\"");
    }
}
