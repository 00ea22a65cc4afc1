package io.platform.api.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Txn;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.platform.api.storage.CompactedException;
import io.platform.api.storage.KeyExistsException;
import io.platform.api.storage.KeyNotFoundException;
import io.platform.api.storage.KeyValue;
import io.platform.api.storage.ListResult;
import io.platform.api.storage.RevisionConflictException;
import io.platform.api.storage.Store;
import io.platform.api.storage.StoreUrl;
import io.platform.api.storage.WatchEvent;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link Store} on etcd, as Kubernetes keeps its objects: keys as given, {@code resourceVersion}
 * is etcd's mod revision. Create is a transaction on {@code createRevision == 0}, update and delete
 * on {@code modRevision == expected} (or, for 0, on the key existing), so concurrent writers of any
 * API server on the same cluster never lose an update. Lists read a range at a revision (etcd's MVCC
 * keeps old revisions until compaction), watch streams etcd's watch with previous values.
 *
 * <p>etcd does not report its compacted revision directly: this store tracks it from its own
 * compactions, from watch responses (which carry it), and otherwise finds it by probing which
 * revisions a range can still read. All methods but {@code watch} block: call them off event-loop
 * threads.
 */
public final class EtcdStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(EtcdStore.class);
    /** A key no object uses: reads of it tell the current revision and whether a revision is readable. */
    private static final ByteSequence PROBE_KEY = bytes("/platform-store-probe");
    private static final ByteSequence ALL_KEYS = ByteSequence.from(new byte[] {0});

    private final StoreUrl.Etcd url;
    private final Client client;
    private final KV kv;
    private final EtcdStoreProperties properties;
    private final int watchBufferSize;
    private final Scheduler scheduler = Schedulers.boundedElastic();
    private final AtomicLong compacted = new AtomicLong();
    private final Set<EtcdWatcher> watchers = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private EtcdStore(StoreUrl.Etcd url, Client client, EtcdStoreProperties properties, int watchBufferSize) {
        this.url = url;
        this.client = client;
        this.kv = client.getKVClient();
        this.properties = properties;
        this.watchBufferSize = watchBufferSize;
    }

    /**
     * Connects to the members {@code url} names and reads the current and compacted revisions.
     *
     * @param watchBufferSize events buffered per watcher before it stops etcd's watch and resumes it
     *     when the subscriber has caught up
     */
    public static EtcdStore open(StoreUrl.Etcd url, EtcdStoreProperties properties, int watchBufferSize) {
        if (watchBufferSize < 1) {
            throw new IllegalArgumentException("the watch buffer size must be at least 1, got " + watchBufferSize);
        }
        EtcdStore store = new EtcdStore(url, client(url, properties), properties, watchBufferSize);
        try {
            long current = store.currentRevision();
            long compactedTo = store.probeCompactedRevision(current);
            log.info("Opened {} store at revision {} (compacted to {})", url.display(), current, compactedTo);
            return store;
        } catch (RuntimeException e) {
            store.client.close();
            throw e;
        }
    }

    private static Client client(StoreUrl.Etcd url, EtcdStoreProperties properties) {
        boolean tlsFiles = properties.caFile() != null || properties.certFile() != null;
        if (tlsFiles && !url.tls()) {
            throw new IllegalArgumentException("platform.api.storage.etcd.ca-file, cert-file and key-file need TLS:"
                    + " write the store url as etcds://" + url.endpoints().stream()
                            .map(endpoint -> endpoint.getHost() + ":" + endpoint.getPort())
                            .reduce((a, b) -> a + "," + b).orElse(""));
        }
        ClientBuilder builder = Client.builder()
                .endpoints(url.endpoints().toArray(URI[]::new))
                .connectTimeout(properties.connectTimeout())
                // as kube-apiserver's etcd client: an unpaged list (the watch cache's first fill) may
                // exceed gRPC's default 4 MiB answer
                .maxInboundMessageSize(Integer.MAX_VALUE);
        if (url.tls()) {
            try {
                builder.sslContext(ssl -> {
                    if (properties.caFile() != null) {
                        ssl.trustManager(properties.caFile().toFile());
                    }
                    if (properties.certFile() != null && properties.keyFile() != null) {
                        ssl.keyManager(properties.certFile().toFile(), properties.keyFile().toFile());
                    }
                });
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot set up TLS to " + url.display() + ": " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    @Override
    public Optional<KeyValue> get(String key) {
        checkOpen();
        GetResponse response = await(kv.get(bytes(key)));
        return response.getKvs().stream().findFirst().map(EtcdStore::keyValue);
    }

    @Override
    public ListResult list(String prefix, long revision, int limit, @Nullable String continueAfterKey) {
        checkOpen();
        if (revision < 0 || limit < 0) {
            throw new IllegalArgumentException("revision and limit must not be negative");
        }
        if (revision != 0 && revision < compacted.get()) {
            throw new CompactedException(revision, compacted.get());
        }
        ByteSequence start = continueAfterKey != null ? bytes(continueAfterKey + "\0")
                : prefix.isEmpty() ? ALL_KEYS : bytes(prefix);
        GetOption.Builder option = GetOption.builder().withRange(rangeEnd(prefix)).withLimit(limit);
        GetResponse response;
        try {
            response = await(kv.get(start, option.withRevision(revision).build()));
        } catch (EtcdRequestException e) {
            if (e.compacted()) {
                throw new CompactedException(revision, probeCompactedRevision(currentRevision()));
            }
            if (!e.futureRevision()) {
                throw e;
            }
            // a revision not reached yet reads the latest state, and says so (as the SQL store does)
            response = await(kv.get(start, option.withRevision(0).build()));
            revision = 0;
        }
        List<KeyValue> items = response.getKvs().stream().map(EtcdStore::keyValue).toList();
        boolean more = limit > 0 && response.isMore() && !items.isEmpty();
        long at = revision == 0 ? response.getHeader().getRevision() : revision;
        return new ListResult(items, at, more ? items.getLast().key() : null);
    }

    @Override
    public long count(String prefix) {
        checkOpen();
        ByteSequence start = prefix.isEmpty() ? ALL_KEYS : bytes(prefix);
        return await(kv.get(start, GetOption.builder().withRange(rangeEnd(prefix)).withCountOnly(true).build()))
                .getCount();
    }

    @Override
    public KeyValue create(String key, byte[] value) {
        checkOpen();
        ByteSequence name = bytes(key);
        TxnResponse response = await(kv.txn()
                .If(new Cmp(name, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(name, ByteSequence.from(value), PutOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            throw new KeyExistsException(key);
        }
        long revision = response.getHeader().getRevision();
        return new KeyValue(key, value, revision, revision);
    }

    @Override
    public KeyValue update(String key, long expectedRevision, byte[] value) {
        checkOpen();
        ByteSequence name = bytes(key);
        TxnResponse response = await(guarded(name, expectedRevision)
                .Then(Op.put(name, ByteSequence.from(value), PutOption.builder().withPrevKV().build()))
                .Else(Op.get(name, GetOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            throw refused(key, expectedRevision, response);
        }
        io.etcd.jetcd.KeyValue previous = response.getPutResponses().getFirst().getPrevKv();
        return new KeyValue(key, value, previous.getCreateRevision(), response.getHeader().getRevision());
    }

    @Override
    public KeyValue delete(String key, long expectedRevision) {
        checkOpen();
        ByteSequence name = bytes(key);
        TxnResponse response = await(guarded(name, expectedRevision)
                .Then(Op.delete(name, DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(name, GetOption.DEFAULT))
                .commit());
        if (!response.isSucceeded()) {
            throw refused(key, expectedRevision, response);
        }
        io.etcd.jetcd.KeyValue previous = response.getDeleteResponses().getFirst().getPrevKvs().getFirst();
        return new KeyValue(key, previous.getValue().getBytes(), previous.getCreateRevision(),
                response.getHeader().getRevision());
    }

    /** A transaction on the key being at {@code expectedRevision}, or (for 0) existing at all. */
    private Txn guarded(ByteSequence name, long expectedRevision) {
        Cmp condition = expectedRevision == 0
                ? new Cmp(name, Cmp.Op.GREATER, CmpTarget.createRevision(0))
                : new Cmp(name, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedRevision));
        return kv.txn().If(condition);
    }

    private static RuntimeException refused(String key, long expectedRevision, TxnResponse response) {
        List<io.etcd.jetcd.KeyValue> current = response.getGetResponses().getFirst().getKvs();
        if (current.isEmpty()) {
            return new KeyNotFoundException(key);
        }
        return new RevisionConflictException(key, expectedRevision, current.getFirst().getModRevision());
    }

    @Override
    public Flux<WatchEvent> watch(String prefix, long afterRevision) {
        if (afterRevision < 0) {
            throw new IllegalArgumentException("afterRevision must not be negative, got " + afterRevision);
        }
        return Flux.create(sink -> {
            if (closed) {
                sink.error(new IllegalStateException("the " + url.display() + " store is closed"));
                return;
            }
            long compactedTo = compacted.get();
            if (afterRevision < compactedTo) {
                sink.error(new CompactedException(afterRevision, compactedTo));
                return;
            }
            ByteSequence start = prefix.isEmpty() ? ALL_KEYS : bytes(prefix);
            EtcdWatcher watcher = new EtcdWatcher(client.getWatchClient(), start, rangeEnd(prefix), afterRevision,
                    watchBufferSize, sink, scheduler, this::compactedTo);
            watchers.add(watcher);
            sink.onDispose(() -> {
                watchers.remove(watcher);
                watcher.dispose();
            });
            sink.onRequest(requested -> watcher.drain());
            watcher.start();
        });
    }

    /** A watch learned etcd's compacted revision. */
    private void compactedTo(long revision) {
        compacted.accumulateAndGet(revision, Math::max);
    }

    /**
     * etcd keeps each key's value as of {@code revision} and drops older history; physical, so the
     * space is free when this returns. Watchers that have read past it lose nothing.
     */
    @Override
    public void compact(long revision) {
        checkOpen();
        long current = currentRevision();
        if (revision > current) {
            throw new IllegalArgumentException(
                    "cannot compact to revision " + revision + ": the store is at revision " + current);
        }
        if (revision <= compacted.get()) {
            return;
        }
        try {
            await(kv.compact(revision, CompactOption.builder().withCompactPhysical(true).build()));
            compactedTo(revision);
            log.debug("Compacted {} store to revision {}", url.display(), revision);
        } catch (EtcdRequestException e) {
            if (!e.compacted()) {
                throw e;
            }
            // another API server compacted as far or further already
            probeCompactedRevision(current);
        }
    }

    /**
     * Streams etcd's own snapshot of its database to {@code out}, as {@code etcdctl snapshot save}
     * does: every key with its history since the last compaction, restorable into a new cluster with
     * {@code etcdutl snapshot restore} (etcd 3.4: {@code etcdctl snapshot restore}). The member
     * answering is whichever one the client talks to. It may take up to ten request timeouts.
     *
     * @return how many bytes were written
     */
    public long snapshot(OutputStream out) {
        checkOpen();
        return await(client.getMaintenanceClient().snapshot(out), properties.requestTimeout().multipliedBy(10));
    }

    @Override
    public long currentRevision() {
        checkOpen();
        return await(kv.get(PROBE_KEY, GetOption.builder().withCountOnly(true).build())).getHeader().getRevision();
    }

    @Override
    public long compactedRevision() {
        checkOpen();
        return compacted.get();
    }

    /**
     * Finds the oldest revision a range can read, at or below {@code current}, by bisection (reads at
     * a compacted revision fail); 0 when nothing was ever compacted. Raises the tracked value.
     */
    private long probeCompactedRevision(long current) {
        long low = compacted.get();
        if (readable(Math.max(low, 1))) {
            return compacted.get();
        }
        long high = current;
        // invariant: low is not readable (or is the known floor), high is readable
        while (high - low > 1) {
            long middle = low + (high - low) / 2;
            if (readable(middle)) {
                high = middle;
            } else {
                low = middle;
            }
        }
        compactedTo(high);
        return compacted.get();
    }

    private boolean readable(long revision) {
        try {
            await(kv.get(PROBE_KEY, GetOption.builder().withRevision(revision).withCountOnly(true).build()));
            return true;
        } catch (EtcdRequestException e) {
            if (e.compacted()) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        watchers.forEach(EtcdWatcher::complete);
        watchers.clear();
        client.close();
        log.info("Closed {} store", url.display());
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the " + url.display() + " store is closed");
        }
    }

    private <T> T await(CompletableFuture<T> future) {
        return await(future, properties.requestTimeout());
    }

    private <T> T await(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw EtcdRequestException.of(url, e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new DataAccessResourceFailureException("no answer from " + url.display() + " within " + timeout,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataAccessResourceFailureException("interrupted while waiting for " + url.display(), e);
        }
    }

    private static KeyValue keyValue(io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(kv.getKey().toString(UTF_8), kv.getValue().getBytes(), kv.getCreateRevision(),
                kv.getModRevision());
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, UTF_8);
    }

    /** The end of the range of keys under {@code prefix}: its bytes with the last one below 0xff raised. */
    static ByteSequence rangeEnd(String prefix) {
        byte[] end = prefix.getBytes(UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteSequence.from(Arrays.copyOf(end, i + 1));
            }
        }
        // an empty prefix (or all 0xff): every key from the start on
        return ALL_KEYS;
    }
}
