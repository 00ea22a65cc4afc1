/** The DefaultTolerationSeconds admission plugin: pods tolerate not-ready and unreachable nodes for a bounded time. */
@NullMarked
package io.platform.api.admission.tolerationseconds;

import org.jspecify.annotations.NullMarked;
