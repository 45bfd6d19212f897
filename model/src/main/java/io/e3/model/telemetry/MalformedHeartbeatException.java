package io.e3.model.telemetry;

/**
 * Bytes that are not a heartbeat this build reads; the message says what is wrong, for counting and logs. It has no
 * stack trace: the controller's receiving thread throws one per malformed heartbeat it is sent, and filling in a trace
 * for each would let a sender of junk take that thread's time.
 */
public final class MalformedHeartbeatException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedHeartbeatException(String message) {
        super(message, null, false, false);
    }
}
