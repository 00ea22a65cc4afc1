package io.platform.server;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.WebApplicationType;

/** The components {@code up} can start, in readiness order (as k3s: API first, console last). */
enum Component {
    API("api", "platform-api", WebApplicationType.REACTIVE),
    SCHEDULER("scheduler", "platform-scheduler", WebApplicationType.NONE),
    CONTROLLERS("controllers", "platform-controllers", WebApplicationType.NONE),
    AGENT("agent", "node-agent", WebApplicationType.REACTIVE),
    CONSOLE("console", "web-console", WebApplicationType.SERVLET);

    private final String flag;
    private final String applicationName;
    private final WebApplicationType webType;

    Component(String flag, String applicationName, WebApplicationType webType) {
        this.flag = flag;
        this.applicationName = applicationName;
        this.webType = webType;
    }

    String flag() {
        return flag;
    }

    String applicationName() {
        return applicationName;
    }

    WebApplicationType webType() {
        return webType;
    }

    static Set<Component> parseList(String list) {
        Set<Component> components = EnumSet.noneOf(Component.class);
        for (String name : list.split(",")) {
            String wanted = name.strip().toLowerCase(Locale.ROOT);
            if (wanted.isEmpty()) {
                continue;
            }
            components.add(Arrays.stream(values())
                    .filter(c -> c.flag.equals(wanted))
                    .findFirst()
                    .orElseThrow(() -> new UsageException("unknown component '" + name.strip() + "'; known: " + flags())));
        }
        if (components.isEmpty()) {
            throw new UsageException("--components needs at least one of " + flags());
        }
        return components;
    }

    static String flags() {
        return Arrays.stream(values()).map(Component::flag).collect(Collectors.joining(","));
    }
}
