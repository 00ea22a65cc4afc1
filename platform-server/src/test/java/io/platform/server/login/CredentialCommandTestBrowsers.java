package io.platform.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.server.identity.RunningIdentityProvider;
import io.platform.server.identity.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** A person's browser for the plugin's loopback sign-in: signs in, then follows the redirect to the plugin. */
final class CredentialCommandTestBrowsers {

    private CredentialCommandTestBrowsers() {}

    static Consumer<URI> signingIn(RunningIdentityProvider provider, String user, String password, AtomicInteger signIns) {
        return uri -> {
            signIns.incrementAndGet();
            TestBrowser browser = new TestBrowser(provider.caFile());
            HttpResponse<String> last = browser.signIn(uri, user, password);
            URI callback = URI.create(last.headers().firstValue("Location").orElseThrow(
                    () -> new AssertionError("no redirect to the callback: " + last.statusCode() + " " + last.body())));
            assertThat(callback.getHost()).isEqualTo("127.0.0.1");
            // the browser reaches the plugin's loopback server on its own thread, as a real one would
            CompletableFuture.runAsync(() -> browser.get(callback));
        };
    }
}
