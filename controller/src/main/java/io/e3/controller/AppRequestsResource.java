package io.e3.controller;

import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Trying an app by hand: one request into a running app, answered with every stage's answer ({@link AppCaller}). */
@Path("/v1/apps/{name}/requests")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Apps")
@APIResponse(responseCode = "401", ref = ControllerApplication.UNAUTHORIZED)
public class AppRequestsResource {

    /** The longest a caller may ask to wait: a little over what a lossless channel waits for a slow responder. */
    static final long MAX_TIMEOUT_MILLIS = 120_000;

    @Inject
    AppCaller caller;

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "sendAppRequest", summary = "Send one request into a running app",
            description = "Sends the envelope (docs/node-agent.md, 'Requests along a DAG') to the app's entry "
                    + "service, as a client would, with \"trace\": true, and answers with the tree of every "
                    + "stage's answer: instance, node, response and emulated latencies. An empty body is {}; an "
                    + "envelope without an id gets one. A stage that fails is in the tree, counted in 'failures'.")
    @RequestBody(description = "The envelope: {key?, id?, bytes?, stages?: {SERVICE: request}}",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "200", description = "The entry answered; every stage's answer is in 'reply'",
            content = @Content(schema = @Schema(implementation = AppCaller.Answered.class)))
    @APIResponse(responseCode = "400", description = "A bad envelope, service or timeout; 'error' starts with the "
            + "field (e.g. 'key: expected a string of at most 256 characters')",
            content = @Content(schema = @Schema(ref = ControllerApplication.ERROR)))
    @APIResponse(responseCode = "404", ref = ControllerApplication.NOT_FOUND)
    @APIResponse(responseCode = "409", description = "The app is not RUNNING (yet)",
            content = @Content(schema = @Schema(ref = ControllerApplication.ERROR)))
    @APIResponse(responseCode = "502", description = "The entry instance could not be reached or refused the request",
            content = @Content(schema = @Schema(ref = ControllerApplication.ERROR)))
    @APIResponse(responseCode = "503", description = "The controller cannot bind its client address 127.B.0.254",
            content = @Content(schema = @Schema(ref = ControllerApplication.ERROR)))
    @APIResponse(responseCode = "504", description = "No answer within timeoutMillis",
            content = @Content(schema = @Schema(ref = ControllerApplication.ERROR)))
    public CompletionStage<Response> send(
            @Parameter(description = "The app's metadata.name") @PathParam("name") String name,
            @Parameter(description = "The entry service to send to; default: the app's first")
            @QueryParam("service") String service,
            @Parameter(description = "How long to wait for the answer, 1 to 120000 ms")
            @QueryParam("timeoutMillis") @DefaultValue("30000") String timeoutMillis,
            byte[] body) {
        long timeout;
        try {
            timeout = Long.parseLong(timeoutMillis);
        } catch (NumberFormatException e) {
            timeout = -1;
        }
        if (timeout < 1 || timeout > MAX_TIMEOUT_MILLIS) {
            return done(400, "timeoutMillis: expected 1 to " + MAX_TIMEOUT_MILLIS + ", got '" + timeoutMillis + "'");
        }
        long waited = timeout;
        try {
            return caller.call(name, body, service, timeout).handle((answer, e) -> answer != null
                    ? Response.ok(answer).build() : failure(e, name, waited));
        } catch (AppCaller.Refused e) {
            return done(e.status, e.getMessage());
        }
    }

    private static Response failure(Throwable e, String app, long timeoutMillis) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException) {
            return error(504, "no answer from " + app + " within " + timeoutMillis + " ms");
        }
        if (cause instanceof AppCaller.Refused r) {
            return error(r.status, r.getMessage());
        }
        if (cause instanceof AppCaller.EntryFailed) {
            return error(502, cause.getMessage());
        }
        return error(500, "sending into " + app + ": " + cause);
    }

    private static CompletionStage<Response> done(int status, String message) {
        return CompletableFuture.completedFuture(error(status, message));
    }

    private static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
