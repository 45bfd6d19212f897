package io.e3.controller;

import io.e3.model.manifest.Violation;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * The controller's REST API as a whole, for its OpenAPI document (served at {@code /q/openapi}, YAML, or JSON with
 * {@code ?format=json}): what it is, the bearer token every call needs, and the error answers all resources share.
 * The resources describe their own operations; this class adds no behaviour to JAX-RS.
 */
@OpenAPIDefinition(
        info = @Info(title = "E3 controller", version = "v1",
                description = "The cluster resource controller of E3 (§5.4): apply and delete microservice apps, see "
                        + "where every instance runs, start and follow migrations, watch nodes and the data plane's "
                        + "events. Every call needs the cluster token as 'Authorization: Bearer <token>'."),
        security = @SecurityRequirement(name = ControllerApplication.BEARER),
        components = @Components(
                schemas = @Schema(name = ControllerApplication.ERROR, type = SchemaType.OBJECT,
                        description = "What went wrong; for an invalid request, every problem found at once.",
                        requiredProperties = "error",
                        properties = {
                                @SchemaProperty(name = "error", type = SchemaType.STRING,
                                        description = "One line for a person"),
                                @SchemaProperty(name = "violations", type = SchemaType.ARRAY,
                                        implementation = Violation.class,
                                        description = "Each problem with where it is (422 only)")}),
                responses = {
                        @APIResponse(name = ControllerApplication.UNAUTHORIZED, responseCode = "401",
                                description = "No 'Authorization: Bearer <token>', or another token",
                                content = @Content(mediaType = "application/json",
                                        schema = @Schema(ref = ControllerApplication.ERROR))),
                        @APIResponse(name = ControllerApplication.NOT_FOUND, responseCode = "404",
                                description = "There is no such app or migration",
                                content = @Content(mediaType = "application/json",
                                        schema = @Schema(ref = ControllerApplication.ERROR))),
                        @APIResponse(name = ControllerApplication.UNPROCESSABLE, responseCode = "422",
                                description = "The request is invalid; 'violations' lists every problem",
                                content = @Content(mediaType = "application/json",
                                        schema = @Schema(ref = ControllerApplication.ERROR)))}))
@SecurityScheme(securitySchemeName = ControllerApplication.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The cluster token: e3.token (or E3_TOKEN) of the controller, the same one its agents use")
public class ControllerApplication extends Application {

    /** The name of the bearer-token security scheme. */
    static final String BEARER = "bearer";
    /** The name of the error body's schema. */
    static final String ERROR = "Error";
    /** The shared 401 response, for {@code @APIResponse(ref = ...)} on the resources; every operation can give it. */
    static final String UNAUTHORIZED = "Unauthorized";
    /** The shared 404 response: no such app or migration. */
    static final String NOT_FOUND = "NotFound";
    /** The shared 422 response: an invalid request, with its violations. */
    static final String UNPROCESSABLE = "Unprocessable";
}
