package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * events.k8s.io/v1 Events: as upstream's ValidateEventCreate for this API, new events name their time, reporter,
 * action and reason, and a note of at most 1 kB.
 */
final class EventsV1Strategy implements ResourceStrategy {

    private static final int NOTE_LIMIT = 1024;

    @Override
    public NameRule nameRule() {
        return NameRule.PATH_SEGMENT;
    }

    @Override
    public boolean keepsStatusOnCreate() {
        return true;
    }

    @Override
    public List<StatusCause> validate(ObjectNode event) {
        List<StatusCause> causes = new ArrayList<>();
        for (String field : List.of("eventTime", "reportingController", "reportingInstance", "action", "reason")) {
            Values.required(event, field, field, causes);
        }
        Values.supported(event, "type", "type", List.of("Normal", "Warning"), causes);
        JsonNode note = event.path("note");
        if (note.isString() && note.stringValue().length() > NOTE_LIMIT) {
            causes.add(new StatusCause("FieldValueTooLong", "note", "Too long: may not be more than " + NOTE_LIMIT + " bytes"));
        }
        return causes;
    }
}
