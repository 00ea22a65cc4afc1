package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** CronJobs, as batch/v1: concurrency and history defaults, a standard cron schedule, a valid job template. */
final class CronJobStrategy implements ResourceStrategy {

    /** Job names get an 11-character suffix (a dash and the scheduled minute), so cron job names stay short. */
    private static final int MAX_NAME_LENGTH = 52;
    private static final Set<String> MACROS =
            Set.of("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly");
    private static final List<String> MONTHS =
            List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

    @Override
    public void prepareForCreate(ObjectNode cronJob) {
        cronJob.set("status", Json.object());
    }

    @Override
    public void applyDefaults(ObjectNode cronJob) {
        ObjectNode spec = Json.child(cronJob, "spec");
        PodDefaults.putIfAbsent(spec, "concurrencyPolicy", "Allow");
        Values.defaultBoolean(spec, "suspend", false);
        Values.defaultNumber(spec, "successfulJobsHistoryLimit", 3);
        Values.defaultNumber(spec, "failedJobsHistoryLimit", 1);
        JsonNode template = spec.path("jobTemplate").path("spec").path("template");
        if (template instanceof ObjectNode t) {
            PodDefaults.applyToSpec(Json.child(t, "spec"));
        }
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<StatusCause> validate(ObjectNode cronJob) {
        List<StatusCause> causes = new ArrayList<>();
        String name = cronJob.path("metadata").path("name").asString("");
        if (name.length() > MAX_NAME_LENGTH) {
            causes.add(StatusCause.invalid("metadata.name", name, "must be no more than 52 characters"));
        }
        JsonNode spec = cronJob.path("spec");
        String schedule = spec.path("schedule").asString("");
        if (schedule.isEmpty()) {
            causes.add(StatusCause.required("spec.schedule", ""));
        } else if (schedule.contains("TZ")) {
            causes.add(StatusCause.invalid("spec.schedule", schedule,
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
        } else {
            scheduleProblem(schedule).ifPresent(problem ->
                    causes.add(StatusCause.invalid("spec.schedule", schedule, problem)));
        }
        Values.supported(spec, "concurrencyPolicy", "spec.concurrencyPolicy", List.of("Allow", "Forbid", "Replace"), causes);
        for (String field : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
            Values.nonNegative(spec, field, "spec." + field, causes);
        }
        String timeZone = spec.path("timeZone").asString("");
        if (!timeZone.isEmpty() && !validTimeZone(timeZone)) {
            causes.add(StatusCause.invalid("spec.timeZone", timeZone, "unknown time zone " + timeZone));
        }
        if (!spec.path("jobTemplate").isObject()) {
            causes.add(StatusCause.required("spec.jobTemplate", ""));
        } else {
            JobStrategy.validateSpec(spec.path("jobTemplate").path("spec"), "spec.jobTemplate.spec", causes);
        }
        return causes;
    }

    private static boolean validTimeZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** Why a standard five-field schedule (or a macro) does not parse, as robfig/cron's parser reports it. */
    static Optional<String> scheduleProblem(String schedule) {
        String trimmed = schedule.strip();
        if (trimmed.startsWith("@")) {
            return MACROS.contains(trimmed) || trimmed.startsWith("@every ")
                    ? Optional.empty()
                    : Optional.of("unrecognized descriptor: " + trimmed);
        }
        String[] fields = trimmed.split("\\s+");
        if (fields.length != 5) {
            return Optional.of("expected exactly 5 fields, found " + fields.length + ": " + trimmed);
        }
        int[][] bounds = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
        List<List<String>> names = List.of(List.of(), List.of(), List.of(), MONTHS, DAYS);
        for (int i = 0; i < 5; i++) {
            for (String part : fields[i].split(",", -1)) {
                if (!validPart(part, bounds[i][0], bounds[i][1], names.get(i), i == 3 ? 1 : 0)) {
                    return Optional.of("failed to parse int from " + part);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean validPart(String part, int min, int max, List<String> names, int nameOffset) {
        String range = part;
        int slash = part.indexOf('/');
        if (slash >= 0) {
            range = part.substring(0, slash);
            if (number(part.substring(slash + 1), names, nameOffset) < 1) {
                return false;
            }
        }
        if (range.equals("*") || range.equals("?")) {
            return true;
        }
        String[] ends = range.split("-", -1);
        if (ends.length > 2) {
            return false;
        }
        for (String end : ends) {
            int value = number(end, names, nameOffset);
            if (value < min || value > max) {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, List<String> names, int nameOffset) {
        int named = names.indexOf(text.toLowerCase(Locale.ROOT));
        if (named >= 0) {
            return named + nameOffset;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
