package io.platform.common.golang;

/**
 * Values written the way Go's fmt prints them, for messages that must read as kube-apiserver's (Forbidden
 * messages, Invalid causes, the downward API's label files).
 */
public final class GoSyntax {

    private GoSyntax() {}

    /** A string as Go's {@code %q} prints it: double-quoted, with backslash escapes. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
