package io.platform.api.strategy;

import io.platform.api.errors.StatusCause;
import io.platform.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jobs, as batch/v1: the server generates the selector from the job's uid unless {@code manualSelector} is set,
 * defaults parallelism, completions, backoffLimit, completionMode and podReplacementPolicy, and keeps the
 * selector, completions and (unless suspended) the template immutable.
 */
final class JobStrategy implements ResourceStrategy {

    static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
    static final String JOB_NAME = "batch.kubernetes.io/job-name";
    static final List<String> RESTART_POLICIES = List.of("OnFailure", "Never");

    @Override
    public void prepareForCreate(ObjectNode job) {
        job.set("status", Json.object());
        if (!job.path("spec").path("manualSelector").asBoolean(false)) {
            generateSelector(job);
        }
    }

    /** As upstream's generateSelector: template labels name the job and its uid; the selector matches the uid. */
    private static void generateSelector(ObjectNode job) {
        String uid = job.path("metadata").path("uid").asString("");
        String name = job.path("metadata").path("name").asString("");
        ObjectNode spec = Json.child(job, "spec");
        ObjectNode labels = Json.child(Json.child(Json.child(spec, "template"), "metadata"), "labels");
        labels.put(CONTROLLER_UID, uid);
        labels.put(JOB_NAME, name);
        // the legacy label names stay for selectors written before 1.27
        labels.put("controller-uid", uid);
        labels.put("job-name", name);
        if (!spec.has("selector")) {
            ObjectNode selector = Json.object();
            selector.putObject("matchLabels").put(CONTROLLER_UID, uid);
            spec.set("selector", selector);
        }
    }

    @Override
    public void applyDefaults(ObjectNode job) {
        ObjectNode spec = Json.child(job, "spec");
        if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
            spec.put("completions", 1);
        }
        Values.defaultNumber(spec, "parallelism", 1);
        Values.defaultNumber(spec, "backoffLimit", spec.hasNonNull("backoffLimitPerIndex") ? Integer.MAX_VALUE : 6);
        PodDefaults.putIfAbsent(spec, "completionMode", "NonIndexed");
        Values.defaultBoolean(spec, "suspend", false);
        PodDefaults.putIfAbsent(spec, "podReplacementPolicy",
                spec.hasNonNull("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
        JsonNode templateLabels = spec.path("template").path("metadata").path("labels");
        if (Values.missing(job.path("metadata"), "labels") && templateLabels.isObject() && !templateLabels.isEmpty()) {
            Json.metadata(job).set("labels", templateLabels.deepCopy());
        }
        PodDefaults.applyToTemplate(job);
    }

    @Override
    public boolean tracksGeneration() {
        return true;
    }

    @Override
    public List<StatusCause> validate(ObjectNode job) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = job.path("spec");
        validateSpec(spec, "spec", causes);
        if (!spec.path("manualSelector").asBoolean(false)) {
            String uid = job.path("metadata").path("uid").asString("");
            if (!spec.path("selector").path("matchLabels").path(CONTROLLER_UID).asString("").equals(uid)) {
                causes.add(StatusCause.invalid("spec.selector", SelectorRules.goSelector(spec.path("selector")),
                        "`selector` not auto-generated"));
            }
        }
        SelectorRules.matchTemplate(spec, "job", causes);
        return causes;
    }

    /** What a Job's spec and a CronJob's job template share. */
    static void validateSpec(JsonNode spec, String path, List<StatusCause> causes) {
        for (String field : List.of("parallelism", "completions", "backoffLimit")) {
            Values.nonNegative(spec, field, path + "." + field, causes);
        }
        JsonNode deadline = spec.path("activeDeadlineSeconds");
        if (deadline.isNumber() && deadline.asLong() <= 0) {
            causes.add(StatusCause.invalidNumber(path + ".activeDeadlineSeconds", deadline.asLong(),
                    "must be greater than 0"));
        }
        Values.supported(spec, "completionMode", path + ".completionMode", List.of("NonIndexed", "Indexed"), causes);
        Values.supported(spec, "podReplacementPolicy", path + ".podReplacementPolicy",
                List.of("Failed", "TerminatingOrFailed"), causes);
        if (spec.path("completionMode").asString("").equals("Indexed") && !spec.path("completions").isNumber()) {
            causes.add(StatusCause.required(path + ".completions", "when completion mode is Indexed"));
        }
        JsonNode podSpec = spec.path("template").path("spec");
        PodValidation.requireRestartPolicy(podSpec, path + ".template.spec.restartPolicy", RESTART_POLICIES, causes);
        PodValidation.validateSpec(podSpec, path + ".template.spec", causes);
    }

    @Override
    public List<StatusCause> validateUpdate(ObjectNode job, ObjectNode old) {
        List<StatusCause> causes = new ArrayList<>();
        JsonNode spec = job.path("spec");
        JsonNode oldSpec = old.path("spec");
        Values.immutable(spec.path("selector"), oldSpec.path("selector"), "spec.selector", causes);
        Values.immutable(spec.path("completionMode"), oldSpec.path("completionMode"), "spec.completionMode", causes);
        if (!spec.path("completionMode").asString("").equals("Indexed")) {
            Values.immutable(spec.path("completions"), oldSpec.path("completions"), "spec.completions", causes);
        }
        // upstream lets a suspended job's template change before it starts (e.g. by a queueing controller)
        if (!oldSpec.path("suspend").asBoolean(false) && !spec.path("template").equals(oldSpec.path("template"))) {
            causes.add(StatusCause.invalid("spec.template", "core.PodTemplateSpec", "field is immutable"));
        }
        return causes;
    }
}
