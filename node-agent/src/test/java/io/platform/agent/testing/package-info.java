/** Shared test fixtures: the Docker engine under test (and the condition that skips without one), TLS clients. */
@NullMarked
package io.platform.agent.testing;

import org.jspecify.annotations.NullMarked;
