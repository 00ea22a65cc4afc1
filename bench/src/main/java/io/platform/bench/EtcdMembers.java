package io.platform.bench;

import io.platform.api.testing.EtcdProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * etcd stores: a new single-member etcd per store, because every store the API server uses holds its keys under
 * {@code /registry/} and etcd has no second keyspace to separate them.
 */
final class EtcdMembers implements StoreServer {

    private final List<EtcdProcess> members = new ArrayList<>();

    @Override
    public String newStore() {
        EtcdProcess member = EtcdProcess.start();
        members.add(member);
        return member.storeUrl();
    }

    @Override
    public void close() {
        members.forEach(EtcdProcess::close);
        members.clear();
    }
}
