package io.platform.api.patch;

import com.sun.net.httpserver.HttpExchange;
import io.platform.api.testing.KubectlCaptureServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test-data generator (run by hand, not a test): records the strategic merge patch real kubectl computes for
 * a client-side {@code kubectl apply}, for {@code src/test/resources/patch/kubectl-apply}.
 *
 * <p>Step 1 applies {@code applied-before.yaml} to an empty loopback server (GET answers 404) and keeps
 * kubectl's POST body, whose {@code last-applied-configuration} annotation is copied into
 * {@code live.json}. Step 2 serves that live object and applies {@code applied-after.yaml}; the PATCH body
 * kubectl sends is written to {@code patch.json}. Usage:
 * {@code java -cp <test classpath> io.platform.api.patch.KubectlApplyCapture <kubectl> <resource dir>}.
 */
final class KubectlApplyCapture {

    private static final String ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
    private static final String DEPLOYMENT = "/apis/apps/v1/namespaces/default/deployments/web";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final AtomicReference<byte[]> live = new AtomicReference<>();
    private final AtomicReference<byte[]> captured = new AtomicReference<>();
    private final AtomicReference<String> capturedType = new AtomicReference<>();

    public static void main(String[] args) throws Exception {
        new KubectlApplyCapture().run(Path.of(args[0]), Path.of(args[1]));
    }

    private void run(Path kubectl, Path dir) throws Exception {
        try (KubectlCaptureServer server = KubectlCaptureServer.start(this::handle)) {
            List<String> base = new java.util.ArrayList<>(server.kubectl(kubectl));
            base.addAll(List.of("apply", "--validate=false", "-f"));

            kubectl(base, dir.resolve("applied-before.yaml"));
            ObjectNode created = (ObjectNode) JSON.readTree(captured.get());
            ObjectNode liveObject = (ObjectNode) JSON.readTree(dir.resolve("live.json").toFile());
            ((ObjectNode) liveObject.at("/metadata/annotations")).put(ANNOTATION, created.at("/metadata/annotations")
                    .get(ANNOTATION).stringValue());
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("live.json").toFile(), liveObject);

            live.set(JSON.writeValueAsBytes(liveObject));
            kubectl(base, dir.resolve("applied-after.yaml"));
            if (!"application/strategic-merge-patch+json".equals(capturedType.get())) {
                throw new IllegalStateException("kubectl sent " + capturedType.get() + ", not a strategic merge patch");
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("patch.json").toFile(), JSON.readTree(captured.get()));
        }
    }

    private static void kubectl(List<String> base, Path manifest) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(base);
        command.add(manifest.toString());
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("kubectl did not finish: " + command);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (method.equals("POST") || method.equals("PATCH")) {
            captured.set(exchange.getRequestBody().readAllBytes());
            capturedType.set(exchange.getRequestHeaders().getFirst("Content-Type"));
            send(exchange, method.equals("POST") ? 201 : 200, captured.get().length > 0 && method.equals("POST")
                    ? captured.get() : live.get());
            return;
        }
        switch (path) {
            case "/version" -> send(exchange, 200, """
                    {"major":"1","minor":"32","gitVersion":"v1.32.4","platform":"linux/amd64"}""");
            case "/api" -> send(exchange, 200, """
                    {"kind":"APIVersions","versions":["v1"],
                     "serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1"}]}""");
            case "/apis" -> send(exchange, 200, """
                    {"kind":"APIGroupList","apiVersion":"v1","groups":[{"name":"apps",
                     "versions":[{"groupVersion":"apps/v1","version":"v1"}],
                     "preferredVersion":{"groupVersion":"apps/v1","version":"v1"}}]}""");
            case "/api/v1" -> send(exchange, 200, """
                    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"v1","resources":[]}""");
            case "/apis/apps/v1" -> send(exchange, 200, """
                    {"kind":"APIResourceList","apiVersion":"v1","groupVersion":"apps/v1","resources":[
                     {"name":"deployments","singularName":"deployment","namespaced":true,"kind":"Deployment",
                      "verbs":["create","delete","get","list","patch","update","watch"]}]}""");
            case DEPLOYMENT -> {
                byte[] current = live.get();
                if (current == null) {
                    send(exchange, 404, """
                            {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,
                             "message":"deployments.apps \\"web\\" not found","details":{"name":"web","group":"apps","kind":"deployments"}}""");
                } else {
                    send(exchange, 200, current);
                }
            }
            default -> send(exchange, 404, """
                    {"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}""");
        }
    }

    private static void send(HttpExchange exchange, int code, String body) throws IOException {
        send(exchange, code, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
