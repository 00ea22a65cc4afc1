package io.platform.e2e.storage;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the platform's runnable jar is: the system property {@value #PROPERTY} or the environment
 * variable {@value #ENVIRONMENT} when set, otherwise {@code platform-server/<platform.target>/} of the
 * checkout (the build's own output folder, {@code -Dplatform.target=target-x}), then
 * {@code platform-server/target/}.
 */
final class PlatformJar {

    static final String PROPERTY = "platform.e2e.jar";
    static final String ENVIRONMENT = "PLATFORM_JAR";
    private static final String NAME = "platform-server-exec.jar";

    private PlatformJar() {}

    /** The jar; skips the calling suite, saying where it looked, when there is none. */
    static Path require() {
        List<Path> candidates = candidates();
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "no runnable jar at " + candidates + ": build it first (mvn install -DskipTests -pl '!e2e')"
                + " or name it with -D" + PROPERTY + "=PATH or " + ENVIRONMENT);
        throw new IllegalStateException("unreachable");
    }

    private static List<Path> candidates() {
        String named = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        if (named != null && !named.isBlank()) {
            return List.of(Path.of(named).toAbsolutePath());
        }
        Path root = checkoutRoot();
        List<Path> candidates = new ArrayList<>();
        String target = System.getProperty("platform.target");
        if (target != null && !target.isBlank()) {
            candidates.add(root.resolve("platform-server").resolve(target).resolve(NAME));
        }
        candidates.add(root.resolve("platform-server/target").resolve(NAME));
        return candidates;
    }

    /** {@code PLATFORM_ROOT} as {@code ./platform test} sets it, else the parent of the e2e module. */
    private static Path checkoutRoot() {
        String root = System.getenv("PLATFORM_ROOT");
        if (root != null && !root.isBlank()) {
            return Path.of(root).toAbsolutePath();
        }
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        return module.getParent() == null ? module : module.getParent();
    }
}
