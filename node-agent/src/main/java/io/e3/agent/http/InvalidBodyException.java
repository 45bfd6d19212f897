package io.e3.agent.http;

/** A control request body that is not what the call needs; the message names the field and the problem. */
public final class InvalidBodyException extends Exception {

    public InvalidBodyException(String message) {
        super(message);
    }
}
