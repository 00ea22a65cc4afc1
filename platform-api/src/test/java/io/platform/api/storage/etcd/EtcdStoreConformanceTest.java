package io.platform.api.storage.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.platform.api.storage.Store;
import io.platform.api.storage.StoreConformanceTest;
import io.platform.api.storage.StoreUrl;
import io.platform.api.testing.EtcdProcess;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The Store conformance suite on etcd: one member for the class, emptied before each test (its
 * revisions and compactions go on across tests, which the suite allows). Skipped when Debian's
 * etcd-server is not installed.
 */
class EtcdStoreConformanceTest extends StoreConformanceTest {

    private static final ByteSequence ALL_KEYS = ByteSequence.from(new byte[] {0});
    private static EtcdProcess etcd;

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdProcess.start();
    }

    @AfterAll
    static void stopEtcd() {
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void emptyEtcd() throws Exception {
        try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
            client.getKVClient().delete(ALL_KEYS, DeleteOption.builder().withRange(ALL_KEYS).build())
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Each resume of etcd's watch waits for etcd's 100 ms sync of unsynced watchers: resume less often. */
    @Override
    protected int watchBufferSize() {
        return 64;
    }

    @Override
    protected Store openStore() {
        return EtcdStore.open((StoreUrl.Etcd) StoreUrl.parse(etcd.storeUrl()), EtcdStoreProperties.defaults(),
                watchBufferSize());
    }
}
