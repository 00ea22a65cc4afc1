package io.platform.api;

import io.platform.api.pki.ClusterPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the API server ({@code platform.api.*}); storage settings live in the store's own
 * record under {@code platform.api.storage}.
 *
 * @param dataDir where the PKI ({@code pki/}) and the default SQLite file live
 * @param tls HTTPS serving and client-certificate authentication
 * @param watch watch stream timeouts, bookmarks and the shared event ring
 * @param logs how pod logs are fetched from node agents
 * @param namespaceRetryInterval how often a terminating namespace that is not empty yet is checked again
 * @param maxRequestBody the largest request body accepted; larger ones are refused with 413 (3 MiB, as Kubernetes)
 * @param events how long Events live after their last write
 */
@ConfigurationProperties("platform.api")
public record ApiServerProperties(
        @DefaultValue("./.platform") Path dataDir,
        @DefaultValue Tls tls,
        @DefaultValue Watch watch,
        @DefaultValue Logs logs,
        @DefaultValue("2s") Duration namespaceRetryInterval,
        @DefaultValue("3MB") DataSize maxRequestBody,
        @DefaultValue Events events) {

    /**
     * @param enabled serve HTTPS with client-certificate authentication (off only in tests of plain HTTP)
     * @param createMissing write the cluster PKI into the data dir when the serving certificate is missing
     * @param reloadInterval how often the serving certificate, its key and the trusted client CAs are read again,
     *     so a renewed certificate or a rotated CA is served without a restart (0 = never)
     */
    public record Tls(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("true") boolean createMissing,
            @DefaultValue("10s") Duration reloadInterval) {}

    /**
     * @param minTimeout shortest server-chosen watch duration when the client sets no timeoutSeconds
     * @param maxTimeout longest one; upstream picks at random between 30 and 60 minutes
     * @param bookmarkInterval how often a BOOKMARK is sent to watchers that allow them
     * @param cachedEvents recent events kept in memory for watchers resuming from a resourceVersion
     * @param cacheWait how long a list waits for the watch cache to reach the revision it must reflect
     *     before a consistent read falls back to the store or a NotOlderThan list answers 504 (3 s, as upstream)
     */
    public record Watch(
            @DefaultValue("30m") Duration minTimeout,
            @DefaultValue("60m") Duration maxTimeout,
            @DefaultValue("60s") Duration bookmarkInterval,
            @DefaultValue("10000") int cachedEvents,
            @DefaultValue("3s") Duration cacheWait) {}

    /**
     * @param ttl how long an Event lives after its last write before it is deleted (upstream's --event-ttl)
     * @param sweepInterval how often expired Events are looked for; an Event may outlive its ttl by up to twice this
     */
    public record Events(@DefaultValue("1h") Duration ttl, @DefaultValue("1m") Duration sweepInterval) {}

    /** @param connectTimeout how long connecting to a node agent may take (a followed stream then runs unbounded) */
    public record Logs(@DefaultValue("10s") Duration connectTimeout) {}

    public Path pkiDir() {
        return dataDir.resolve("pki");
    }

    public Path servingCertificate() {
        return pkiDir().resolve("apiserver.crt");
    }

    public Path servingKey() {
        return pkiDir().resolve("apiserver.key");
    }

    /** The CAs client certificates are verified against: the bundle (old and new CA during a rotation) when written. */
    public Path clientCa() {
        Path bundle = pkiDir().resolve(ClusterPki.CA_BUNDLE_FILE);
        return Files.exists(bundle) ? bundle : pkiDir().resolve("ca.crt");
    }

    public Path nodeClientCertificate() {
        return pkiDir().resolve("apiserver-node-client.crt");
    }

    public Path nodeClientKey() {
        return pkiDir().resolve("apiserver-node-client.key");
    }
}
