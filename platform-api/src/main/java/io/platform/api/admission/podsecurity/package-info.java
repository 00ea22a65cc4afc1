/** The PodSecurity admission plugin: the Pod Security Standards (privileged, baseline, restricted) enforced and warned per namespace labels. */
@NullMarked
package io.platform.api.admission.podsecurity;

import org.jspecify.annotations.NullMarked;
