package io.platform.api.storage.sql;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@code Store} bean on SQLite. It opens its own connections and runs the Flyway migrations
 * itself, so the API server runs without Boot's DataSource and Flyway auto-configuration, and
 * closes the store when the context shuts down.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SqlStoreProperties.class)
public class SqlStoreConfiguration {

    /** Where the store lives when {@code platform.api.storage.url} is unset: in the data dir. */
    static final String DATA_DIR_PROPERTY = "platform.api.data-dir";

    @Bean(destroyMethod = "close")
    SqlStore store(SqlStoreProperties properties, Environment environment) {
        SqlStoreProperties resolved = properties.url() != null ? properties
                : properties.withUrl(SqlStoreProperties.SCHEME
                        + environment.getProperty(DATA_DIR_PROPERTY, "./.platform") + "/state.db");
        return SqlStore.open(resolved);
    }
}
