package io.platform.bench;

import io.platform.api.storage.Store;
import io.platform.api.storage.StoreConfiguration;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The raw store phase: concurrent {@code store.create} calls of new ConfigMap keys, straight on the Store SPI.
 * The store is the bean the API server's own {@link StoreConfiguration} makes from
 * {@code platform.api.storage.url}, so both phases run the same backend code with the same settings.
 */
final class StoreWrites {

    static final String STORE_URL = "platform.api.storage.url";

    private StoreWrites() {}

    static Measurement measure(String storeUrl, int writers, Duration warmup, Duration window, @Nullable Path recording,
            ConfigMapPayload payload) {
        try (AnnotationConfigApplicationContext context = openStore(storeUrl)) {
            Store store = context.getBean(Store.class);
            return ClosedLoop.run(writers, warmup, window, recording, (worker, sequence) -> {
                String name = ConfigMapPayload.name(0, worker, sequence);
                store.create(payload.storeKey(name), payload.json(name));
            });
        }
    }

    /** A context holding only the API server's store configuration; closing it closes the store. */
    static AnnotationConfigApplicationContext openStore(String storeUrl) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("bench", Map.of(STORE_URL, storeUrl)));
        context.register(StoreConfiguration.class);
        context.refresh();
        return context;
    }
}
