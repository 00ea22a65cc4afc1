package io.platform.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.KeyPairs;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Bootstrap tokens, their Secret, the cluster-info signature and the CA hash join pins. */
class BootstrapTokenTest {

    private final BootstrapToken token = BootstrapToken.parse("abcdef.0123456789abcdef");

    @Test
    void parsesOnlyTheKubeadmForm() {
        assertThat(token.id()).isEqualTo("abcdef");
        assertThat(token.secret()).isEqualTo("0123456789abcdef");
        assertThat(BootstrapToken.generate(new SecureRandom()).value()).matches("[a-z0-9]{6}\\.[a-z0-9]{16}");
        for (String bad : List.of("abcdef0123456789abcdef", "ABCDEF.0123456789abcdef", "abcde.0123456789abcdef",
                "abcdef.0123456789abcde", "abcdef.0123456789abcdef0")) {
            assertThatThrownBy(() -> BootstrapToken.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("[a-z0-9]{6}.[a-z0-9]{16}");
        }
        assertThat(token.toString()).doesNotContain(token.secret());
    }

    @Test
    void theSecretIsKubeadmsWithTheNodeGroup() {
        Secret secret = token.toSecret(Instant.parse("2026-11-24T10:15:30.250Z"), "for worker-1");

        assertThat(secret.getMetadata().getNamespace()).isEqualTo("kube-system");
        assertThat(secret.getMetadata().getName()).isEqualTo("bootstrap-token-abcdef");
        assertThat(secret.getType()).isEqualTo("bootstrap.kubernetes.io/token");
        assertThat(secret.getData()).containsOnlyKeys("description", "token-id", "token-secret", "expiration",
                "usage-bootstrap-authentication", "usage-bootstrap-signing", "auth-extra-groups");
        assertThat(ClusterInfo.decoded(secret.getData(), "expiration")).isEqualTo("2026-11-24T10:15:30Z");
        assertThat(ClusterInfo.decoded(secret.getData(), "auth-extra-groups"))
                .isEqualTo("system:bootstrappers:platform:default-node-token");
        assertThat(token.toSecret(null, null).getData()).doesNotContainKeys("expiration", "description");
    }

    @Test
    void signsCanonicallyAsADetachedHs256JwsWithTheTokenIdAsKeyId() throws Exception {
        String content = "apiVersion: v1\nkind: Config\n";

        String signature = token.sign(content);

        String header = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"HS256\",\"kid\":\"abcdef\"}".getBytes(UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("0123456789abcdef".getBytes(UTF_8), "HmacSHA256"));
        String expected = header + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(
                (header + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(content.getBytes(UTF_8)))
                        .getBytes(UTF_8)));
        assertThat(signature).isEqualTo(expected);
        assertThat(token.signed(content, signature)).isTrue();
        assertThat(token.signed(content + " ", signature)).isFalse();
        assertThat(BootstrapToken.parse("abcdef.0123456789abcdeg").signed(content, signature)).isFalse();
    }

    @Test
    void theCaHashIsTheSha256OfThePublicKeyInfo() throws Exception {
        X509Certificate ca = CertificateSigner.selfSignedCa(KeyPairs.ecP256(), "hash-test", Instant.now(),
                Instant.now().plus(Duration.ofDays(1)));
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getPublicKey().getEncoded()));

        assertThat(CaCertHash.of(ca)).isEqualTo("sha256:" + hex);
        assertThat(CaCertHash.parse("SHA256:" + hex.toUpperCase())).isEqualTo("sha256:" + hex);
        assertThat(CaCertHash.anyPinned(List.of(ca), List.of("sha256:" + "0".repeat(64), "sha256:" + hex))).isTrue();
        assertThat(CaCertHash.anyPinned(List.of(ca), List.of("sha256:" + "0".repeat(64)))).isFalse();
        assertThatThrownBy(() -> CaCertHash.parse("md5:abcd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256:");
    }
}
