package io.e3.model.telemetry;

/** Bytes that are not a heartbeat this build reads; the message says what is wrong, for counting and logs. */
public final class MalformedHeartbeatException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedHeartbeatException(String message) {
        super(message);
    }
}
