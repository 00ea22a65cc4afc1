package io.platform.api.audit;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The audit log ({@code platform.api.audit.*}), after kube-apiserver's {@code --audit-log-*} and
 * {@code --audit-policy-file} flags.
 *
 * @param path where events go: unset means {@code <platform.api.data-dir>/audit.log}, {@code -} standard output,
 *     empty turns the audit log off
 * @param policyFile an {@code audit.k8s.io/v1} Policy; unset means the default policy (Metadata for every
 *     request but health and version probes)
 * @param maxSize the size at which the file is renamed aside with a timestamp and a new one started
 * @param maxBackups how many renamed files are kept (0: all)
 * @param maxAge how long renamed files are kept (0: regardless of age)
 * @param maxBodySize request and response bodies above this are left out of Request and RequestResponse events
 * @param queueSize events waiting for the writer; when it is full, events are dropped (and counted) rather than
 *     slowing requests down
 */
@ConfigurationProperties(AuditProperties.PREFIX)
public record AuditProperties(
        @Nullable String path,
        @Nullable Path policyFile,
        @DefaultValue("100MB") DataSize maxSize,
        @DefaultValue("5") int maxBackups,
        @DefaultValue("0s") Duration maxAge,
        @DefaultValue("64KB") DataSize maxBodySize,
        @DefaultValue("10000") int queueSize) {

    public static final String PREFIX = "platform.api.audit";
    static final String DEFAULT_FILE = "audit.log";
    static final String STANDARD_OUTPUT = "-";

    public AuditProperties {
        if (maxSize.toBytes() < 1 || maxBackups < 0 || maxAge.isNegative() || maxBodySize.isNegative()
                || queueSize < 1) {
            throw new IllegalArgumentException(PREFIX + ": max-size and queue-size must be positive, max-backups,"
                    + " max-age and max-body-size not negative");
        }
    }
}
