/** The SQL backend of the Store SPI: a kine-style append-only log table in SQLite or PostgreSQL. */
@NullMarked
package io.platform.api.storage.sql;

import org.jspecify.annotations.NullMarked;
