/** OpenAPI v3 documents generated from the client-java-api models, and strict field validation against them. */
@NullMarked
package io.platform.api.openapi;

import org.jspecify.annotations.NullMarked;
