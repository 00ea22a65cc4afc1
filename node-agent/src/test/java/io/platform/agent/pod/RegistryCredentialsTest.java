package io.platform.agent.pod;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.platform.agent.runtime.ContainerRuntime.RegistryCredential;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryCredentialsTest {

    @ParameterizedTest(name = "{0} for {1}: {2}")
    @CsvSource({
        "registry.example.com,            registry.example.com/app:1,           true",
        "registry.example.com,            other.example.com/app:1,              false",
        "https://registry.example.com/v2/, registry.example.com/team/app:1,     true",
        "*.example.com,                   registry.example.com/app:1,           true",
        "*.example.com,                   a.b.example.com/app:1,                false",
        "127.0.0.1:5000,                  127.0.0.1:5000/app:1,                 true",
        "127.0.0.1:5000,                  127.0.0.1:5001/app:1,                 false",
        "127.0.0.1:5000,                  127.0.0.1/app:1,                      false",
        "registry.example.com/team,       registry.example.com/team/app:1,      true",
        "registry.example.com/team,       registry.example.com/other/app:1,     false",
    })
    void registryMatchingAsUpstreamKeyring(String key, String image, boolean matches) {
        assertThat(RegistryCredentials.matches(RegistryCredentials.normalize(key), image)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "busybox:1.35,                 true",
        "library/busybox,              true",
        "docker.io/library/busybox,    true",
        "index.docker.io/busybox,      true",
        "registry.example.com/busybox, false",
        "localhost:5000/busybox,       false",
    })
    void dockerHubImages(String image, boolean hub) {
        assertThat(RegistryCredentials.isDefaultRegistry(image)).isEqualTo(hub);
    }

    @Test
    void dockerConfigJsonAndLegacyDockercfgSecretsGiveCredentialsMostSpecificFirst() {
        Secret json = secret("kubernetes.io/dockerconfigjson", ".dockerconfigjson", """
                {"auths": {
                  "registry.example.com": {"auth": "%s"},
                  "registry.example.com/team": {"username": "team", "password": "t"},
                  "https://index.docker.io/v1/": {"username": "hub", "password": "h"}
                }}""".formatted(base64("alice:secret")));
        Secret legacy = secret("kubernetes.io/dockercfg", ".dockercfg", """
                {"*.example.com": {"username": "glob", "password": "g"}}""");
        Secret opaque = secret("Opaque", ".dockerconfigjson", "{\"auths\": {\"registry.example.com\": {\"username\": \"x\"}}}");

        List<RegistryCredential> team = RegistryCredentials.forImage("registry.example.com/team/app:1", List.of(json, legacy, opaque));
        List<RegistryCredential> hub = RegistryCredentials.forImage("busybox:1.35", List.of(json, legacy));
        List<RegistryCredential> none = RegistryCredentials.forImage("quay.io/app:1", List.of(json, legacy));

        assertThat(team).extracting(RegistryCredential::username).containsExactly("team", "alice", "glob");
        assertThat(team.get(1).password()).isEqualTo("secret");
        assertThat(hub).extracting(RegistryCredential::username).containsExactly("hub");
        assertThat(none).isEmpty();
    }

    private static Secret secret(String type, String key, String content) {
        return new SecretBuilder().withNewMetadata().withName("pull").endMetadata().withType(type)
                .addToData(key, base64(content)).build();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
