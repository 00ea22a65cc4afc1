package io.platform.api;

import io.platform.api.pki.ClusterPki;
import java.net.InetAddress;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Serves HTTPS from the PEM files in {@code <data-dir>/pki}: the apiserver certificate, and client
 * certificates requested ({@code want}) and verified against the cluster CA, so the launcher only
 * passes the data dir and the port. Writes the cluster PKI first when it is missing and allowed.
 */
final class ServingTls implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(ServingTls.class);
    private static final String BUNDLE = "platform-apiserver";

    private final ApiServerProperties properties;

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
        PemSslStoreDetails key = PemSslStoreDetails.forCertificate(location(properties.servingCertificate().toString()))
                .withPrivateKey(location(properties.servingKey().toString()));
        PemSslStoreDetails trust = PemSslStoreDetails.forCertificate(location(properties.clientCa().toString()));
        SslBundle bundle = SslBundle.of(new PemSslStoreBundle(key, trust));
        Ssl ssl = new Ssl();
        ssl.setEnabled(true);
        ssl.setBundle(BUNDLE);
        ssl.setClientAuth(Ssl.ClientAuth.WANT);
        factory.setSsl(ssl);
        factory.setSslBundles(new DefaultSslBundleRegistry(BUNDLE, bundle));
    }

    private static String location(String path) {
        return "file:" + path;
    }

    @Override
    public int getOrder() {
        // after Boot's own customizer, which applies server.ssl.* (unset here)
        return Ordered.LOWEST_PRECEDENCE;
    }
}
