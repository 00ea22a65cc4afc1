/**
 * The audit log, as kube-apiserver's: one {@code audit.k8s.io/v1} Event per request stage, at the level an audit
 * Policy chooses, written as JSON lines to a size-rotated file off the event loop.
 */
@NullMarked
package io.platform.api.audit;

import org.jspecify.annotations.NullMarked;
