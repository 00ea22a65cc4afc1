package io.platform.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.platform.agent.AgentProperties;
import io.platform.agent.runtime.ContainerRuntime;
import io.platform.agent.runtime.ContainerRuntime.RegistryCredential;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's image before it starts, as the kubelet's image manager: the pull policy decides whether to pull,
 * pulls use the pod's pull secrets, and failed pulls back off per pod and image ({@code ErrImagePull}, then
 * {@code ImagePullBackOff}).
 */
final class ImagePulls {

    private static final Logger log = LoggerFactory.getLogger(ImagePulls.class);

    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final AgentProperties properties;
    private final Clock clock;
    private final BackOff backOff;
    /** The last pull failure per pod uid and image, shown as ErrImagePull. */
    private final Map<String, String> errors = new ConcurrentHashMap<>();

    ImagePulls(KubernetesClient client, ContainerRuntime runtime, AgentProperties properties, Clock clock) {
        this.client = client;
        this.runtime = runtime;
        this.properties = properties;
        this.clock = clock;
        this.backOff = new BackOff(properties.imagePullBackOff(), clock);
    }

    /** Makes sure the container's image is there as its pull policy wants; why the container waits otherwise. */
    @Nullable ContainerStateWaiting ensure(Pod pod, String key, Container spec, Requeue requeue) throws InterruptedException {
        String image = spec.getImage();
        String pullKey = pod.getMetadata().getUid() + "/" + image;
        String policy = ImagePullPolicy.effective(spec);
        boolean present = runtime.imagePresent(image);
        if (policy.equals("Never") && !present) {
            requeue.after(properties.retryInterval());
            return new ContainerStateWaiting("Container image \"" + image + "\" is not present with pull policy of Never",
                    "ErrImageNeverPull");
        }
        if (policy.equals("Always") || !present) {
            if (backOff.inBackOffSinceUpdate(pullKey)) {
                Duration remaining = backOff.remainingSinceUpdate(pullKey);
                Duration half = Objects.requireNonNull(backOff.delay(pullKey)).dividedBy(2);
                String lastError = errors.get(pullKey);
                // ErrImagePull stays for the first half of the back-off (syncs come often), ImagePullBackOff for the rest
                if (lastError != null && remaining.compareTo(half) > 0) {
                    requeue.after(remaining.minus(half));
                    return new ContainerStateWaiting(lastError, "ErrImagePull");
                }
                requeue.after(remaining);
                return new ContainerStateWaiting("Back-off pulling image \"" + image + "\"", "ImagePullBackOff");
            }
            try {
                runtime.pull(image, credentials(pod, key, image));
                errors.remove(pullKey);
                log.info("Pod {}: pulled image {}", key, image);
            } catch (RuntimeException e) {
                backOff.next(pullKey, clock.instant());
                requeue.after(Objects.requireNonNull(backOff.delay(pullKey)).dividedBy(2));
                log.info("Pod {}: pulling image {} failed: {}", key, image, e.getMessage());
                String message = "Failed to pull image \"" + image + "\": " + e.getMessage();
                errors.put(pullKey, message);
                return new ContainerStateWaiting(message, "ErrImagePull");
            }
        }
        return null;
    }

    void forget(String uid) {
        backOff.forgetPrefix(uid + "/");
        errors.keySet().removeIf(pullKey -> pullKey.startsWith(uid + "/"));
    }

    /** Credentials from the pod's {@code imagePullSecrets} that apply to the image; a Secret it cannot read is skipped, as upstream. */
    private List<RegistryCredential> credentials(Pod pod, String key, String image) {
        List<LocalObjectReference> references = pod.getSpec().getImagePullSecrets();
        if (references == null || references.isEmpty()) {
            return List.of();
        }
        List<Secret> secrets = new ArrayList<>();
        for (LocalObjectReference reference : references) {
            if (reference.getName() == null || reference.getName().isEmpty()) {
                continue;
            }
            try {
                Secret secret = client.secrets().inNamespace(pod.getMetadata().getNamespace()).withName(reference.getName()).get();
                if (secret == null) {
                    log.info("Pod {}: image pull secret {} not found, pulling without it", key, reference.getName());
                } else {
                    secrets.add(secret);
                }
            } catch (KubernetesClientException e) {
                log.info("Pod {}: reading image pull secret {} failed: {}", key, reference.getName(), e.getMessage());
            }
        }
        return RegistryCredentials.forImage(image, secrets);
    }
}
