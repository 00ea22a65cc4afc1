package io.platform.api.authorization;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A field selector split into its terms as apimachinery's fields.ParseSelector does, without checking the fields
 * against a type: terms separated by unescaped commas, each {@code field!=value}, {@code field==value} or
 * {@code field=value}, values unescaped ({@code \\}, {@code \,}, {@code \=}).
 */
final class FieldTerms {

    private static final List<String> OPERATORS = List.of("!=", "==", "=");

    record Term(String field, String operator, String value) {}

    private FieldTerms() {}

    /** The terms, or empty when the selector does not parse; a blank selector has no terms. */
    static Optional<List<Term>> parse(String selector) {
        List<Term> terms = new ArrayList<>();
        for (String part : splitTerms(selector)) {
            if (part.isEmpty()) {
                continue;
            }
            Optional<Term> term = term(part);
            if (term.isEmpty()) {
                return Optional.empty();
            }
            terms.add(term.get());
        }
        return Optional.of(terms);
    }

    private static List<String> splitTerms(String selector) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        boolean escaped = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',') {
                parts.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(selector.substring(start));
        return parts;
    }

    /** The first operator in the term splits it; the field is taken as written, the value unescaped. */
    private static Optional<Term> term(String part) {
        for (int i = 0; i < part.length(); i++) {
            for (String operator : OPERATORS) {
                if (part.startsWith(operator, i)) {
                    String field = part.substring(0, i);
                    return unescape(part.substring(i + operator.length())).map(value -> new Term(field, operator, value));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> unescape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                if (i + 1 >= value.length() || "\\,=".indexOf(value.charAt(i + 1)) < 0) {
                    return Optional.empty();
                }
                out.append(value.charAt(++i));
            } else if (c == ',' || c == '=') {
                // an unescaped separator inside a value is invalid, as upstream's UnescapeValue
                return Optional.empty();
            } else {
                out.append(c);
            }
        }
        return Optional.of(out.toString());
    }
}
