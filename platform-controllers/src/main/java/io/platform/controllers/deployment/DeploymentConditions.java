package io.platform.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The Deployment's Available and Progressing conditions: their names, reasons, and upstream's rules for setting them. */
final class DeploymentConditions {

    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
    static final String TIMED_OUT = "ProgressDeadlineExceeded";
    static final String PAUSED = "DeploymentPaused";
    static final String RESUMED = "DeploymentResumed";

    private final Clock clock;

    DeploymentConditions(Clock clock) {
        this.clock = clock;
    }

    /** A condition updated and transitioned now (whole seconds, as the API's timestamps). */
    DeploymentCondition create(String type, String status, String reason, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastUpdateTime(now).withLastTransitionTime(now).build();
    }

    static @Nullable DeploymentCondition find(List<DeploymentCondition> conditions, String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** As upstream SetDeploymentCondition: same status and reason is no change; same status keeps the transition time. */
    static void set(List<DeploymentCondition> conditions, DeploymentCondition condition) {
        DeploymentCondition current = find(conditions, condition.getType());
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus())
                && Objects.equals(current.getReason(), condition.getReason())) {
            return;
        }
        if (current != null && Objects.equals(current.getStatus(), condition.getStatus())) {
            condition.setLastTransitionTime(current.getLastTransitionTime());
        }
        conditions.removeIf(c -> condition.getType().equals(c.getType()));
        conditions.add(condition);
    }
}
