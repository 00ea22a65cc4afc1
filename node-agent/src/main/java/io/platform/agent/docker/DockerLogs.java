package io.platform.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.LogContainerCmd;
import com.github.dockerjava.api.model.Frame;
import io.platform.agent.runtime.LogOptions;
import java.io.IOException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/** A container's output as the engine keeps it, read through its logs API. */
final class DockerLogs {

    private DockerLogs() {}

    static Flux<byte[]> read(DockerClient docker, String containerId, LogOptions options) {
        return Flux.create(sink -> {
            LogContainerCmd command = docker.logContainerCmd(containerId)
                    .withStdOut(true)
                    .withStdErr(true)
                    .withFollowStream(options.follow())
                    .withTimestamps(options.timestamps());
            if (options.tailLines() != null) {
                command.withTail(options.tailLines());
            }
            if (options.since() != null) {
                command.withSince((int) options.since().getEpochSecond());
            }
            ResultCallback.Adapter<Frame> callback = command.exec(new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    sink.next(frame.getPayload());
                }

                @Override
                public void onError(Throwable error) {
                    sink.error(error);
                }

                @Override
                public void onComplete() {
                    sink.complete();
                }
            });
            sink.onDispose(() -> {
                try {
                    callback.close();
                } catch (IOException e) {
                    sink.error(e);
                }
            });
        }, FluxSink.OverflowStrategy.BUFFER);
    }
}
