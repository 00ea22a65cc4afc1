/** Objects over the Store: the semantics of create, update, delete and list that every resource type shares. */
@NullMarked
package io.platform.api.resource;

import org.jspecify.annotations.NullMarked;
