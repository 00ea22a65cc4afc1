/**
 * The PodSecurity admission plugin: the Pod Security Standards (privileged, baseline, restricted) at upstream's
 * policy versions, enforced, audited and warned per namespace labels, with configurable defaults and exemptions.
 */
@NullMarked
package io.platform.api.admission.podsecurity;

import org.jspecify.annotations.NullMarked;
