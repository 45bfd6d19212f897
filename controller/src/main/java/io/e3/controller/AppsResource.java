package io.e3.controller;

import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.Manifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.manifest.Violation;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
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

/**
 * Applications: apply a manifest (YAML or JSON text, one {@code MicroserviceApp} document), get, list, delete. An
 * invalid manifest gets 422 with {@code {error, violations: [{source, line, path, message}]}}, every problem at once.
 */
@Path("/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Apps", description = "Microservice apps: apply a manifest, follow its phase, undeploy")
@APIResponse(responseCode = "401", ref = ControllerApplication.UNAUTHORIZED)
public class AppsResource {

    /** The source name violations report for a request body. */
    static final String SOURCE = "<request>";

    @Inject
    AppRegistry registry;

    @Inject
    ControlPlaneManager manager;

    @POST
    @Operation(operationId = "applyApp", summary = "Apply an app manifest",
            description = "Validates one MicroserviceApp manifest (docs/manifests.md) and queues it for placement; "
                    + "an app of the same name is replaced. Follow its phase with GET /v1/apps/{name}.")
    @RequestBody(required = true, description = "One MicroserviceApp manifest, as YAML or JSON",
            content = {@Content(mediaType = "application/yaml", schema = @Schema(type = SchemaType.STRING)),
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = SchemaType.OBJECT))})
    @APIResponse(responseCode = "201", description = "A new app, queued for placement",
            content = @Content(schema = @Schema(implementation = AppRegistry.AppView.class)))
    @APIResponse(responseCode = "200", description = "An app of that name was replaced",
            content = @Content(schema = @Schema(implementation = AppRegistry.AppView.class)))
    @APIResponse(responseCode = "422", ref = ControllerApplication.UNPROCESSABLE)
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.TEXT_PLAIN,
            MediaType.APPLICATION_JSON})
    public Response apply(byte[] body) {
        if (body == null || body.length == 0) {
            return unprocessable("the body is empty; send one MicroserviceApp manifest",
                    List.of(new Violation(SOURCE, 0, "", "empty body")));
        }
        if (body.length > Manifests.MAX_BYTES) {
            return unprocessable("the manifest is too large", List.of(new Violation(SOURCE, 0, "",
                    body.length + " bytes is over the limit of " + Manifests.MAX_BYTES)));
        }
        List<Manifest> docs;
        try {
            docs = Manifests.parse(body, SOURCE);
        } catch (ManifestException e) {
            return unprocessable("the manifest is invalid", e.violations());
        }
        if (docs.size() != 1 || !(docs.get(0) instanceof AppManifest app)) {
            return unprocessable("expected exactly one MicroserviceApp document", List.of(new Violation(SOURCE, 0,
                    "", "got " + docs.size() + " document(s): " + docs.stream().map(Manifest::kind).toList())));
        }
        boolean replaced = manager.apply(app, new String(body, StandardCharsets.UTF_8));
        return Response.status(replaced ? Response.Status.OK : Response.Status.CREATED)
                .entity(registry.get(app.name()).orElseThrow()).build();
    }

    @GET
    @Operation(operationId = "listApps", summary = "List the apps with their phase", description = "Sorted by name.")
    @APIResponse(responseCode = "200", description = "Every app the controller has been given")
    public List<AppRegistry.AppView> list() {
        return registry.list();
    }

    @GET
    @Path("/{name}")
    @Operation(operationId = "getApp", summary = "Get one app",
            description = "Its phase (PENDING, PLACING, RUNNING, FAILED), the reason for it, and the manifest.")
    @APIResponse(responseCode = "200", description = "The app",
            content = @Content(schema = @Schema(implementation = AppRegistry.AppView.class)))
    @APIResponse(responseCode = "404", ref = ControllerApplication.NOT_FOUND)
    public Response get(@Parameter(description = "The app's metadata.name") @PathParam("name") String name) {
        return registry.get(name).map(v -> Response.ok(v).build())
                .orElseGet(() -> notFound(name));
    }

    @DELETE
    @Path("/{name}")
    @Operation(operationId = "deleteApp", summary = "Undeploy an app",
            description = "Its instances are stopped on their agents and its routes withdrawn; the app is gone from "
                    + "GET /v1/apps once that is done.")
    @APIResponse(responseCode = "202", description = "Undeploying",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT, properties = @SchemaProperty(
                    name = "deleting", type = SchemaType.STRING, description = "The app's name"))))
    @APIResponse(responseCode = "404", ref = ControllerApplication.NOT_FOUND)
    public Response delete(@Parameter(description = "The app's metadata.name") @PathParam("name") String name) {
        return manager.delete(name) ? Response.accepted(Map.of("deleting", name)).build() : notFound(name);
    }

    /** The routing table the agents got for the app (docs/node-agent.md), once it runs. */
    @GET
    @Path("/{name}/routes")
    @Operation(operationId = "getAppRoutes", summary = "Get an app's routing table",
            description = "The table the agents were given (docs/node-agent.md): {services: {NAME: {sharded, "
                    + "instances: [{id, node}]}}, channels: [{from, to, routing}]}.")
    @APIResponse(responseCode = "200", description = "The routing table",
            content = @Content(schema = @Schema(type = SchemaType.OBJECT)))
    @APIResponse(responseCode = "404", description = "No such app, or it is not placed yet",
            content = @Content(schema = @Schema(ref = ControllerApplication.ERROR)))
    public Response routes(@Parameter(description = "The app's metadata.name") @PathParam("name") String name) {
        return manager.routes(name).map(t -> Response.ok(t, MediaType.APPLICATION_JSON).build())
                .orElseGet(() -> notFound(name));
    }

    private static Response notFound(String name) {
        return Response.status(Response.Status.NOT_FOUND).entity(Map.of("error", "no app '" + name + "'")).build();
    }

    private static Response unprocessable(String error, List<Violation> violations) {
        return Response.status(422).entity(Map.of("error", error, "violations", violations)).build();
    }
}
