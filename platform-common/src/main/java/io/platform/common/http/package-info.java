/** Settings shared by the components that serve HTTP on Reactor Netty (API server, node agent). */
@NullMarked
package io.platform.common.http;

import org.jspecify.annotations.NullMarked;
