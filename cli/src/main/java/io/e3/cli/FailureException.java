package io.e3.cli;

/**
 * A runtime failure whose message says all there is to say, such as an answer of the controller ("no app 'shop'")
 * or a server that cannot be reached: one line on stderr without the {@code --debug} hint, and exit code 1.
 * {@code --debug} still prints the stack trace, the cause's included.
 */
public final class FailureException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FailureException(String message) {
        super(message);
    }

    public FailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
