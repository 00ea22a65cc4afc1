/** The DefaultStorageClass admission plugin: PersistentVolumeClaims without a class get the cluster's default one. */
@NullMarked
package io.platform.api.admission.defaultstorageclass;

import org.jspecify.annotations.NullMarked;
