package io.platform.server;

import io.platform.api.pki.ClusterPki;
import io.platform.api.storage.Store;
import io.platform.api.storage.StoreConfiguration;
import io.platform.api.storage.StoreUrl;
import io.platform.api.storage.sql.SqlStoreProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The store a command outside {@code up} works on: {@code --store URL}, else the data dir's SQLite
 * file, resolved and opened exactly as the API server does (its {@code platform.api.storage.*}
 * settings, environment variables such as {@code PLATFORM_API_STORAGE_ETCD_CAFILE} included).
 */
record StoreLocation(Path dataDir, @Nullable String storeUrl) {

    StoreLocation {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    private ConfigurableEnvironment environment() {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> settings = new HashMap<>();
        settings.put(StoreConfiguration.DATA_DIR_PROPERTY, dataDir.toString());
        if (storeUrl != null) {
            settings.put(SqlStoreProperties.PREFIX + ".url", storeUrl);
        }
        environment.getPropertySources().addFirst(new MapPropertySource("platform-command", settings));
        return environment;
    }

    /**
     * Where the store is.
     *
     * @throws UsageException when {@code --store} is not a store url
     */
    StoreUrl url() {
        try {
            return StoreConfiguration.storeUrl(environment());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** Opens (a SQLite or PostgreSQL store: creating and migrating when needed) the store; the caller closes it. */
    Store open() {
        url();
        return StoreConfiguration.open(environment());
    }

    /** The backend's short name: {@code sqlite}, {@code postgres} or {@code etcd}. */
    static String backend(StoreUrl url) {
        return switch (url) {
            case StoreUrl.Sqlite sqlite -> "sqlite";
            case StoreUrl.Postgres postgres -> "postgres";
            case StoreUrl.Etcd etcd -> "etcd";
        };
    }

    /** The cluster id written in the data dir, when there is one. */
    Optional<String> clusterId() {
        Path file = dataDir.resolve(ClusterPki.CLUSTER_ID_FILE);
        return Files.exists(file) ? Optional.of(PlatformMain.readClusterId(file)) : Optional.empty();
    }
}
