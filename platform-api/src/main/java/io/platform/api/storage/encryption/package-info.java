/**
 * Encryption at rest, as kube-apiserver's EncryptionConfiguration: a Store decorator that seals the values of
 * chosen resources (Secrets by default) with AES-GCM, the configuration file with its keys, and key rotation.
 */
@NullMarked
package io.platform.api.storage.encryption;

import org.jspecify.annotations.NullMarked;
