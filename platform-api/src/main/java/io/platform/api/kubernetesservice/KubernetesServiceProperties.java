package io.platform.api.kubernetesservice;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the {@code default/kubernetes} Service ({@code platform.api.kubernetes-service.*}).
 *
 * @param enabled keep the Service and its endpoints at all
 * @param interval how often they are checked and repaired, and this server's lease renewed (upstream: 10 s)
 * @param leaseTtl how long an API server's address stays in the endpoints without a renewal (upstream: 15 s)
 * @param clusterIp the Service's ClusterIP: the first address of the service range, which the ClusterIP
 *     allocator keeps for it (10.96.0.1 of 10.96.0.0/12)
 * @param port the Service port (443, named {@code https})
 * @param advertiseAddress the address published in the endpoints, as kube-apiserver's {@code --advertise-address};
 *     unset: {@code server.address}, or the host's first non-loopback address when that is a wildcard
 */
@ConfigurationProperties("platform.api.kubernetes-service")
public record KubernetesServiceProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10s") Duration interval,
        @DefaultValue("15s") Duration leaseTtl,
        @DefaultValue("10.96.0.1") String clusterIp,
        @DefaultValue("443") int port,
        @Nullable String advertiseAddress) {}
