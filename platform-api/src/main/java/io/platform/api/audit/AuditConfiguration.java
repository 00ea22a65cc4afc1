package io.platform.api.audit;

import java.nio.file.Path;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.web.server.WebExceptionHandler;

/** The audit filter and, unless {@code platform.api.audit.path} is empty, the log it writes to. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
class AuditConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

    @Bean
    AuditFilter auditFilter(AuditProperties properties, Environment environment, Clock clock,
            ObjectProvider<WebExceptionHandler> exceptionHandlers) {
        AuditPolicy policy = properties.policyFile() == null ? AuditPolicy.defaultPolicy()
                : AuditPolicy.load(properties.policyFile());
        return new AuditFilter(policy, auditLog(properties, environment, clock), clock,
                (int) Math.min(Integer.MAX_VALUE, properties.maxBodySize().toBytes()),
                exceptionHandlers.orderedStream().toList());
    }

    @Bean
    AuditRequesterFilter auditRequesterFilter() {
        return new AuditRequesterFilter();
    }

    private static @Nullable AuditLog auditLog(AuditProperties properties, Environment environment, Clock clock) {
        String path = properties.path();
        if (path != null && path.isBlank()) {
            log.info("audit log off ({}.path is empty)", AuditProperties.PREFIX);
            return null;
        }
        if (AuditProperties.STANDARD_OUTPUT.equals(path)) {
            log.info("audit log to standard output");
            return AuditLog.toStandardOutput(properties.queueSize());
        }
        Path file = path != null ? Path.of(path)
                : Path.of(environment.getProperty("platform.api.data-dir", "./.platform"), AuditProperties.DEFAULT_FILE);
        log.info("audit log to {} (policy {}, rotated at {})", file.toAbsolutePath(),
                properties.policyFile() == null ? "default" : properties.policyFile(), properties.maxSize());
        return AuditLog.toFile(file, properties.maxSize().toBytes(), properties.maxBackups(), properties.maxAge(),
                properties.queueSize(), clock);
    }
}
