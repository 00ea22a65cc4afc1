package io.platform.api.protobuf;

import com.sun.net.httpserver.HttpExchange;
import io.platform.api.testing.KubectlCaptureServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test-data generator (run by hand, not a test): captures the protobuf bodies real kubectl sends for
 * {@code kubectl create ...} and, beside each, what {@code --dry-run=client -o json} prints. The golden
 * files under {@code src/test/resources/protobuf/kubectl-1.32} were written by it.
 *
 * <p>Usage: {@code java -cp <test classpath> io.platform.api.protobuf.KubectlBodyCapture <kubectl> <output dir>}.
 * kubectl talks plain HTTP to a loopback server that answers {@code /version} (1.32) and minimal legacy
 * discovery; over HTTP kubectl sends no credentials. A temporary kubeconfig and cache dir keep it away
 * from {@code ~/.kube}.
 */
final class KubectlBodyCapture {

    /** Golden case name → the {@code kubectl create} arguments. */
    static final Map<String, List<String>> CASES = Map.ofEntries(
            Map.entry("deployment", List.of("create", "deployment", "web", "--image=busybox:1.35", "--replicas=2")),
            Map.entry("deployment-zero-replicas", List.of("create", "deployment", "idle", "--image=nginx:1.27",
                    "--replicas=0", "--port=8080", "--", "nginx", "-g", "daemon off;")),
            Map.entry("namespace", List.of("create", "namespace", "x")),
            Map.entry("configmap", List.of("create", "configmap", "c", "--from-literal=a=b")),
            Map.entry("secret", List.of("create", "secret", "generic", "s", "--from-literal=k=v")),
            Map.entry("secret-docker-registry", List.of("create", "secret", "docker-registry", "reg",
                    "--docker-server=registry.example", "--docker-username=u", "--docker-password=p")),
            Map.entry("service-clusterip", List.of("create", "service", "clusterip", "sv", "--tcp=80:8080")),
            Map.entry("service-headless", List.of("create", "service", "clusterip", "hl", "--clusterip=None", "--tcp=53:dns")),
            Map.entry("service-nodeport", List.of("create", "service", "nodeport", "np", "--tcp=80:8080", "--node-port=30080")),
            Map.entry("service-externalname", List.of("create", "service", "externalname", "ex", "--external-name=example.com")),
            Map.entry("serviceaccount", List.of("create", "serviceaccount", "sa")),
            Map.entry("job", List.of("create", "job", "j", "--image=busybox:1.35", "--", "sh", "-c", "echo hi")),
            Map.entry("cronjob", List.of("create", "cronjob", "cj", "--image=busybox:1.35", "--schedule=*/5 * * * *",
                    "--restart=Never", "--", "date")),
            Map.entry("role", List.of("create", "role", "r", "--verb=get,list", "--resource=pods,deployments.apps",
                    "--resource-name=web")),
            Map.entry("clusterrole", List.of("create", "clusterrole", "cr", "--verb=get", "--resource=nodes",
                    "--non-resource-url=/healthz")),
            Map.entry("rolebinding", List.of("create", "rolebinding", "rb", "--role=r", "--user=alice",
                    "--group=devs", "--serviceaccount=default:sa")),
            Map.entry("clusterrolebinding", List.of("create", "clusterrolebinding", "crb", "--clusterrole=cr",
                    "--user=alice", "--serviceaccount=default:sa")),
            Map.entry("poddisruptionbudget", List.of("create", "poddisruptionbudget", "pdb", "--selector=app=web",
                    "--min-available=1")),
            Map.entry("poddisruptionbudget-percent", List.of("create", "poddisruptionbudget", "pdbp",
                    "--selector=app=web", "--max-unavailable=50%")),
            Map.entry("priorityclass", List.of("create", "priorityclass", "high", "--value=1000",
                    "--description=important", "--preemption-policy=Never")),
            Map.entry("ingress", List.of("create", "ingress", "web", "--class=default",
                    "--rule=foo.com/bar=svc1:8080,tls=my-cert", "--default-backend=defaultsvc:http")),
            Map.entry("quota", List.of("create", "quota", "q", "--hard=cpu=1,memory=1G,pods=2", "--scopes=BestEffort")));

    private static final String VERSION = """
            {"major":"1","minor":"32","gitVersion":"v1.32.4","gitCommit":"0","gitTreeState":"clean",
             "buildDate":"2025-04-22T00:00:00Z","goVersion":"go1.23.6","compiler":"gc","platform":"linux/amd64"}""";
    private static final String CORE_VERSIONS = """
            {"kind":"APIVersions","versions":["v1"],
             "serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""";
    private static final String GROUPS = """
            {"kind":"APIGroupList","apiVersion":"v1","groups":[
             {"name":"apps","versions":[{"groupVersion":"apps/v1","version":"v1"}],
              "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}},
             {"name":"batch","versions":[{"groupVersion":"batch/v1","version":"v1"}],
              "preferredVersion":{"groupVersion":"batch/v1","version":"v1"}},
             {"name":"networking.k8s.io","versions":[{"groupVersion":"networking.k8s.io/v1","version":"v1"}],
              "preferredVersion":{"groupVersion":"networking.k8s.io/v1","version":"v1"}},
             {"name":"policy","versions":[{"groupVersion":"policy/v1","version":"v1"}],
              "preferredVersion":{"groupVersion":"policy/v1","version":"v1"}},
             {"name":"rbac.authorization.k8s.io","versions":[{"groupVersion":"rbac.authorization.k8s.io/v1","version":"v1"}],
              "preferredVersion":{"groupVersion":"rbac.authorization.k8s.io/v1","version":"v1"}},
             {"name":"scheduling.k8s.io","versions":[{"groupVersion":"scheduling.k8s.io/v1","version":"v1"}],
              "preferredVersion":{"groupVersion":"scheduling.k8s.io/v1","version":"v1"}}]}""";

    private final AtomicReference<byte[]> captured = new AtomicReference<>();
    private final AtomicReference<byte[]> reply = new AtomicReference<>(new byte[0]);

    public static void main(String[] args) throws Exception {
        Path kubectl = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        new KubectlBodyCapture().run(kubectl, out);
    }

    private void run(Path kubectl, Path out) throws Exception {
        try (KubectlCaptureServer server = KubectlCaptureServer.start(this::handle)) {
            for (Map.Entry<String, List<String>> entry : CASES.entrySet()) {
                List<String> base = server.kubectl(kubectl);
                byte[] dryRun = kubectl(concat(base, withDryRun(entry.getValue())));
                Files.write(out.resolve(entry.getKey() + ".json"), dryRun);
                captured.set(null);
                reply.set(dryRun);
                kubectl(concat(base, entry.getValue()));
                byte[] body = captured.get();
                if (body == null) {
                    throw new IllegalStateException("kubectl sent no body for " + entry.getKey());
                }
                Files.write(out.resolve(entry.getKey() + ".pb"), body);
            }
        }
    }

    private static List<String> withDryRun(List<String> args) {
        List<String> result = new ArrayList<>();
        int separator = args.indexOf("--");
        List<String> flags = separator < 0 ? args : args.subList(0, separator);
        result.addAll(flags);
        result.addAll(List.of("--dry-run=client", "-o", "json"));
        if (separator >= 0) {
            result.addAll(args.subList(separator, args.size()));
        }
        return result;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static byte[] kubectl(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] stdout = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("kubectl did not finish: " + command);
        }
        return stdout;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("POST".equals(exchange.getRequestMethod())) {
            captured.set(exchange.getRequestBody().readAllBytes());
            send(exchange, 201, reply.get());
            return;
        }
        String body = switch (path) {
            case "/version" -> VERSION;
            case "/api" -> CORE_VERSIONS;
            case "/apis" -> GROUPS;
            case "/api/v1" -> resources("v1", List.of(
                    "namespaces:Namespace:false", "configmaps:ConfigMap:true", "secrets:Secret:true",
                    "services:Service:true", "serviceaccounts:ServiceAccount:true", "pods:Pod:true",
                    "nodes:Node:false", "resourcequotas:ResourceQuota:true"));
            case "/apis/apps/v1" -> resources("apps/v1", List.of("deployments:Deployment:true"));
            case "/apis/batch/v1" -> resources("batch/v1", List.of("jobs:Job:true", "cronjobs:CronJob:true"));
            case "/apis/networking.k8s.io/v1" -> resources("networking.k8s.io/v1", List.of("ingresses:Ingress:true"));
            case "/apis/policy/v1" -> resources("policy/v1", List.of("poddisruptionbudgets:PodDisruptionBudget:true"));
            case "/apis/rbac.authorization.k8s.io/v1" -> resources("rbac.authorization.k8s.io/v1", List.of(
                    "roles:Role:true", "clusterroles:ClusterRole:false", "rolebindings:RoleBinding:true",
                    "clusterrolebindings:ClusterRoleBinding:false"));
            case "/apis/scheduling.k8s.io/v1" -> resources("scheduling.k8s.io/v1", List.of("priorityclasses:PriorityClass:false"));
            default -> null;
        };
        if (body == null) {
            send(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":404}"
                    .getBytes(StandardCharsets.UTF_8));
        } else {
            send(exchange, 200, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String resources(String groupVersion, List<String> rows) {
        List<String> resources = new ArrayList<>();
        for (String row : rows) {
            String[] parts = row.split(":");
            resources.add("""
                    {"name":"%s","singularName":"","namespaced":%s,"kind":"%s",
                     "verbs":["create","delete","get","list","patch","update","watch"]}""".formatted(parts[0], parts[2], parts[1]));
        }
        return "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + groupVersion
                + "\",\"resources\":[" + String.join(",", resources) + "]}";
    }

    private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }
}
