package io.platform.api.errors;

/** One cause of an Invalid error, as in {@code details.causes[]}: reason, field path and message. */
public record StatusCause(String reason, String field, String message) {

    public static StatusCause required(String field, String detail) {
        return new StatusCause("FieldValueRequired", field, "Required value" + (detail.isEmpty() ? "" : ": " + detail));
    }

    public static StatusCause invalid(String field, String value, String detail) {
        return new StatusCause("FieldValueInvalid", field, "Invalid value: \"" + value + "\": " + detail);
    }

    public static StatusCause invalidNumber(String field, long value, String detail) {
        return new StatusCause("FieldValueInvalid", field, "Invalid value: " + value + ": " + detail);
    }

    public static StatusCause forbidden(String field, String detail) {
        return new StatusCause("FieldValueForbidden", field, "Forbidden: " + detail);
    }

    public static StatusCause notSupported(String field, String value, java.util.List<String> supported) {
        return new StatusCause("FieldValueNotSupported", field,
                "Unsupported value: \"" + value + "\": supported values: "
                        + String.join(", ", supported.stream().map(s -> "\"" + s + "\"").toList()));
    }

    /** {@code field: message}, as upstream joins causes into the Status message. */
    public String describe() {
        return field + ": " + message;
    }
}
