/**
 * The Store SPI: a revisioned key-value store with compare-and-swap writes and watch, and the
 * configuration choosing its backend (SQLite, PostgreSQL or etcd) from {@code platform.api.storage.url}.
 */
@NullMarked
package io.platform.api.storage;

import org.jspecify.annotations.NullMarked;
