/** Adopting and releasing objects through controller owner references, as ControllerRefManager. */
@NullMarked
package io.platform.controllers.ownership;

import org.jspecify.annotations.NullMarked;
