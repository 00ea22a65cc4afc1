package io.platform.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/** {@code platform users}: passwords hashed, read from stdin when asked, groups kept in the table. */
class UsersCommandTest {

    private static final PasswordEncoder PASSWORDS = PasswordEncoderFactories.createDelegatingPasswordEncoder();

    @TempDir
    Path dataDir;

    @Test
    void aPasswordFromStdinIsStoredHashed() {
        run("secret password\n", "add", "bob", "--group", "qa", "--password-stdin");

        LocalUser bob = LocalUsers.open(dataDir).find("bob").orElseThrow();
        assertThat(bob.passwordHash()).startsWith("{bcrypt}").doesNotContain("secret password");
        assertThat(PASSWORDS.matches("secret password", bob.passwordHash())).isTrue();
        assertThat(bob.groups()).containsExactly("qa");
        assertThat(dataDir.resolve("identity.db")).satisfies(file -> assertThat(
                java.nio.file.Files.getPosixFilePermissions(file)).isEqualTo(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
    }

    @Test
    void passwdReplacesThePassword() {
        run("first password\n", "add", "bob", "--password-stdin");
        run("second password\n", "passwd", "bob", "--password-stdin");

        String hash = LocalUsers.open(dataDir).find("bob").orElseThrow().passwordHash();
        assertThat(PASSWORDS.matches("second password", hash)).isTrue();
        assertThat(PASSWORDS.matches("first password", hash)).isFalse();
    }

    @Test
    void aShortPasswordIsRefused() {
        assertThatThrownBy(() -> run("short\n", "add", "bob", "--password-stdin"))
                .isInstanceOf(UsersCommand.UsageError.class).hasMessageContaining("at least 8");
        assertThat(LocalUsers.open(dataDir).find("bob")).isEmpty();
    }

    @Test
    void removingAUserRemovesItsGroups() {
        run("", "add", "bob", "--group", "qa");
        run("", "remove", "bob");
        run("", "add", "bob");

        assertThat(LocalUsers.open(dataDir).find("bob").orElseThrow().groups()).isEmpty();
        assertThat(LocalUsers.open(dataDir).list()).extracting(LocalUser::name).containsExactly("bob");
    }

    private String run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new UsersCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)))
                .run(List.of(args), dataDir);
        return out.toString(StandardCharsets.UTF_8);
    }
}
