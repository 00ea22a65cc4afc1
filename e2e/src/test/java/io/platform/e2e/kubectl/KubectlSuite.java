package io.platform.e2e.kubectl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.platform.api.testing.RunningApiServer;
import io.platform.api.testing.BackgroundCommand;
import io.platform.api.testing.CommandResult;
import io.platform.api.testing.Kubectl;
import io.platform.e2e.kubectl.Fixtures.ObjectId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every kubectl verb of issue 3's list, run by one real kubectl minor version against the real API server. Each
 * version works in its own namespace ({@code kubectl-v1NN}) and suffixes its cluster-scoped names with its tag, so
 * the three versions share one server without seeing each other's objects. Assertions read what kubectl printed and
 * what the server stored, never only exit codes.
 */
@ExtendWith(SharedApiServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KubectlSuite {

    private static final Path KUBECTL_DIR = Path.of("/usr/lib/google-cloud-sdk/bin");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Served types no object can be made of (read-only metrics); only that {@code get} works is checked. */
    private static final Set<String> READ_ONLY_GROUPS = Set.of("metrics.k8s.io");

    private final String minor;
    private final String tag;
    private final String ns;
    private final Fixtures fixtures;
    private Path work;
    private Kubectl kubectl;
    /** The fixture objects, one or more of every served type, created in {@link #createFixtures}. */
    private List<ObjectId> fixtureObjects;
    private String selector;

    KubectlSuite(String minor) {
        this.minor = minor;
        this.tag = "v" + minor.replace(".", "");
        this.ns = "kubectl-" + tag;
        this.fixtures = new Fixtures(ns, tag);
    }

    @BeforeAll
    void createFixtures(RunningApiServer server) throws IOException {
        Path binary = KUBECTL_DIR.resolve("kubectl." + minor);
        assumeTrue(Files.isExecutable(binary), "kubectl " + minor + " is not installed at " + binary + ": skipping its suite");
        work = Files.createTempDirectory("kubectl-" + tag);
        kubectl = new Kubectl(binary, server.pki().adminKubeconfig(), work.resolve("cache"));
        selector = "kubectl-e2e=" + tag;

        assertThat(kubectl.ok("create", "namespace", ns)).isEqualTo("namespace/" + ns + " created\n");
        kubectl.ok("label", "namespace", ns, selector);
        Path folder = Files.createDirectories(work.resolve("types"));
        List<ObjectId> objects = new ArrayList<>(fixtures.writeFolder("types", folder));
        String created = kubectl.ok("create", "-f", folder.toString());
        for (ObjectId object : objects) {
            assertThat(created).contains(object.printedName() + " created\n");
        }
        objects.add(new ObjectId("", "Namespace", ns));
        fixtureObjects = List.copyOf(objects);
    }

    @AfterAll
    void removeWork() throws IOException {
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- discovery -------------------------------------------------------------------------------------------

    @Test
    void apiResourcesAndApiVersionsListEveryGroup() {
        String resources = kubectl.ok("api-resources");
        assertThat(resources.lines().map(KubectlSuite::squash))
                .contains("deployments deploy apps/v1 true Deployment",
                        "pods po v1 true Pod",
                        "namespaces ns v1 false Namespace",
                        "cronjobs cj batch/v1 true CronJob",
                        "horizontalpodautoscalers hpa autoscaling/v2 true HorizontalPodAutoscaler",
                        "certificatesigningrequests csr certificates.k8s.io/v1 false CertificateSigningRequest",
                        "ingresses ing networking.k8s.io/v1 true Ingress",
                        "poddisruptionbudgets pdb policy/v1 true PodDisruptionBudget",
                        "priorityclasses pc scheduling.k8s.io/v1 false PriorityClass",
                        "storageclasses sc storage.k8s.io/v1 false StorageClass",
                        "clusterroles rbac.authorization.k8s.io/v1 false ClusterRole",
                        "leases coordination.k8s.io/v1 true Lease",
                        "endpointslices discovery.k8s.io/v1 true EndpointSlice",
                        "events ev events.k8s.io/v1 true Event",
                        "apiservices apiregistration.k8s.io/v1 false APIService",
                        "validatingwebhookconfigurations admissionregistration.k8s.io/v1 false ValidatingWebhookConfiguration");

        assertThat(kubectl.ok("api-resources", "--api-group=apps", "-o", "name").lines().toList())
                .containsExactlyInAnyOrder("controllerrevisions.apps", "daemonsets.apps", "deployments.apps",
                        "replicasets.apps", "statefulsets.apps");
        assertThat(kubectl.ok("api-resources", "--namespaced=false", "-o", "name").lines())
                .contains("nodes", "namespaces", "persistentvolumes", "clusterroles.rbac.authorization.k8s.io")
                .doesNotContain("pods", "configmaps");
        String wide = kubectl.ok("api-resources", "-o", "wide", "--api-group=apps");
        assertThat(wide.lines().filter(line -> line.startsWith("deployments ")).map(KubectlSuite::squash))
                .containsExactly("deployments deploy apps/v1 true Deployment "
                        + "create,delete,deletecollection,get,list,patch,update,watch all");

        assertThat(kubectl.ok("api-versions").lines())
                .contains("v1", "apps/v1", "batch/v1", "autoscaling/v1", "autoscaling/v2", "networking.k8s.io/v1",
                        "policy/v1", "rbac.authorization.k8s.io/v1", "coordination.k8s.io/v1", "discovery.k8s.io/v1",
                        "events.k8s.io/v1", "scheduling.k8s.io/v1", "storage.k8s.io/v1", "certificates.k8s.io/v1",
                        "admissionregistration.k8s.io/v1", "apiregistration.k8s.io/v1");
    }

    @Test
    void explainDescribesNestedFields() {
        String probe = kubectl.ok("explain", "deployment.spec.template.spec.containers.livenessProbe");
        assertThat(probe)
                .containsPattern("GROUP: +apps\n").containsPattern("KIND: +Deployment\n").containsPattern("VERSION: +v1\n")
                .containsPattern("FIELD: +livenessProbe <Probe>")
                .contains("DESCRIPTION:", "Probe describes a health check to be performed against a container")
                .doesNotContain("<no description>")
                .containsPattern("(?m)^  httpGet\t<HTTPGetAction>$")
                .containsPattern("(?m)^  periodSeconds\t<integer>$");
        String schedule = kubectl.ok("explain", "cronjobs.spec.jobTemplate.spec.backoffLimit", "--api-version=batch/v1");
        assertThat(schedule).containsPattern("KIND: +CronJob\n").containsPattern("GROUP: +batch\n").containsPattern("FIELD: +backoffLimit <integer>");
        String recursive = kubectl.ok("explain", "networkpolicy.spec", "--recursive");
        assertThat(recursive).containsPattern("(?m)^  podSelector\t<LabelSelector> -required-$")
                .containsPattern("(?m)^    matchLabels\t<map\\[string\\]string>$")
                .containsPattern("(?m)^        cidr\t<string> -required-$");
    }

    // ---- reads of every served type ------------------------------------------------------------------------

    /** Every type {@code api-resources} lists as listable, as kubectl names them, with its printed prefix. */
    private Map<String, String> servedTypes() {
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : kubectl.ok("api-resources", "--verbs=list", "--no-headers").lines().toList()) {
            String[] cells = line.trim().split("\\s+");
            String apiVersion = cells[cells.length - 3];
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String resource = cells[0] + (group.isEmpty() ? "" : "." + group);
            types.put(resource, new ObjectId(group, cells[cells.length - 1], "").printedPrefix());
        }
        return types;
    }

    @Test
    void everyServedTypeHasAFixtureAndPrintsAsATable() {
        Map<String, String> served = servedTypes();
        Set<String> fixturePrefixes = fixtureObjects.stream().map(ObjectId::printedPrefix).collect(Collectors.toSet());
        served.forEach((resource, prefix) -> {
            if (!READ_ONLY_GROUPS.contains(resource.contains(".") ? resource.substring(resource.indexOf('.') + 1) : "")) {
                assertThat(fixturePrefixes).as("a fixture under kubectl/types for served type %s", resource).contains(prefix);
                assertThat(ServedTypes.columns(prefix)).as("expected columns in ServedTypes for %s", resource).isPresent();
            }
        });
        String types = String.join(",", served.keySet());

        for (boolean wide : List.of(false, true)) {
            List<String> args = new ArrayList<>(List.of("get", types, "-n", ns, "-l", selector));
            if (wide) {
                args.addAll(List.of("-o", "wide"));
            }
            List<KubectlTable> tables = KubectlTable.parseAll(kubectl.ok(args.toArray(String[]::new)));
            Set<String> seenRows = new HashSet<>();
            for (KubectlTable table : tables) {
                assertThat(table.rows()).as("rows of table %s", table.header()).isNotEmpty();
                if (table.columns().getFirst().equals("LAST SEEN")) {
                    assertThat(table.header()).isEqualTo(wide ? ServedTypes.EVENT_WIDE_COLUMNS : ServedTypes.EVENT_COLUMNS);
                    assertThat(table.rows()).extracting(row -> row.get("MESSAGE"))
                            .contains("an event written by the kubectl suite", "an events.k8s.io event written by the kubectl suite");
                    table.rows().forEach(row -> assertThat(row.get("OBJECT")).isEqualTo("pod/fixture"));
                    if (wide) {
                        table.rows().forEach(row -> seenRows.add(row.get("NAME")));
                    }
                    continue;
                }
                for (Map<String, String> row : table.rows()) {
                    String name = row.get("NAME");
                    String prefix = name.substring(0, name.indexOf('/'));
                    ServedTypes.Columns expected = ServedTypes.columns(prefix).orElseThrow(
                            () -> new AssertionError("no expected columns for " + prefix));
                    assertThat(table.header()).as("columns of %s%s", prefix, wide ? " -o wide" : "")
                            .isEqualTo(wide ? expected.wide() : expected.normal());
                    seenRows.add(name);
                }
            }
            Set<String> expectedRows = fixtureObjects.stream()
                    .filter(object -> wide || !object.kind().equals("Event"))
                    .map(ObjectId::printedName).collect(Collectors.toSet());
            assertThat(seenRows).as("rows of kubectl get%s", wide ? " -o wide" : "").containsAll(expectedRows);
        }
    }

    @Test
    void tableCellsMatchTheObjects() {
        Map<String, Map<String, String>> rows = new HashMap<>();
        String types = "cm,secret,svc,ep,po,deploy,cj,job,hpa,ing,pdb,sc,pc,rolebinding,rc,sts,ds,node,pv,lease,"
                + "endpointslices,csr,apiservices";
        for (KubectlTable table : KubectlTable.parseAll(kubectl.ok("get", types, "-n", ns, "-l", selector, "-o", "wide"))) {
            table.rows().forEach(row -> rows.put(row.get("NAME"), row));
        }
        assertThat(rows.get("configmap/fixture")).containsEntry("DATA", "1");
        assertThat(rows.get("secret/fixture")).containsEntry("TYPE", "Opaque").containsEntry("DATA", "1");
        assertThat(rows.get("service/fixture")).containsEntry("TYPE", "ClusterIP").containsEntry("PORT(S)", "80/TCP")
                .containsEntry("EXTERNAL-IP", "<none>").containsEntry("SELECTOR", "app=fixture");
        assertThat(rows.get("service/fixture").get("CLUSTER-IP")).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(rows.get("endpoints/fixture")).containsEntry("ENDPOINTS", "10.1.2.3:8080");
        assertThat(rows.get("pod/fixture")).containsEntry("READY", "0/1").containsEntry("STATUS", "Pending")
                .containsEntry("RESTARTS", "0").containsEntry("NODE", "<none>");
        assertThat(rows.get("deployment.apps/fixture")).containsEntry("READY", "0/0").containsEntry("CONTAINERS", "web")
                .containsEntry("IMAGES", "busybox:1.35").containsEntry("SELECTOR", "app=fixture-deploy");
        assertThat(rows.get("cronjob.batch/fixture")).containsEntry("SCHEDULE", "*/5 * * * *")
                .containsEntry("SUSPEND", "True").containsEntry("LAST SCHEDULE", "<none>");
        assertThat(rows.get("job.batch/fixture")).containsEntry("COMPLETIONS", "0/1").containsEntry("CONTAINERS", "work");
        assertThat(rows.get("horizontalpodautoscaler.autoscaling/fixture-v2"))
                .containsEntry("REFERENCE", "Deployment/fixture").containsEntry("MINPODS", "1").containsEntry("MAXPODS", "4");
        assertThat(rows.get("horizontalpodautoscaler.autoscaling/fixture-v1")).containsEntry("MINPODS", "2")
                .containsEntry("TARGETS", "cpu: <unknown>/60%");
        assertThat(rows.get("ingress.networking.k8s.io/fixture")).containsEntry("CLASS", "fixture-" + tag)
                .containsEntry("HOSTS", "fixture.example.com").containsEntry("PORTS", "80");
        assertThat(rows.get("poddisruptionbudget.policy/fixture")).containsEntry("MIN AVAILABLE", "1")
                .containsEntry("MAX UNAVAILABLE", "N/A");
        assertThat(rows.get("storageclass.storage.k8s.io/fixture-" + tag))
                .containsEntry("PROVISIONER", "example.com/no-provisioner").containsEntry("RECLAIMPOLICY", "Delete")
                .containsEntry("VOLUMEBINDINGMODE", "WaitForFirstConsumer");
        assertThat(rows.get("priorityclass.scheduling.k8s.io/fixture-" + tag)).containsEntry("VALUE", "1000")
                .containsEntry("GLOBAL-DEFAULT", "false").containsEntry("PREEMPTIONPOLICY", "PreemptLowerPriority");
        assertThat(rows.get("rolebinding.rbac.authorization.k8s.io/fixture")).containsEntry("ROLE", "Role/fixture")
                .containsEntry("USERS", "e2e-user").containsEntry("SERVICEACCOUNTS", ns + ":fixture");
        assertThat(rows.get("replicationcontroller/fixture")).containsEntry("DESIRED", "0")
                .containsEntry("SELECTOR", "app=fixture-rc");
        assertThat(rows.get("statefulset.apps/fixture")).containsEntry("READY", "0/0");
        assertThat(rows.get("daemonset.apps/fixture")).containsEntry("NODE SELECTOR", "kubectl-e2e=none");
        assertThat(rows.get("node/fixture-" + tag).get("STATUS")).contains("SchedulingDisabled");
        assertThat(rows.get("persistentvolume/fixture-" + tag)).containsEntry("CAPACITY", "1Gi")
                .containsEntry("ACCESS MODES", "RWO").containsEntry("RECLAIM POLICY", "Retain")
                .containsEntry("VOLUMEMODE", "Filesystem");
        assertThat(rows.get("lease.coordination.k8s.io/fixture")).containsEntry("HOLDER", "fixture-holder");
        assertThat(rows.get("endpointslice.discovery.k8s.io/fixture")).containsEntry("ADDRESSTYPE", "IPv4")
                .containsEntry("PORTS", "8080").containsEntry("ENDPOINTS", "10.1.2.3");
        assertThat(rows.get("certificatesigningrequest.certificates.k8s.io/fixture-" + tag))
                .containsEntry("SIGNERNAME", "example.com/kubectl-e2e").containsEntry("CONDITION", "Pending");
        assertThat(rows.get("apiservice.apiregistration.k8s.io/v1.fixture" + tag + ".example.com"))
                .containsEntry("SERVICE", ns + "/fixture");
    }

    @Test
    void everyServedTypeInEveryMachineReadableFormat() {
        String types = String.join(",", servedTypes().keySet());
        Set<ObjectId> expected = fixtureObjects.stream()
                .map(o -> new ObjectId(o.group(), o.kind(), o.name())).collect(Collectors.toSet());

        JsonNode list = JSON.readTree(kubectl.ok("get", types, "-n", ns, "-l", selector, "-o", "json"));
        assertThat(list.path("kind").asString()).isEqualTo("List");
        assertThat(ids(list)).containsAll(expected);

        JsonNode yamlList = Fixtures.YAML.readTree(kubectl.ok("get", types, "-n", ns, "-l", selector, "-o", "yaml"));
        assertThat(ids(yamlList)).containsAll(expected);
        yamlList.path("items").forEach(item -> assertThat(item.path("metadata").path("labels").path("kubectl-e2e")
                .asString()).as("label of %s", ObjectId.of(item)).isEqualTo(tag));

        assertThat(kubectl.ok("get", types, "-n", ns, "-l", selector, "-o", "name").lines())
                .containsAll(expected.stream().map(ObjectId::printedName).toList());

        String jsonpath = kubectl.ok("get", types, "-n", ns, "-l", selector, "-o",
                "jsonpath={range .items[*]}{.apiVersion}|{.kind}|{.metadata.name}{\"\\n\"}{end}");
        Set<ObjectId> fromJsonpath = jsonpath.lines().map(line -> line.split("\\|")).map(cells -> new ObjectId(
                cells[0].contains("/") ? cells[0].substring(0, cells[0].indexOf('/')) : "", cells[1], cells[2]))
                .collect(Collectors.toSet());
        assertThat(fromJsonpath).containsAll(expected);

        String columns = kubectl.ok("get", types, "-n", ns, "-l", selector, "-o",
                "custom-columns=KIND:.kind,NAME:.metadata.name,TAG:.metadata.labels.kubectl-e2e");
        Set<String> rows = new HashSet<>();
        for (KubectlTable table : KubectlTable.parseAll(columns)) {
            assertThat(table.header()).isEqualTo("KIND|NAME|TAG");
            table.rows().forEach(row -> rows.add(row.get("KIND") + " " + row.get("NAME") + " " + row.get("TAG")));
        }
        assertThat(rows).containsAll(expected.stream().map(o -> o.kind() + " " + o.name() + " " + tag).toList());

        // one stored HPA, served as autoscaling/v1 and v2
        assertThat(kubectl.ok("get", "horizontalpodautoscalers.v1.autoscaling", "fixture-v2", "-n", ns, "-o",
                "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage}")).isEqualTo("autoscaling/v1 70");
        assertThat(kubectl.ok("get", "horizontalpodautoscalers.v2.autoscaling", "fixture-v1", "-n", ns, "-o",
                "jsonpath={.apiVersion} {.spec.metrics[0].resource.target.averageUtilization}")).isEqualTo("autoscaling/v2 60");
    }

    private static Set<ObjectId> ids(JsonNode list) {
        Set<ObjectId> ids = new HashSet<>();
        list.path("items").forEach(item -> ids.add(ObjectId.of(item)));
        return ids;
    }

    @Test
    void describeShowsEveryFixture() {
        String described = kubectl.ok("describe", String.join(",", servedTypes().keySet()), "-n", ns, "-l", selector);
        for (ObjectId object : fixtureObjects) {
            assertThat(described).as("describe of %s", object).containsPattern("(?m)^Name:\\s+" + Pattern.quote(object.name()) + "$");
        }
        assertThat(described)
                .containsPattern("StrategyType:\\s+RollingUpdate")
                .containsPattern("RollingUpdateStrategy:\\s+25% max unavailable, 25% max surge")
                .containsPattern("Image:\\s+busybox:1.35")
                .containsPattern("TargetPort:\\s+8080/TCP")
                .containsPattern("password:\\s+6 bytes")
                .containsPattern("Unschedulable:\\s+true")
                .containsPattern("Schedule:\\s+\\*/5 \\* \\* \\* \\*")
                .containsPattern("Min available:\\s+1")
                .contains("greeting:\n----\nhello");
        String uid = jsonpath("pod/fixture", "{.metadata.uid}");
        // describe finds a pod's events by the pod's uid
        kubectl.run(Map.of(), """
                apiVersion: v1
                kind: Event
                metadata: {name: fixture-described, namespace: %s}
                involvedObject: {kind: Pod, name: fixture, namespace: %s, apiVersion: v1, uid: %s}
                reason: Testing
                message: an event written by the kubectl suite
                type: Normal
                source: {component: kubectl-e2e}
                count: 1
                """.formatted(ns, ns, uid), "create", "-f", "-").requireSuccess();
        String pod = kubectl.ok("describe", "pod", "fixture", "-n", ns);
        assertThat(pod).containsPattern("Status:\\s+Pending")
                .containsPattern("Normal\\s+Testing\\s+\\S+\\s+kubectl-e2e\\s+an event written by the kubectl suite");
    }

    // ---- writes --------------------------------------------------------------------------------------------

    @Test
    void createFromFileRefusesAnExistingObject() {
        CommandResult again = kubectl.run(Map.of(), fixtures.text("types/policy.yaml"), "create", "-f", "-");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("Error from server (AlreadyExists)",
                "poddisruptionbudgets.policy \"fixture\" already exists");
    }

    @Test
    void applyCreatesThenMergesStrategically() {
        String first = deployment("applied", """
                      - name: web
                        image: busybox:1.35
                        env: [{name: A, value: "1"}, {name: B, value: "2"}]
                      - name: sidecar
                        image: busybox:1.35
                """);
        assertThat(apply(first)).isEqualTo("deployment.apps/applied created\n");
        // a change no manifest knows about: the three-way merge must keep it
        kubectl.ok("patch", "deployment", "applied", "-n", ns, "--type=strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"env\":[{\"name\":\"FROM_PATCH\",\"value\":\"kept\"}]}]}}}}");
        String second = deployment("applied", """
                      - name: web
                        image: busybox:1.36
                        env: [{name: A, value: "1"}]
                      - name: logger
                        image: busybox:1.35
                """);
        assertThat(apply(second)).isEqualTo("deployment.apps/applied configured\n");
        assertThat(jsonpath("deployment/applied", "{.spec.template.spec.containers[*].name}")).isEqualTo("web logger");
        assertThat(jsonpath("deployment/applied", "{.spec.template.spec.containers[0].image}")).isEqualTo("busybox:1.36");
        assertThat(jsonpath("deployment/applied",
                "{range .spec.template.spec.containers[0].env[*]}{.name}={.value} {end}").trim().split(" "))
                .containsExactlyInAnyOrder("A=1", "FROM_PATCH=kept");
        assertThat(jsonpath("deployment/applied",
                "{.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}"))
                .contains("busybox:1.36", "logger").doesNotContain("sidecar");
        assertThat(jsonpath("deployment/applied", "{.metadata.generation}")).isEqualTo("3");
    }

    @Test
    void serverSideApplyConflictsUntilForced() {
        String alice = configMap("ssa", "a: \"1\"");
        assertThat(kubectl.run(Map.of(), alice, "apply", "--server-side", "--field-manager=alice", "-f", "-")
                .requireSuccess().stdout()).isEqualTo("configmap/ssa serverside-applied\n");
        String bob = configMap("ssa", "a: \"2\"\n  b: x");
        CommandResult conflict = kubectl.run(Map.of(), bob, "apply", "--server-side", "--field-manager=bob", "-f", "-");
        assertThat(conflict.exitCode()).isEqualTo(1);
        assertThat(conflict.stderr()).contains("Apply failed with 1 conflict", "conflict with \"alice\"", ".data.a");
        assertThat(jsonpath("configmap/ssa", "{.data}")).isEqualTo("{\"a\":\"1\"}");

        assertThat(kubectl.run(Map.of(), bob, "apply", "--server-side", "--field-manager=bob", "--force-conflicts", "-f", "-")
                .requireSuccess().stdout()).isEqualTo("configmap/ssa serverside-applied\n");
        assertThat(jsonpath("configmap/ssa", "{.data.a} {.data.b}")).isEqualTo("2 x");
        // bob took .data.a from alice; both still share the label they both applied
        assertThat(jsonpath("configmap/ssa", "{range .metadata.managedFields[*]}{.manager}:{.operation} {end}").trim())
                .isEqualTo("alice:Apply bob:Apply");
        assertThat(jsonpath("configmap/ssa", "{.metadata.managedFields[?(@.manager==\"alice\")].fieldsV1}"))
                .contains("f:scenario").doesNotContain("f:data");
        assertThat(kubectl.ok("get", "configmap", "ssa", "-n", ns, "-o", "yaml", "--show-managed-fields"))
                .contains("manager: bob", "f:a: {}", "f:b: {}");
    }

    @Test
    void replaceWritesTheWholeObjectAndRefusesAStaleOne() {
        kubectl.run(Map.of(), configMap("replaced", "a: \"1\""), "create", "-f", "-").requireSuccess();
        String stored = kubectl.ok("get", "configmap", "replaced", "-n", ns, "-o", "yaml");
        assertThat(stored).contains("resourceVersion:");
        String changed = stored.replace("a: \"1\"", "a: \"2\"");
        assertThat(changed).isNotEqualTo(stored);
        assertThat(kubectl.run(Map.of(), changed, "replace", "-f", "-").requireSuccess().stdout())
                .isEqualTo("configmap/replaced replaced\n");
        assertThat(jsonpath("configmap/replaced", "{.data.a}")).isEqualTo("2");

        CommandResult stale = kubectl.run(Map.of(), stored.replace("a: \"1\"", "a: \"3\""), "replace", "-f", "-");
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(stale.stderr()).contains("Operation cannot be fulfilled on configmaps \"replaced\"",
                "the object has been modified");
        assertThat(jsonpath("configmap/replaced", "{.data.a}")).isEqualTo("2");
    }

    @Test
    void editRunsTheEditorAndStoresItsChange() throws IOException {
        kubectl.run(Map.of(), configMap("edited", "color: blue"), "create", "-f", "-").requireSuccess();
        Path editor = work.resolve("edit-" + System.nanoTime() + ".sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/color: blue/color: green/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        CommandResult edit = kubectl.run(Map.of("KUBE_EDITOR", editor.toString(), "EDITOR", editor.toString()), null,
                "edit", "configmap", "edited", "-n", ns);
        assertThat(edit.requireSuccess().stdout()).isEqualTo("configmap/edited edited\n");
        assertThat(jsonpath("configmap/edited", "{.data.color}")).isEqualTo("green");

        CommandResult unchanged = kubectl.run(Map.of("KUBE_EDITOR", editor.toString()), null,
                "edit", "configmap", "edited", "-n", ns);
        assertThat(unchanged.requireSuccess().stderr() + unchanged.stdout()).contains("Edit cancelled, no changes made.");
    }

    @Test
    void patchInAllThreeTypes() {
        kubectl.run(Map.of(), configMap("patched", "a: \"1\"\n  b: \"2\""), "create", "-f", "-").requireSuccess();
        assertThat(kubectl.ok("patch", "configmap", "patched", "-n", ns, "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"10\"},{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]"))
                .isEqualTo("configmap/patched patched\n");
        assertThat(jsonpath("configmap/patched", "{.data}")).isEqualTo("{\"a\":\"10\",\"b\":\"2\",\"c\":\"3\"}");

        kubectl.ok("patch", "configmap", "patched", "-n", ns, "--type=merge", "-p", "{\"data\":{\"b\":null}}");
        assertThat(jsonpath("configmap/patched", "{.data}")).isEqualTo("{\"a\":\"10\",\"c\":\"3\"}");

        CommandResult failedTest = kubectl.run("patch", "configmap", "patched", "-n", ns, "--type=json", "-p",
                "[{\"op\":\"test\",\"path\":\"/data/a\",\"value\":\"nope\"},{\"op\":\"remove\",\"path\":\"/data/a\"}]");
        assertThat(failedTest.exitCode()).isEqualTo(1);
        assertThat(failedTest.stderr()).contains("test failed", "/data/a");
        assertThat(jsonpath("configmap/patched", "{.data.a}")).isEqualTo("10");

        kubectl.run(Map.of(), deployment("patched", """
                      - name: web
                        image: busybox:1.35
                      - name: side
                        image: busybox:1.35
                """), "create", "-f", "-").requireSuccess();
        assertThat(kubectl.ok("patch", "deployment", "patched", "-n", ns, "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"side\",\"image\":\"busybox:1.36\"}]}}}}"))
                .isEqualTo("deployment.apps/patched patched\n");
        assertThat(jsonpath("deployment/patched", "{range .spec.template.spec.containers[*]}{.name}={.image} {end}"))
                .isEqualTo("web=busybox:1.35 side=busybox:1.36 ");
        // the strategic $patch: delete directive removes one list item by its merge key
        kubectl.ok("patch", "deployment", "patched", "-n", ns, "--type=strategic", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"$patch\":\"delete\"}]}}}}");
        assertThat(jsonpath("deployment/patched", "{.spec.template.spec.containers[*].name}")).isEqualTo("side");
    }

    @Test
    void labelAndAnnotate() {
        kubectl.run(Map.of(), configMap("labelled", "a: \"1\"") + "---\n"
                + configMap("labelled-too", "a: \"1\"").replace("scenario: labelled-too", "scenario: labelled"),
                "create", "-f", "-").requireSuccess();
        assertThat(kubectl.ok("label", "configmap", "labelled", "-n", ns, "tier=backend"))
                .isEqualTo("configmap/labelled labeled\n");
        CommandResult noOverwrite = kubectl.run("label", "configmap", "labelled", "-n", ns, "tier=frontend");
        assertThat(noOverwrite.exitCode()).isEqualTo(1);
        assertThat(noOverwrite.stderr()).contains("'tier' already has a value (backend), and --overwrite is false");
        kubectl.ok("label", "configmap", "labelled", "-n", ns, "tier=frontend", "--overwrite");
        assertThat(jsonpath("configmap/labelled", "{.metadata.labels.tier}")).isEqualTo("frontend");
        kubectl.ok("label", "configmap", "labelled", "-n", ns, "tier-");
        assertThat(jsonpath("configmap/labelled", "{.metadata.labels}")).doesNotContain("tier");

        assertThat(kubectl.ok("label", "configmap", "-n", ns, "-l", "scenario=labelled", "team=a"))
                .contains("configmap/labelled labeled", "configmap/labelled-too labeled");
        assertThat(kubectl.ok("get", "configmap", "-n", ns, "-l", "team=a", "-o", "name").lines())
                .containsExactlyInAnyOrder("configmap/labelled", "configmap/labelled-too");

        assertThat(kubectl.ok("annotate", "configmap", "labelled", "-n", ns, "note=hello world"))
                .isEqualTo("configmap/labelled annotated\n");
        assertThat(jsonpath("configmap/labelled", "{.metadata.annotations.note}")).isEqualTo("hello world");
        kubectl.ok("annotate", "configmap", "labelled", "-n", ns, "note-");
        assertThat(jsonpath("configmap/labelled", "{.metadata.annotations}")).doesNotContain("note");
    }

    @Test
    void deleteWaitsForFinalizers() {
        kubectl.run(Map.of(), finalized("configmap", "held"), "create", "-f", "-").requireSuccess();
        assertThat(kubectl.ok("delete", "configmap", "held", "-n", ns, "--wait=false"))
                .isEqualTo("configmap \"held\" deleted\n");
        assertThat(jsonpath("configmap/held", "{.metadata.deletionTimestamp}")).isNotEmpty();
        assertThat(jsonpath("configmap/held", "{.metadata.finalizers}")).isEqualTo("[\"example.com/hold\"]");
        kubectl.ok("patch", "configmap", "held", "-n", ns, "--type=json", "-p",
                "[{\"op\":\"remove\",\"path\":\"/metadata/finalizers\"}]");
        await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "configmap", "held", "-n", ns).stderr())
                .contains("configmaps \"held\" not found"));
    }

    @Test
    void deleteRecordsTheCascadePolicy() {
        Map<String, String> finalizerByCascade = Map.of("orphan", "orphan", "foreground", "foregroundDeletion");
        for (String cascade : List.of("orphan", "foreground", "background")) {
            String name = "cascade-" + cascade;
            kubectl.run(Map.of(), finalized("deployment", name), "create", "-f", "-").requireSuccess();
            assertThat(kubectl.ok("delete", "deployment", name, "-n", ns, "--cascade=" + cascade, "--wait=false"))
                    .isEqualTo("deployment.apps \"" + name + "\" deleted\n");
            assertThat(jsonpath("deployment/" + name, "{.metadata.deletionTimestamp}")).isNotEmpty();
            List<String> stored = Arrays.asList(jsonpath("deployment/" + name, "{.metadata.finalizers[*]}").split(" "));
            if (finalizerByCascade.containsKey(cascade)) {
                assertThat(stored).as("finalizers after --cascade=%s", cascade)
                        .containsExactlyInAnyOrder("example.com/hold", finalizerByCascade.get(cascade));
            } else {
                assertThat(stored).as("finalizers after --cascade=background").containsExactly("example.com/hold");
            }
            kubectl.ok("patch", "deployment", name, "-n", ns, "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
            await().atMost(WAIT).untilAsserted(() -> assertThat(kubectl.run("get", "deployment", name, "-n", ns).stderr())
                    .contains("deployments.apps \"" + name + "\" not found"));
        }
    }

    @Test
    void waitForConditionsSetByOthers() {
        kubectl.run(Map.of(), fixtures.text("types/certificates.yaml").replace("name: fixture-", "name: waited-"),
                "create", "-f", "-").requireSuccess();
        String csr = "waited-" + tag;
        try (BackgroundCommand wait = kubectl.start("wait", "--for=condition=Approved", "csr/" + csr, "--timeout=30s")) {
            assertThat(kubectl.ok("certificate", "approve", csr))
                    .isEqualTo("certificatesigningrequest.certificates.k8s.io/" + csr + " approved\n");
            assertThat(wait.awaitExit(WAIT).requireSuccess().stdout())
                    .isEqualTo("certificatesigningrequest.certificates.k8s.io/" + csr + " condition met\n");
        }
        assertThat(kubectl.ok("get", "csr", csr, "-o", "jsonpath={.status.conditions[0].type}={.status.conditions[0].status}"))
                .isEqualTo("Approved=True");

        kubectl.run(Map.of(), """
                apiVersion: v1
                kind: Pod
                metadata: {name: waited, namespace: %s}
                spec:
                  containers: [{name: web, image: busybox:1.35}]
                """.formatted(ns), "create", "-f", "-").requireSuccess();
        try (BackgroundCommand wait = kubectl.start("wait", "--for=condition=Ready", "pod/waited", "-n", ns, "--timeout=30s")) {
            assertThat(kubectl.ok("patch", "pod", "waited", "-n", ns, "--subresource=status", "--type=merge", "-p",
                    "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}"))
                    .isEqualTo("pod/waited patched\n");
            assertThat(wait.awaitExit(WAIT).requireSuccess().stdout()).isEqualTo("pod/waited condition met\n");
        }
        CommandResult timedOut = kubectl.run("wait", "--for=condition=Initialized", "pod/waited", "-n", ns, "--timeout=1s");
        assertThat(timedOut.exitCode()).isEqualTo(1);
        assertThat(timedOut.stderr()).contains("timed out waiting for the condition on pods/waited");
    }

    @Test
    void diffExitsOneWithADifferenceAndZeroWithout() {
        String original = configMap("diffed", "a: \"1\"");
        assertThat(apply(original)).isEqualTo("configmap/diffed created\n");
        assertThat(apply(original)).isEqualTo("configmap/diffed unchanged\n");
        CommandResult same = kubectl.run(Map.of(), original, "diff", "-f", "-");
        assertThat(same.exitCode()).as("diff of an unchanged manifest: %s", same.stderr()).isZero();
        assertThat(same.stdout()).isEmpty();

        CommandResult changed = kubectl.run(Map.of(), configMap("diffed", "a: \"2\""), "diff", "-f", "-");
        assertThat(changed.exitCode()).as("diff of a changed manifest: %s", changed.stderr()).isEqualTo(1);
        // a server dry run answers the object at the stored resourceVersion, so only the change itself differs
        assertThat(changed.stdout()).containsPattern("(?m)^-  a: \"1\"$").containsPattern("(?m)^\\+  a: \"2\"$")
                .doesNotContain("managedFields", "resourceVersion");
        assertThat(jsonpath("configmap/diffed", "{.data.a}")).isEqualTo("1");
    }

    @Test
    void getWatchPrintsEveryChange() {
        try (BackgroundCommand watch = kubectl.start("get", "configmaps", "-n", ns, "-l", "scenario=watched", "-w",
                "--output-watch-events")) {
            // created before or after the watch starts, the object shows: kubectl lists first, then watches from there
            kubectl.run(Map.of(), configMap("watched", "a: \"1\""), "create", "-f", "-").requireSuccess();
            kubectl.ok("patch", "configmap", "watched", "-n", ns, "--type=merge", "-p", "{\"data\":{\"b\":\"2\"}}");
            kubectl.ok("delete", "configmap", "watched", "-n", ns);
            await().atMost(WAIT).untilAsserted(() -> assertThat(KubectlTable.parseAll(watch.stdout()).getFirst().rows())
                    .extracting(row -> row.get("EVENT") + " " + row.get("NAME") + " " + row.get("DATA"))
                    .containsExactly("ADDED watched 1", "MODIFIED watched 2", "DELETED watched 2"));
            assertThat(watch.isRunning()).isTrue();
        }
    }

    @Test
    void serverDryRunStoresNothing() {
        CommandResult created = kubectl.run(Map.of(), configMap("dry", "a: \"1\""), "create", "--dry-run=server", "-o",
                "jsonpath={.metadata.uid} {.metadata.creationTimestamp}", "-f", "-");
        assertThat(created.requireSuccess().stdout()).matches("[0-9a-f-]{36} \\S+Z");
        assertThat(kubectl.run("get", "configmap", "dry", "-n", ns).stderr()).contains("configmaps \"dry\" not found");
        assertThat(kubectl.run(Map.of(), configMap("dry", "a: \"1\""), "apply", "--dry-run=server", "-f", "-")
                .requireSuccess().stdout()).isEqualTo("configmap/dry created (server dry run)\n");
        assertThat(kubectl.run("get", "configmap", "dry", "-n", ns).stderr()).contains("configmaps \"dry\" not found");

        kubectl.run(Map.of(), configMap("dry", "a: \"1\""), "create", "-f", "-").requireSuccess();
        String version = jsonpath("configmap/dry", "{.metadata.resourceVersion}");
        assertThat(kubectl.ok("patch", "configmap", "dry", "-n", ns, "--dry-run=server", "--type=merge", "-p",
                "{\"data\":{\"a\":\"2\"}}", "-o", "jsonpath={.data.a}")).isEqualTo("2");
        assertThat(kubectl.ok("label", "configmap", "dry", "-n", ns, "dry=run", "--dry-run=server"))
                .isEqualTo("configmap/dry labeled (server dry run)\n");
        assertThat(kubectl.ok("delete", "configmap", "dry", "-n", ns, "--dry-run=server"))
                .isEqualTo("configmap \"dry\" deleted (server dry run)\n");
        assertThat(jsonpath("configmap/dry", "{.data.a} {.metadata.labels} {.metadata.resourceVersion}"))
                .isEqualTo("1 {\"scenario\":\"dry\"} " + version);
    }

    @Test
    void createGenerators() {
        List<String[]> commands = List.of(
                new String[] {"deployment", "gen-deploy", "--image=busybox:1.35", "--replicas=2", "--port=8080"},
                new String[] {"configmap", "gen-cm", "--from-literal=k=v"},
                new String[] {"secret", "generic", "gen-secret", "--from-literal=password=pw"},
                new String[] {"service", "clusterip", "gen-svc", "--tcp=80:8080"},
                new String[] {"job", "gen-job", "--image=busybox:1.35", "--", "true"},
                new String[] {"cronjob", "gen-cron", "--image=busybox:1.35", "--schedule=*/10 * * * *", "--", "true"},
                new String[] {"role", "gen-role", "--verb=get,list", "--resource=pods"},
                new String[] {"rolebinding", "gen-rb", "--role=gen-role", "--user=someone", "--serviceaccount=" + ns + ":default"},
                new String[] {"serviceaccount", "gen-sa"},
                new String[] {"quota", "gen-quota", "--hard=pods=10,cpu=4"},
                new String[] {"poddisruptionbudget", "gen-pdb", "--selector=app=gen", "--min-available=1"},
                new String[] {"ingress", "gen-ing", "--rule=gen.example.com/=gen-svc:80"});
        for (String[] command : commands) {
            List<String> args = new ArrayList<>(List.of("create", "-n", ns));
            args.addAll(List.of(command));
            assertThat(kubectl.ok(args.toArray(String[]::new))).endsWith(" created\n");
        }
        assertThat(kubectl.ok("create", "namespace", "gen-ns-" + tag)).isEqualTo("namespace/gen-ns-" + tag + " created\n");
        assertThat(kubectl.ok("create", "clusterrole", "gen-cr-" + tag, "--verb=get", "--resource=nodes"))
                .isEqualTo("clusterrole.rbac.authorization.k8s.io/gen-cr-" + tag + " created\n");
        assertThat(kubectl.ok("create", "priorityclass", "gen-pc-" + tag, "--value=100", "--description=generated"))
                .isEqualTo("priorityclass.scheduling.k8s.io/gen-pc-" + tag + " created\n");

        JsonNode deploy = get("deployment/gen-deploy");
        assertThat(deploy.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deploy.at("/spec/template/spec/containers/0/image").asString()).isEqualTo("busybox:1.35");
        assertThat(deploy.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(deploy.at("/spec/strategy/rollingUpdate/maxSurge").asString()).isEqualTo("25%");
        assertThat(deploy.at("/spec/selector/matchLabels/app").asString()).isEqualTo("gen-deploy");
        assertThat(get("configmap/gen-cm").at("/data/k").asString()).isEqualTo("v");
        assertThat(get("secret/gen-secret").at("/data/password").asString()).isEqualTo("cHc=");
        JsonNode svc = get("service/gen-svc");
        assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(80);
        assertThat(svc.at("/spec/ports/0/targetPort").asInt()).isEqualTo(8080);
        assertThat(svc.at("/spec/clusterIP").asString()).matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
        assertThat(get("job/gen-job").at("/spec/template/spec/containers/0/command/0").asString()).isEqualTo("true");
        assertThat(get("cronjob/gen-cron").at("/spec/schedule").asString()).isEqualTo("*/10 * * * *");
        assertThat(get("role/gen-role").at("/rules/0/verbs").toString()).isEqualTo("[\"get\",\"list\"]");
        JsonNode binding = get("rolebinding/gen-rb");
        assertThat(binding.at("/roleRef/name").asString()).isEqualTo("gen-role");
        assertThat(binding.at("/subjects").toString()).contains("someone", "\"ServiceAccount\"");
        assertThat(get("serviceaccount/gen-sa").at("/metadata/name").asString()).isEqualTo("gen-sa");
        assertThat(get("quota/gen-quota").at("/spec/hard/pods").asString()).isEqualTo("10");
        assertThat(get("pdb/gen-pdb").at("/spec/minAvailable").asInt()).isEqualTo(1);
        assertThat(get("ingress/gen-ing").at("/spec/rules/0/host").asString()).isEqualTo("gen.example.com");
        assertThat(get("ingress/gen-ing").at("/spec/rules/0/http/paths/0/backend/service/name").asString()).isEqualTo("gen-svc");
        assertThat(kubectl.ok("get", "namespace", "gen-ns-" + tag, "-o", "jsonpath={.status.phase}")).isEqualTo("Active");
        assertThat(kubectl.ok("get", "clusterrole", "gen-cr-" + tag, "-o", "jsonpath={.rules[0].resources[0]}")).isEqualTo("nodes");
        assertThat(kubectl.ok("get", "priorityclass", "gen-pc-" + tag, "-o", "jsonpath={.value} {.description}"))
                .isEqualTo("100 generated");
    }

    @Test
    void paginationInChunksOfTwo() {
        String tenConfigMaps = IntStream.range(0, 10).mapToObj(i -> """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: page-%02d, namespace: %s, labels: {scenario: paged}}
                data: {i: "%d"}
                """.formatted(i, ns, i)).collect(Collectors.joining("---\n"));
        kubectl.run(Map.of(), tenConfigMaps, "create", "-f", "-").requireSuccess();

        CommandResult paged = kubectl.run("get", "configmaps", "-n", ns, "-l", "scenario=paged", "--chunk-size=2",
                "-o", "name", "-v=6");
        assertThat(paged.requireSuccess().stdout().lines())
                .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "configmap/page-%02d".formatted(i)).toList());
        List<String> requests = paged.stderr().lines()
                // 1.30 and 1.32 log "GET https://...", 1.33 logs verb="GET" url="https://..."
                .filter(line -> line.contains("GET") && line.contains("/namespaces/" + ns + "/configmaps?"))
                .toList();
        assertThat(requests).as("list requests made: %s", paged.stderr()).hasSizeGreaterThanOrEqualTo(5)
                .allMatch(line -> line.contains("limit=2"));
        assertThat(requests.stream().filter(line -> line.contains("continue="))).hasSizeGreaterThanOrEqualTo(4);

        List<KubectlTable> table = KubectlTable.parseAll(kubectl.ok("get", "configmaps", "-n", ns, "-l", "scenario=paged",
                "--chunk-size=2"));
        assertThat(table.getFirst().rows()).extracting(row -> row.get("NAME"))
                .containsExactlyElementsOf(IntStream.range(0, 10).mapToObj(i -> "page-%02d".formatted(i)).toList());
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private String apply(String manifest) {
        return kubectl.run(Map.of(), manifest, "apply", "-f", "-").requireSuccess().stdout();
    }

    private String jsonpath(String object, String template) {
        return kubectl.ok("get", object, "-n", ns, "-o", "jsonpath=" + template);
    }

    private JsonNode get(String object) {
        return JSON.readTree(kubectl.ok("get", object, "-n", ns, "-o", "json"));
    }

    private String configMap(String name, String data) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: %s, namespace: %s, labels: {scenario: %s}}
                data:
                  %s
                """.formatted(name, ns, name, data);
    }

    private String deployment(String name, String containers) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: %s}
                spec:
                  replicas: 0
                  selector: {matchLabels: {app: %s}}
                  template:
                    metadata: {labels: {app: %s}}
                    spec:
                      containers:
                %s""".formatted(name, ns, name, name, containers);
    }

    /** A minimal object of {@code kind} carrying a finalizer nobody removes but the test. */
    private String finalized(String kind, String name) {
        return switch (kind) {
            case "configmap" -> """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: %s, namespace: %s, finalizers: [example.com/hold]}
                    data: {a: "1"}
                    """.formatted(name, ns);
            case "deployment" -> deployment(name, """
                          - name: web
                            image: busybox:1.35
                    """).replace("metadata: {name: " + name + ", namespace: " + ns + "}",
                    "metadata: {name: " + name + ", namespace: " + ns + ", finalizers: [example.com/hold]}");
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static String squash(String line) {
        return line.trim().replaceAll("\\s+", " ");
    }
}
