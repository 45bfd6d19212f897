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

/**
 * Applications: apply a manifest (YAML or JSON text, one {@code MicroserviceApp} document), get, list, delete. An
 * invalid manifest gets 422 with {@code {error, violations: [{source, line, path, message}]}}, every problem at once.
 */
@Path("/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppsResource {

    /** The source name violations report for a request body. */
    static final String SOURCE = "<request>";

    @Inject
    AppRegistry registry;

    @Inject
    ControlPlaneManager manager;

    @POST
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
    public List<AppRegistry.AppView> list() {
        return registry.list();
    }

    @GET
    @Path("/{name}")
    public Response get(@PathParam("name") String name) {
        return registry.get(name).map(v -> Response.ok(v).build())
                .orElseGet(() -> notFound(name));
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@PathParam("name") String name) {
        return manager.delete(name) ? Response.accepted(Map.of("deleting", name)).build() : notFound(name);
    }

    /** The routing table the agents got for the app (docs/node-agent.md), once it runs. */
    @GET
    @Path("/{name}/routes")
    public Response routes(@PathParam("name") String name) {
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
