package io.platform.agent.image;

import com.github.dockerjava.api.DockerClient;
import io.platform.agent.docker.DockerEngines;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads a {@code docker save} archive into the engine ({@code docker load}). */
public final class ImageArchiveLoader {

    private ImageArchiveLoader() {}

    public static void load(String dockerHost, Path archive) {
        if (!Files.isRegularFile(archive)) {
            throw new IllegalArgumentException(archive + " is not a file; pass a tar written by docker save");
        }
        try (DockerClient docker = DockerEngines.connect(dockerHost);
                InputStream in = Files.newInputStream(archive)) {
            docker.loadImageCmd(in).exec();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load image archive " + archive, e);
        }
    }
}
