package io.platform.api.selection;

/** A selector that does not parse or names a field that cannot be selected on. */
public final class SelectorException extends RuntimeException {

    public SelectorException(String message) {
        super(message, null, false, false);
    }
}
