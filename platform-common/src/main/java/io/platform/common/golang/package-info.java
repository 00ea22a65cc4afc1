/** Values written as Go writes them, where clients compare the platform's output with Kubernetes'. */
@NullMarked
package io.platform.common.golang;

import org.jspecify.annotations.NullMarked;
