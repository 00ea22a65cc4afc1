/** The resource registry: the table of served types and their per-type strategies. */
@NullMarked
package io.platform.api.registry;

import org.jspecify.annotations.NullMarked;
