package io.platform.api.patch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1EphemeralContainer;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import org.junit.jupiter.api.Test;

class PatchStrategiesTest {

    @Test
    void mergeListsCarryTheirMergeKeys() {
        assertThat(PatchStrategies.lookup(V1PodSpec.class, "containers")).contains(new PatchStrategy("merge", "name"));
        assertThat(PatchStrategies.lookup(V1PodSpec.class, "volumes")).contains(new PatchStrategy("merge,retainKeys", "name"));
        assertThat(PatchStrategies.lookup(V1Container.class, "ports")).contains(new PatchStrategy("merge", "containerPort"));
        assertThat(PatchStrategies.lookup(V1Container.class, "volumeMounts")).contains(new PatchStrategy("merge", "mountPath"));
        assertThat(PatchStrategies.lookup(V1EphemeralContainer.class, "env")).contains(new PatchStrategy("merge", "name"));
        assertThat(PatchStrategies.lookup(V1ServiceSpec.class, "ports")).contains(new PatchStrategy("merge", "port"));
        assertThat(PatchStrategies.lookup(V1ObjectMeta.class, "ownerReferences")).contains(new PatchStrategy("merge", "uid"));
        assertThat(PatchStrategies.lookup(V1ObjectMeta.class, "finalizers")).contains(new PatchStrategy("merge", null));
        assertThat(PatchStrategies.lookup(V1DeploymentSpec.class, "strategy")).contains(new PatchStrategy("retainKeys", null));
    }

    @Test
    void atomicListsAndUnknownFieldsHaveNoStrategy() {
        assertThat(PatchStrategies.lookup(V1PodSpec.class, "tolerations")).isEmpty();
        assertThat(PatchStrategies.lookup(V1Container.class, "envFrom")).isEmpty();
        assertThat(PatchStrategies.lookup(V1Container.class, "args")).isEmpty();
        assertThat(PatchStrategies.lookup(V1Lease.class, "spec")).isEmpty();
        assertThat(PatchStrategies.lookup(V1LeaseSpec.class, "holderIdentity")).isEmpty();
        assertThat(PatchStrategies.lookup(V1PodSpec.class, "nope")).isEmpty();
    }
}
