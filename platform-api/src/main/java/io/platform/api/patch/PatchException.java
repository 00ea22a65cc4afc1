package io.platform.api.patch;

/** A patch that is unparsable (400) or cannot be applied to the object (422). */
public class PatchException extends RuntimeException {

    private final int code;

    public PatchException(int code, String message) {
        super(message);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
