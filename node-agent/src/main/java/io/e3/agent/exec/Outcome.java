package io.e3.agent.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.net.Frame;

/**
 * How one request went at one instance, delivered when its emulated core has finished it.
 *
 * @param status   {@link Frame.Status#OK} or why not
 * @param response the service's response when OK, else null
 * @param error    what went wrong when not OK, else null
 * @param envelope the request's envelope, for the next hops; null when it could not be parsed
 */
public record Outcome(Frame.Status status, JsonNode response, String error, Envelope envelope) {

    static Outcome ok(JsonNode response, Envelope envelope) {
        return new Outcome(Frame.Status.OK, response, null, envelope);
    }

    static Outcome failed(Frame.Status status, String error, Envelope envelope) {
        return new Outcome(status, null, error, envelope);
    }
}
