package io.platform.agent.runtime;

import java.time.Instant;

/**
 * One measurement of a container's resource use, as cAdvisor reports it.
 *
 * @param cpuUsageNanos CPU time used since the container started, in nanoseconds
 * @param memoryWorkingSetBytes memory in use minus inactive file pages, what eviction and {@code kubectl top} read
 * @param memoryUsageBytes memory charged to the container, page cache included
 */
public record ContainerUsage(Instant timestamp, long cpuUsageNanos, long memoryWorkingSetBytes, long memoryUsageBytes) {}
