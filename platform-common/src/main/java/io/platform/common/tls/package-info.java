/**
 * TLS material read from PEM files and kubeconfigs and used again when the files change: servers' bundles
 * ({@link io.platform.common.tls.ReloadingSslBundle}) and clients' contexts
 * ({@link io.platform.common.tls.ReloadingSslContext}), both over {@link io.platform.common.tls.ReloadingMaterial}.
 */
@NullMarked
package io.platform.common.tls;

import org.jspecify.annotations.NullMarked;
