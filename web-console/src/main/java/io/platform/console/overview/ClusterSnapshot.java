package io.platform.console.overview;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the overview shows at one moment: the rows read at {@code readAt}, and the reason the last
 * read failed if it did (the rows then are the last ones read successfully).
 */
public record ClusterSnapshot(List<NodeRow> nodes, List<PodRow> pods, @Nullable Instant readAt,
        @Nullable String error) {

    public static ClusterSnapshot notReadYet() {
        return new ClusterSnapshot(List.of(), List.of(), null, null);
    }

    /** Rows sorted as kubectl sorts them: nodes by name, pods by namespace then name. */
    public static ClusterSnapshot of(List<Node> nodes, List<Pod> pods, Instant now) {
        return new ClusterSnapshot(
                nodes.stream().map(n -> NodeRow.from(n, now)).sorted(Comparator.comparing(NodeRow::name)).toList(),
                pods.stream()
                        .map(p -> PodRow.from(p, now))
                        .sorted(Comparator.comparing(PodRow::namespace).thenComparing(PodRow::name))
                        .toList(),
                now,
                null);
    }

    public ClusterSnapshot failed(String reason) {
        return new ClusterSnapshot(nodes, pods, readAt, reason);
    }
}
