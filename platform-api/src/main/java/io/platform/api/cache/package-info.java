/** Watch cache: every key's latest value in memory, kept by the store watch, serving lists. */
@NullMarked
package io.platform.api.cache;

import org.jspecify.annotations.NullMarked;
