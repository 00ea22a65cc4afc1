/**
 * The certificates.k8s.io controllers, as kube-controller-manager's csrapproving, csrsigning and csrcleaner:
 * node certificate requests approved after SubjectAccessReviews, the kubernetes.io signers' requests issued by the
 * cluster CA, and finished or abandoned requests deleted.
 */
@NullMarked
package io.platform.controllers.certificates;

import org.jspecify.annotations.NullMarked;
