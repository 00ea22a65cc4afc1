package io.platform.api.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Table-driven cases of the three patch types, one file each under {@code src/test/resources/patch}: every case
 * has {@code original}, {@code patch} (or unparsable {@code patchText}), and {@code expected} or an {@code error} code;
 * strategic merge cases name the client-java-api {@code model} of the root.
 */
class PatchCasesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String MODELS = "io.kubernetes.client.openapi.models.";

    static Stream<Arguments> jsonPatchCases() throws IOException {
        return cases("json-patch.json", PatchType.JSON);
    }

    static Stream<Arguments> mergePatchCases() throws IOException {
        return cases("merge-patch.json", PatchType.MERGE);
    }

    static Stream<Arguments> strategicMergePatchCases() throws IOException {
        return cases("strategic-merge-patch.json", PatchType.STRATEGIC_MERGE);
    }

    @ParameterizedTest
    @MethodSource({"jsonPatchCases", "mergePatchCases", "strategicMergePatchCases"})
    void patchGivesExpectedResultOrError(PatchType type, JsonNode testCase) throws ClassNotFoundException {
        ObjectNode original = (ObjectNode) testCase.get("original");
        ObjectNode untouched = original.deepCopy();
        byte[] patch = testCase.has("patchText")
                ? testCase.get("patchText").stringValue().getBytes(StandardCharsets.UTF_8)
                : JSON.writeValueAsBytes(testCase.get("patch"));
        Class<?> model = model(testCase);

        if (testCase.has("error")) {
            assertThatThrownBy(() -> Patches.apply(type, original, patch, model))
                    .isInstanceOfSatisfying(PatchException.class,
                            e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(testCase.get("error").intValue()));
        } else {
            assertThat(Patches.apply(type, original, patch, model)).isEqualTo(testCase.get("expected"));
        }
        assertThat(original).as("the current object is not modified").isEqualTo(untouched);
    }

    private static Class<?> model(JsonNode testCase) throws ClassNotFoundException {
        if (!testCase.has("model")) {
            return Object.class;
        }
        String name = testCase.get("model").stringValue();
        return Class.forName(name.contains(".") ? name : MODELS + name);
    }

    private static Stream<Arguments> cases(String file, PatchType type) throws IOException {
        try (InputStream in = PatchCasesTest.class.getResourceAsStream("/patch/" + file)) {
            assertThat(in).as(file).isNotNull();
            List<Arguments> cases = new ArrayList<>();
            for (JsonNode testCase : JSON.readTree(in)) {
                cases.add(Arguments.of(type, Named.of(testCase.get("name").stringValue(), testCase)));
            }
            return cases.stream();
        }
    }
}
