package io.platform.console.overview;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** One line of the nodes grid. */
public record NodeRow(String name, String status, String addresses, String cpu, String memory, String age) {

    private static final BigDecimal GIBIBYTE = BigDecimal.valueOf(1L << 30);
    private static final BigDecimal MEBIBYTE = BigDecimal.valueOf(1L << 20);

    static NodeRow from(Node node, Instant now) {
        NodeStatus status = Optional.ofNullable(node.getStatus()).orElseGet(NodeStatus::new);
        Map<String, Quantity> allocatable = Optional.ofNullable(status.getAllocatable()).orElse(Map.of());
        String addresses = Optional.ofNullable(status.getAddresses()).orElse(List.of()).stream()
                .map(NodeRow::address)
                .collect(Collectors.joining(", "));
        return new NodeRow(
                node.getMetadata().getName(),
                readiness(node),
                addresses,
                cpu(allocatable.get("cpu")),
                memory(allocatable.get("memory")),
                Ages.since(node.getMetadata().getCreationTimestamp(), now));
    }

    /** As kubectl's STATUS column: the Ready condition, plus SchedulingDisabled when cordoned. */
    static String readiness(Node node) {
        List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of()
                : node.getStatus().getConditions();
        String ready = conditions.stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .map(c -> "True".equals(c.getStatus()) ? "Ready" : "NotReady")
                .orElse("Unknown");
        boolean cordoned = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        return cordoned ? ready + ",SchedulingDisabled" : ready;
    }

    private static String address(NodeAddress address) {
        return address.getType() + " " + address.getAddress();
    }

    private static String cpu(@Nullable Quantity quantity) {
        if (quantity == null) {
            return "";
        }
        BigDecimal cores = quantity.getNumericalAmount();
        return cores.stripTrailingZeros().scale() <= 0
                ? cores.stripTrailingZeros().toPlainString()
                : cores.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_UP).toPlainString() + "m";
    }

    private static String memory(@Nullable Quantity quantity) {
        if (quantity == null) {
            return "";
        }
        BigDecimal bytes = quantity.getNumericalAmount();
        if (bytes.compareTo(GIBIBYTE) >= 0) {
            return bytes.divide(GIBIBYTE, 1, RoundingMode.HALF_UP).toPlainString() + " GiB";
        }
        return bytes.divide(MEBIBYTE, 0, RoundingMode.HALF_UP).toPlainString() + " MiB";
    }
}
