/**
 * Scheduled compaction of the store that keeps every object's history for a retention window, with
 * the revision-to-time samples it needs kept in the store itself.
 */
@NullMarked
package io.platform.api.storage.compaction;

import org.jspecify.annotations.NullMarked;
