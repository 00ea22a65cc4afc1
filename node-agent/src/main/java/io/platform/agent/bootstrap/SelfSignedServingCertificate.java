package io.platform.agent.bootstrap;

import io.platform.agent.AgentProperties;
import io.platform.common.pki.CertificateNames;
import io.platform.common.pki.CertificateSigner;
import io.platform.common.pki.CertificateTemplate;
import io.platform.common.pki.KeyPairs;
import io.platform.common.pki.PemFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * With {@code platform.agent.bootstrap.server-tls-bootstrap} and no serving certificate yet, writes a self-signed
 * one (a throw-away CA {@code <node>-ca@<time>} signing {@code <node>@<time>}, as the kubelet's default) before the
 * agent's HTTPS server is built from those files: the cluster's kubelet-serving approver only signs names the
 * Node reports, and the Node is registered once the server listens. {@link CertificateRotation} then replaces it with
 * a CA-signed certificate at once; until then the API server refuses to talk to this agent.
 */
@Component
class SelfSignedServingCertificate implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Ordered {

    private static final Logger log = LoggerFactory.getLogger(SelfSignedServingCertificate.class);
    private static final Duration BACKDATE = Duration.ofMinutes(5);

    private final AgentProperties agent;
    private final BootstrapProperties properties;
    private final Clock clock;

    SelfSignedServingCertificate(AgentProperties agent, BootstrapProperties properties, Clock clock) {
        this.agent = agent;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public void customize(NettyReactiveWebServerFactory factory) {
        Path certificate = agent.tlsCert();
        Path key = agent.tlsKey();
        if (!properties.serverTlsBootstrap() || (Files.isRegularFile(certificate) && Files.isRegularFile(key))) {
            return;
        }
        Instant now = clock.instant();
        String name = agent.nodeName() + "@" + now.getEpochSecond();
        KeyPair caKeys = KeyPairs.ecP256();
        X509Certificate ca = CertificateSigner.selfSignedCa(caKeys, agent.nodeName() + "-ca@" + now.getEpochSecond(),
                now.minus(BACKDATE), now.plus(properties.selfSignedValidity()));
        KeyPair keys = KeyPairs.ecP256();
        byte[] ip = CertificateNames.ipLiteral(agent.address());
        X509Certificate leaf = new CertificateSigner(ca, caKeys.getPrivate()).sign(new CertificateTemplate(
                CertificateNames.subject(name, List.of()), keys.getPublic(), now.minus(BACKDATE),
                now.plus(properties.selfSignedValidity()), KeyUsage.digitalSignature,
                List.of(KeyPurposeId.id_kp_serverAuth),
                CertificateNames.subjectAlternativeNames(ip == null ? List.of(agent.address(), agent.nodeName())
                        : List.of(agent.nodeName()), ip == null ? List.of() : List.of(agent.address()))));
        PemFiles.write(key, PemFiles.privateKeyPem(keys.getPrivate()), PemFiles.OWNER_ONLY);
        PemFiles.write(certificate, PemFiles.certificatesPem(List.of(leaf, ca)), PemFiles.WORLD_READABLE);
        log.info("Node {}: no serving certificate at {}; serving a self-signed one until the cluster signs a "
                + "certificate request", agent.nodeName(), certificate);
    }

    /** Before {@code AgentServerSsl}, which reads the files. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
