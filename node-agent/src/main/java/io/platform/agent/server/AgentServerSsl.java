package io.platform.agent.server;

import io.platform.agent.AgentProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Serves the agent's API over HTTPS on {@code platform.agent.address} with its PEM serving
 * certificate, and requires a client certificate signed by the cluster CA, so a launcher only
 * passes {@code platform.agent.*} properties (never {@code server.ssl.*}).
 */
@Component
class AgentServerSsl implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

    private final AgentProperties properties;

    AgentServerSsl(AgentProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        Ssl ssl = new Ssl();
        ssl.setEnabled(true);
        ssl.setCertificate(properties.tlsCert().toUri().toString());
        ssl.setCertificatePrivateKey(properties.tlsKey().toUri().toString());
        ssl.setTrustCertificate(properties.clientCa().toUri().toString());
        ssl.setClientAuth(Ssl.ClientAuth.NEED);
        factory.setSsl(ssl);
        try {
            factory.setAddress(InetAddress.getByName(properties.address()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("platform.agent.address " + properties.address() + " does not resolve", e);
        }
    }
}
