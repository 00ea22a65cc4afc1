/**
 * Process-level storage suites: API server JVMs (the runnable jar, {@code --components api}) on
 * SQLite, PostgreSQL and etcd, killed with SIGKILL, sharing one store, on a 3-member etcd cluster
 * losing a member. Need neither root nor Docker.
 */
@NullMarked
package io.platform.e2e.storage;

import org.jspecify.annotations.NullMarked;
