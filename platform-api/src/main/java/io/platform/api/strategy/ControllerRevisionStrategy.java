package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** ControllerRevisions: a non-negative revision number and data that never changes once written. */
final class ControllerRevisionStrategy implements ResourceStrategy {

    @Override
    public List<StatusCause> validate(ObjectNode object) {
        List<StatusCause> causes = new ArrayList<>();
        Values.nonNegative(object, "revision", "revision", causes);
        return causes;
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode object, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        Values.immutable(object.path("data"), old.path("data"), "data", causes);
        return causes;
    }
}
