package io.platform.common.client;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import javax.net.ssl.SSLContext;

/**
 * fabric8's JDK HTTP client with the TLS context of our choosing: fabric8 builds a fixed context from the
 * {@link io.fabric8.kubernetes.client.Config}, which this one, following the kubeconfig's files, replaces.
 */
final class FollowingTlsClientFactory extends JdkHttpClientFactory {

    private final SSLContext tls;

    FollowingTlsClientFactory(SSLContext tls) {
        this.tls = tls;
    }

    @Override
    protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
        builder.sslContext(tls);
    }
}
