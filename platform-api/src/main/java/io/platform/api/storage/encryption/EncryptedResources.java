package io.platform.api.storage.encryption;

/**
 * Where a resource named in an EncryptionConfiguration lives in the store: {@code secrets} (core group) under
 * {@code /registry/secrets/}, {@code deployments.apps} under {@code /registry/apps/deployments/}, {@code *.apps}
 * every resource of a group and {@code *.*} every resource, as the store's key layout
 * ({@code ResourceType.keyPrefix()}) places them.
 */
final class EncryptedResources {

    private static final String ROOT = "/registry/";

    private EncryptedResources() {}

    /**
     * The key prefix of {@code resource}.
     *
     * @throws IllegalArgumentException for a name that is not {@code resource}, {@code resource.group},
     *     {@code *.group} or {@code *.*}
     */
    static String keyPrefix(String resource) {
        if (resource.equals("*.*")) {
            return ROOT;
        }
        if (!resource.matches("(\\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\\.[a-z0-9]([-a-z0-9.]*[a-z0-9])?)?")
                || resource.equals("*")) {
            throw new IllegalArgumentException("resource '" + resource + "' is not RESOURCE, RESOURCE.GROUP,"
                    + " *.GROUP or *.* (the core group's resources are named without a group, e.g. secrets)");
        }
        int dot = resource.indexOf('.');
        if (dot < 0) {
            return ROOT + resource + "/";
        }
        String name = resource.substring(0, dot);
        String group = resource.substring(dot + 1);
        return name.equals("*") ? ROOT + group + "/" : ROOT + group + "/" + name + "/";
    }
}
