package io.platform.controllers;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The controller manager as its own Spring application; it serves no HTTP of its own. */
@SpringBootApplication
@EnableConfigurationProperties(ControllersProperties.class)
public class ControllerManagerApplication {

    public static void main(String[] args) {
        new SpringApplicationBuilder(ControllerManagerApplication.class).web(WebApplicationType.NONE).run(args);
    }
}
