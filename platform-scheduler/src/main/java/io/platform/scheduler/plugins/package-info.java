/** The registry of scheduler plugins, one package per plugin. */
@NullMarked
package io.platform.scheduler.plugins;

import org.jspecify.annotations.NullMarked;
