package io.platform.api.apply;

import io.platform.api.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One step of a field path, as structured-merge-diff names them: a field of an object ({@code f:name}), an item
 * of an associative list by its keys ({@code k:{"name":"nginx"}}), an item of a set by its value ({@code v:"a"}),
 * or an item of a list without keys by index ({@code i:0}). Ordered fields first, then keys, values, indexes.
 */
public sealed interface PathElement extends Comparable<PathElement> {

    /** The {@code fieldsV1} encoding of this element. */
    String encode();

    /** How upstream prints the element in conflict messages: {@code .spec}, {@code [name="nginx"]}, {@code [=a]}, {@code [0]}. */
    String describe();

    int rank();

    @Override
    default int compareTo(PathElement other) {
        int byRank = Integer.compare(rank(), other.rank());
        if (byRank != 0) {
            return byRank;
        }
        if (this instanceof Index a && other instanceof Index b) {
            return Integer.compare(a.index(), b.index());
        }
        return encode().compareTo(other.encode());
    }

    /** A field of an object (or a key of a map). */
    record Field(String name) implements PathElement {
        @Override
        public String encode() {
            return "f:" + name;
        }

        @Override
        public String describe() {
            return "." + name;
        }

        @Override
        public int rank() {
            return 0;
        }
    }

    /** An item of an associative list, named by its key fields (sorted by name, as upstream encodes them). */
    record Key(ObjectNode fields) implements PathElement {
        @Override
        public String encode() {
            return "k:" + Json.string(fields);
        }

        @Override
        public String describe() {
            StringBuilder text = new StringBuilder("[");
            Iterator<Map.Entry<String, JsonNode>> entries = fields.properties().iterator();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                text.append(entry.getKey()).append('=').append(Json.string(entry.getValue()));
                if (entries.hasNext()) {
                    text.append(',');
                }
            }
            return text.append(']').toString();
        }

        @Override
        public int rank() {
            return 1;
        }
    }

    /** An item of a set-type list, named by its value. */
    record Value(JsonNode value) implements PathElement {
        @Override
        public String encode() {
            return "v:" + Json.string(value);
        }

        @Override
        public String describe() {
            return "[=" + Json.string(value) + "]";
        }

        @Override
        public int rank() {
            return 2;
        }
    }

    /** An item of a list that has no keys, by position. */
    record Index(int index) implements PathElement {
        @Override
        public String encode() {
            return "i:" + index;
        }

        @Override
        public String describe() {
            return "[" + index + "]";
        }

        @Override
        public int rank() {
            return 3;
        }
    }

    /** Parses the {@code fieldsV1} encoding of an element. */
    static PathElement decode(String encoded) {
        if (encoded.length() < 2 || encoded.charAt(1) != ':') {
            throw new IllegalArgumentException("not a path element: " + encoded);
        }
        String body = encoded.substring(2);
        try {
            return switch (encoded.charAt(0)) {
                case 'f' -> new Field(body);
                case 'k' -> new Key(Json.parseObject(body.getBytes(StandardCharsets.UTF_8)));
                case 'v' -> new Value(Json.MAPPER.readTree(body));
                case 'i' -> new Index(Integer.parseInt(body));
                default -> throw new IllegalArgumentException("not a path element: " + encoded);
            };
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a path element: " + encoded, e);
        }
    }
}
