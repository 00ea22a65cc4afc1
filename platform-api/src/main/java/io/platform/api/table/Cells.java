package io.platform.api.table;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** Cell values as Kubernetes' printers write them: names, ages, {@code <none>}, template containers. */
final class Cells {

    static final String NONE = "<none>";
    static final String UNKNOWN = "<unknown>";

    private Cells() {}

    static String name(JsonNode object) {
        return Json.text(object, "metadata", "name");
    }

    static String age(JsonNode object, Instant now) {
        return since(Json.time(object, "metadata", "creationTimestamp"), now);
    }

    static String since(Optional<Instant> time, Instant now) {
        return time.map(t -> HumanDuration.format(Duration.between(t, now))).orElse(UNKNOWN);
    }

    /** The creation time in RFC 3339, as the "Created At" column. */
    static String createdAt(JsonNode object) {
        return Json.time(object, "metadata", "creationTimestamp")
                .map(t -> DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC)))
                .orElse("");
    }

    static String orNone(@Nullable String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    static String orUnknown(String value) {
        return value.isEmpty() ? UNKNOWN : value;
    }

    /** The container names of the pod template at {@code templatePath} (default {@code spec.template}). */
    static String containerNames(JsonNode object, String... templatePath) {
        return String.join(",", containers(object, templatePath).stream().map(c -> Json.text(c, "name")).toList());
    }

    static String containerImages(JsonNode object, String... templatePath) {
        return String.join(",", containers(object, templatePath).stream().map(c -> Json.text(c, "image")).toList());
    }

    private static List<JsonNode> containers(JsonNode object, String... templatePath) {
        JsonNode template = templatePath.length == 0 ? Json.at(object, "spec", "template") : Json.at(object, templatePath);
        return Json.array(template, "spec", "containers");
    }
}
