package io.platform.common.resources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** CPU in millicores and memory in bytes, read from {@link Quantity} values as Kubernetes counts them. */
public final class ResourceQuantities {

    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String PODS = "pods";

    private ResourceQuantities() {}

    /** CPU in millicores, rounded up as Kubernetes' MilliValue does ({@code 0.0001} is 1m). */
    public static long milliCpu(@Nullable Quantity quantity) {
        if (quantity == null) {
            return 0;
        }
        BigDecimal cores = quantity.getNumericalAmount();
        return cores.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Memory (or any plain amount) in bytes, rounded up. */
    public static long bytes(@Nullable Quantity quantity) {
        if (quantity == null) {
            return 0;
        }
        return Quantity.getAmountInBytes(quantity).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** A whole count such as {@code pods}. */
    public static long count(@Nullable Quantity quantity) {
        return bytes(quantity);
    }

    /**
     * What a pod asks for, as the scheduler's PodRequests: the sum over its containers, at least the
     * largest init container, plus overhead. A container with a limit but no request requests its
     * limit, as API defaulting makes it.
     */
    public static Amounts podRequests(Pod pod) {
        long cpu = 0;
        long memory = 0;
        List<Container> containers = pod.getSpec() == null ? List.of() : pod.getSpec().getContainers();
        for (Container container : containers) {
            cpu += milliCpu(request(container.getResources(), CPU));
            memory += bytes(request(container.getResources(), MEMORY));
        }
        List<Container> initContainers = pod.getSpec() == null ? List.of() : pod.getSpec().getInitContainers();
        for (Container init : initContainers) {
            cpu = Math.max(cpu, milliCpu(request(init.getResources(), CPU)));
            memory = Math.max(memory, bytes(request(init.getResources(), MEMORY)));
        }
        Map<String, Quantity> overhead = pod.getSpec() == null ? null : pod.getSpec().getOverhead();
        if (overhead != null) {
            cpu += milliCpu(overhead.get(CPU));
            memory += bytes(overhead.get(MEMORY));
        }
        return new Amounts(cpu, memory);
    }

    private static @Nullable Quantity request(@Nullable ResourceRequirements resources, String name) {
        if (resources == null) {
            return null;
        }
        if (resources.getRequests() != null && resources.getRequests().containsKey(name)) {
            return resources.getRequests().get(name);
        }
        return resources.getLimits() == null ? null : resources.getLimits().get(name);
    }

    /** A CPU and memory amount. */
    public record Amounts(long milliCpu, long memoryBytes) {

        public static final Amounts ZERO = new Amounts(0, 0);

        public Amounts plus(Amounts other) {
            return new Amounts(milliCpu + other.milliCpu, memoryBytes + other.memoryBytes);
        }

        public Amounts minus(Amounts other) {
            return new Amounts(milliCpu - other.milliCpu, memoryBytes - other.memoryBytes);
        }
    }
}
