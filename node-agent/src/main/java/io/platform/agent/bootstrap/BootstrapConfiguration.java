package io.platform.agent.bootstrap;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@code platform.agent.bootstrap.*} for the bootstrap and rotation components of this package. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BootstrapProperties.class)
class BootstrapConfiguration {}
