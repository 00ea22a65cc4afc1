/** Conversions between the versions and groups that serve the same stored objects. */
@NullMarked
package io.platform.api.conversion;

import org.jspecify.annotations.NullMarked;
