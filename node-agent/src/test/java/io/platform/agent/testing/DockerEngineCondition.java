package io.platform.agent.testing;

import io.platform.agent.docker.DockerEngines;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link RequiresDockerEngine}: one ping per test run, remembered in the root
 * store; the reason is also printed once, since Maven's summary shows only the skipped count.
 */
final class DockerEngineCondition implements ExecutionCondition {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DockerEngineCondition.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String host = DockerTestEngine.host();
        boolean answers = context.getRoot().getStore(NAMESPACE).computeIfAbsent(host, DockerEngineCondition::ping, Boolean.class);
        return answers
                ? ConditionEvaluationResult.enabled("a Docker engine answers at " + host)
                : ConditionEvaluationResult.disabled(reason(host));
    }

    private static boolean ping(String host) {
        boolean answers = DockerEngines.answers(host);
        if (!answers) {
            System.err.println("[SKIPPED] Docker tests: " + reason(host));
        }
        return answers;
    }

    private static String reason(String host) {
        return "no Docker engine answers at " + host + " (set DOCKER_HOST to a running engine to run the tests that need one)";
    }
}
