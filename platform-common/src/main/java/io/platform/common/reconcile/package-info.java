/**
 * Controller machinery shared by the scheduler and the controllers: keys, results, the rate-limited
 * work queue, informer-backed controller runner and creation/deletion expectations.
 */
@NullMarked
package io.platform.common.reconcile;

import org.jspecify.annotations.NullMarked;
