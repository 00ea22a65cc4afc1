/**
 * Namespace lifecycle work of the namespace and service-account controllers the API server does itself: emptying a
 * terminating namespace before it goes, and a new namespace's {@code default} ServiceAccount.
 */
@NullMarked
package io.platform.api.namespaces;

import org.jspecify.annotations.NullMarked;
