package io.platform.api.storage.etcd;

import io.platform.api.storage.StoreUrl;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A request etcd refused or could not answer. Two refusals the store turns into answers; etcd
 * reports them only as gRPC {@code OUT_OF_RANGE} with its error text, so the text is what tells them.
 */
final class EtcdRequestException extends DataAccessResourceFailureException {

    private EtcdRequestException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    static EtcdRequestException of(StoreUrl.Etcd url, @Nullable Throwable cause) {
        String reason = cause == null ? "unknown error" : cause.getMessage();
        return new EtcdRequestException(url.display() + ": " + reason, cause);
    }

    /** etcd's {@code mvcc: required revision has been compacted} (ErrCompacted) on a range. */
    boolean compacted() {
        return getMessage() != null && getMessage().contains("required revision has been compacted");
    }

    /** etcd's {@code mvcc: required revision is a future revision}. */
    boolean futureRevision() {
        return getMessage() != null && getMessage().contains("required revision is a future revision");
    }
}
