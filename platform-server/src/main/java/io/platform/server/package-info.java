/** The single runnable: starts any subset of the components in one JVM, each as its own Spring application. */
@NullMarked
package io.platform.server;

import org.jspecify.annotations.NullMarked;
