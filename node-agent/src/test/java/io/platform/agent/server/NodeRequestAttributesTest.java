package io.platform.agent.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class NodeRequestAttributesTest {

    @Test
    void mapsPathsToTheKubeletsSubresources() {
        assertThat(NodeRequestAttributes.subresource("/stats/summary")).isEqualTo("stats");
        assertThat(NodeRequestAttributes.subresource("/stats")).isEqualTo("stats");
        assertThat(NodeRequestAttributes.subresource("/metrics")).isEqualTo("metrics");
        assertThat(NodeRequestAttributes.subresource("/metrics/cadvisor")).isEqualTo("metrics");
        assertThat(NodeRequestAttributes.subresource("/logs/syslog")).isEqualTo("log");
        assertThat(NodeRequestAttributes.subresource("/spec/")).isEqualTo("spec");
        assertThat(NodeRequestAttributes.subresource("/checkpoint/default/web/web")).isEqualTo("checkpoint");
        assertThat(NodeRequestAttributes.subresource("/containerLogs/default/web/web")).isEqualTo("proxy");
        assertThat(NodeRequestAttributes.subresource("/statsfoo")).isEqualTo("proxy");
        assertThat(NodeRequestAttributes.subresource("/healthz")).isEqualTo("proxy");
    }

    @Test
    void mapsMethodsToVerbs() {
        assertThat(NodeRequestAttributes.verb(HttpMethod.GET)).isEqualTo("get");
        assertThat(NodeRequestAttributes.verb(HttpMethod.HEAD)).isEqualTo("get");
        assertThat(NodeRequestAttributes.verb(HttpMethod.POST)).isEqualTo("create");
        assertThat(NodeRequestAttributes.verb(HttpMethod.PUT)).isEqualTo("update");
        assertThat(NodeRequestAttributes.verb(HttpMethod.PATCH)).isEqualTo("patch");
        assertThat(NodeRequestAttributes.verb(HttpMethod.DELETE)).isEqualTo("delete");
    }

    @Test
    void refusalReadsAsTheKubelets() {
        NodeRequestAttributes attributes = NodeRequestAttributes.of(HttpMethod.GET, "/containerLogs/a/b/c", "node-1");

        assertThat(attributes.forbiddenMessage("alice"))
                .isEqualTo("Forbidden (user=alice, verb=get, resource=nodes, subresource(s)=[proxy])");
        assertThat(attributes.nodeName()).isEqualTo("node-1");
    }

    @Test
    void cachedAnswersExpireAfterTheirOwnTtl() {
        MovableClock clock = new MovableClock();
        ExpiringCache<String, Boolean> cache = new ExpiringCache<>(clock, 2);
        cache.put("allowed", true, Duration.ofMinutes(5));
        cache.put("denied", false, Duration.ofSeconds(30));
        cache.put("never", true, Duration.ZERO);

        clock.advance(Duration.ofSeconds(29));
        assertThat(cache.get("denied")).isFalse();
        assertThat(cache.get("never")).isNull();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("denied")).isNull();
        assertThat(cache.get("allowed")).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(cache.get("allowed")).isNull();
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
