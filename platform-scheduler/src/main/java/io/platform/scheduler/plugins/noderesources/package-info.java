/** NodeResourcesFit: requested CPU, memory and pod count must fit the node's allocatable; least-allocated scoring. */
@NullMarked
package io.platform.scheduler.plugins.noderesources;

import org.jspecify.annotations.NullMarked;
