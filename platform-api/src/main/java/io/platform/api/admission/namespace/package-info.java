/** The NamespaceLifecycle admission plugin: no content in missing or terminating namespaces, no deleting the system ones. */
@NullMarked
package io.platform.api.admission.namespace;

import org.jspecify.annotations.NullMarked;
