package io.platform.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Bodies captured from kubectl 1.32 decode to exactly what {@code kubectl create --dry-run=client -o json} prints. */
class ProtobufBodiesGoldenTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Stream<String> cases() {
        return KubectlBodyCapture.CASES.keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decodedBodyEqualsKubectlDryRun(String name) throws IOException {
        JsonNode expected = JSON.readTree(resource(name + ".json"));

        JsonNode decoded = ProtobufBodies.decode(resource(name + ".pb"));

        assertThat(decoded).isEqualTo(expected);
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = ProtobufBodiesGoldenTest.class.getResourceAsStream("/protobuf/kubectl-1.32/" + file)) {
            assertThat(in).as(file).isNotNull();
            return in.readAllBytes();
        }
    }
}
