package io.platform.api.conversion;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * core/v1 and events.k8s.io/v1 Events are one object in Kubernetes with renamed fields (involvedObject is
 * regarding, message is note, source and the counters are deprecated*); these convert one form into the other.
 */
public final class EventConversion {

    /** core/v1 field → events.k8s.io/v1 field; the other fields have the same names in both. */
    private static final Map<String, String> CORE_TO_EVENTS = Map.of(
            "involvedObject", "regarding",
            "message", "note",
            "reportingComponent", "reportingController",
            "source", "deprecatedSource",
            "firstTimestamp", "deprecatedFirstTimestamp",
            "lastTimestamp", "deprecatedLastTimestamp",
            "count", "deprecatedCount");

    private EventConversion() {}

    /** The events.k8s.io/v1 form of a core/v1 Event. */
    public static ObjectNode toEventsV1(JsonNode coreEvent) {
        ObjectNode event = rename(coreEvent, CORE_TO_EVENTS);
        event.put("apiVersion", "events.k8s.io/v1");
        event.put("kind", "Event");
        return event;
    }

    /** The core/v1 form of an events.k8s.io/v1 Event. */
    public static ObjectNode toCore(JsonNode eventsV1) {
        Map<String, String> reverse = new HashMap<>();
        CORE_TO_EVENTS.forEach((core, events) -> reverse.put(events, core));
        ObjectNode event = rename(eventsV1, reverse);
        event.put("apiVersion", "v1");
        event.put("kind", "Event");
        return event;
    }

    private static ObjectNode rename(JsonNode source, Map<String, String> names) {
        ObjectNode target = JsonNodeFactory.instance.objectNode();
        source.properties().forEach(e -> target.set(names.getOrDefault(e.getKey(), e.getKey()), e.getValue().deepCopy()));
        return target;
    }
}
