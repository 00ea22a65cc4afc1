/** Server-side printing: meta.k8s.io/v1 Tables with Kubernetes' own columns for kubectl get. */
@NullMarked
package io.platform.api.table;

import org.jspecify.annotations.NullMarked;
