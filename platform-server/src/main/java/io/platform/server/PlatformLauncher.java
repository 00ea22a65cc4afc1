package io.platform.server;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.platform.agent.NodeAgentApplication;
import io.platform.agent.docker.DockerEngines;
import io.platform.agent.image.BusyboxImageBuilder;
import io.platform.api.ApiServerApplication;
import io.platform.api.pki.CertificateAuthority;
import io.platform.api.pki.CertificateRenewal;
import io.platform.api.pki.ClusterPki;
import io.platform.console.ConsoleApplication;
import io.platform.controllers.ControllerManagerApplication;
import io.platform.scheduler.SchedulerApplication;
import io.platform.server.identity.IdentityProviderApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the components of {@code up} as sibling Spring applications (no parent context), each
 * with its own explicit web application type, so the servlet stack (console) and the reactive
 * stacks (API server, node agent) never share a context, whatever is on the classpath.
 */
final class PlatformLauncher {

    private static final Duration RENEW_WITHIN = Duration.ofDays(30);

    private static final Logger log = LoggerFactory.getLogger(PlatformLauncher.class);
    private static final Path BUSYBOX = Path.of("/bin/busybox");

    // Vaadin's auto-configurations are only class-conditional: keep them out of every other context.
    private static final List<String> VAADIN = List.of(
            "com.vaadin.flow.spring.SpringBootAutoConfiguration",
            "com.vaadin.flow.spring.SpringSecurityAutoConfiguration",
            "com.vaadin.flow.spring.VaadinScopesConfig");
    // Only the API server owns a database (and builds its DataSource itself).
    private static final List<String> DATABASE = List.of(
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
            "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration",
            "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration");
    // Tomcat is on the classpath for the console; reactive contexts must run on Netty.
    private static final List<String> TOMCAT_REACTIVE = List.of(
            "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
            "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration");
    // The console has no sign-in yet (SSO comes later) and offers nothing writable; Spring Security is on the
    // class path for the built-in OIDC provider, and Vaadin's security configuration would guard every view.
    private static final List<String> SERVLET_SECURITY = List.of(
            "com.vaadin.flow.spring.SpringSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration");

    private PlatformLauncher() {}

    /**
     * Starts every requested component in readiness order. On any failure, closes what started
     * and throws {@link LaunchException} with one line saying what failed.
     */
    static RunningPlatform start(UpOptions options) {
        Path dataDir = options.absoluteDataDir();
        PidFile pidFile = new PidFile(dataDir);
        pidFile.runningProcess().ifPresent(process -> {
            throw new LaunchException("the platform already runs on " + dataDir + " (pid " + process.pid()
                    + "); stop it with: platform down --data-dir " + dataDir);
        });
        ClusterPki pki = ClusterPki.loadOrCreate(dataDir, options.apiServerUrl(), options.nodeName(),
                options.reachableAddress());
        reportWritten(pki);
        Runnable renewal = certificateRenewal(dataDir);
        renewal.run();
        pidFile.writeCurrent();

        Set<Component> components = new LinkedHashSet<>();
        for (Component component : Component.values()) {
            if (options.components().contains(component)) {
                components.add(component);
            }
        }
        String dockerHost = DockerEngines.defaultHost();
        if (components.contains(Component.AGENT) && !containerRuntimeReady(options.runtime(), dockerHost)) {
            components.remove(Component.AGENT);
        }

        RunningPlatform platform = new RunningPlatform(options, pki, pidFile);
        platform.renewDaily(renewal);
        String current = null;
        long begin = System.nanoTime();
        ConfigurableApplicationContext identity = null;
        try {
            for (Component component : components) {
                if (component == Component.API && options.identity()) {
                    current = "identity";
                    begin = System.nanoTime();
                    identity = identityProvider(options).run();
                    log.info("identity started in {} on {} (built-in OIDC provider)", seconds(begin),
                            options.identityIssuer());
                }
                current = component.flag();
                begin = System.nanoTime();
                ConfigurableApplicationContext context = application(component, options, pki, dockerHost).run();
                platform.add(component, context);
                if (component == Component.API && identity != null) {
                    // The provider serves the API server's sign-ins: it stops when the API server stops.
                    ConfigurableApplicationContext provider = identity;
                    context.addApplicationListener((ApplicationListener<ContextClosedEvent>) closed -> {
                        provider.close();
                        log.info("identity stopped");
                    });
                }
                if (component == Component.API) {
                    ApiReadiness.await(options.apiServerUrl(), pki.authority(), options.apiReadyTimeout());
                }
                log.info("{} started in {}{}", component.flag(), seconds(begin), where(component, options));
            }
        } catch (RuntimeException | InterruptedException e) {
            String failed = current == null ? "the platform" : current;
            log.error("{} failed to start after {}: {}", failed, seconds(begin), reason(e));
            log.debug("start failure of {}", failed, e);
            platform.close();
            if (identity != null) {
                identity.close();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new LaunchException(failed + " failed to start: " + reason(e));
        }
        return platform;
    }

    /**
     * Renews the certificates that expire within {@link #RENEW_WITHIN}: run at start and then daily while the platform
     * runs; components read theirs again without a restart (serving certificates within seconds, kubeconfigs at
     * their next connection).
     */
    private static Runnable certificateRenewal(Path dataDir) {
        CertificateRenewal renewal = new CertificateRenewal(dataDir, Clock.systemUTC());
        return () -> {
            try {
                renewal.renewExpiring(RENEW_WITHIN, CertificateAuthority.DEFAULT_LEAF_VALIDITY)
                        .forEach(entry -> log.info("renewed certificate {} ({})", entry.name(), entry.file()));
            } catch (RuntimeException e) {
                log.warn("renewing certificates failed, retrying in a day: {}", e.getMessage());
            }
        };
    }

    private static void reportWritten(ClusterPki pki) {
        if (pki.written().contains(pki.caCertificate())) {
            log.info("created cluster {} with a new CA in {}", pki.clusterId(), pki.pkiDir());
        } else if (!pki.written().isEmpty()) {
            log.info("wrote {} missing or outdated credential files in {}", pki.written().size(), pki.dataDir());
        }
    }

    /**
     * Whether the node agent can run pods on {@code runtime}. Asked for docker without an engine, it is left out so the
     * rest of the platform still serves the API (pods then stay Pending: no node is registered); on auto it runs pods
     * as host processes instead (the process runtime), which the agent announces loudly.
     */
    private static boolean containerRuntimeReady(String runtime, String dockerHost) {
        if (runtime.equals("process") || runtime.equals("simulated")) {
            return true;
        }
        if (!DockerEngines.answers(dockerHost)) {
            if (runtime.equals("auto")) {
                log.warn("no Docker engine answers at {}: the node agent runs pods as host processes (process runtime, "
                        + "not isolated like containers; --runtime docker to leave the agent out instead)", dockerHost);
                return true;
            }
            log.warn("no container runtime is available at {}: pods will stay Pending (node agent not started)",
                    dockerHost);
            return false;
        }
        ensureBusybox(dockerHost);
        return true;
    }

    /** Makes {@code busybox:1.35} from the host's busybox when the engine lacks it (no registry is needed). */
    static void ensureBusybox(String dockerHost) {
        if (!Files.isExecutable(BUSYBOX)) {
            return;
        }
        try (DockerClient docker = DockerEngines.connect(dockerHost)) {
            docker.inspectImageCmd(BusyboxImageBuilder.IMAGE).exec();
        } catch (NotFoundException e) {
            long begin = System.nanoTime();
            BusyboxImageBuilder.build(dockerHost, BUSYBOX);
            log.info("built image {} from {} in {} (no registry needed)", BusyboxImageBuilder.IMAGE, BUSYBOX,
                    seconds(begin));
        } catch (IOException | RuntimeException e) {
            log.warn("could not check or build image {}: {}", BusyboxImageBuilder.IMAGE, reason(e));
        }
    }

    static SpringApplicationBuilder application(Component component, UpOptions options, ClusterPki pki,
            String dockerHost) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("spring.application.name", component.applicationName());
        // Watches are long-lived requests: a graceful stop would otherwise wait out Boot's 30 s for them.
        settings.put("spring.lifecycle.timeout-per-shutdown-phase", options.shutdownTimeout().toMillis() + "ms");
        List<String> excludes = new ArrayList<>();
        SpringApplicationBuilder builder;
        switch (component) {
            case API -> {
                builder = ApiServerApplication.builder()
                        .properties(ApiServerApplication.defaultProperties(pki.dataDir(), options.apiPort()));
                settings.put("server.port", options.apiPort());
                settings.put("server.address", options.bindAddress());
                // the address default/kubernetes' endpoints publish: where pods and agents reach this server
                settings.put("platform.api.kubernetes-service.advertise-address", options.reachableAddress());
                if (options.storeUrl() != null) {
                    settings.put("platform.api.storage.url", options.storeUrl());
                }
                if (options.identity()) {
                    trustIdentityProvider(settings, options, pki);
                }
                excludes.addAll(VAADIN);
                excludes.addAll(TOMCAT_REACTIVE);
            }
            case SCHEDULER -> {
                builder = new SpringApplicationBuilder(SchedulerApplication.class);
                settings.put("platform.scheduler.kubeconfig", pki.schedulerKubeconfig().toString());
                excludes.addAll(VAADIN);
                excludes.addAll(DATABASE);
            }
            case CONTROLLERS -> {
                builder = new SpringApplicationBuilder(ControllerManagerApplication.class);
                settings.put("platform.controllers.kubeconfig", pki.controllerManagerKubeconfig().toString());
                // the CSR signer signs with the cluster CA, re-read when a CA rotation replaces it
                settings.put("platform.controllers.certificates.signing-cert-file", pki.caCertificate().toString());
                settings.put("platform.controllers.certificates.signing-key-file", pki.caKey().toString());
                excludes.addAll(VAADIN);
                excludes.addAll(DATABASE);
            }
            case AGENT -> {
                builder = new SpringApplicationBuilder(NodeAgentApplication.class)
                        .properties(NodeAgentApplication.defaultProperties());
                settings.put("server.port", options.agentPort());
                settings.put("server.address", options.reachableAddress());
                settings.put("platform.agent.kubeconfig", pki.nodeAgentKubeconfig().toString());
                settings.put("platform.agent.node-name", options.nodeName());
                settings.put("platform.agent.address", options.reachableAddress());
                settings.put("platform.agent.cluster-id", pki.clusterId());
                settings.put("platform.agent.tls-cert", pki.nodeAgentCertificate().toString());
                settings.put("platform.agent.tls-key", pki.nodeAgentKey().toString());
                settings.put("platform.agent.client-ca", pki.caBundle().toString());
                // pod volumes in the data dir, one folder per node, where the Docker engine of this machine sees them
                settings.put("platform.agent.root-dir",
                        pki.dataDir().resolve("node-agent-" + options.nodeName()).toAbsolutePath().toString());
                settings.put("platform.agent.docker-host", dockerHost);
                settings.put("platform.agent.runtime", options.runtime());
                excludes.addAll(VAADIN);
                excludes.addAll(DATABASE);
                excludes.addAll(TOMCAT_REACTIVE);
            }
            case CONSOLE -> {
                builder = new SpringApplicationBuilder(ConsoleApplication.class)
                        .properties(ConsoleApplication.defaultProperties());
                settings.put("server.port", options.consolePort());
                settings.put("server.address", options.bindAddress());
                settings.put("platform.console.kubeconfig", pki.webConsoleKubeconfig().toString());
                excludes.addAll(DATABASE);
                excludes.addAll(SERVLET_SECURITY);
            }
            default -> throw new IllegalArgumentException("unknown component " + component);
        }
        return configured(builder, component, settings, excludes);
    }

    /**
     * A node agent alone (what {@code platform join} runs), with {@code settings} ({@code server.*},
     * {@code platform.agent.*}) and the launcher's usual exclusions.
     */
    static SpringApplicationBuilder nodeAgent(Map<String, Object> agentSettings, Duration shutdownTimeout) {
        Map<String, Object> settings = new HashMap<>(agentSettings);
        settings.put("spring.application.name", Component.AGENT.applicationName());
        settings.put("spring.lifecycle.timeout-per-shutdown-phase", shutdownTimeout.toMillis() + "ms");
        List<String> excludes = new ArrayList<>(VAADIN);
        excludes.addAll(DATABASE);
        excludes.addAll(TOMCAT_REACTIVE);
        return configured(new SpringApplicationBuilder(NodeAgentApplication.class)
                .properties(NodeAgentApplication.defaultProperties()), Component.AGENT, settings, excludes);
    }

    private static SpringApplicationBuilder configured(SpringApplicationBuilder builder, Component component,
            Map<String, Object> settings, List<String> excludes) {
        settings.put("spring.autoconfigure.exclude", String.join(",", excludes));
        MapPropertySource launcherSettings = new MapPropertySource("platform-launcher:" + component.flag(), settings);
        return builder
                .web(component.webType())
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                // One shutdown hook (the launcher's) stops the components in reverse order.
                .registerShutdownHook(false)
                // The launcher's settings win over any application.properties that shares the classpath.
                .initializers(context -> context.getEnvironment().getPropertySources().addFirst(launcherSettings));
    }

    /**
     * The API server trusts the built-in provider as any OIDC issuer (io.platform.api.auth.oidc): its
     * id_tokens for client {@code kubectl}, user = {@code preferred_username} without prefix (the platform
     * owns this issuer, so its users are plain {@code alice}), groups = {@code groups}, TLS through the CA.
     */
    static void trustIdentityProvider(Map<String, Object> settings, UpOptions options, ClusterPki pki) {
        String issuer = "platform.api.oidc.issuers[0].";
        settings.put(issuer + "issuer-url", options.identityIssuer());
        settings.put(issuer + "audiences[0]", IdentityProviderApplication.DEFAULT_CLIENT_ID);
        settings.put(issuer + "username-claim", "preferred_username");
        settings.put(issuer + "username-prefix", "-");
        settings.put(issuer + "groups-claim", "groups");
        settings.put(issuer + "ca-file", pki.caCertificate().toString());
    }

    /** The built-in OIDC provider: SERVLET on its own HTTPS port, serving certificate from the cluster CA. */
    static SpringApplicationBuilder identityProvider(UpOptions options) {
        Map<String, Object> settings = new HashMap<>(IdentityProviderApplication.properties(options.absoluteDataDir(),
                options.bindAddress(), options.identityPort(), options.identityIssuer()));
        settings.put("spring.lifecycle.timeout-per-shutdown-phase", options.shutdownTimeout().toMillis() + "ms");
        MapPropertySource launcherSettings = new MapPropertySource("platform-launcher:identity", settings);
        return IdentityProviderApplication.builder()
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .registerShutdownHook(false)
                .initializers(context -> context.getEnvironment().getPropertySources().addFirst(launcherSettings));
    }

    private static String where(Component component, UpOptions options) {
        return switch (component) {
            case API -> " on " + options.apiServerUrl();
            case CONSOLE -> " on " + options.consoleUrl();
            case AGENT -> " on https://" + options.reachableAddress() + ":" + options.agentPort() + " as node "
                    + options.nodeName();
            default -> "";
        };
    }

    static String seconds(long beginNanos) {
        return RunningPlatform.formatDuration(Duration.ofNanos(System.nanoTime() - beginNanos));
    }

    /** The most telling message of a failure chain: a port in use, else the deepest cause's message. */
    static String reason(Throwable failure) {
        Throwable deepest = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PortInUseException) {
                return t.getMessage();
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                deepest = t;
            }
        }
        String message = deepest.getMessage();
        return message == null || message.isBlank() ? deepest.getClass().getSimpleName() : message.strip();
    }

    /** {@code up} could not bring the platform up; the message is one line for the person at the terminal. */
    static final class LaunchException extends RuntimeException {

        LaunchException(String message) {
            super(message);
        }
    }
}
