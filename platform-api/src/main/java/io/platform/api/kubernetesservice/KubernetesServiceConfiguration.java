package io.platform.api.kubernetesservice;

import io.platform.api.resource.ResourceStorage;
import io.platform.common.periodic.PeriodicTask;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Collections;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the {@code default/kubernetes} reconciler once the server is ready: the port it listens on is
 * known then, and the {@code default} namespace exists. It stops, leaving the endpoints to the other
 * servers, when the context closes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "platform.api.kubernetes-service.enabled", havingValue = "true", matchIfMissing = true)
class KubernetesServiceConfiguration {

    @Bean(destroyMethod = "close")
    KubernetesServiceRunner kubernetesServiceRunner(ResourceStorage storage, Clock clock, KubernetesServiceProperties properties,
            @Value("${server.address:}") String serverAddress) {
        return new KubernetesServiceRunner(storage, clock, properties, serverAddress);
    }

    /** The reconciler on its schedule, started by the ready event. */
    static final class KubernetesServiceRunner implements ApplicationListener<ApplicationReadyEvent>, AutoCloseable {

        private static final Logger log = LoggerFactory.getLogger(KubernetesServiceRunner.class);

        private final ResourceStorage storage;
        private final Clock clock;
        private final KubernetesServiceProperties properties;
        private final String serverAddress;
        private @Nullable KubernetesServiceReconciler reconciler;
        private @Nullable PeriodicTask task;

        KubernetesServiceRunner(ResourceStorage storage, Clock clock, KubernetesServiceProperties properties, String serverAddress) {
            this.storage = storage;
            this.clock = clock;
            this.properties = properties;
            this.serverAddress = serverAddress;
        }

        @Override
        public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
            if (task != null || !(event.getApplicationContext() instanceof WebServerApplicationContext web)
                    || web.getWebServer() == null) {
                return;
            }
            int port = web.getWebServer().getPort();
            String address = advertiseAddress(properties.advertiseAddress(), serverAddress);
            KubernetesServiceReconciler started = new KubernetesServiceReconciler(storage, clock, properties, address, port);
            reconciler = started;
            task = PeriodicTask.start("kubernetes-service", "platform.api.kubernetes-service.interval", properties.interval(),
                    started::reconcile);
            log.info("keeping service default/kubernetes ({}:{}) with endpoint {}:{}", properties.clusterIp(), properties.port(),
                    address, port);
        }

        @Override
        public synchronized void close() {
            if (task != null) {
                task.close();
                task = null;
            }
            if (reconciler != null) {
                try {
                    reconciler.removeSelf();
                } catch (RuntimeException e) {
                    log.info("could not remove {} from the kubernetes endpoints: {}", reconciler.address(), e.toString());
                }
                reconciler = null;
            }
        }
    }

    /**
     * As kube-apiserver's {@code --advertise-address}: the configured one, else the bind address,
     * else (bound to a wildcard) the host's first non-loopback IPv4 address, else loopback.
     */
    static String advertiseAddress(@Nullable String configured, String bindAddress) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try {
            if (!bindAddress.isBlank() && !InetAddress.getByName(bindAddress).isAnyLocalAddress()) {
                return InetAddress.getByName(bindAddress).getHostAddress();
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("server.address " + bindAddress + " does not resolve", e);
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress candidate : Collections.list(nic.getInetAddresses())) {
                    if (candidate instanceof Inet4Address && !candidate.isLinkLocalAddress()) {
                        return candidate.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            // no interfaces to ask: loopback below
        }
        return InetAddress.getLoopbackAddress().getHostAddress();
    }
}
