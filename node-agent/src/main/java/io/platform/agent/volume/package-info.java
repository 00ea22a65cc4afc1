/**
 * Pod volumes as the kubelet's volume plugins: configMap, secret, downwardAPI and projected volumes written atomically
 * into a per-pod directory and bind-mounted read-only; emptyDir directories (a tmpfs for {@code medium: Memory});
 * hostPath with its type checks; persistentVolumeClaims resolved to their bound local volume; subPath mounts.
 */
@NullMarked
package io.platform.agent.volume;

import org.jspecify.annotations.NullMarked;
