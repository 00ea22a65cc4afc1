/** {@code pods/{name}/exec}, {@code attach} and {@code portforward}: upgraded connections relayed to the pod's node agent. */
@NullMarked
package io.platform.api.streams;

import org.jspecify.annotations.NullMarked;
