/** Shared test fixtures: the Docker engine under test, a test PKI. */
@NullMarked
package io.platform.agent.testing;

import org.jspecify.annotations.NullMarked;
