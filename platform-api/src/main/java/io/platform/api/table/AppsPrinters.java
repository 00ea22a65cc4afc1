package io.platform.api.table;

import io.kubernetes.client.openapi.models.V1ControllerRevision;
import io.kubernetes.client.openapi.models.V1DaemonSetSpec;
import io.kubernetes.client.openapi.models.V1DaemonSetStatus;
import io.kubernetes.client.openapi.models.V1PodSpec;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** kube-apiserver's printers of apps/v1 stateful sets, daemon sets and controller revisions. */
final class AppsPrinters {

    private AppsPrinters() {}

    static void register(Map<String, Printer> printers) {
        printers.put("apps/statefulsets", statefulSets());
        printers.put("apps/daemonsets", daemonSets());
        printers.put("apps/controllerrevisions", controllerRevisions());
    }

    private static Printer statefulSets() {
        return new Printer(List.of(Column.name(0),
                Column.of("Ready", "string", "Number of the pod with ready state", 0),
                Column.age(), Column.containers(), Column.images()),
                (set, now) -> List.of(Cells.name(set),
                        Json.number(set, "status", "readyReplicas") + "/" + Json.number(set, "spec", "replicas"),
                        Cells.age(set, now), Cells.containerNames(set), Cells.containerImages(set)));
    }

    private static Printer daemonSets() {
        return new Printer(List.of(Column.name(0),
                Column.of("Desired", "integer", Column.describe(V1DaemonSetStatus.class, "desiredNumberScheduled"), 0),
                Column.of("Current", "integer", Column.describe(V1DaemonSetStatus.class, "currentNumberScheduled"), 0),
                Column.of("Ready", "integer", Column.describe(V1DaemonSetStatus.class, "numberReady"), 0),
                Column.of("Up-to-date", "integer", Column.describe(V1DaemonSetStatus.class, "updatedNumberScheduled"), 0),
                Column.of("Available", "integer", Column.describe(V1DaemonSetStatus.class, "numberAvailable"), 0),
                Column.field("Node Selector", V1PodSpec.class, "nodeSelector"),
                Column.age(), Column.containers(), Column.images(),
                Column.wide("Selector", V1DaemonSetSpec.class, "selector")),
                (set, now) -> List.of(Cells.name(set),
                        Json.number(set, "status", "desiredNumberScheduled"),
                        Json.number(set, "status", "currentNumberScheduled"),
                        Json.number(set, "status", "numberReady"),
                        Json.number(set, "status", "updatedNumberScheduled"),
                        Json.number(set, "status", "numberAvailable"),
                        LabelSelectors.formatLabels(Json.at(set, "spec", "template", "spec", "nodeSelector")),
                        Cells.age(set, now), Cells.containerNames(set), Cells.containerImages(set),
                        LabelSelectors.formatOrNone(Json.at(set, "spec", "selector"))));
    }

    private static Printer controllerRevisions() {
        return new Printer(List.of(Column.name(0),
                Column.of("Controller", "string", "Controller of the object", 0),
                Column.of("Revision", "integer", Column.describe(V1ControllerRevision.class, "revision"), 0),
                Column.age()),
                (revision, now) -> List.of(Cells.name(revision), controller(revision),
                        Json.number(revision, "revision"), Cells.age(revision, now)));
    }

    /** The controlling owner as {@code kind.group/name} in lower case, as upstream's formatResourceName. */
    static String controller(JsonNode object) {
        for (JsonNode owner : Json.array(object, "metadata", "ownerReferences")) {
            if (Json.bool(owner, "controller")) {
                String apiVersion = Json.text(owner, "apiVersion");
                int slash = apiVersion.indexOf('/');
                String kind = Json.text(owner, "kind") + (slash < 0 ? "" : "." + apiVersion.substring(0, slash));
                return kind.toLowerCase(Locale.ROOT) + "/" + Json.text(owner, "name");
            }
        }
        return Cells.NONE;
    }
}
