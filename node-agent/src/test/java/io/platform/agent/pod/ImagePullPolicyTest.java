package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImagePullPolicyTest {

    @ParameterizedTest(name = "{0} ({1}) -> {2}")
    @CsvSource({
        "busybox:1.35,                    '',           IfNotPresent",
        "busybox,                         '',           Always",
        "busybox:latest,                  '',           Always",
        "localhost:5000/app,              '',           Always",
        "localhost:5000/app:v1,           '',           IfNotPresent",
        "app@sha256:0123456789abcdef,     '',           IfNotPresent",
        "busybox:latest,                  Never,        Never",
        "busybox:1.35,                    Always,       Always",
    })
    void defaultsAsTheApiServer(String image, String policy, String expected) {
        var container = new ContainerBuilder().withName("c").withImage(image)
                .withImagePullPolicy(policy.isEmpty() ? null : policy).build();
        assertThat(ImagePullPolicy.effective(container)).isEqualTo(expected);
    }
}
