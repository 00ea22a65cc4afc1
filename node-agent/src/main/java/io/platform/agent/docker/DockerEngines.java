package io.platform.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Connections to a Docker engine, always to an explicit endpoint. */
public final class DockerEngines {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    private DockerEngines() {}

    /** {@code DOCKER_HOST} when set, else the engine's default socket. */
    public static String defaultHost() {
        String env = System.getenv("DOCKER_HOST");
        return env == null || env.isBlank() ? "unix:///var/run/docker.sock" : env;
    }

    /**
     * A client without a response timeout: pulls, graceful stops and followed logs take as long as
     * they take.
     */
    public static DockerClient connect(String dockerHost) {
        DockerClientConfig config = config(dockerHost);
        return DockerClientImpl.getInstance(config, httpClient(config, CONNECT_TIMEOUT, null));
    }

    /** The raw HTTP transport, for engine calls docker-java has no command for. */
    public static DockerHttpClient httpClient(String dockerHost) {
        return httpClient(config(dockerHost), CONNECT_TIMEOUT, null);
    }

    /** Whether an engine answers a ping at {@code dockerHost} within a short timeout. */
    public static boolean answers(String dockerHost) {
        DockerClientConfig config = config(dockerHost);
        try (DockerClient client =
                DockerClientImpl.getInstance(config, httpClient(config, PING_TIMEOUT, PING_TIMEOUT))) {
            client.pingCmd().exec();
            return true;
        } catch (RuntimeException | IOException e) {
            return false;
        }
    }

    private static DockerClientConfig config(String dockerHost) {
        return DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .withDockerTlsVerify(false)
                .build();
    }

    private static DockerHttpClient httpClient(
            DockerClientConfig config, Duration connectTimeout, @Nullable Duration responseTimeout) {
        ApacheDockerHttpClient.Builder builder = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(connectTimeout);
        if (responseTimeout != null) {
            builder.responseTimeout(responseTimeout);
        }
        return builder.build();
    }
}
