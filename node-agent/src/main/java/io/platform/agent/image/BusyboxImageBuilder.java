package io.platform.agent.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes {@code busybox:1.35} (the version of Debian's {@code busybox-static}) from the host's
 * {@code /bin/busybox}: a root filesystem with one link per applet, imported with {@code CMD ["sh"]}
 * as the upstream image has.
 */
public final class BusyboxImageBuilder {

    public static final String REPOSITORY = "busybox";
    public static final String TAG = "1.35";
    public static final String IMAGE = REPOSITORY + ":" + TAG;

    private BusyboxImageBuilder() {}

    /** Builds (or rebuilds) {@value #IMAGE} in the engine at {@code dockerHost}; returns its name. */
    public static String build(String dockerHost, Path busyboxBinary) {
        requireExecutable(busyboxBinary);
        byte[] rootfs = RootfsImage.rootfs(busyboxBinary, RootfsImage.applets(busyboxBinary));
        RootfsImage.importImage(dockerHost, rootfs, REPOSITORY, TAG, List.of("CMD [\"sh\"]"));
        return IMAGE;
    }

    static void requireExecutable(Path busyboxBinary) {
        if (!Files.isExecutable(busyboxBinary)) {
            throw new IllegalArgumentException(busyboxBinary
                    + " is not an executable busybox; install Debian's busybox-static to build images without a registry");
        }
    }
}
