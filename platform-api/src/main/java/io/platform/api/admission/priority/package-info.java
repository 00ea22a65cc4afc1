/** The Priority admission plugin: a pod's priority resolved from its PriorityClass. */
@NullMarked
package io.platform.api.admission.priority;

import org.jspecify.annotations.NullMarked;
