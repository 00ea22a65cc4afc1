package io.platform.agent.image;

import java.nio.file.Path;
import java.util.List;

/**
 * Makes the pod sandbox image (the kubelet's "pause" image) the same way as busybox: the host's
 * busybox whose {@code sleep} runs forever as the entrypoint. It is never pulled.
 */
public final class SandboxImageBuilder {

    private SandboxImageBuilder() {}

    /** Builds {@code image} ({@code repository:tag}) in the engine at {@code dockerHost}. */
    public static void build(String dockerHost, Path busyboxBinary, String image) {
        BusyboxImageBuilder.requireExecutable(busyboxBinary);
        int colon = image.lastIndexOf(':');
        if (colon <= image.lastIndexOf('/')) {
            throw new IllegalArgumentException("sandbox image " + image + " needs an explicit tag");
        }
        byte[] rootfs = RootfsImage.rootfs(busyboxBinary, List.of("sleep"));
        RootfsImage.importImage(dockerHost, rootfs, image.substring(0, colon), image.substring(colon + 1),
                List.of("ENTRYPOINT [\"/bin/sleep\", \"infinity\"]"));
    }
}
