package io.platform.api.storage;

import io.platform.api.storage.encryption.EncryptingStore;
import io.platform.api.storage.encryption.EncryptionProperties;
import io.platform.api.storage.etcd.EtcdStore;
import io.platform.api.storage.etcd.EtcdStoreProperties;
import io.platform.api.storage.sql.SqlStore;
import io.platform.api.storage.sql.SqlStoreProperties;
import java.nio.file.Path;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * The {@code Store} bean, on the backend {@code platform.api.storage.url} names: {@code sqlite:PATH}
 * (the default, {@code <platform.api.data-dir>/state.db}), {@code postgres://...} or
 * {@code etcd://...}/{@code etcds://...}. A url of any other form stops the start with a message
 * listing the accepted ones. The SQL stores open their own connections and run their Flyway
 * migrations themselves, so the API server runs without Boot's DataSource and Flyway
 * auto-configuration; the store closes with the context. The bean encrypts values at rest as
 * {@code platform.api.encryption.*} configures ({@link EncryptingStore}); {@link #open(ConfigurableEnvironment)}
 * gives the raw store, whose values backups copy as they are stored.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({SqlStoreProperties.class, EtcdStoreProperties.class, EncryptionProperties.class})
public class StoreConfiguration {

    /** Where the store lives when {@code platform.api.storage.url} is unset: in the data dir. */
    public static final String DATA_DIR_PROPERTY = "platform.api.data-dir";

    @Bean(destroyMethod = "close")
    Store store(SqlStoreProperties properties, EtcdStoreProperties etcd, EncryptionProperties encryption,
            Environment environment) {
        Path dataDir = Path.of(environment.getProperty(DATA_DIR_PROPERTY, "./.platform"));
        return EncryptingStore.open(open(properties, etcd, environment), encryption.configFile(dataDir),
                encryption.reloadInterval(), Clock.systemUTC());
    }

    /**
     * Opens the store {@code environment}'s {@code platform.api.storage.*} and
     * {@code platform.api.data-dir} settings name, bound as the API server binds them (environment
     * variables such as {@code PLATFORM_API_STORAGE_ETCD_CAFILE} included), for tools that run
     * without the API server's context (backup and restore). The caller closes it.
     */
    public static Store open(ConfigurableEnvironment environment) {
        Binder binder = Binder.get(environment);
        return open(binder.bindOrCreate(SqlStoreProperties.PREFIX, SqlStoreProperties.class),
                binder.bindOrCreate(EtcdStoreProperties.PREFIX, EtcdStoreProperties.class), environment);
    }

    /** Where {@link #open(ConfigurableEnvironment)} would open the store, without opening it. */
    public static StoreUrl storeUrl(ConfigurableEnvironment environment) {
        return resolve(Binder.get(environment).bindOrCreate(SqlStoreProperties.PREFIX, SqlStoreProperties.class),
                environment).storeUrl();
    }

    private static Store open(SqlStoreProperties properties, EtcdStoreProperties etcd, Environment environment) {
        SqlStoreProperties resolved = resolve(properties, environment);
        return switch (resolved.storeUrl()) {
            case StoreUrl.Sqlite sqlite -> SqlStore.open(resolved);
            case StoreUrl.Postgres postgres -> SqlStore.open(resolved);
            case StoreUrl.Etcd members -> EtcdStore.open(members, etcd, resolved.watchBufferSize());
        };
    }

    private static SqlStoreProperties resolve(SqlStoreProperties properties, Environment environment) {
        return properties.url() != null ? properties
                : properties.withUrl("sqlite:" + environment.getProperty(DATA_DIR_PROPERTY, "./.platform")
                        + "/state.db");
    }
}
