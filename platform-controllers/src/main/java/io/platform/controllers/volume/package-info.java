/**
 * Local persistent volumes: the default {@code local-path} StorageClass, its provisioner (a directory per claim on
 * the node that runs the claim's first pod) and the binder of PersistentVolumeClaims to PersistentVolumes.
 */
@NullMarked
package io.platform.controllers.volume;

import org.jspecify.annotations.NullMarked;
