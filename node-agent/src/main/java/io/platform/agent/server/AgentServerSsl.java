package io.platform.agent.server;

import io.platform.agent.AgentProperties;
import io.platform.common.tls.ReloadingSslBundle;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Serves the agent's API over HTTPS on {@code platform.agent.address} with its PEM serving certificate, asks
 * for a client certificate ({@code want}: callers may use a bearer token instead) and verifies one that is
 * presented against {@code platform.agent.client-ca}, so a launcher only passes {@code platform.agent.*}
 * properties (never {@code server.ssl.*}).
 *
 * <p>The three files are read again every {@code platform.agent.api.certificate-reload-interval}; when they
 * changed and the key matches the certificate, the new bundle is served to new connections, as the kubelet
 * picks up a rotated serving certificate, so a renewal or a CA rotation needs no restart.
 */
@Component
class AgentServerSsl implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, DisposableBean {

    static final String BUNDLE = "platform-node-agent";

    private final AgentProperties properties;
    private final AgentApiProperties api;
    private volatile @Nullable ReloadingSslBundle reloading;

    AgentServerSsl(AgentProperties properties, AgentApiProperties api) {
        this.properties = properties;
        this.api = api;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
        reloading = new ReloadingSslBundle(bundles, BUNDLE, properties.tlsCert(), properties.tlsKey(),
                properties.clientCa(), api.certificateReloadInterval());
        Ssl ssl = new Ssl();
        ssl.setEnabled(true);
        ssl.setBundle(BUNDLE);
        ssl.setClientAuth(Ssl.ClientAuth.WANT);
        factory.setSsl(ssl);
        factory.setSslBundles(bundles);
        try {
            factory.setAddress(InetAddress.getByName(properties.address()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("platform.agent.address " + properties.address() + " does not resolve", e);
        }
    }

    @Override
    public void destroy() {
        ReloadingSslBundle bundle = reloading;
        if (bundle != null) {
            bundle.close();
        }
    }
}
