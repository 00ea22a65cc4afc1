package io.platform.api.auth.serviceaccount;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing keys on disk: made on first start, kept across restarts, rotated and retired by the clock. */
class SigningKeysTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration ROTATION = Duration.ofDays(30);
    private static final Duration MAX_TOKEN = Duration.ofHours(48);

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(T0);
    private SigningKeys keys;

    @AfterEach
    void close() {
        if (keys != null) {
            keys.close();
        }
    }

    private Path dir() {
        return dataDir.resolve("pki/sa-signing");
    }

    @Test
    void theFirstStartMakesOneOwnerOnlyKeyThatLaterStartsReuse() throws Exception {
        keys = SigningKeys.open(dir(), clock, ROTATION, MAX_TOKEN);
        assertThat(keys.all()).hasSize(1);
        List<Path> files = files();
        assertThat(files).hasSize(1);
        assertThat(files.getFirst().getFileName().toString()).isEqualTo("signing-" + T0.toEpochMilli() + ".key");
        assertThat(Files.getPosixFilePermissions(files.getFirst()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(dir())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.readString(files.getFirst())).startsWith("-----BEGIN PRIVATE KEY-----\n");

        clock.advance(Duration.ofDays(1));
        SigningKeys again = SigningKeys.open(dir(), clock, ROTATION, MAX_TOKEN);
        assertThat(again.signing().keyId()).isEqualTo(keys.signing().keyId());
        assertThat(again.signing().publicKey()).isEqualTo(keys.signing().publicKey());
        assertThat(files()).hasSize(1);
    }

    @Test
    void theKeyIdIsUnpaddedBase64UrlOfTheSha256OfTheDerPublicKey() throws Exception {
        keys = SigningKeys.open(dir(), clock, ROTATION, MAX_TOKEN);
        SigningKey key = keys.signing();
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.publicKey().getEncoded());
        assertThat(key.keyId()).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(digest))
                .hasSize(43).doesNotContain("=", "+", "/");
    }

    @Test
    void theNewestKeySignsAndANewOneTakesOverWhenTheRotationPeriodHasPassed() throws Exception {
        keys = SigningKeys.open(dir(), clock, ROTATION, MAX_TOKEN);
        SigningKey first = keys.signing();

        clock.advance(ROTATION.minusSeconds(1));
        keys.maintain();
        assertThat(keys.all()).containsExactly(first);

        clock.advance(Duration.ofSeconds(1));
        keys.maintain();
        SigningKey second = keys.signing();
        assertThat(second.keyId()).isNotEqualTo(first.keyId());
        assertThat(second.created()).isEqualTo(T0.plus(ROTATION));
        assertThat(keys.all()).containsExactly(first, second);
        assertThat(files()).hasSize(2);
        assertThat(keys.find(first.keyId())).contains(first);
    }

    @Test
    void aRetiredKeyIsDeletedOnceEveryTokenItSignedHasExpired() throws Exception {
        keys = SigningKeys.open(dir(), clock, ROTATION, MAX_TOKEN);
        SigningKey first = keys.signing();
        clock.advance(ROTATION);
        keys.maintain();
        SigningKey second = keys.signing();

        // the first key signed until the second was made; its last token lives MAX_TOKEN plus the leeway
        clock.advance(MAX_TOKEN.plus(ServiceAccountTokenAuthenticator.LEEWAY).minusSeconds(1));
        keys.maintain();
        assertThat(keys.all()).containsExactly(first, second);

        clock.advance(Duration.ofSeconds(1));
        keys.maintain();
        assertThat(keys.all()).containsExactly(second);
        assertThat(files()).extracting(p -> p.getFileName().toString())
                .containsExactly("signing-" + second.created().toEpochMilli() + ".key");

        SigningKeys restarted = SigningKeys.open(dir(), clock, ROTATION, MAX_TOKEN);
        assertThat(restarted.all()).extracting(SigningKey::keyId).containsExactly(second.keyId());
    }

    @Test
    void aKeyMadeWhileTheServerWasDownIsRotatedAtTheNextStart() {
        keys = SigningKeys.open(dir(), clock, ROTATION, MAX_TOKEN);
        String first = keys.signing().keyId();
        clock.advance(ROTATION.plus(MAX_TOKEN).plus(Duration.ofDays(1)));
        SigningKeys later = SigningKeys.open(dir(), clock, ROTATION, MAX_TOKEN);
        // the first key stopped signing only now: its tokens may still be valid for MAX_TOKEN
        assertThat(later.all()).hasSize(2);
        assertThat(later.all().getFirst().keyId()).isEqualTo(first);
        assertThat(later.signing().keyId()).isNotEqualTo(first);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dir())) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
