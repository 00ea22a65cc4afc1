/** Garbage collector: deletes dependents whose owners are all gone (background propagation). */
@NullMarked
package io.platform.controllers.garbagecollector;

import org.jspecify.annotations.NullMarked;
