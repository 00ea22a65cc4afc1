package io.platform.agent.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A volumeMount's {@code subPath} or {@code subPathExpr}, as the kubelet: relative, without {@code ..}, made inside
 * the volume when missing (a directory with the volume's own permissions), and resolved through symlinks so that it
 * cannot point outside the volume. Being resolved, a subPath of a configMap or secret volume is the file of the moment
 * it was mounted: it gets no live updates, as upstream.
 */
final class SubPaths {

    private SubPaths() {}

    /** Kubernetes' {@code $(VAR)} expansion: {@code $$} is a literal {@code $}, unknown variables stay as written. */
    static String expand(String expression, Map<String, String> env) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '$' && i + 1 < expression.length()) {
                char next = expression.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i += 2;
                    continue;
                }
                int close = expression.indexOf(')', i + 2);
                if (next == '(' && close > i + 2) {
                    String name = expression.substring(i + 2, close);
                    String value = env.get(name);
                    out.append(value != null ? value : expression.substring(i, close + 1));
                    i = close + 1;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** The host path of {@code subPath} inside the volume at {@code volume}, made when missing. */
    static Path resolve(Path volume, String subPath, String container, String mountName) throws PodVolumes.VolumeException {
        try {
            AtomicVolumeWriter.validate(subPath);
        } catch (IllegalArgumentException e) {
            throw new PodVolumes.VolumeException("volume mount " + mountName + " of container " + container
                    + ": invalid subPath \"" + subPath + "\"");
        }
        try {
            Path volumeRoot = volume.toRealPath();
            Path target = volume.resolve(subPath);
            if (!Files.exists(target)) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(volumeRoot);
                List<Path> missing = new ArrayList<>();
                for (Path dir = target; dir != null && !Files.exists(dir); dir = dir.getParent()) {
                    missing.addFirst(dir);
                }
                for (Path dir : missing) {
                    Files.createDirectory(dir);
                    Files.setPosixFilePermissions(dir, permissions);
                }
            }
            Path real = target.toRealPath();
            if (!real.startsWith(volumeRoot)) {
                throw new PodVolumes.VolumeException("subpath \"" + real + "\" not within volume path \"" + volumeRoot + "\"");
            }
            return real;
        } catch (IOException e) {
            throw new PodVolumes.VolumeException("failed to prepare subPath for volumeMount \"" + mountName
                    + "\" of container \"" + container + "\": " + e.getMessage());
        }
    }
}
