/** Housekeeping that runs on a schedule of its own (sweeps, compaction). */
@NullMarked
package io.platform.common.periodic;

import org.jspecify.annotations.NullMarked;
