/**
 * Pod volumes the node agent writes itself: projected ({@code serviceAccountToken}, {@code configMap},
 * {@code secret}, {@code downwardAPI}), configMap, secret and downwardAPI volumes, written atomically
 * into a per-pod directory that is bind-mounted read-only into the containers, as the kubelet.
 */
@NullMarked
package io.platform.agent.volume;

import org.jspecify.annotations.NullMarked;
