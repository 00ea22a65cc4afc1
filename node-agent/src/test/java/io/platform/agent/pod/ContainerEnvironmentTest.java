package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContainerEnvironmentTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "$(NAME)             | web",
        "x-$(NAME)-$(NAME)   | x-web-web",
        "$(MISSING)          | $(MISSING)",
        "$$(NAME)            | $(NAME)",
        "$NAME               | $NAME",
        "$(NAME              | $(NAME",
        "cost $$5            | cost $5",
    })
    void expandsAsKubernetes(String input, String expected) {
        assertThat(ContainerEnvironment.expand(input, Map.of("NAME", "web"))).isEqualTo(expected);
    }
}
