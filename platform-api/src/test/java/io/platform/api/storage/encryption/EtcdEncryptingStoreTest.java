package io.platform.api.storage.encryption;

import io.platform.api.storage.Store;
import io.platform.api.storage.etcd.EtcdStore;
import io.platform.api.storage.etcd.EtcdStoreProperties;
import io.platform.api.storage.StoreUrl;
import io.platform.api.testing.EtcdProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;

class EtcdEncryptingStoreTest extends EncryptingStoreTest {

    private EtcdProcess etcd;

    @Override
    Store openRaw(Path dir) {
        etcd = EtcdProcess.start();
        return EtcdStore.open((StoreUrl.Etcd) StoreUrl.parse(etcd.storeUrl()), EtcdStoreProperties.defaults(), 1024);
    }

    @AfterEach
    void stopEtcd() {
        etcd.close();
    }
}
