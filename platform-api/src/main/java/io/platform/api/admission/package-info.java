/**
 * Admission of writes, as kube-apiserver's admission chain: every create, update and delete passes the mutating
 * plugins, then the type's validation, then the validating plugins, after the type's defaulting and before it is
 * stored. The built-in plugins live in subpackages, one per plugin.
 */
@NullMarked
package io.platform.api.admission;

import org.jspecify.annotations.NullMarked;
