package io.e3.agent.rpc;

import io.e3.agent.net.Frame;
import java.nio.charset.StandardCharsets;

/**
 * What a caller gets for a request: the responder's status and payload, or a status the channel itself produced
 * ({@link Frame.Status#UNREACHABLE}) when no answer came.
 *
 * @param status   how it went
 * @param payload  JSON bytes
 * @param attempts how many times the request was sent
 */
public record Reply(Frame.Status status, byte[] payload, int attempts) {

    public boolean ok() {
        return status == Frame.Status.OK;
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
