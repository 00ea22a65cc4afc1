package io.platform.api.admission.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.errors.ApiException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ServiceAccountAdmissionTest {

    @TempDir
    Path dir;

    private AdmissionHarness harness;

    @BeforeEach
    void open() {
        harness = new AdmissionHarness(dir, h -> List.of(new ServiceAccountAdmission(h.lookup, new Random(7))));
        harness.namespace("ns", "{}");
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void aPodWithoutAnAccountUsesDefaultAndGetsTheProjectedTokenVolumeInEveryContainer() {
        harness.create("serviceaccounts", "ns", "{'metadata':{'name':'default'},'imagePullSecrets':[{'name':'registry'}]}");
        ObjectNode pod = harness.create("pods", "ns", "{'metadata':{'name':'p'},'spec':{"
                + "'initContainers':[{'name':'init','image':'busybox'}],"
                + "'containers':[{'name':'a','image':'busybox'},{'name':'b','image':'busybox',"
                + "'volumeMounts':[{'name':'mine','mountPath':'/var/run/secrets/kubernetes.io/serviceaccount'}]}],"
                + "'volumes':[{'name':'mine','emptyDir':{}}]}}");

        JsonNode spec = pod.path("spec");
        assertThat(spec.path("serviceAccountName").asString()).isEqualTo("default");
        JsonNode volume = spec.path("volumes").get(1);
        String name = volume.path("name").asString();
        assertThat(name).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(volume).isEqualTo(AdmissionHarness.json("{'name':'" + name + "','projected':{'sources':["
                + "{'serviceAccountToken':{'expirationSeconds':3607,'path':'token'}},"
                + "{'configMap':{'name':'kube-root-ca.crt','items':[{'key':'ca.crt','path':'ca.crt'}]}},"
                + "{'downwardAPI':{'items':[{'fieldRef':{'apiVersion':'v1','fieldPath':'metadata.namespace'},"
                + "'path':'namespace'}]}}],'defaultMode':420}}"));
        ObjectNode mount = AdmissionHarness.json("{'name':'" + name + "','readOnly':true,"
                + "'mountPath':'/var/run/secrets/kubernetes.io/serviceaccount'}");
        assertThat(spec.path("initContainers").get(0).path("volumeMounts")).containsExactly(mount);
        assertThat(spec.path("containers").get(0).path("volumeMounts")).containsExactly(mount);
        // a container that mounts something at the token path keeps its own
        assertThat(spec.path("containers").get(1).path("volumeMounts")).hasSize(1);
        assertThat(spec.path("imagePullSecrets")).hasSize(1);
        assertThat(spec.path("imagePullSecrets").get(0).path("name").asString()).isEqualTo("registry");
    }

    @Test
    void automountFalseOnThePodOrElseTheAccountMeansNoVolume() {
        harness.create("serviceaccounts", "ns", "{'metadata':{'name':'quiet'},'automountServiceAccountToken':false}");
        harness.create("serviceaccounts", "ns", "{'metadata':{'name':'default'}}");
        ObjectNode byAccount = harness.create("pods", "ns", "{'metadata':{'name':'a'},'spec':{'serviceAccountName':'quiet',"
                + "'containers':[{'name':'c','image':'busybox'}]}}");
        ObjectNode byPod = harness.create("pods", "ns", "{'metadata':{'name':'b'},'spec':{'automountServiceAccountToken':false,"
                + "'containers':[{'name':'c','image':'busybox'}]}}");
        ObjectNode podOverrides = harness.create("pods", "ns", "{'metadata':{'name':'c'},'spec':{'serviceAccountName':'quiet',"
                + "'automountServiceAccountToken':true,'containers':[{'name':'c','image':'busybox'}]}}");

        assertThat(byAccount.path("spec").has("volumes")).isFalse();
        assertThat(byPod.path("spec").has("volumes")).isFalse();
        assertThat(podOverrides.path("spec").path("volumes").get(0).path("name").asString()).startsWith("kube-api-access-");
    }

    @Test
    void aMissingAccountIsForbiddenAsUpstreamWordsIt() {
        assertThatThrownBy(() -> harness.create("pods", "ns", "{'metadata':{'name':'p'},'spec':{'serviceAccountName':'robot',"
                + "'containers':[{'name':'c','image':'busybox'}]}}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("pods \"p\" is forbidden: error looking up service account "
                            + "ns/robot: serviceaccount \"robot\" not found");
                });
    }
}
