/** Garbage collector: deletes dependents whose owners are gone and processes the orphan and foreground deletion finalizers. */
@NullMarked
package io.platform.controllers.garbagecollector;

import org.jspecify.annotations.NullMarked;
