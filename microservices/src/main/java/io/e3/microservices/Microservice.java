package io.e3.microservices;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.model.app.MicroserviceType;

/**
 * One microservice instance of Table 5.2: a request in, a response out, run to completion.
 *
 * <p>A stateless service keeps nothing between requests beyond read-only reference data. A stateful one keeps all of
 * its state in the {@link io.e3.microservices.state.ReliableCollections} it was created with, so that the platform can
 * snapshot and migrate it. Instances are not thread-safe: the runtime serves one instance's requests one at a time.
 */
public interface Microservice {

    MicroserviceType type();

    /**
     * Serves one request.
     *
     * @param request a JSON object of the form
     *                {@link io.e3.microservices.services.MicroserviceCatalog#describe} documents for this type
     * @return the response, a JSON object
     * @throws InvalidRequestException if the request lacks a field or has one of the wrong type or range; the state is
     *                                 then unchanged
     */
    JsonNode handle(JsonNode request) throws InvalidRequestException;
}
