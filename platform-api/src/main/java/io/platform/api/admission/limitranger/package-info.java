/** The LimitRanger admission plugin: LimitRange defaults for containers and the min, max and ratio limits of containers, pods and claims. */
@NullMarked
package io.platform.api.admission.limitranger;

import org.jspecify.annotations.NullMarked;
