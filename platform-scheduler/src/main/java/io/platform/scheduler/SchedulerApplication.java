package io.platform.scheduler;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The scheduler as its own Spring application; it serves no HTTP of its own. */
@SpringBootApplication
@EnableConfigurationProperties(SchedulerProperties.class)
public class SchedulerApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(SchedulerApplication.class).web(WebApplicationType.NONE).run(args);
    }
}
