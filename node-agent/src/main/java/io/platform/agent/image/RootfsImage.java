package io.platform.agent.image;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import io.platform.agent.docker.DockerEngines;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A root filesystem around the host's static busybox, imported into the engine as an image
 * ({@code docker import} with changes), so no registry is ever needed.
 */
final class RootfsImage {

    private static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/bin/false
            www-data:x:33:33:www-data:/var/www:/bin/false
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            """;
    private static final String GROUP = """
            root:x:0:
            daemon:x:1:
            www-data:x:33:
            nogroup:x:65534:
            """;

    private RootfsImage() {}

    /** A tar of a root filesystem with {@code /bin/busybox} and one symlink per given applet. */
    static byte[] rootfs(Path busybox, List<String> applets) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String dir : List.of("bin/", "etc/", "root/", "usr/", "usr/bin/", "var/", "var/www/", "home/")) {
                directory(tar, dir, 0755);
            }
            directory(tar, "tmp/", 01777);
            file(tar, "bin/busybox", Files.readAllBytes(busybox), 0755);
            for (String applet : applets) {
                // a link named busybox would replace the binary itself
                if (!applet.equals("busybox") && applet.matches("[A-Za-z0-9_.\\[\\]-]+")) {
                    TarArchiveEntry link = new TarArchiveEntry("bin/" + applet, TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName("busybox");
                    link.setMode(0777);
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                }
            }
            file(tar, "etc/passwd", PASSWD.getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "etc/group", GROUP.getBytes(StandardCharsets.UTF_8), 0644);
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build a root filesystem from " + busybox, e);
        }
        return bytes.toByteArray();
    }

    /** The applets the host's busybox provides ({@code busybox --list}). */
    static List<String> applets(Path busybox) {
        try {
            Process process = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(busybox + " --list failed: " + output.strip());
            }
            return output.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + busybox, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing busybox applets", e);
        }
    }

    /**
     * {@code docker import} of {@code rootfs} as {@code repository:tag}, with Dockerfile-style
     * {@code changes} (CMD, ENTRYPOINT, ...) and a default PATH.
     */
    static void importImage(String dockerHost, byte[] rootfs, String repository, String tag, List<String> changes) {
        List<String> allChanges = new ArrayList<>();
        allChanges.add("ENV " + PATH_ENV);
        allChanges.addAll(changes);
        StringBuilder path = new StringBuilder("/images/create?fromSrc=-")
                .append("&repo=").append(encode(repository))
                .append("&tag=").append(encode(tag));
        allChanges.forEach(change -> path.append("&changes=").append(encode(change)));
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(path.toString())
                .headers(Map.of("Content-Type", "application/x-tar"))
                .body(new ByteArrayInputStream(rootfs))
                .build();
        String previousId = imageId(dockerHost, repository + ":" + tag);
        try (DockerHttpClient http = DockerEngines.httpClient(dockerHost);
                DockerHttpClient.Response response = http.execute(request);
                InputStream body = response.getBody()) {
            String answer = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            if (response.getStatusCode() / 100 != 2 || answer.contains("\"error\"")) {
                throw new IllegalStateException("docker import of " + repository + ":" + tag + " failed ("
                        + response.getStatusCode() + "): " + answer.strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("docker import of " + repository + ":" + tag + " failed", e);
        }
        if (previousId != null && !previousId.equals(imageId(dockerHost, repository + ":" + tag))) {
            removeUnused(dockerHost, previousId);
        }
    }

    private static @Nullable String imageId(String dockerHost, String image) {
        try (DockerClient docker = DockerEngines.connect(dockerHost)) {
            return docker.inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A rebuild leaves the old image untagged; drop it unless containers still use it. */
    private static void removeUnused(String dockerHost, String imageId) {
        try (DockerClient docker = DockerEngines.connect(dockerHost)) {
            docker.removeImageCmd(imageId).withNoPrune(false).exec();
        } catch (ConflictException | NotFoundException e) {
            // still used by a container, or already gone
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void directory(TarArchiveOutputStream tar, String name, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE & ~0777 | mode);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] content, int mode) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
