/**
 * The {@code default/kubernetes} Service and its Endpoints and EndpointSlice, kept by the API server
 * itself as kube-apiserver's bootstrap controller and lease endpoint reconciler.
 */
@NullMarked
package io.platform.api.kubernetesservice;

import org.jspecify.annotations.NullMarked;
