/** Discovery documents: legacy and aggregated (apidiscovery.k8s.io/v2) API discovery, and /version. */
@NullMarked
package io.platform.api.discovery;

import org.jspecify.annotations.NullMarked;
