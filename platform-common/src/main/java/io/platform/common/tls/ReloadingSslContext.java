package io.platform.common.tls;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;

/**
 * An {@link SSLContext} for clients whose every new connection uses the material its files hold at that moment:
 * creating an engine first checks the files ({@link ReloadingMaterial#reloadIfChanged}), and each version of the
 * material gets its own context. A context per version also keeps TLS session resumption from carrying an old
 * client certificate into a new connection: a resumed session skips the certificate exchange, so the server would
 * still see the certificate of the session's first handshake. Connections already open keep the material they
 * were opened with, as with any TLS client; servers check certificates at the handshake.
 */
public final class ReloadingSslContext extends SSLContext {

    private ReloadingSslContext(Following spi, SSLContext first) {
        super(spi, first.getProvider(), first.getProtocol());
    }

    /** A context following {@code material}, e.g. a kubeconfig's client certificate and trusted CAs. */
    public static ReloadingSslContext following(ReloadingMaterial<SslBundle> material) {
        Following spi = new Following(material);
        return new ReloadingSslContext(spi, spi.context(false));
    }

    private static final class Following extends SSLContextSpi {

        private record Built(SslBundle bundle, SSLContext context) {}

        private final ReloadingMaterial<SslBundle> material;
        private volatile @Nullable Built built;

        Following(ReloadingMaterial<SslBundle> material) {
            this.material = material;
        }

        SSLContext context(boolean checkFiles) {
            if (checkFiles) {
                material.reloadIfChanged();
            }
            SslBundle bundle = material.current();
            Built now = built;
            if (now != null && now.bundle() == bundle) {
                return now.context();
            }
            synchronized (this) {
                now = built;
                if (now == null || now.bundle() != bundle) {
                    now = new Built(bundle, bundle.createSslContext());
                    built = now;
                }
                return now.context();
            }
        }

        @Override
        protected void engineInit(KeyManager @Nullable [] keyManagers, TrustManager @Nullable [] trustManagers,
                @Nullable SecureRandom random) throws KeyManagementException {
            throw new KeyManagementException("this context takes its keys and trusted CAs from files, not from init");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return context(true).getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context(true).getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return context(true).createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return context(true).createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context(false).getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context(false).getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return context(false).getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return context(false).getSupportedSSLParameters();
        }
    }
}
