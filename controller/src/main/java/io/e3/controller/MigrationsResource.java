package io.e3.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Migrations: start one by hand ({@code {"instance": "app/svc.0", "to": "s0/host"}}), list them, get one. */
@Path("/v1/migrations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Migrations", description = "Cold migrations of instances, started by hand or by the orchestrator")
@APIResponse(responseCode = "401", ref = ControllerApplication.UNAUTHORIZED)
public class MigrationsResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    MigrationDriver driver;

    @Inject
    Migrations migrations;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "startMigration", summary = "Move an instance to another node",
            description = "Cold migration: deploy at the destination, drain the source, move the state, switch the "
                    + "routes, undeploy at the source. Follow it with GET /v1/migrations/{id}.")
    @RequestBody(required = true, content = @Content(schema = @Schema(type = SchemaType.OBJECT,
            requiredProperties = {"instance", "to"}, properties = {
                    @SchemaProperty(name = "instance", type = SchemaType.STRING, example = "iot-ts/gw.0",
                            description = "The instance's id, APP/SERVICE.N"),
                    @SchemaProperty(name = "to", type = SchemaType.STRING, example = "s0/host",
                            description = "The destination node's id")})))
    @APIResponse(responseCode = "202", description = "The migration has started",
            content = @Content(schema = @Schema(implementation = Migrations.View.class)))
    @APIResponse(responseCode = "422", description = "The body is malformed, or the move is refused: no running "
            + "instance of that id, no such node, or the instance runs there already; 'violations' is empty",
            content = @Content(schema = @Schema(ref = ControllerApplication.ERROR)))
    public Response start(String body) {
        JsonNode b;
        try {
            b = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (java.io.IOException e) {
            b = null;
        }
        if (b == null || !b.isObject() || !b.path("instance").isTextual() || !b.path("to").isTextual()) {
            return Response.status(422).entity(Map.of("error", "expected {\"instance\": \"app/svc.0\", \"to\": "
                    + "\"<node id>\"}", "violations", List.of())).build();
        }
        try {
            long id = driver.migrate(b.get("instance").asText(), b.get("to").asText(), "requested");
            return Response.accepted(migrations.get(id).orElseThrow()).build();
        } catch (MigrationDriver.MigrationRefused e) {
            return Response.status(422).entity(Map.of("error", e.getMessage(), "violations", List.of())).build();
        }
    }

    @GET
    @Operation(operationId = "listMigrations", summary = "List the migrations",
            description = "Since the controller started, oldest first, each with its timed steps.")
    @APIResponse(responseCode = "200", description = "Every migration")
    public List<Migrations.View> list() {
        return migrations.list();
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getMigration", summary = "Get one migration", description = "With its timed steps.")
    @APIResponse(responseCode = "200", description = "The migration",
            content = @Content(schema = @Schema(implementation = Migrations.View.class)))
    @APIResponse(responseCode = "404", ref = ControllerApplication.NOT_FOUND)
    public Response get(@Parameter(description = "The migration's id") @PathParam("id") long id) {
        return migrations.get(id).map(v -> Response.ok(v).build()).orElseGet(() -> Response.status(404)
                .entity(Map.of("error", "no migration " + id)).build());
    }
}
