/** The Store SPI: a revisioned key-value store with compare-and-swap writes and watch. */
@NullMarked
package io.platform.api.storage;

import org.jspecify.annotations.NullMarked;
