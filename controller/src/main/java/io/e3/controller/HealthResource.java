package io.e3.controller;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Liveness of the controller process; the first endpoint of the REST API. */
@Path("/v1/health")
@Tag(name = "Health", description = "Liveness of the controller")
@APIResponse(responseCode = "401", ref = ControllerApplication.UNAUTHORIZED)
public class HealthResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getHealth", summary = "Check that the controller is up")
    @APIResponse(responseCode = "200", description = "It is up", content = @Content(schema = @Schema(
            type = SchemaType.OBJECT, properties = @SchemaProperty(name = "status", type = SchemaType.STRING,
            enumeration = "up"))))
    public Map<String, String> health() {
        return Map.of("status", "up");
    }
}
