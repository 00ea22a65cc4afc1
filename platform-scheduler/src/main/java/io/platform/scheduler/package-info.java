/** The scheduler component: assigns unscheduled pods to nodes and binds them through the API. */
@NullMarked
package io.platform.scheduler;

import org.jspecify.annotations.NullMarked;
