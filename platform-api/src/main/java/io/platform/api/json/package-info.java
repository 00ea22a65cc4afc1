/** JSON and YAML trees of Kubernetes objects: the one mapper the API server uses. */
@NullMarked
package io.platform.api.json;

import org.jspecify.annotations.NullMarked;
