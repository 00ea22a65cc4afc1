package io.platform.agent.bootstrap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.agent.AgentProperties;
import io.platform.agent.trust.ClusterTrustChanged;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Renews the agent's client and serving certificates through CertificateSigningRequests once 70–90 % of their
 * validity has passed ({@link RotationSchedule}), as the kubelet's certificate managers with
 * {@code rotateCertificates} and {@code serverTLSBootstrap}; a failed renewal is retried with a doubling delay. The
 * new files replace the old ones atomically: the HTTPS server reloads its certificate from disk and the API client
 * follows the kubeconfig, so nothing restarts.
 */
@Component
class CertificateRotation implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CertificateRotation.class);

    private final List<RotatingCertificate> certificates;
    private final RotationSchedule schedule;
    private final String nodeName;
    private final Map<RotatingCertificate, ScheduledFuture<?>> planned = new ConcurrentHashMap<>();
    private volatile @Nullable ScheduledExecutorService executor;

    CertificateRotation(AgentProperties agent, BootstrapProperties properties, KubernetesClient client, Clock clock) {
        SigningRequests requests = SigningRequests.of(properties);
        this.certificates = new ArrayList<>();
        this.schedule = RotationSchedule.of(properties, clock);
        this.nodeName = agent.nodeName();
        if (properties.rotateCertificates()) {
            certificates.add(new NodeClientCertificate(agent.kubeconfig(), agent.nodeName(), client, requests));
        }
        if (properties.serverTlsBootstrap()) {
            certificates.add(new NodeServingCertificate(agent.tlsCert(), agent.tlsKey(), agent.clientCa(),
                    agent.nodeName(), client, requests));
        }
    }

    @Override
    public void start() {
        // one thread per certificate: a request waiting to be approved holds its thread
        ScheduledExecutorService started = Executors.newScheduledThreadPool(Math.max(1, certificates.size()),
                Thread.ofPlatform().daemon().name("certificate-rotation-", 0).factory());
        executor = started;
        for (RotatingCertificate certificate : certificates) {
            if (certificate.current().isEmpty() && certificate instanceof NodeClientCertificate) {
                // a kubeconfig with a token or an exec plugin has no certificate to rotate
                log.info("Node {}: no {} to rotate", nodeName, certificate.description());
                continue;
            }
            started.execute(() -> plan(certificate, false));
        }
    }

    /**
     * Schedules the renewal of what is in place now. A certificate the cluster just issued is never replaced at once,
     * even when no CA of {@code platform.agent.client-ca} signed it (a CA rotation the node has not heard of yet),
     * and the next renewal waits at least the retry interval: nothing can make the agent request certificates in a
     * loop.
     */
    private void plan(RotatingCertificate certificate, boolean justRenewed) {
        Optional<X509Certificate> current = certificate.current();
        if (!justRenewed && (current.isEmpty() || certificate.replaceNow(current.get()))) {
            log.info("Node {}: {} {}; requesting one now", nodeName, certificate.description(),
                    current.isEmpty() ? "is missing" : "is not signed by the cluster's CA");
            submit(certificate, () -> renew(certificate, null, 0), Duration.ZERO);
            return;
        }
        if (current.isEmpty()) {
            Duration delay = schedule.retryDelay(1);
            log.warn("Node {}: {} cannot be read after its renewal; looking again in {}", nodeName,
                    certificate.description(), readable(delay));
            submit(certificate, () -> plan(certificate, false), delay);
            return;
        }
        if (justRenewed && certificate.replaceNow(current.get())) {
            log.warn("Node {}: the cluster issued a {} that no CA of the agent's client CA file signed; keeping it "
                    + "until its renewal time", nodeName, certificate.description());
        }
        Instant deadline = schedule.deadline(current.get());
        Duration delay = schedule.until(deadline);
        if (justRenewed && delay.compareTo(schedule.retryDelay(1)) < 0) {
            delay = schedule.retryDelay(1);
        }
        log.info("Node {}: {} is valid until {}; renewing it at {}", nodeName, certificate.description(),
                current.get().getNotAfter().toInstant(), deadline);
        BigInteger serial = current.get().getSerialNumber();
        submit(certificate, () -> renew(certificate, serial, 0), delay);
    }

    /**
     * Renews unless the certificate was replaced by something else since it was planned (e.g. {@code platform certs
     * renew}): then plans again for the new one.
     */
    private void renew(RotatingCertificate certificate, @Nullable BigInteger plannedSerial, int failures) {
        Optional<X509Certificate> current = certificate.current();
        if (plannedSerial != null && current.isPresent() && !current.get().getSerialNumber().equals(plannedSerial)) {
            plan(certificate, false);
            return;
        }
        try {
            certificate.renew();
            log.info("Node {}: renewed the {}", nodeName, certificate.description());
            plan(certificate, true);
        } catch (RuntimeException e) {
            if (executor == null) {
                return;
            }
            Duration delay = schedule.retryDelay(failures + 1);
            if (e instanceof NodeServingCertificate.AddressesUnknownException) {
                log.info("Node {}: {}; asking again in {}", nodeName, e.getMessage(), readable(delay));
            } else {
                log.warn("Node {}: renewing the {} failed, retrying in {}: {}", nodeName, certificate.description(),
                        readable(delay), e.getMessage());
            }
            submit(certificate, () -> renew(certificate, plannedSerial, failures + 1), delay);
        }
    }

    /** 15m, 2s, 1h30m: ISO-8601 without its prefix, as people write durations in properties. */
    private static String readable(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /**
     * The cluster's trust bundle changed (a CA rotation): both certificates are requested again at once, so they come
     * from the CA that signs now before the old CA stops being trusted, as Kubernetes' manual CA rotation has the
     * kubelet's certificates re-issued. What was planned for them is dropped.
     */
    @EventListener
    void onTrustChanged(ClusterTrustChanged changed) {
        for (RotatingCertificate certificate : certificates) {
            if (certificate.current().isEmpty() && certificate instanceof NodeClientCertificate) {
                continue;
            }
            log.info("Node {}: the cluster's CA bundle changed; requesting a new {}", nodeName, certificate.description());
            submit(certificate, () -> renew(certificate, null, 0), Duration.ZERO);
        }
    }

    private void submit(RotatingCertificate certificate, Runnable task, Duration delay) {
        ScheduledExecutorService current = executor;
        if (current != null && !current.isShutdown()) {
            ScheduledFuture<?> previous = planned.put(certificate,
                    current.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS));
            if (previous != null) {
                // a task that is running now finished its planning before it got here: only waiting ones are dropped
                previous.cancel(false);
            }
        }
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = executor;
        executor = null;
        if (current != null) {
            current.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
