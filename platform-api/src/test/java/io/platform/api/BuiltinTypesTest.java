package io.platform.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.platform.api.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One object of every built-in type beyond the skeleton's through the real server: create, list, update, get as a
 * Table with kube-apiserver's columns, delete. The cases live in {@code builtin-types/cases.json}: the object, the
 * fields an update changes (JSON pointer → value), the expected columns and some expected cells after the update.
 */
class BuiltinTypesTest extends ApiServerTestSupport {

    private static final MediaType TABLE = MediaType.parseMediaType("application/json;as=Table;v=v1;g=meta.k8s.io");

    static Stream<Arguments> cases() {
        try (InputStream in = BuiltinTypesTest.class.getResourceAsStream("/builtin-types/cases.json")) {
            List<Arguments> cases = new ArrayList<>();
            Json.MAPPER.readTree(in).values().forEach(c -> cases.add(Arguments.of(c.path("plural").asString(), c)));
            return cases.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void createListUpdateTableDelete(String plural, JsonNode testCase) {
        String base = testCase.path("path").asString()
                + (testCase.path("namespaced").asBoolean() ? "/namespaces/" + newNamespace() : "") + "/" + plural;
        ObjectNode object = (ObjectNode) testCase.path("object").deepCopy();
        String name = object.path("metadata").path("name").asString();
        String item = base + "/" + name;

        ObjectNode created = post(base, object, 201);
        assertThat(created.path("metadata").path("uid").asString()).isNotEmpty();
        assertThat(created.path("kind").asString()).isEqualTo(object.path("kind").asString());

        ObjectNode list = get(base, 200);
        assertThat(list.path("kind").asString()).isEqualTo(object.path("kind").asString() + "List");
        assertThat(list.path("items").values().stream().map(i -> i.path("metadata").path("name").asString()))
                .contains(name);

        ObjectNode changed = get(item, 200);
        testCase.path("update").properties().forEach(e -> set(changed, e.getKey(), e.getValue()));
        ObjectNode updated = put(item, changed, 200);
        testCase.path("update").properties().forEach(e ->
                assertThat(updated.at(e.getKey())).as(e.getKey()).isEqualTo(e.getValue()));
        assertThat(Long.parseLong(updated.path("metadata").path("resourceVersion").asString()))
                .isGreaterThan(Long.parseLong(created.path("metadata").path("resourceVersion").asString()));

        ObjectNode table = exchange(client().get().uri(item).accept(TABLE), 200);
        assertThat(table.path("kind").asString()).isEqualTo("Table");
        List<String> columns = table.path("columnDefinitions").values().stream().map(c -> c.path("name").asString()).toList();
        assertThat(columns).containsExactlyElementsOf(testCase.path("columns").values().stream().map(JsonNode::asString).toList());
        table.path("columnDefinitions").values().forEach(c ->
                assertThat(c.path("description").asString()).as(c.path("name").asString()).isNotEmpty());
        JsonNode cells = table.at("/rows/0/cells");
        assertThat(cells.size()).isEqualTo(columns.size());
        int nameColumn = columns.indexOf("Name");
        assertThat(cells.get(nameColumn).asString()).isEqualTo(name);
        testCase.path("cells").properties().forEach(e ->
                assertThat(cells.get(columns.indexOf(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue()));
        assertThat(table.at("/rows/0/object/metadata/name").asString()).isEqualTo(name);

        // as kubectl: without a policy, v1 replicationcontrollers and batch/v1 jobs default to orphaning
        delete(item + "?propagationPolicy=Background", 200);
        get(item, 404);
    }

    private static void set(ObjectNode root, String pointer, JsonNode value) {
        String[] parts = pointer.substring(1).split("/");
        JsonNode parent = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
            if (next == null && parent instanceof ObjectNode object) {
                next = object.putObject(parts[i]);
            }
            parent = next;
        }
        String last = parts[parts.length - 1];
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(last), value);
        }
    }
}
