/** Scheduling framework: extension point interfaces, the per-node view and the Status of a plugin. */
@NullMarked
package io.platform.scheduler.framework;

import org.jspecify.annotations.NullMarked;
