/** Per-type strategies: defaulting, validation and what a write may change, as upstream's registry strategies. */
@NullMarked
package io.platform.api.strategy;

import org.jspecify.annotations.NullMarked;
