package io.platform.api.admission;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Admission settings ({@code platform.api.admission.*}), as kube-apiserver's admission flags.
 *
 * @param disabledPlugins plugin names turned off, as {@code --disable-admission-plugins}
 * @param namespaceForceLiveLookupTtl how long after this API server marked a namespace for deletion
 *     NamespaceLifecycle reads it from the store instead of the watch cache (upstream's forceLiveLookupTTL)
 * @param liveLookupTtl how long LimitRanger and ResourceQuota keep a store read of a namespace whose LimitRanges or
 *     ResourceQuotas the watch cache has none of (upstream's liveTTL)
 * @param defaultNotReadyTolerationSeconds DefaultTolerationSeconds' {@code node.kubernetes.io/not-ready} toleration,
 *     as {@code --default-not-ready-toleration-seconds}
 * @param defaultUnreachableTolerationSeconds its {@code node.kubernetes.io/unreachable} toleration, as
 *     {@code --default-unreachable-toleration-seconds}
 */
@ConfigurationProperties("platform.api.admission")
public record AdmissionProperties(
        @DefaultValue List<String> disabledPlugins,
        @DefaultValue("30s") Duration namespaceForceLiveLookupTtl,
        @DefaultValue("30s") Duration liveLookupTtl,
        @DefaultValue("300") long defaultNotReadyTolerationSeconds,
        @DefaultValue("300") long defaultUnreachableTolerationSeconds) {

    /** The defaults, for tests that build plugins by hand. */
    public static AdmissionProperties defaults() {
        return new AdmissionProperties(List.of(), Duration.ofSeconds(30), Duration.ofSeconds(30), 300, 300);
    }
}
