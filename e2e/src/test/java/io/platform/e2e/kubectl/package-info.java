/** The real kubectl 1.30, 1.32 and 1.33 against a real in-process API server: every verb the issue lists, every served type. */
@NullMarked
package io.platform.e2e.kubectl;

import org.jspecify.annotations.NullMarked;
