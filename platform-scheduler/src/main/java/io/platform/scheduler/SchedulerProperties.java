package io.platform.scheduler;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the scheduler.
 *
 * @param kubeconfig the scheduler's own kubeconfig ({@code scheduler.kubeconfig} in the data dir)
 * @param schedulerName pods whose {@code spec.schedulerName} is this are ours
 * @param initialBackoff first wait before retrying an unschedulable pod (kube-scheduler: 1s)
 * @param maxBackoff longest wait between retries (kube-scheduler: 10s)
 * @param resync how often informers replay their cache to the handlers
 * @param shutdownTimeout how long stopping waits for a running scheduling cycle and informers' initial lists
 */
@ConfigurationProperties("platform.scheduler")
public record SchedulerProperties(
        Path kubeconfig,
        @DefaultValue("default-scheduler") String schedulerName,
        @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("10s") Duration maxBackoff,
        @DefaultValue("10m") Duration resync,
        @DefaultValue("5s") Duration shutdownTimeout) {}
