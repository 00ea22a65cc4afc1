package io.platform.e2e.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** Every event one ConfigMap watch delivered, in order; bookmarks are not events of the objects. */
final class WatchRecorder implements Watcher<ConfigMap> {

    /** A watch event as compared: type, name and resourceVersion (null where the test cannot know it). */
    record Seen(String type, String name, @Nullable Long resourceVersion) {}

    private final List<Seen> events = new CopyOnWriteArrayList<>();
    private volatile @Nullable WatcherException closed;

    /** Opens a watch of {@code configMaps} from {@code fromResourceVersion} that records into this. */
    Watch watch(NonNamespaceOperation<ConfigMap, ConfigMapList, Resource<ConfigMap>> configMaps,
            String fromResourceVersion) {
        return configMaps.watch(new ListOptionsBuilder().withResourceVersion(fromResourceVersion).build(), this);
    }

    @Override
    public void eventReceived(Action action, ConfigMap object) {
        if (action != Action.BOOKMARK) {
            events.add(new Seen(action.name(), object.getMetadata().getName(),
                    Long.parseLong(object.getMetadata().getResourceVersion())));
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        closed = cause;
    }

    List<Seen> events() {
        return List.copyOf(events);
    }

    boolean failed() {
        return closed != null;
    }

    boolean sawOrFailed(String name) {
        return closed != null || events.stream().anyMatch(event -> event.name().equals(name));
    }

    /** The watch is open and its events strictly rise in resourceVersion: none twice, none out of order. */
    void assertOpenAndInRevisionOrder(String watch) {
        assertThat(closed).as("%s closed with an error", watch).isNull();
        List<Seen> received = events();
        for (int i = 1; i < received.size(); i++) {
            assertThat(received.get(i).resourceVersion()).as("%s: revision of event %d after %s", watch, i,
                    received.get(i - 1)).isGreaterThan(received.get(i - 1).resourceVersion());
        }
    }

    /** The events are exactly {@code expected}, in order, with strictly rising resourceVersions. */
    void assertExactly(List<Seen> expected, String watch) {
        assertOpenAndInRevisionOrder(watch);
        assertThat(events()).as("%s: events (DELETED compared by type and name)", watch)
                .hasSameSizeAs(expected)
                .zipSatisfy(expected, (actual, wanted) -> {
                    assertThat(actual.type()).isEqualTo(wanted.type());
                    assertThat(actual.name()).isEqualTo(wanted.name());
                    if (wanted.resourceVersion() != null) {
                        assertThat(actual.resourceVersion()).isEqualTo(wanted.resourceVersion());
                    }
                });
    }
}
