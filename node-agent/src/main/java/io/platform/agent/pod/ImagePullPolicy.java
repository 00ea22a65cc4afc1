package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Container;

/** The image pull policy of a container, defaulted as the API server does when unset. */
final class ImagePullPolicy {

    private ImagePullPolicy() {}

    /** {@code Always} for {@code :latest} or untagged images, else {@code IfNotPresent}, unless set. */
    static String effective(Container container) {
        String policy = container.getImagePullPolicy();
        if (policy != null && !policy.isEmpty()) {
            return policy;
        }
        return latestTag(container.getImage()) ? "Always" : "IfNotPresent";
    }

    static boolean latestTag(String image) {
        if (image.contains("@")) {
            return false;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon <= slash || image.substring(colon + 1).equals("latest");
    }
}
