package io.platform.controllers;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.reconcile.RunningLifecycle;
import java.time.Clock;
import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ControllerManagerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    KubernetesClient controllerManagerClient(ControllersProperties properties) {
        return KubeconfigClients.fromFile(Objects.requireNonNull(properties.kubeconfig(),
                "platform.controllers.kubeconfig must point to the controller manager's kubeconfig"));
    }

    @Bean(destroyMethod = "")
    ControllerManager controllerManager(KubernetesClient controllerManagerClient, ControllersProperties properties, Clock clock) {
        return new ControllerManager(controllerManagerClient, properties, clock);
    }

    /** Starts the controllers with the context and stops them before the client closes. */
    @Bean
    SmartLifecycle controllerManagerLifecycle(ControllerManager controllerManager) {
        return new RunningLifecycle(controllerManager::start, controllerManager::close);
    }
}
