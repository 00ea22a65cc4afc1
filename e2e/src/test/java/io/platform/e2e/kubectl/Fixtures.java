package io.platform.e2e.kubectl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The YAML fixtures under {@code kubectl/} on the test classpath, with {@code ${NS}} (the version's namespace) and
 * {@code ${V}} (the version's tag, suffixing cluster-scoped names) filled in.
 */
final class Fixtures {

    static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** One fixture object as {@code kubectl get -o name} prints it and as a list item identifies it. */
    record ObjectId(String group, String kind, String name) {
        String printedPrefix() {
            return kind.toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "." + group);
        }

        String printedName() {
            return printedPrefix() + "/" + name;
        }

        static ObjectId of(JsonNode object) {
            String apiVersion = object.path("apiVersion").asString();
            int slash = apiVersion.indexOf('/');
            return new ObjectId(slash < 0 ? "" : apiVersion.substring(0, slash), object.path("kind").asString(),
                    object.path("metadata").path("name").asString());
        }
    }

    private final String namespace;
    private final String tag;

    Fixtures(String namespace, String tag) {
        this.namespace = namespace;
        this.tag = tag;
    }

    /** A fixture file's text with the placeholders filled in. */
    String text(String resource) {
        try {
            return fill(Files.readString(classpath(resource), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String fill(String template) {
        return template.replace("${NS}", namespace).replace("${V}", tag);
    }

    /** Writes every file of a fixture folder, filled in, into {@code target}; returns the objects they hold. */
    List<ObjectId> writeFolder(String folder, Path target) {
        List<ObjectId> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(classpath(folder))) {
            for (Path file : files.sorted().toList()) {
                String text = fill(Files.readString(file, StandardCharsets.UTF_8));
                Files.writeString(target.resolve(file.getFileName().toString()), text, StandardCharsets.UTF_8);
                List<JsonNode> documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll();
                documents.forEach(document -> objects.add(ObjectId.of(document)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static Path classpath(String resource) {
        try {
            return Path.of(Objects.requireNonNull(Fixtures.class.getResource("/kubectl/" + resource),
                    "no test resource kubectl/" + resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
