/** The benchmark harness: raw store write throughput against API create throughput on each store backend. */
@NullMarked
package io.platform.bench;

import org.jspecify.annotations.NullMarked;
