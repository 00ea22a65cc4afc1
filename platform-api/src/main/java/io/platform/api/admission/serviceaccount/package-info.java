/** The ServiceAccount admission plugin: a pod's service account defaulted and required, and its projected API token volume. */
@NullMarked
package io.platform.api.admission.serviceaccount;

import org.jspecify.annotations.NullMarked;
