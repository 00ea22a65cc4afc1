package io.platform.api.admission.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.admission.AdmissionProperties;
import io.platform.api.errors.ApiException;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.resource.WriteContext;
import io.platform.api.storage.KeyValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespaceLifecycleTest {

    private static final ResourceType NAMESPACES = AdmissionHarness.type("", "namespaces");
    private static final String CONFIG_MAP = "{'metadata':{'name':'cm'}}";

    @TempDir
    Path dir;

    private AdmissionHarness harness;

    @BeforeEach
    void open() {
        harness = new AdmissionHarness(dir, h -> List.of(new NamespaceLifecycle(h.lookup, h.clock,
                AdmissionProperties.defaults())));
    }

    @AfterEach
    void close() {
        harness.close();
    }

    @Test
    void contentInAMissingNamespaceIsNotFound() {
        assertThatThrownBy(() -> harness.create("configmaps", "nope", CONFIG_MAP))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(404);
                    assertThat(e.getMessage()).isEqualTo("namespaces \"nope\" not found");
                });
    }

    @Test
    void theSystemNamespacesMayNotBeDeleted() {
        harness.namespace("kube-system", "{}");
        assertThatThrownBy(() -> harness.storage.delete(NAMESPACES, null, "kube-system", DeleteOptions.defaults(), false,
                WriteContext.of(AdmissionHarness.USER)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("namespaces \"kube-system\" is forbidden: this namespace may not be deleted");
                });
    }

    /**
     * The cache answers (no store read on the hot path) until this server marks the namespace for deletion; then the
     * store does for the TTL, so a cache that has not seen the mark yet never lets content in.
     */
    @Test
    void theCacheAnswersExceptForNamespacesThisServerJustMarkedForDeletion() {
        harness.namespace("busy", "{}");
        harness.namespace("other", "{}");
        // a cache filled before the deletion, and never told about it
        List<KeyValue> namespaces = harness.store.list(ObjectKeys.prefix(NAMESPACES, null), 0, 0, null).items();
        harness.cache.replace(namespaces, harness.store.currentRevision());
        harness.storage.update(NAMESPACES, null, "other", io.platform.api.resource.UpdateMode.SERVER, false, ns -> {
            ns.withObject("/metadata").put("deletionTimestamp", "2026-01-01T00:00:00Z");
            ns.putObject("status").put("phase", "Terminating");
            return ns;
        });
        // marked behind this plugin's back: the cache still says Active, and is believed
        harness.create("configmaps", "other", CONFIG_MAP);

        harness.storage.delete(NAMESPACES, null, "busy", DeleteOptions.defaults(), false,
                WriteContext.of(AdmissionHarness.USER));
        assertThatThrownBy(() -> harness.create("configmaps", "busy", CONFIG_MAP))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("configmaps \"cm\" is forbidden: unable to create new content in "
                            + "namespace busy because it is being terminated");
                    assertThat(e.causes()).extracting(c -> c.reason()).containsExactly("NamespaceTerminating");
                });

        harness.clock.advance(Duration.ofSeconds(31));
        harness.create("configmaps", "busy", "{'metadata':{'name':'after-ttl'}}");
    }
}
