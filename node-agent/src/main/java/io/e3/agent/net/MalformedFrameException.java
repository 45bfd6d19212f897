package io.e3.agent.net;

/** A datagram that is not a well-formed data-plane frame; the message says what is wrong with it. */
public final class MalformedFrameException extends Exception {

    public MalformedFrameException(String message) {
        super(message);
    }
}
