package io.platform.api.admission.podsecurity;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link PodSecurityProperties} for the {@link PodSecurity} plugin. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PodSecurityProperties.class)
class PodSecurityConfiguration {}
