package io.platform.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import io.platform.agent.AgentProperties;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the engine's image filesystem as the kubelet's image garbage collector: when its usage
 * reaches the high threshold, images no container uses (and not pinned, and unused for at least the
 * minimum age) are removed, least recently used first, until usage is down to the low threshold.
 */
final class ImageGarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(ImageGarbageCollector.class);

    private final DockerClient docker;
    private final AgentProperties.ImageGc settings;
    private final List<String> pinned;
    private final Clock clock;
    /** When each image was first seen, and last seen in use, by image id. */
    private final Map<String, Instant> firstSeen = new HashMap<>();
    private final Map<String, Instant> lastUsed = new HashMap<>();

    ImageGarbageCollector(DockerClient docker, AgentProperties properties, Clock clock) {
        this.docker = docker;
        this.settings = properties.imageGc();
        List<String> pins = new ArrayList<>(settings.pinnedImages());
        pins.add(properties.sandboxImage());
        this.pinned = List.copyOf(pins);
        this.clock = clock;
    }

    /** The filesystem holding the engine's images, when this node can see it. */
    Optional<FileStore> imageFilesystem() {
        String root = docker.infoCmd().exec().getDockerRootDir();
        if (root == null || !Files.isDirectory(Path.of(root))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.getFileStore(Path.of(root)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** One pass; returns the bytes freed. */
    synchronized long collect() {
        Optional<FileStore> store = imageFilesystem();
        List<Image> images = docker.listImagesCmd().exec();
        Set<String> inUse = new HashSet<>();
        for (Container container : docker.listContainersCmd().withShowAll(true).exec()) {
            if (container.getImageId() != null) {
                inUse.add(container.getImageId());
            }
        }
        Instant now = clock.instant();
        Set<String> present = new HashSet<>();
        for (Image image : images) {
            present.add(image.getId());
            firstSeen.putIfAbsent(image.getId(), now);
            if (inUse.contains(image.getId())) {
                lastUsed.put(image.getId(), now);
            }
        }
        firstSeen.keySet().retainAll(present);
        lastUsed.keySet().retainAll(present);
        if (store.isEmpty()) {
            return 0;
        }
        long capacity;
        long available;
        try {
            capacity = store.get().getTotalSpace();
            available = store.get().getUsableSpace();
        } catch (IOException e) {
            log.warn("Image garbage collection skipped: cannot read the image filesystem: {}", e.getMessage());
            return 0;
        }
        if (capacity <= 0) {
            return 0;
        }
        long usagePercent = (capacity - available) * 100 / capacity;
        if (usagePercent < settings.highThresholdPercent()) {
            return 0;
        }
        long toFree = (capacity - available) - capacity * settings.lowThresholdPercent() / 100;
        long freed = 0;
        List<String> removed = new ArrayList<>();
        for (Image image : candidates(images, inUse, now)) {
            if (freed >= toFree) {
                break;
            }
            try {
                docker.removeImageCmd(image.getId()).withForce(true).exec();
                freed += image.getSize() == null ? 0 : image.getSize();
                removed.add(name(image));
                firstSeen.remove(image.getId());
                lastUsed.remove(image.getId());
            } catch (NotFoundException | ConflictException e) {
                // removed meanwhile, or a container started with it since the listing
            }
        }
        if (freed < toFree) {
            log.warn("Image garbage collection: disk usage {}% is at or above {}%, freed {} bytes of the {} wanted ({})",
                    usagePercent, settings.highThresholdPercent(), freed, toFree, removed);
        } else {
            log.info("Image garbage collection: disk usage {}% is at or above {}%, freed {} bytes ({})",
                    usagePercent, settings.highThresholdPercent(), freed, removed);
        }
        return freed;
    }

    /** Images that may go, least recently used first (never used: by first sight). */
    private List<Image> candidates(List<Image> images, Set<String> inUse, Instant now) {
        List<Image> candidates = new ArrayList<>();
        for (Image image : images) {
            if (inUse.contains(image.getId()) || isPinned(image)) {
                continue;
            }
            Instant since = lastUsed.getOrDefault(image.getId(), firstSeen.get(image.getId()));
            if (since != null && Duration.between(since, now).compareTo(settings.minimumAge()) >= 0) {
                candidates.add(image);
            }
        }
        candidates.sort(Comparator.comparing(
                (Image image) -> lastUsed.getOrDefault(image.getId(), Instant.EPOCH))
                .thenComparing(image -> firstSeen.getOrDefault(image.getId(), Instant.EPOCH)));
        return candidates;
    }

    private boolean isPinned(Image image) {
        if (image.getRepoTags() == null) {
            return false;
        }
        for (String tag : image.getRepoTags()) {
            for (String pin : pinned) {
                if (matches(pin, tag)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** An image reference, or one ending in {@code *} matching every reference with that prefix. */
    static boolean matches(String pin, String reference) {
        return pin.endsWith("*") ? reference.startsWith(pin.substring(0, pin.length() - 1)) : pin.equals(reference);
    }

    private static String name(Image image) {
        @Nullable String[] tags = image.getRepoTags();
        return tags != null && tags.length > 0 && tags[0] != null ? tags[0] : image.getId();
    }
}
