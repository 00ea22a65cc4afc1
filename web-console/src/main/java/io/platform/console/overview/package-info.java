/** The cluster overview page: nodes and pods as {@code kubectl get} shows them, refreshed while the page is open. */
@NullMarked
package io.platform.console.overview;

import org.jspecify.annotations.NullMarked;
