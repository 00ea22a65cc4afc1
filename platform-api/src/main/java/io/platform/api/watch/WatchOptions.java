package io.platform.api.watch;

import io.platform.api.errors.ApiException;
import io.platform.api.errors.StatusCause;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Upstream's validation of the options of a watch (the WatchList feature on, as in 1.32):
 * {@code sendInitialEvents} needs {@code resourceVersionMatch=NotOlderThan}, and a match rule is
 * only allowed together with {@code sendInitialEvents}, never with {@code continue}.
 */
public final class WatchOptions {

    static final String NOT_OLDER_THAN = "NotOlderThan";

    private WatchOptions() {}

    /** @throws ApiException 422 Invalid when a list (not a watch) asks for initial events */
    public static void validateList(@Nullable String sendInitialEvents) {
        if (sendInitialEvents != null) {
            invalid(List.of(StatusCause.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list")));
        }
    }

    /** @throws ApiException 422 Invalid listing every violated rule */
    public static void validate(@Nullable Boolean sendInitialEvents, @Nullable String resourceVersionMatch,
            @Nullable String continueToken) {
        String match = resourceVersionMatch == null ? "" : resourceVersionMatch;
        List<StatusCause> causes = new ArrayList<>();
        if (sendInitialEvents != null && !match.equals(NOT_OLDER_THAN)) {
            causes.add(StatusCause.forbidden("resourceVersionMatch",
                    "sendInitialEvents requires setting resourceVersionMatch to " + NOT_OLDER_THAN));
        }
        if (!match.isEmpty()) {
            if (sendInitialEvents == null) {
                causes.add(StatusCause.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"));
            }
            if (!match.equals(NOT_OLDER_THAN)) {
                causes.add(StatusCause.notSupported("resourceVersionMatch", match, List.of(NOT_OLDER_THAN)));
            }
            if (continueToken != null && !continueToken.isEmpty()) {
                causes.add(StatusCause.forbidden("resourceVersionMatch",
                        "resourceVersionMatch is forbidden when continue is provided"));
            }
        }
        if (!causes.isEmpty()) {
            invalid(causes);
        }
    }

    private static void invalid(List<StatusCause> causes) {
        String message = causes.stream().map(StatusCause::describe).collect(Collectors.joining(", "));
        throw new ApiException(422, "Invalid", "ListOptions.meta.k8s.io \"\" is invalid: "
                + (causes.size() == 1 ? message : "[" + message + "]"), "", "meta.k8s.io", "ListOptions", causes);
    }

    /** The {@code sendInitialEvents} query parameter as Go's strconv.ParseBool reads it; null when absent. */
    public static @Nullable Boolean sendInitialEvents(@Nullable String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False", "" -> false;
            default -> throw ApiException.badRequest("sendInitialEvents must be true or false, got \"" + value + "\"");
        };
    }
}
