/** TLS material of the platform's servers read from PEM files and served again when the files change. */
@NullMarked
package io.platform.common.tls;

import org.jspecify.annotations.NullMarked;
