package io.platform.common.selector;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorsTest {

    @Test
    void matchLabelsAndExpressions() {
        LabelSelector selector = new LabelSelectorBuilder().addToMatchLabels("app", "web")
                .addNewMatchExpression().withKey("tier").withOperator("In").withValues("front", "edge").endMatchExpression()
                .addNewMatchExpression().withKey("canary").withOperator("DoesNotExist").endMatchExpression()
                .build();

        assertThat(LabelSelectors.matches(selector, Map.of("app", "web", "tier", "edge"))).isTrue();
        assertThat(LabelSelectors.matches(selector, Map.of("app", "web", "tier", "back"))).isFalse();
        assertThat(LabelSelectors.matches(selector, Map.of("app", "web", "tier", "front", "canary", "1"))).isFalse();
        assertThat(LabelSelectors.matches(selector, Map.of("tier", "front"))).isFalse();
        assertThat(LabelSelectors.matches(null, Map.of("app", "web"))).isFalse();
        assertThat(LabelSelectors.matches(new LabelSelector(), Map.of())).isTrue();
    }
}
