/** Watch: one shared store watch fanned out to every client stream. */
@NullMarked
package io.platform.api.watch;

import org.jspecify.annotations.NullMarked;
