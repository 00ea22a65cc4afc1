/**
 * Admission of writes, as kube-apiserver's admission chain: every create, update and delete passes the mutating
 * plugins, then the validating ones, after the type's defaulting and before it is stored.
 */
@NullMarked
package io.platform.api.admission;

import org.jspecify.annotations.NullMarked;
