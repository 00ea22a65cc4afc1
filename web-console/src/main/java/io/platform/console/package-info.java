/** The web console: a Vaadin application that reads the cluster through the API with its own client certificate. */
@NullMarked
package io.platform.console;

import org.jspecify.annotations.NullMarked;
