/** The ResourceQuota admission plugin: usage charged to a namespace's quotas on create, refused past their hard limits, and recomputed after deletes. */
@NullMarked
package io.platform.api.admission.resourcequota;

import org.jspecify.annotations.NullMarked;
