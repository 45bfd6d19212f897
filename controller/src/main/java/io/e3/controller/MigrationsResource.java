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

/** Migrations: start one by hand ({@code {"instance": "app/svc.0", "to": "s0/host"}}), list them, get one. */
@Path("/v1/migrations")
@Produces(MediaType.APPLICATION_JSON)
public class MigrationsResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    MigrationDriver driver;

    @Inject
    Migrations migrations;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
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
    public List<Migrations.View> list() {
        return migrations.list();
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") long id) {
        return migrations.get(id).map(v -> Response.ok(v).build()).orElseGet(() -> Response.status(404)
                .entity(Map.of("error", "no migration " + id)).build());
    }
}
