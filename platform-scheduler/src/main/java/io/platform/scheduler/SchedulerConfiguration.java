package io.platform.scheduler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.platform.common.client.KubeconfigClients;
import io.platform.common.events.EventRecorder;
import io.platform.common.reconcile.RunningLifecycle;
import io.platform.common.reconcile.SharedInformers;
import io.platform.scheduler.framework.Plugin;
import io.platform.scheduler.plugins.PluginRegistry;
import io.platform.scheduler.scheduling.Binder;
import io.platform.scheduler.scheduling.Scheduler;
import io.platform.scheduler.scheduling.SchedulingCycle;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SchedulerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    KubernetesClient schedulerClient(SchedulerProperties properties) {
        return KubeconfigClients.fromFile(Objects.requireNonNull(properties.kubeconfig(),
                "platform.scheduler.kubeconfig must point to the scheduler's kubeconfig"));
    }

    @Bean(destroyMethod = "close")
    EventRecorder schedulerEvents(KubernetesClient schedulerClient, Clock clock) {
        return new EventRecorder(schedulerClient, "default-scheduler", clock);
    }

    @Bean(destroyMethod = "")
    Scheduler scheduler(KubernetesClient schedulerClient, EventRecorder schedulerEvents, SchedulerProperties properties, Clock clock) {
        SharedInformers informers = new SharedInformers(schedulerClient, properties.resync());
        List<Plugin> plugins = PluginRegistry.defaultPlugins();
        SchedulingCycle cycle = new SchedulingCycle(schedulerClient, informers, schedulerEvents, new Binder(schedulerClient),
                PluginRegistry.filters(plugins), PluginRegistry.scorers(plugins), properties.schedulerName(), clock);
        return new Scheduler(informers, cycle, properties.initialBackoff(), properties.maxBackoff(), properties.shutdownTimeout());
    }

    /** Starts the scheduler with the context and stops it, and writes its last events, before the client closes. */
    @Bean
    SmartLifecycle schedulerLifecycle(Scheduler scheduler, EventRecorder schedulerEvents, SchedulerProperties properties) {
        return new RunningLifecycle(scheduler::start, () -> {
            scheduler.close();
            schedulerEvents.close(properties.shutdownTimeout());
        });
    }
}
