package io.platform.api.storage.etcd;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the etcd store ({@code platform.api.storage.etcd.*}); the members come from
 * {@code platform.api.storage.url} ({@code etcd://} or, for TLS, {@code etcds://}).
 *
 * @param caFile PEM CA bundle that signed the members' serving certificates (TLS); unset trusts the JDK's CAs
 * @param certFile PEM client certificate presented to etcd (TLS with {@code --client-cert-auth})
 * @param keyFile PEM private key of {@code certFile} (PKCS#8)
 * @param requestTimeout how long one request (including the client's retries on other members) may take
 * @param connectTimeout how long connecting to one member may take
 */
@ConfigurationProperties(EtcdStoreProperties.PREFIX)
public record EtcdStoreProperties(
        @Nullable Path caFile,
        @Nullable Path certFile,
        @Nullable Path keyFile,
        @DefaultValue("30s") Duration requestTimeout,
        @DefaultValue("5s") Duration connectTimeout) {

    public static final String PREFIX = "platform.api.storage.etcd";

    public EtcdStoreProperties {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException(
                    "platform.api.storage.etcd.cert-file and key-file must be set together");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException(
                    "platform.api.storage.etcd.request-timeout must be positive, got " + requestTimeout);
        }
    }

    /** The defaults: plain connections, 30 s per request. */
    public static EtcdStoreProperties defaults() {
        return new EtcdStoreProperties(null, null, null, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    public EtcdStoreProperties withTls(Path ca, Path cert, Path key) {
        return new EtcdStoreProperties(ca, cert, key, requestTimeout, connectTimeout);
    }
}
