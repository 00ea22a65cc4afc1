/** The etcd backend of the Store SPI, over jetcd: etcd's own revisions, transactions and watches. */
@NullMarked
package io.platform.api.storage.etcd;

import org.jspecify.annotations.NullMarked;
