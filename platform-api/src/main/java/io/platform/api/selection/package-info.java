/** Label and field selectors as Kubernetes parses and matches them. */
@NullMarked
package io.platform.api.selection;

import org.jspecify.annotations.NullMarked;
