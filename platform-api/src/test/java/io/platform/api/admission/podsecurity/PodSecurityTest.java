package io.platform.api.admission.podsecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.platform.api.admission.AdmissionHarness;
import io.platform.api.admission.AdmissionRequest;
import io.platform.api.admission.AdmissionRequest.Operation;
import io.platform.api.auth.AuthenticatedUser;
import io.platform.api.errors.ApiException;
import io.platform.api.json.Json;
import io.platform.api.registry.ResourceType;
import io.platform.api.resource.ManagedFieldsTracker;
import io.platform.api.resource.ObjectKeys;
import io.platform.api.resource.UpdateMode;
import io.platform.api.resource.WriteContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

class PodSecurityTest {

    private static final ResourceType NAMESPACES = AdmissionHarness.type("", "namespaces");
    private static final ResourceType PODS = AdmissionHarness.type("", "pods");
    private static final String PRIVILEGED_POD = "{'metadata':{'name':'x'},'spec':{'containers':[{'name':'c',"
            + "'image':'busybox','securityContext':{'privileged':true}}]}}";
    private static final String PLAIN_POD = "{'metadata':{'name':'p'},'spec':{'containers':[{'name':'c','image':'busybox'}]}}";
    private static final String RESTRICTED_POD = "{'metadata':{'name':'ok'},'spec':{'securityContext':{'runAsNonRoot':true,"
            + "'seccompProfile':{'type':'RuntimeDefault'}},'containers':[{'name':'c','image':'busybox',"
            + "'securityContext':{'allowPrivilegeEscalation':false,'capabilities':{'drop':['ALL'],'add':['NET_BIND_SERVICE']}}}],"
            + "'volumes':[{'name':'scratch','emptyDir':{}}]}}";
    private static final String PLAIN_RESTRICTED = "allowPrivilegeEscalation != false (container \"c\" must set "
            + "securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \"c\" must set "
            + "securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or container \"c\" must set "
            + "securityContext.runAsNonRoot=true), seccompProfile (pod or container \"c\" must set "
            + "securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";
    private static final String DEPLOYMENT = "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},"
            + "'spec':{'selector':{'matchLabels':{'a':'b'}},'template':{'metadata':{'labels':{'a':'b'}},"
            + "'spec':{'containers':[{'name':'c','image':'busybox','securityContext':{'privileged':true}}]}}}}";

    @TempDir
    Path dir;

    private AdmissionHarness harness;
    private PodSecurity plugin;

    private void open(PodSecurityProperties properties, PodSecurityEvaluator evaluator) {
        harness = new AdmissionHarness(dir, h -> {
            plugin = new PodSecurity(h.lookup, properties, h.clock, evaluator);
            return List.of(plugin);
        });
    }

    private void open() {
        open(PodSecurityProperties.unconfigured(), PodSecurityEvaluator.emulated());
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private static WriteContext context() {
        return WriteContext.of(AdmissionHarness.USER, new TreeMap<>());
    }

    private ObjectNode createPod(String namespace, String pod, WriteContext context) {
        return harness.create("pods", namespace, pod, context, false);
    }

    private ObjectNode createDeployment(String namespace, WriteContext context) {
        return harness.storage.create(AdmissionHarness.type("apps", "deployments"), namespace,
                AdmissionHarness.json(DEPLOYMENT), false, ManagedFieldsTracker.UNTRACKED, context);
    }

    /** Sets the namespace's labels through admission, as {@code kubectl label} does; returns its warnings. */
    private List<String> label(String namespace, String labelsJson) {
        WriteContext context = context();
        harness.storage.update(NAMESPACES, null, namespace, UpdateMode.MAIN, false, ns -> {
            Json.metadata(ns).set("labels", AdmissionHarness.json(labelsJson));
            return ns;
        }, ManagedFieldsTracker.UNTRACKED, context);
        return context.warnings();
    }

    private ObjectNode updatePod(String namespace, String name, WriteContext context, UnaryOperator<ObjectNode> change) {
        return harness.storage.update(PODS, namespace, name, UpdateMode.MAIN, false, change,
                ManagedFieldsTracker.UNTRACKED, context);
    }

    /** A namespace written straight to the store, as one labelled before PodSecurity validated labels would be. */
    private void storedNamespace(String name, String labelsJson) {
        ObjectNode namespace = AdmissionHarness.json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'" + name
                + "','uid':'u-" + name + "','labels':" + labelsJson + "},'spec':{'finalizers':['kubernetes']},"
                + "'status':{'phase':'Active'}}");
        harness.store.create(ObjectKeys.key(NAMESPACES, null, name), Json.bytes(namespace));
    }

    @Test
    void restrictedRefusesAPrivilegedPodListingBaselineReasonsFirstAndAnnotatesTheEnforcedPolicy() {
        open();
        harness.namespace("locked", "{'pod-security.kubernetes.io/enforce':'restricted'}");
        WriteContext context = context();
        assertThatThrownBy(() -> createPod("locked", PRIVILEGED_POD, context))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\": "
                            + "privileged (container \"c\" must not set securityContext.privileged=true), " + PLAIN_RESTRICTED);
                });
        // a refused pod keeps its audit annotations, and warns nothing on top
        assertThat(context.auditAnnotations()).containsExactly(
                Map.entry("pod-security.kubernetes.io/enforce-policy", "restricted:latest"));
        assertThat(context.warnings()).isEmpty();
        createPod("locked", RESTRICTED_POD, context());
    }

    @Test
    void baselineChecksHostAccessAndTheVersionLabelNamesTheLevel() {
        open();
        harness.namespace("base", "{'pod-security.kubernetes.io/enforce':'baseline',"
                + "'pod-security.kubernetes.io/enforce-version':'v1.32'}");
        assertThatThrownBy(() -> harness.create("pods", "base", "{'metadata':{'name':'h'},'spec':{'hostNetwork':true,"
                + "'hostPID':true,'containers':[{'name':'a','image':'busybox','ports':[{'containerPort':80,'hostPort':80}],"
                + "'securityContext':{'capabilities':{'add':['NET_ADMIN','CHOWN']}}},{'name':'b','image':'busybox',"
                + "'ports':[{'containerPort':81,'hostPort':8081}]}],'volumes':[{'name':'root','hostPath':{'path':'/'}}],"
                + "'securityContext':{'sysctls':[{'name':'kernel.msgmax','value':'1'}]}}}"))
                .hasMessage("pods \"h\" is forbidden: violates PodSecurity \"baseline:v1.32\": "
                        + "non-default capabilities (container \"a\" must not include \"NET_ADMIN\" in securityContext.capabilities.add), "
                        + "host namespaces (hostNetwork=true, hostPID=true), hostPath volumes (volume \"root\"), "
                        + "hostPort (containers \"a\", \"b\" use hostPorts 80, 8081), forbidden sysctls (kernel.msgmax)");
        // baseline allows what restricted would not
        harness.create("pods", "base", PLAIN_POD);
    }

    @Test
    void theWarnLevelAdmitsWithAWarningAndTheAuditLevelAnnotatesTheAuditEvent() {
        open();
        harness.namespace("watched", "{'pod-security.kubernetes.io/enforce':'baseline','pod-security.kubernetes.io/warn':'restricted',"
                + "'pod-security.kubernetes.io/audit':'restricted','pod-security.kubernetes.io/audit-version':'v1.30'}");
        WriteContext context = context();
        createPod("watched", PLAIN_POD, context);
        assertThat(context.warnings()).containsExactly("would violate PodSecurity \"restricted:latest\": " + PLAIN_RESTRICTED);
        assertThat(context.auditAnnotations()).containsExactly(
                Map.entry("pod-security.kubernetes.io/audit-violations",
                        "would violate PodSecurity \"restricted:v1.30\": " + PLAIN_RESTRICTED),
                Map.entry("pod-security.kubernetes.io/enforce-policy", "baseline:latest"));

        WriteContext compliant = context();
        createPod("watched", RESTRICTED_POD, compliant);
        assertThat(compliant.warnings()).isEmpty();
        assertThat(compliant.auditAnnotations()).containsOnlyKeys("pod-security.kubernetes.io/enforce-policy");

        harness.namespace("open", "{}");
        WriteContext privileged = context();
        createPod("open", PRIVILEGED_POD, privileged);
        assertThat(privileged.auditAnnotations()).containsExactly(
                Map.entry("pod-security.kubernetes.io/enforce-policy", "privileged:latest"));
    }

    @Test
    void workloadsAreOnlyWarnedAndAuditedNeverRefused() {
        open();
        harness.namespace("watched", "{'pod-security.kubernetes.io/enforce':'baseline','pod-security.kubernetes.io/warn':'restricted'}");
        WriteContext deployment = context();
        createDeployment("watched", deployment);
        // the template violates the enforce level too, but only warn and audit apply to workloads
        assertThat(deployment.warnings()).containsExactly("would violate PodSecurity \"restricted:latest\": privileged "
                + "(container \"c\" must not set securityContext.privileged=true), " + PLAIN_RESTRICTED);
        assertThat(deployment.auditAnnotations()).isEmpty();

        // an enforce level set alone is warned at too, as upstream defaults warn to a stricter enforce
        harness.namespace("strict", "{'pod-security.kubernetes.io/enforce':'baseline','pod-security.kubernetes.io/audit':'baseline'}");
        WriteContext strict = context();
        createDeployment("strict", strict);
        String baseline = "would violate PodSecurity \"baseline:latest\": privileged (container \"c\" must not set "
                + "securityContext.privileged=true)";
        assertThat(strict.warnings()).containsExactly(baseline);
        assertThat(strict.auditAnnotations()).containsExactly(Map.entry("pod-security.kubernetes.io/audit-violations", baseline));

        harness.namespace("open", "{'pod-security.kubernetes.io/enforce':'privileged'}");
        WriteContext open = context();
        createDeployment("open", open);
        assertThat(open.warnings()).isEmpty();

        ObjectNode cronJob = AdmissionHarness.json("{'apiVersion':'batch/v1','kind':'CronJob','metadata':{'name':'cj'},"
                + "'spec':{'schedule':'* * * * *','jobTemplate':{'spec':{'template':{'spec':{'restartPolicy':'Never',"
                + "'containers':[{'name':'c','image':'busybox','securityContext':{'privileged':true}}]}}}}}}");
        WriteContext cron = context();
        harness.storage.create(AdmissionHarness.type("batch", "cronjobs"), "strict", cronJob, false,
                ManagedFieldsTracker.UNTRACKED, cron);
        assertThat(cron.warnings()).containsExactly(baseline);
    }

    @Test
    void versionLabelsApplyTheChecksOfThatVersion() {
        open();
        // restricted before 1.19 had no seccomp fields to require, before 1.22 no capability drops,
        // before 1.23 no runAsUser check
        harness.namespace("old", "{'pod-security.kubernetes.io/enforce':'restricted','pod-security.kubernetes.io/enforce-version':'v1.18'}");
        String rootPod = "{'metadata':{'name':'root'},'spec':{'securityContext':{'runAsNonRoot':true,'runAsUser':0},"
                + "'containers':[{'name':'c','image':'busybox','securityContext':{'allowPrivilegeEscalation':false}}]}}";
        createPod("old", rootPod, context());
        label("old", "{'pod-security.kubernetes.io/enforce':'restricted','pod-security.kubernetes.io/enforce-version':'v1.22'}");
        assertThatThrownBy(() -> createPod("old", rootPod.replace("'root'", "'root2'"), context()))
                .hasMessage("pods \"root2\" is forbidden: violates PodSecurity \"restricted:v1.22\": "
                        + "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), "
                        + "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to "
                        + "\"RuntimeDefault\" or \"Localhost\")");
        label("old", "{'pod-security.kubernetes.io/enforce':'restricted','pod-security.kubernetes.io/enforce-version':'v1.23'}");
        assertThatThrownBy(() -> createPod("old", rootPod.replace("'root'", "'root3'"), context()))
                .hasMessageContaining("runAsUser=0 (pod must not set runAsUser=0)");

        // windows pods are spared Linux-only restricted checks from 1.25
        String windows = "{'metadata':{'name':'win'},'spec':{'os':{'name':'windows'},'securityContext':{'runAsNonRoot':true},"
                + "'containers':[{'name':'c','image':'busybox'}]}}";
        harness.namespace("win", "{'pod-security.kubernetes.io/enforce':'restricted','pod-security.kubernetes.io/enforce-version':'v1.24'}");
        assertThatThrownBy(() -> createPod("win", windows, context())).hasMessageContaining("allowPrivilegeEscalation != false");
        label("win", "{'pod-security.kubernetes.io/enforce':'restricted'}");
        createPod("win", windows, context());

        // a version newer than the server's is evaluated as its newest, and named as labelled
        harness.namespace("future", "{'pod-security.kubernetes.io/enforce':'baseline','pod-security.kubernetes.io/enforce-version':'v1.99'}");
        assertThatThrownBy(() -> createPod("future", PRIVILEGED_POD, context()))
                .hasMessageContaining("violates PodSecurity \"baseline:v1.99\": privileged");
    }

    @Test
    void invalidLabelsAreRefusedWhereTheyAreSetAndFailClosedWhereTheyAlreadyAre() {
        open();
        assertThatThrownBy(() -> harness.namespace("typo", "{'pod-security.kubernetes.io/enforce':'restrictive'}"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("Namespace \"typo\" is invalid: "
                            + "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"restrictive\": "
                            + "must be one of privileged, baseline, restricted");
                });
        harness.namespace("fine", "{}");
        assertThatThrownBy(() -> label("fine", "{'pod-security.kubernetes.io/warn-version':'1.30',"
                + "'pod-security.kubernetes.io/audit':'none'}"))
                .hasMessage("Namespace \"fine\" is invalid: [metadata.labels[pod-security.kubernetes.io/audit]: "
                        + "Invalid value: \"none\": must be one of privileged, baseline, restricted, "
                        + "metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: \"1.30\": "
                        + "must be \"latest\" or \"v1.x\"]");

        // written before labels were validated: the enforce level fails closed, and the labels may stay as they are
        storedNamespace("legacy", "{'pod-security.kubernetes.io/enforce':'restrictive'}");
        WriteContext context = context();
        assertThatThrownBy(() -> createPod("legacy", PRIVILEGED_POD, context))
                .hasMessageStartingWith("pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\"");
        assertThat(context.auditAnnotations()).containsEntry("pod-security.kubernetes.io/error",
                "Failed to parse policy: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "
                        + "\"restrictive\": must be one of privileged, baseline, restricted");
        assertThatCode(() -> label("legacy", "{'pod-security.kubernetes.io/enforce':'restrictive','team':'a'}"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> label("legacy", "{'pod-security.kubernetes.io/enforce':'strict'}"))
                .hasMessageContaining("Invalid value: \"strict\"");
    }

    @Test
    void exemptUsersNamespacesAndRuntimeClassesAreAnnotatedAndNotEvaluated() {
        PodSecurityProperties properties = new PodSecurityProperties(PodSecurityProperties.unconfigured().defaults(),
                new PodSecurityProperties.Exemptions(List.of("ci-bot"), List.of("kube-system"), List.of("kata")),
                Duration.ofSeconds(1), 3000);
        open(properties, PodSecurityEvaluator.emulated());
        String restricted = "{'pod-security.kubernetes.io/enforce':'restricted'}";
        harness.namespace("kube-system", restricted);
        harness.namespace("apps", restricted);

        WriteContext inExempt = context();
        createPod("kube-system", PRIVILEGED_POD, inExempt);
        assertThat(inExempt.auditAnnotations()).containsExactly(Map.entry("pod-security.kubernetes.io/exempt", "namespace"));
        WriteContext workload = context();
        createDeployment("kube-system", workload);
        assertThat(workload.warnings()).isEmpty();
        assertThat(workload.auditAnnotations()).containsExactly(Map.entry("pod-security.kubernetes.io/exempt", "namespace"));

        WriteContext bot = WriteContext.of(new AuthenticatedUser("ci-bot", List.of("system:authenticated")), new TreeMap<>());
        createPod("apps", PRIVILEGED_POD, bot);
        assertThat(bot.auditAnnotations()).containsExactly(Map.entry("pod-security.kubernetes.io/exempt", "user"));

        WriteContext kata = context();
        createPod("apps", PRIVILEGED_POD.replace("'x'", "'k'").replace("'spec':{", "'spec':{'runtimeClassName':'kata',"), kata);
        assertThat(kata.auditAnnotations()).containsExactly(Map.entry("pod-security.kubernetes.io/exempt", "runtimeClass"));
        assertThatThrownBy(() -> createPod("apps", PRIVILEGED_POD.replace("'x'", "'other'"), context()))
                .hasMessageContaining("violates PodSecurity");

        // labels on an exempt namespace change nothing, and the update says so
        assertThat(label("kube-system", "{'pod-security.kubernetes.io/enforce':'restricted',"
                + "'pod-security.kubernetes.io/enforce-version':'v1.30','pod-security.kubernetes.io/warn':'baseline'}"))
                .containsExactly("namespace \"kube-system\" is exempt from Pod Security, and the policy "
                        + "(enforce=restricted:v1.30, warn=baseline:latest) will be ignored");
    }

    @Test
    void configuredDefaultsApplyToNamespacesWithoutLabels() {
        PodSecurityProperties properties = new PodSecurityProperties(new PodSecurityProperties.Defaults("baseline", "v1.30",
                "restricted", "latest", "restricted", "latest"), PodSecurityProperties.unconfigured().exemptions(),
                Duration.ofSeconds(1), 3000);
        open(properties, PodSecurityEvaluator.emulated());
        harness.namespace("plain", "{}");
        assertThatThrownBy(() -> createPod("plain", PRIVILEGED_POD, context()))
                .hasMessage("pods \"x\" is forbidden: violates PodSecurity \"baseline:v1.30\": privileged "
                        + "(container \"c\" must not set securityContext.privileged=true)");
        WriteContext context = context();
        createPod("plain", PLAIN_POD, context);
        assertThat(context.warnings()).containsExactly("would violate PodSecurity \"restricted:latest\": " + PLAIN_RESTRICTED);
        // a label overrides its mode's default only
        harness.namespace("labelled", "{'pod-security.kubernetes.io/enforce':'privileged'}");
        WriteContext labelled = context();
        createPod("labelled", PRIVILEGED_POD, labelled);
        assertThat(labelled.warnings()).hasSize(1);
    }

    @Test
    void makingTheEnforceLevelStricterWarnsAboutTheExistingPodsThatViolateIt() {
        open();
        harness.namespace("busy", "{}");
        String owned = "{'metadata':{'name':'NAME','ownerReferences':[{'apiVersion':'apps/v1','kind':'ReplicaSet',"
                + "'name':'rs','uid':'rs-1','controller':true}]},'spec':{'containers':[{'name':'c','image':'busybox'}]}}";
        createPod("busy", owned.replace("NAME", "web-b"), context());
        createPod("busy", owned.replace("NAME", "web-a"), context());
        createPod("busy", PRIVILEGED_POD, context());
        createPod("busy", RESTRICTED_POD, context());

        assertThat(label("busy", "{'pod-security.kubernetes.io/enforce':'restricted'}")).containsExactly(
                "existing pods in namespace \"busy\" violate the new PodSecurity enforce level \"restricted:latest\"",
                "web-a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "
                        + "seccompProfile",
                "x: privileged, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, "
                        + "seccompProfile");
        // relaxing the level, or keeping it, checks nothing; the update itself always succeeds
        assertThat(label("busy", "{'pod-security.kubernetes.io/enforce':'baseline'}")).isEmpty();
        assertThat(label("busy", "{'pod-security.kubernetes.io/enforce':'baseline','team':'a'}")).isEmpty();
        assertThat(label("busy", "{'pod-security.kubernetes.io/enforce':'baseline',"
                + "'pod-security.kubernetes.io/enforce-version':'v1.30'}")).containsExactly(
                "existing pods in namespace \"busy\" violate the new PodSecurity enforce level \"baseline:v1.30\"",
                "x: privileged");
    }

    @Test
    void theCheckOfExistingPodsStopsAtItsPodLimitCheckingOnePodPerControllerFirst() {
        PodSecurityProperties properties = new PodSecurityProperties(PodSecurityProperties.unconfigured().defaults(),
                PodSecurityProperties.unconfigured().exemptions(), Duration.ofSeconds(1), 2);
        open(properties, PodSecurityEvaluator.emulated());
        harness.namespace("many", "{}");
        String owned = "{'metadata':{'name':'NAME','ownerReferences':[{'apiVersion':'apps/v1','kind':'ReplicaSet',"
                + "'name':'rs','uid':'rs-1','controller':true}]},'spec':{'containers':[{'name':'c','image':'busybox'}]}}";
        createPod("many", owned.replace("NAME", "a-1"), context());
        createPod("many", owned.replace("NAME", "a-2"), context());
        createPod("many", PRIVILEGED_POD.replace("'x'", "'z'"), context());
        assertThat(label("many", "{'pod-security.kubernetes.io/enforce':'baseline'}")).containsExactly(
                "new PodSecurity enforce level only checked against the first 2 of 3 existing pods",
                "existing pods in namespace \"many\" violate the new PodSecurity enforce level \"baseline:latest\"",
                "z: privileged");
    }

    @Test
    void podUpdatesAreEvaluatedOnlyWhenTheyChangeWhatTheChecksSee() {
        open();
        harness.namespace("tight", "{}");
        createPod("tight", PLAIN_POD, context());
        label("tight", "{'pod-security.kubernetes.io/enforce':'restricted'}");

        WriteContext relabel = context();
        updatePod("tight", "p", relabel, pod -> {
            Json.metadata(pod).putObject("labels").put("tier", "web");
            return pod;
        });
        assertThat(relabel.auditAnnotations()).isEmpty();
        assertThatThrownBy(() -> updatePod("tight", "p", context(), pod -> {
            ((ObjectNode) pod.path("spec").path("containers").get(0)).put("image", "busybox:1.36");
            return pod;
        })).hasMessageStartingWith("pods \"p\" is forbidden: violates PodSecurity \"restricted:latest\"");

        // an ephemeral container added through its subresource is evaluated; status writes never are
        ObjectNode stored = harness.lookup.live(PODS, "tight", "p").orElseThrow();
        ObjectNode debugged = stored.deepCopy();
        ((ObjectNode) debugged.path("spec")).putArray("ephemeralContainers")
                .add(AdmissionHarness.json("{'name':'debug','image':'busybox'}"));
        assertThatThrownBy(() -> plugin.validate(request(Operation.UPDATE, "ephemeralcontainers", debugged, stored)))
                .hasMessageContaining("containers \"c\", \"debug\" must set securityContext.allowPrivilegeEscalation=false");
        assertThatCode(() -> plugin.validate(request(Operation.UPDATE, "status", debugged, stored)))
                .doesNotThrowAnyException();
        assertThat(PodSecurity.significantUpdate(debugged, debugged)).isFalse();
    }

    private static AdmissionRequest request(Operation operation, String subresource, ObjectNode object, ObjectNode old) {
        return new AdmissionRequest(operation, PODS, subresource, "tight", object.path("metadata").path("name").asString(),
                object, old, AdmissionHarness.USER, false, new ArrayList<>());
    }
}
