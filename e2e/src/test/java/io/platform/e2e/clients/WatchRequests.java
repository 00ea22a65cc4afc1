package io.platform.e2e.clients;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Shortens the {@code timeoutSeconds} informers put on their watch requests, so the API server
 * ends each watch after a few seconds and the informer must re-watch, and counts those watches.
 * Both fabric8 and the official client choose 5 to 10 minutes themselves, so the server's own
 * bounds for watches without a timeout never apply to them.
 */
final class WatchRequests {

    private static final Pattern TIMEOUT = Pattern.compile("timeoutSeconds=\\d+");

    private final long timeoutSeconds;
    private final AtomicInteger started = new AtomicInteger();

    WatchRequests(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    static boolean isWatch(URI uri) {
        String query = uri.getRawQuery();
        return query != null && query.contains("watch=true");
    }

    /** The request's URI with a short timeout if it is a watch (counted), else unchanged. */
    URI rewrite(URI uri) {
        if (!isWatch(uri)) {
            return uri;
        }
        started.incrementAndGet();
        String query = uri.getRawQuery();
        String shortened = TIMEOUT.matcher(query).find()
                ? TIMEOUT.matcher(query).replaceAll("timeoutSeconds=" + timeoutSeconds)
                : query + "&timeoutSeconds=" + timeoutSeconds;
        return URI.create(uri.toString().replace("?" + query, "?" + shortened));
    }

    int started() {
        return started.get();
    }
}
