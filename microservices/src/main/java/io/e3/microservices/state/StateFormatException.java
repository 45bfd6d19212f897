package io.e3.microservices.state;

/** A snapshot that cannot be restored: corrupt, truncated, or of a format version this build does not read. */
public class StateFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public StateFormatException(String message) {
        super(message);
    }
}
