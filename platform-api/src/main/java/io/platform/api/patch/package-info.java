/** JSON patch, JSON merge patch and Kubernetes strategic merge patch, with the table of patch strategies. */
@NullMarked
package io.platform.api.patch;

import org.jspecify.annotations.NullMarked;
