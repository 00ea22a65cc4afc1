/** The generic REST layer: routing, CRUD, list, subresources over the Store. */
@NullMarked
package io.platform.api.rest;

import org.jspecify.annotations.NullMarked;
