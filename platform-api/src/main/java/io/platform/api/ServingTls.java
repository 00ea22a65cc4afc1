package io.platform.api;

import io.platform.api.pki.ClusterPki;
import io.platform.common.tls.ReloadingSslBundle;
import java.net.InetAddress;
import java.nio.file.Files;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Serves HTTPS from the PEM files in {@code <data-dir>/pki}: the apiserver certificate, and client
 * certificates requested ({@code want}) and verified against the cluster CA, so the launcher only
 * passes the data dir and the port. Writes the cluster PKI first when it is missing and allowed. The files are read
 * again every {@code platform.api.tls.reload-interval}: renewed certificates and a rotated CA bundle are served
 * without a restart.
 */
final class ServingTls implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(ServingTls.class);
    private static final String BUNDLE = "platform-apiserver";

    private final ApiServerProperties properties;
    private volatile @Nullable ReloadingSslBundle reloading;

    ServingTls(ApiServerProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        if (!properties.tls().enabled()) {
            return;
        }
        if (!Files.exists(properties.servingCertificate())) {
            if (!properties.tls().createMissing()) {
                throw new IllegalStateException("no serving certificate at " + properties.servingCertificate()
                        + "; create the cluster PKI first or set platform.api.tls.create-missing=true");
            }
            InetAddress address = factory.getAddress();
            String host = address == null ? "127.0.0.1" : address.getHostAddress();
            ClusterPki pki = ClusterPki.loadOrCreate(properties.dataDir(), "https://" + host + ":" + factory.getPort(),
                    ClusterPki.hostName(), host);
            log.info("wrote the cluster PKI into {} ({} files)", pki.dataDir(), pki.written().size());
        }
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry();
        reloading = new ReloadingSslBundle(registry, BUNDLE, properties.servingCertificate(), properties.servingKey(),
                properties.clientCa(), properties.tls().reloadInterval());
        Ssl ssl = new Ssl();
        ssl.setEnabled(true);
        ssl.setBundle(BUNDLE);
        ssl.setClientAuth(Ssl.ClientAuth.WANT);
        factory.setSsl(ssl);
        factory.setSslBundles(registry);
    }

    @Override
    public void destroy() {
        ReloadingSslBundle bundle = reloading;
        if (bundle != null) {
            bundle.close();
        }
    }

    @Override
    public int getOrder() {
        // after Boot's own customizer, which applies server.ssl.* (unset here)
        return Ordered.LOWEST_PRECEDENCE;
    }
}
