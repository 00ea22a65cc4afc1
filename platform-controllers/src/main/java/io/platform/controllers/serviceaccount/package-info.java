/** ServiceAccount controller: a {@code default} ServiceAccount in every active namespace. */
@NullMarked
package io.platform.controllers.serviceaccount;

import org.jspecify.annotations.NullMarked;
