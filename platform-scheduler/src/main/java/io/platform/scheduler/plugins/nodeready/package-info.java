/** NodeReady: only nodes whose Ready condition is True take new pods. */
@NullMarked
package io.platform.scheduler.plugins.nodeready;

import org.jspecify.annotations.NullMarked;
