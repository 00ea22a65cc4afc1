package io.platform.api.admission.defaultstorageclass;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.WriteContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class DefaultStorageClassAdmissionTest {

    @TempDir
    Path dir;

    private AdmissionHarness harness;

    @BeforeEach
    void open() {
        harness = new AdmissionHarness(dir, h -> List.of(new DefaultStorageClassAdmission(h.lookup)));
        harness.namespace("ns", "{}");
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private ObjectNode claim(String name, String specExtra, String annotations) {
        return harness.create("persistentvolumeclaims", "ns", "{'metadata':{'name':'" + name + "','annotations':{"
                + annotations + "}},'spec':{" + specExtra
                + "'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}}}}");
    }

    private void storageClass(String name, boolean isDefault) {
        harness.storage.create(AdmissionHarness.type("storage.k8s.io", "storageclasses"), null,
                AdmissionHarness.json("{'apiVersion':'storage.k8s.io/v1','kind':'StorageClass','metadata':{'name':'" + name
                        + "','annotations':{'storageclass.kubernetes.io/is-default-class':'" + isDefault + "'}},"
                        + "'provisioner':'platform.io/local-path'}"),
                false, ManagedFieldsTracker.UNTRACKED, WriteContext.of(AdmissionHarness.USER));
    }

    @Test
    void claimsWithoutAClassGetTheNewestDefaultOthersAreLeftAlone() {
        assertThat(claim("before", "", "").path("spec").has("storageClassName")).isFalse();

        storageClass("slow", false);
        storageClass("local-path", true);
        assertThat(claim("plain", "", "").path("spec").path("storageClassName").asString()).isEqualTo("local-path");
        assertThat(claim("chosen", "'storageClassName':'slow',", "").path("spec").path("storageClassName").asString())
                .isEqualTo("slow");
        // the empty string asks for no class at all
        assertThat(claim("none", "'storageClassName':'',", "").path("spec").path("storageClassName").asString()).isEmpty();
        assertThat(claim("beta", "", "'volume.beta.kubernetes.io/storage-class':'slow'").path("spec")
                .has("storageClassName")).isFalse();

        harness.clock.advance(Duration.ofMinutes(1));
        storageClass("newer", true);
        assertThat(claim("newest", "", "").path("spec").path("storageClassName").asString()).isEqualTo("newer");
    }
}
