package io.platform.agent.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link RequiresRoot}: the effective uid of this JVM, from {@code /proc/self/status}. */
final class RootCondition implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return effectiveUid() == 0
                ? ConditionEvaluationResult.enabled("running as root")
                : ConditionEvaluationResult.disabled("not running as root (effective uid " + effectiveUid()
                        + "): network namespaces, bind mounts and cgroups need root; run the tests as root to include these");
    }

    private static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.split("\\s+")[2]);
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }
}
