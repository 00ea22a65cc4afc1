package io.platform.api.admission.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.admission.AdmissionProperties;
import io.platform.api.errors.ApiException;
import io.platform.api.resource.DeleteOptions;
import io.platform.api.resource.WriteContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ResourceQuotaAdmissionTest {

    @TempDir
    Path dir;

    private AdmissionHarness harness;

    @BeforeEach
    void open() {
        harness = new AdmissionHarness(dir, h -> List.of(new ResourceQuotaAdmission(h.lookup, h.storage, h.clock,
                AdmissionProperties.defaults())));
        harness.namespace("ns", "{}");
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private static String pod(String name, String resources) {
        return "{'metadata':{'name':'" + name + "'},'spec':{'containers':[{'name':'c','image':'busybox'"
                + (resources.isEmpty() ? "" : ",'resources':" + resources) + "}]}}";
    }

    private JsonNode used(String quota) {
        return harness.lookup.live(AdmissionHarness.type("", "resourcequotas"), "ns", quota).orElseThrow()
                .path("status").path("used");
    }

    @Test
    void aQuotaCountsWhatIsThereWhenCreatedAndRefusesCreatesPastItsHardLimit() {
        harness.create("pods", "ns", pod("first", ""));
        harness.create("resourcequotas", "ns", "{'metadata':{'name':'pods'},'spec':{'hard':{'pods':'2','configmaps':'5'}}}");
        assertThat(used("pods").path("pods").asString()).isEqualTo("1");
        assertThat(used("pods").path("configmaps").asString()).isEqualTo("0");

        harness.create("pods", "ns", pod("second", ""));
        assertThat(used("pods").path("pods").asString()).isEqualTo("2");
        assertThatThrownBy(() -> harness.create("pods", "ns", pod("third", "")))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("pods \"third\" is forbidden: exceeded quota: pods, "
                            + "requested: pods=1, used: pods=2, limited: pods=2");
                });
        assertThat(used("pods").path("pods").asString()).isEqualTo("2");
    }

    @Test
    void dryRunsAreCheckedButNotChargedAndDeletesAreRecounted() {
        harness.create("resourcequotas", "ns", "{'metadata':{'name':'q'},'spec':{'hard':{'count/configmaps':'1'}}}");
        harness.create("configmaps", "ns", "{'metadata':{'name':'dry'}}", WriteContext.of(AdmissionHarness.USER), true);
        assertThat(used("q").path("count/configmaps").asString()).isEqualTo("0");

        harness.create("configmaps", "ns", "{'metadata':{'name':'one'}}");
        assertThatThrownBy(() -> harness.create("configmaps", "ns", "{'metadata':{'name':'two'}}"))
                .hasMessageContaining("exceeded quota: q, requested: count/configmaps=1, used: count/configmaps=1, "
                        + "limited: count/configmaps=1");
        harness.storage.delete(AdmissionHarness.type("", "configmaps"), "ns", "one", DeleteOptions.defaults(), false,
                WriteContext.of(AdmissionHarness.USER));
        assertThat(used("q").path("count/configmaps").asString()).isEqualTo("0");
        harness.create("configmaps", "ns", "{'metadata':{'name':'two'}}");
    }

    @Test
    void computeQuotasNeedRequestsAndSumThem() {
        harness.create("resourcequotas", "ns", "{'metadata':{'name':'compute'},'spec':{'hard':"
                + "{'requests.cpu':'1','requests.memory':'1Gi','limits.memory':'2Gi'}}}");
        assertThatThrownBy(() -> harness.create("pods", "ns", pod("bare", "")))
                .hasMessage("pods \"bare\" is forbidden: failed quota: compute: must specify limits.memory for: c; "
                        + "requests.cpu for: c; requests.memory for: c");
        String resources = "{'requests':{'cpu':'400m','memory':'256Mi'},'limits':{'memory':'512Mi'}}";
        harness.create("pods", "ns", pod("a", resources));
        harness.create("pods", "ns", pod("b", resources));
        assertThat(used("compute")).isEqualTo(AdmissionHarness.json(
                "{'limits.memory':'1Gi','requests.cpu':'800m','requests.memory':'512Mi'}"));
        assertThatThrownBy(() -> harness.create("pods", "ns", pod("c", resources)))
                .hasMessage("pods \"c\" is forbidden: exceeded quota: compute, requested: requests.cpu=400m, "
                        + "used: requests.cpu=800m, limited: requests.cpu=1");
    }

    @Test
    void aQuotaTheWatchCacheHasNotSeenIsFoundByALiveLookup() {
        // a filled cache that never hears of what follows
        harness.cache.replace(List.of(), harness.store.currentRevision());
        harness.create("resourcequotas", "ns", "{'metadata':{'name':'q'},'spec':{'hard':{'pods':'1'}}}");
        harness.create("pods", "ns", pod("one", ""));
        assertThatThrownBy(() -> harness.create("pods", "ns", pod("two", "")))
                .hasMessage("pods \"two\" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1");
    }

    @Test
    void concurrentCreatesNeverOverrunAQuota() throws Exception {
        harness.create("resourcequotas", "ns", "{'metadata':{'name':'q'},'spec':{'hard':{'configmaps':'5'}}}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<String> outcomes = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    try {
                        harness.create("configmaps", "ns", "{'metadata':{'name':'cm-" + n + "'}}");
                        outcomes.add("created");
                    } catch (ApiException e) {
                        outcomes.add(e.code() + "");
                    }
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(outcomes).filteredOn("created"::equals).hasSize(5);
        assertThat(outcomes).filteredOn("403"::equals).hasSize(7);
        assertThat(used("q").path("configmaps").asString()).isEqualTo("5");
    }
}
