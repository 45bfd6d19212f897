package io.e3.agent.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.net.Frame;
import java.util.concurrent.CompletableFuture;

/**
 * How one request went at one instance, delivered when its emulated core has finished it.
 *
 * @param status     {@link Frame.Status#OK} or why not
 * @param response   the service's response when OK, else null
 * @param error      what went wrong when not OK, else null
 * @param envelope   the request's envelope, for the next hops; null when it could not be parsed
 * @param replicated for an instance with backups, completes once its backups have applied the request (the
 *                   answer must wait for it, so that an acknowledged write survives the instance's node); else null
 */
public record Outcome(Frame.Status status, JsonNode response, String error, Envelope envelope,
                      CompletableFuture<Void> replicated) {

    static Outcome ok(JsonNode response, Envelope envelope, CompletableFuture<Void> replicated) {
        return new Outcome(Frame.Status.OK, response, null, envelope, replicated);
    }

    static Outcome failed(Frame.Status status, String error, Envelope envelope) {
        return new Outcome(status, null, error, envelope, null);
    }
}
