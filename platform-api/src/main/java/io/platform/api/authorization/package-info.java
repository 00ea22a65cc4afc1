/**
 * Authorization of API requests: the {@link io.platform.api.authorization.Authorizer} SPI, the attributes of a
 * request as kube-apiserver's RequestInfo derives them, and the filter that refuses what the authorizer does not
 * allow.
 */
@NullMarked
package io.platform.api.authorization;

import org.jspecify.annotations.NullMarked;
