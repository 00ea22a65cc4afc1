/** Event TTL: Events are deleted a configurable time after their last write, as upstream's --event-ttl. */
@NullMarked
package io.platform.api.events;

import org.jspecify.annotations.NullMarked;
