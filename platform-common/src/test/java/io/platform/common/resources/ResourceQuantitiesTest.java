package io.platform.common.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResourceQuantitiesTest {

    @ParameterizedTest
    @CsvSource({"100m,100", "1,1000", "0.5,500", "2.25,2250", "1m,1", "0.0001,1"})
    void cpuInMillicores(String quantity, long millis) {
        assertThat(ResourceQuantities.milliCpu(new Quantity(quantity))).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"128Mi,134217728", "1Gi,1073741824", "1G,1000000000", "512,512", "1k,1000"})
    void memoryInBytes(String quantity, long bytes) {
        assertThat(ResourceQuantities.bytes(new Quantity(quantity))).isEqualTo(bytes);
    }

    @Test
    void podRequestsSumContainersUseLimitsWithoutRequestsAndCoverInitContainers() {
        Pod pod = new PodBuilder().withNewSpec()
                .addNewContainer().withName("a").withNewResources().addToRequests("cpu", new Quantity("250m"))
                .addToRequests("memory", new Quantity("64Mi")).endResources().endContainer()
                .addNewContainer().withName("b").withNewResources().addToLimits("cpu", new Quantity("500m")).endResources().endContainer()
                .addNewInitContainer().withName("init").withNewResources().addToRequests("memory", new Quantity("1Gi")).endResources().endInitContainer()
                .endSpec().build();

        assertThat(ResourceQuantities.podRequests(pod))
                .isEqualTo(new ResourceQuantities.Amounts(750, 1073741824L));
    }
}
