package io.platform.api.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.json.Json;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "front", "rank", "3");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|true",
            "app=web|true",
            "app==web|true",
            "app!=web|false",
            "app!=db|true",
            "app in (web,db)|true",
            "app in (db)|false",
            "app notin (db, cache)|true",
            "tier,app=web|true",
            "missing|false",
            "!missing|true",
            "!app|false",
            "rank>2|true",
            "rank<2|false",
            "app=web,tier in (back)|false"})
    void matchesAsUpstream(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(expected);
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> LabelSelector.parse("app=web=x")).isInstanceOf(SelectorException.class);
        assertThatThrownBy(() -> LabelSelector.parse("rank>x")).isInstanceOf(SelectorException.class);
    }

    @Test
    void printsLabelSelectorObjectsAsScaleSelectors() {
        var object = Json.parseObject(("{\"matchLabels\":{\"tier\":\"front\",\"app\":\"web\"},"
                + "\"matchExpressions\":[{\"key\":\"env\",\"operator\":\"In\",\"values\":[\"prod\",\"dev\"]},"
                + "{\"key\":\"canary\",\"operator\":\"DoesNotExist\"}]}").getBytes());
        assertThat(LabelSelector.fromObject(object).toString()).isEqualTo("app=web,!canary,env in (dev,prod),tier=front");
    }
}
