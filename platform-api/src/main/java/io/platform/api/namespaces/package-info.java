/** Namespace deletion: emptying a terminating namespace before it goes, as the namespace controller does. */
@NullMarked
package io.platform.api.namespaces;

import org.jspecify.annotations.NullMarked;
