package io.platform.e2e.kubectl;

import io.platform.api.testing.RunningApiServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One API server for every kubectl version's suite in the run (starting one costs seconds); the versions stay
 * independent through their own namespaces and version-suffixed cluster-scoped names. JUnit closes the server
 * when the whole run ends.
 */
final class SharedApiServer implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedApiServer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RunningApiServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(RunningApiServer.class, type -> RunningApiServer.start("node-a"), RunningApiServer.class);
    }
}
