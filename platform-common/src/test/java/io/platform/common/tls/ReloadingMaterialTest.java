package io.platform.common.tls;

import static io.platform.common.tls.TestCertificates.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.platform.common.tls.TestCertificates.Authority;
import io.platform.common.tls.TestCertificates.Issued;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;

class ReloadingMaterialTest {

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final List<String> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void captureLogs() {
        logs.start();
        ((Logger) LoggerFactory.getLogger(ReloadingMaterial.class)).addAppender(logs);
    }

    @AfterEach
    void releaseLogs() {
        ((Logger) LoggerFactory.getLogger(ReloadingMaterial.class)).detachAppender(logs);
    }

    @Test
    void anUnusableVersionKeepsTheMaterialInUseAndIsLoggedOnce() {
        Path file = dir.resolve("material");
        writeAtomically(file, "ok: first");
        try (ReloadingMaterial<String> material = new ReloadingMaterial<>("test", prefixed(file), changes::add)) {
            assertThat(material.reloadIfChanged()).isFalse();

            writeAtomically(file, "broken");
            assertThat(material.reloadIfChanged()).isFalse();
            assertThat(material.reloadIfChanged()).isFalse();
            assertThat(material.current()).isEqualTo("first");
            assertThat(warnings()).containsExactly("keeping the TLS material in use for test: broken is not ok");

            writeAtomically(file, "ok: second");
            assertThat(material.reloadIfChanged()).isTrue();
            assertThat(material.current()).isEqualTo("second");
            assertThat(changes).containsExactly("second");

            // a new unusable version is news again
            writeAtomically(file, "broken again");
            assertThat(material.reloadIfChanged()).isFalse();
            assertThat(warnings()).hasSize(2);
        }
    }

    @Test
    void aFileThatAppearsLaterIsAChange() throws IOException {
        Path file = dir.resolve("material");
        writeAtomically(file, "ok: first");
        try (ReloadingMaterial<String> material = new ReloadingMaterial<>("test", prefixed(file), changes::add)) {
            Files.delete(file);
            assertThat(material.reloadIfChanged()).isFalse();
            assertThat(warnings()).singleElement().asString().contains("cannot read " + file);

            writeAtomically(file, "ok: back");
            assertThat(material.reloadIfChanged()).isTrue();
            assertThat(material.current()).isEqualTo("back");
        }
    }

    @Test
    void aKeyAndCertificateWrittenOneAfterTheOtherAreOnlyLoggedWhenTheMismatchPersists() {
        Authority ca = Authority.create("test-ca");
        Issued first = ca.server();
        Path certificate = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        Path trusted = dir.resolve("ca.crt");
        writeAtomically(certificate, first.certificatePem());
        writeAtomically(key, first.keyPem());
        writeAtomically(trusted, ca.self().certificatePem());
        List<SslBundle> bundles = new CopyOnWriteArrayList<>();
        try (ReloadingMaterial<SslBundle> material = new ReloadingMaterial<>("server",
                ReloadingSslBundle.pemFiles(certificate, key, trusted), bundles::add)) {
            Issued renewed = ca.server();
            writeAtomically(certificate, renewed.certificatePem());
            assertThat(material.reloadIfChanged()).isFalse();
            assertThat(warnings()).isEmpty();
            assertThat(PemSslBundles.certificate(material.current())).isEqualTo(first.certificate());

            // still mismatched at the next check: the key will not come
            assertThat(material.reloadIfChanged()).isFalse();
            assertThat(material.reloadIfChanged()).isFalse();
            assertThat(warnings()).singleElement().asString().endsWith(key + " is not the key of " + certificate);

            writeAtomically(key, renewed.keyPem());
            assertThat(material.reloadIfChanged()).isTrue();
            assertThat(PemSslBundles.certificate(material.current())).isEqualTo(renewed.certificate());
        }
    }

    @Test
    void pollsForChanges() {
        Path file = dir.resolve("material");
        writeAtomically(file, "ok: first");
        try (ReloadingMaterial<String> material = new ReloadingMaterial<>("test", prefixed(file), changes::add)) {
            material.pollEvery(Duration.ofMillis(50));
            writeAtomically(file, "ok: polled");
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.contains("polled"));
            assertThat(material.current()).isEqualTo("polled");
        }
    }

    @Test
    void unusableMaterialAtTheStartIsRefused() {
        Path file = dir.resolve("material");
        writeAtomically(file, "broken");
        assertThatThrownBy(() -> new ReloadingMaterial<>("test", prefixed(file), changes::add))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("broken is not ok");
    }

    /** Material that is the text after {@code ok: }. */
    private static ReloadingMaterial.Source<String> prefixed(Path file) {
        return new ReloadingMaterial.Source<>() {
            @Override
            public List<Path> files() {
                return List.of(file);
            }

            @Override
            public String read() {
                String text;
                try {
                    text = Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
                if (!text.startsWith("ok: ")) {
                    throw new IllegalArgumentException(text + " is not ok");
                }
                return text.substring(4);
            }
        };
    }

    private List<String> warnings() {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
