/** Server-side apply as structured-merge-diff does it: field sets, managedFields, merge, pruning and conflicts. */
@NullMarked
package io.platform.api.apply;

import org.jspecify.annotations.NullMarked;
