package io.platform.api.table;

import io.kubernetes.client.openapi.models.V1CronJobSpec;
import io.kubernetes.client.openapi.models.V1CronJobStatus;
import io.kubernetes.client.openapi.models.V1JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** kube-apiserver's printers of batch/v1 jobs and cron jobs. */
final class BatchPrinters {

    private BatchPrinters() {}

    static void register(Map<String, Printer> printers) {
        printers.put("batch/jobs", jobs());
        printers.put("batch/cronjobs", cronJobs());
    }

    private static Printer jobs() {
        return new Printer(List.of(Column.name(0),
                Column.of("Status", "string", "Status of the job.", 0),
                Column.of("Completions", "string", "The completion status of the job.", 0),
                Column.of("Duration", "string", "Time required to complete the job.", 0),
                Column.age(), Column.containers(), Column.images(),
                Column.wide("Selector", V1JobSpec.class, "selector")),
                (job, now) -> List.of(Cells.name(job), jobStatus(job), completions(job), duration(job, now),
                        Cells.age(job, now), Cells.containerNames(job), Cells.containerImages(job),
                        LabelSelectors.formatOrNone(Json.at(job, "spec", "selector"))));
    }

    static String completions(JsonNode job) {
        long succeeded = Json.number(job, "status", "succeeded");
        if (Json.at(job, "spec", "completions").isNumber()) {
            return succeeded + "/" + Json.number(job, "spec", "completions");
        }
        long parallelism = Json.number(job, "spec", "parallelism");
        return parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }

    private static String duration(JsonNode job, Instant now) {
        Optional<Instant> start = Json.time(job, "status", "startTime");
        if (start.isEmpty()) {
            return "";
        }
        Instant end = Json.time(job, "status", "completionTime").orElse(now);
        return HumanDuration.format(Duration.between(start.get(), end));
    }

    /** As upstream's printJob: the first true condition in the order Complete, Failed, (deleting), Suspended, ... */
    static String jobStatus(JsonNode job) {
        if (hasCondition(job, "Complete")) {
            return "Complete";
        }
        if (hasCondition(job, "Failed")) {
            return "Failed";
        }
        if (Json.at(job, "metadata", "deletionTimestamp").isString()) {
            return "Terminating";
        }
        if (hasCondition(job, "Suspended")) {
            return "Suspended";
        }
        if (hasCondition(job, "FailureTarget")) {
            return "FailureTarget";
        }
        if (hasCondition(job, "SuccessCriteriaMet")) {
            return "SuccessCriteriaMet";
        }
        return "Running";
    }

    private static boolean hasCondition(JsonNode job, String type) {
        return Json.array(job, "status", "conditions").stream()
                .anyMatch(c -> Json.text(c, "type").equals(type) && Json.text(c, "status").equals("True"));
    }

    private static Printer cronJobs() {
        return new Printer(List.of(Column.name(0),
                Column.field("Schedule", V1CronJobSpec.class, "schedule"),
                Column.field("Timezone", V1CronJobSpec.class, "timeZone"),
                Column.of("Suspend", "boolean", Column.describe(V1CronJobSpec.class, "suspend"), 0),
                Column.of("Active", "integer", Column.describe(V1CronJobStatus.class, "active"), 0),
                Column.field("Last Schedule", V1CronJobStatus.class, "lastScheduleTime"),
                Column.age(), Column.containers(), Column.images(),
                Column.wide("Selector", V1JobSpec.class, "selector")),
                (cronJob, now) -> {
                    JsonNode suspend = Json.at(cronJob, "spec", "suspend");
                    Optional<Instant> last = Json.time(cronJob, "status", "lastScheduleTime");
                    String[] template = {"spec", "jobTemplate", "spec", "template"};
                    return List.of(Cells.name(cronJob), Json.text(cronJob, "spec", "schedule"),
                            Cells.orNone(Json.text(cronJob, "spec", "timeZone")),
                            suspend.isBoolean() ? (suspend.asBoolean() ? "True" : "False") : "<unset>",
                            (long) Json.size(cronJob, "status", "active"),
                            last.isPresent() ? Cells.since(last, now) : Cells.NONE, Cells.age(cronJob, now),
                            Cells.containerNames(cronJob, template), Cells.containerImages(cronJob, template),
                            LabelSelectors.formatOrNone(Json.at(cronJob, "spec", "jobTemplate", "spec", "selector")));
                });
    }
}
