package io.platform.api.storage.encryption;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Encryption at rest ({@code platform.api.encryption.*}).
 *
 * @param config the EncryptionConfiguration file; unset means {@code <platform.api.data-dir>/encryption-config.yaml},
 *     created with a random key on first start
 * @param reloadInterval how often the API server looks whether the file changed (its modification time or size)
 *     and then uses the new keys, so {@code platform secrets rotate} works while it runs; 0 reads it only at start
 */
@ConfigurationProperties(EncryptionProperties.PREFIX)
public record EncryptionProperties(@Nullable Path config, @DefaultValue("10s") Duration reloadInterval) {

    public static final String PREFIX = "platform.api.encryption";

    public EncryptionProperties {
        if (reloadInterval.isNegative()) {
            throw new IllegalArgumentException(PREFIX + ".reload-interval must not be negative, got " + reloadInterval);
        }
    }

    /** The configuration file for a server whose data dir is {@code dataDir}. */
    public Path configFile(Path dataDir) {
        return config != null ? config : dataDir.resolve(EncryptionConfigFile.DEFAULT_NAME);
    }
}
