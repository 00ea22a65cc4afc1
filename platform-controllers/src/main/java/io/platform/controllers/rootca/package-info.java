/** Root CA publisher: the {@code kube-root-ca.crt} ConfigMap with the cluster CA in every active namespace. */
@NullMarked
package io.platform.controllers.rootca;

import org.jspecify.annotations.NullMarked;
