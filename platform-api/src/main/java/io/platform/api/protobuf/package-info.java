/** Decoding of Kubernetes protobuf request bodies ({@code k8s\0} + runtime.Unknown) into Kubernetes JSON. */
@NullMarked
package io.platform.api.protobuf;

import org.jspecify.annotations.NullMarked;
