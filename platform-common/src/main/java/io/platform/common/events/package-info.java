/** Records core/v1 Events about objects, as client-go's event recorder does. */
@NullMarked
package io.platform.common.events;

import org.jspecify.annotations.NullMarked;
