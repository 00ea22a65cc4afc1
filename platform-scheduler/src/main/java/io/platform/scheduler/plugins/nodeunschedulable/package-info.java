/** NodeUnschedulable: cordoned nodes (spec.unschedulable) take no new pods. */
@NullMarked
package io.platform.scheduler.plugins.nodeunschedulable;

import org.jspecify.annotations.NullMarked;
