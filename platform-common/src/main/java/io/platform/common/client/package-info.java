/** Clients of the API server for our own components, built from the platform's kubeconfigs. */
@NullMarked
package io.platform.common.client;

import org.jspecify.annotations.NullMarked;
