package io.platform.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RolloutParametersTest {

    private final PodTemplateHash hashes = new PodTemplateHash(new KubernetesSerialization());

    @ParameterizedTest(name = "replicas={0} maxSurge={1} maxUnavailable={2}")
    @CsvSource({
            "10, 25%, 25%, 3, 2", // surge rounds up, unavailable rounds down
            "3, 25%, 25%, 1, 0",
            "1, 0, 0, 0, 1", // both zero: one may be unavailable, as ResolveFenceposts
            "4, 1, 2, 1, 2",
            "10, 0%, 10%, 0, 1"})
    void fenceposts(int replicas, String surge, String unavailable, int expectedSurge, int expectedUnavailable) {
        Deployment d = new DeploymentBuilder().withNewSpec().withReplicas(replicas)
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(intOrString(surge)).withMaxUnavailable(intOrString(unavailable)).endRollingUpdate().endStrategy()
                .endSpec().build();
        assertThat(RolloutParameters.maxSurge(d)).isEqualTo(expectedSurge);
        assertThat(RolloutParameters.maxUnavailable(d)).isEqualTo(expectedUnavailable);
    }

    @Test
    void templateHashIsStableIgnoresMapOrderAndUsesTheSafeAlphabet() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", "web");
        labels.put("tier", "front");
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("tier", "front");
        reversed.put("app", "web");

        String hash = hashes.compute(template(labels, "busybox:1.35"), null);
        assertThat(hashes.compute(template(reversed, "busybox:1.35"), null)).isEqualTo(hash);
        assertThat(hash).matches("[bcdfghjklmnpqrstvwxz2456789]+");
        assertThat(hashes.compute(template(labels, "busybox:1.36"), null)).isNotEqualTo(hash);
        assertThat(hashes.compute(template(labels, "busybox:1.35"), 1)).isNotEqualTo(hash);
    }

    @Test
    void templatesAreEqualIgnoringTheHashLabel() {
        Map<String, String> withHash = new LinkedHashMap<>(Map.of("app", "web", PodTemplateHash.LABEL, "abc"));
        assertThat(hashes.equalIgnoringHash(template(withHash, "busybox:1.35"), template(Map.of("app", "web"), "busybox:1.35"))).isTrue();
        assertThat(hashes.equalIgnoringHash(template(withHash, "busybox:1.35"), template(Map.of("app", "web"), "busybox:1.36"))).isFalse();
    }

    @Test
    void safeEncodingMapsEachDecimalDigit() {
        // '0' is 48, 48 % 27 = 21 -> '4'; '9' is 57, 57 % 27 = 3 -> 'f'
        assertThat(PodTemplateHash.safeEncode("09")).isEqualTo("4f");
    }

    private static PodTemplateSpec template(Map<String, String> labels, String image) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(new LinkedHashMap<>(labels)).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec().build();
    }

    private static IntOrString intOrString(String value) {
        return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
    }
}
