package io.platform.api.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.json.Json;
import io.platform.api.registry.BuiltinResources;
import io.platform.api.registry.ResourceType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class StoredFormTest {

    private static final ResourceType HPA_V1 =
            BuiltinResources.find("autoscaling", "v1", "horizontalpodautoscalers").orElseThrow();
    private static final ResourceType EVENTS_V1 = BuiltinResources.find("events.k8s.io", "v1", "events").orElseThrow();

    @Test
    void v1CpuTargetIsAV2ResourceMetricAndBack() {
        ObjectNode v1 = parse("""
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"a"},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"a"},"minReplicas":1,"maxReplicas":4,
                  "targetCPUUtilizationPercentage":50},
                 "status":{"currentReplicas":2,"desiredReplicas":3,"currentCPUUtilizationPercentage":41}}""");

        ObjectNode v2 = StoredForm.toStored(HPA_V1, v1);

        assertThat(v2.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
        assertThat(v2.at("/spec/metrics/0/resource/name").asString()).isEqualTo("cpu");
        assertThat(v2.at("/spec/metrics/0/resource/target/type").asString()).isEqualTo("Utilization");
        assertThat(v2.at("/spec/metrics/0/resource/target/averageUtilization").asInt()).isEqualTo(50);
        assertThat(v2.at("/status/currentMetrics/0/resource/current/averageUtilization").asInt()).isEqualTo(41);
        assertThat(StoredForm.toServed(HPA_V1, v2)).isEqualTo(v1);
    }

    @Test
    void whatV1CannotSayTravelsInAnnotations() {
        ObjectNode v2 = parse("""
                {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"a"},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"a"},"maxReplicas":4,
                  "metrics":[{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"1Gi"}}},
                   {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":70}}}],
                  "behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}},
                 "status":{"currentReplicas":1,"desiredReplicas":1,"conditions":[{"type":"AbleToScale","status":"True"}]}}""");

        ObjectNode v1 = StoredForm.toServed(HPA_V1, v2);

        assertThat(v1.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(70);
        assertThat(v1.at("/metadata/annotations/autoscaling.alpha.kubernetes.io~1metrics").asString()).contains("memory");
        assertThat(v1.at("/metadata/annotations/autoscaling.alpha.kubernetes.io~1behavior").asString())
                .contains("stabilizationWindowSeconds");
        ObjectNode back = StoredForm.toStored(HPA_V1, v1);
        assertThat(back.at("/spec/behavior")).isEqualTo(v2.at("/spec/behavior"));
        assertThat(back.at("/status/conditions")).isEqualTo(v2.at("/status/conditions"));
        assertThat(back.at("/spec/metrics").size()).isEqualTo(2);
        assertThat(back.path("metadata").has("annotations")).isFalse();
    }

    @Test
    void eventsV1AreStoredAsCoreEvents() {
        ObjectNode event = parse("""
                {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e"},"note":"hello",
                 "regarding":{"kind":"Pod","name":"p"},"reportingController":"c","deprecatedCount":3}""");

        ObjectNode core = StoredForm.toStored(EVENTS_V1, event);

        assertThat(core.path("apiVersion").asString()).isEqualTo("v1");
        assertThat(core.path("message").asString()).isEqualTo("hello");
        assertThat(core.at("/involvedObject/name").asString()).isEqualTo("p");
        assertThat(core.path("reportingComponent").asString()).isEqualTo("c");
        assertThat(core.path("count").asInt()).isEqualTo(3);
        assertThat(StoredForm.toServed(EVENTS_V1, core)).isEqualTo(event);
    }

    private static ObjectNode parse(String json) {
        return Json.parseObject(json.getBytes(StandardCharsets.UTF_8));
    }
}
