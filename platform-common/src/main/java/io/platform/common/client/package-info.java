/**
 * Clients of the API server for our own components, built from the platform's kubeconfigs and following their
 * client certificates and CAs without a restart.
 */
@NullMarked
package io.platform.common.client;

import org.jspecify.annotations.NullMarked;
