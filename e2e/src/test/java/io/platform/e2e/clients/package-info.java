/** Client-library suites: fabric8, the official Java client and client-node against a real in-process API server. */
@NullMarked
package io.platform.e2e.clients;

import org.jspecify.annotations.NullMarked;
