package io.platform.api.conversion;

import io.platform.api.registry.ResourceType;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a served version is not the stored one, the conversion between them: autoscaling/v1 HPAs are stored as
 * autoscaling/v2, events.k8s.io/v1 Events as core/v1 Events (in the same keys, as upstream). Every other type is
 * stored as served.
 */
public final class StoredForm {

    private StoredForm() {}

    /** The object as {@code type} serves it, from its stored form. */
    public static ObjectNode toServed(ResourceType type, ObjectNode stored) {
        return switch (converted(type)) {
            case HPA_V1 -> HorizontalPodAutoscalerConversion.toV1(stored);
            case EVENTS_V1 -> stored.path("apiVersion").asString("").equals("v1") ? EventConversion.toEventsV1(stored) : stored;
            case NONE -> stored;
        };
    }

    /** The form to store of an object as {@code type} serves it. */
    public static ObjectNode toStored(ResourceType type, ObjectNode served) {
        return switch (converted(type)) {
            case HPA_V1 -> HorizontalPodAutoscalerConversion.toV2(served);
            case EVENTS_V1 -> EventConversion.toCore(served);
            case NONE -> served;
        };
    }

    private enum Conversion { NONE, HPA_V1, EVENTS_V1 }

    private static Conversion converted(ResourceType type) {
        if (type.group().equals("autoscaling") && type.version().equals("v1") && type.plural().equals("horizontalpodautoscalers")) {
            return Conversion.HPA_V1;
        }
        if (type.group().equals("events.k8s.io") && type.plural().equals("events")) {
            return Conversion.EVENTS_V1;
        }
        return Conversion.NONE;
    }
}
