package io.platform.api.patch;

import java.util.ArrayList;
import java.util.List;

/** An RFC 6901 JSON pointer: {@code /a/b~1c/0}, with {@code ~1} for '/' and {@code ~0} for '~'. */
record JsonPointer(String text, List<String> tokens) {

    static JsonPointer parse(String text) {
        if (!text.isEmpty() && !text.startsWith("/")) {
            throw new PatchException(422, "invalid JSON pointer \"" + text + "\": it must be empty or start with '/'");
        }
        List<String> tokens = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String raw : text.substring(1).split("/", -1)) {
                if (raw.matches(".*~([^01].*|$)")) {
                    throw new PatchException(422, "invalid JSON pointer \"" + text + "\": '~' must be followed by 0 or 1");
                }
                tokens.add(raw.replace("~1", "/").replace("~0", "~"));
            }
        }
        return new JsonPointer(text, List.copyOf(tokens));
    }

    boolean isRoot() {
        return tokens.isEmpty();
    }

    JsonPointer parent() {
        return new JsonPointer(text.substring(0, text.lastIndexOf('/')), tokens.subList(0, tokens.size() - 1));
    }

    String last() {
        return tokens.getLast();
    }

    /** Whether {@code other} lies strictly inside this location. */
    boolean isProperPrefixOf(JsonPointer other) {
        return other.tokens.size() > tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    @Override
    public String toString() {
        return text;
    }
}
