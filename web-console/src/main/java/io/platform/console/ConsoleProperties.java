package io.platform.console;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the console.
 *
 * @param kubeconfig the console's own kubeconfig (user {@code system:web-console})
 * @param refreshInterval how often an open page reads the cluster again
 * @param requestTimeout how long one read of the API may take before the page says it is unreachable
 */
@ConfigurationProperties("platform.console")
public record ConsoleProperties(
        @DefaultValue(".platform/web-console.kubeconfig") Path kubeconfig,
        @DefaultValue("5s") Duration refreshInterval,
        @DefaultValue("5s") Duration requestTimeout) {}
