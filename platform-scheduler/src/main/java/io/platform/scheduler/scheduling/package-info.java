/** The scheduling cycle: queue of pending pods, filtering and scoring nodes, assuming and binding. */
@NullMarked
package io.platform.scheduler.scheduling;

import org.jspecify.annotations.NullMarked;
