package io.e3.controller;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.agent.exec.Envelope;
import io.e3.agent.net.FrameCodec;
import io.e3.model.app.AppSpec;
import io.e3.model.app.ServiceSpec;
import java.io.IOException;
import java.util.Iterator;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Checks an envelope a person sends into an app ({@code POST /v1/apps/{name}/requests}) before it travels: the agents'
 * own rules ({@link Envelope#parse}), stage entries that name services of the app and are objects, and a size that
 * fits one datagram. Each problem is a {@link AppCaller.Refused} with status 400 whose message starts with the field.
 */
final class RequestEnvelope {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestEnvelope() {
    }

    /**
     * The envelope to send: {@code body} (empty for {@code {}}) with {@code "trace": true} and, if it has none, an id
     * from {@code ids}.
     */
    static ObjectNode check(byte[] body, AppSpec spec, LongSupplier ids) throws AppCaller.Refused {
        byte[] text = body == null || body.length == 0 ? "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8) : body;
        try {
            Envelope.parse(text, 0);
        } catch (Envelope.BadEnvelopeException e) {
            throw bad(e.getMessage());
        }
        ObjectNode envelope;
        try {
            envelope = (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw bad("request is not JSON: " + e.getMessage());
        }
        JsonNode stages = envelope.path("stages");
        for (Iterator<String> names = stages.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (spec.services().stream().noneMatch(s -> s.name().equals(name))) {
                throw bad("stages." + name + ": no service '" + name + "' in " + spec.name() + "; services: "
                        + spec.services().stream().map(ServiceSpec::name).collect(Collectors.joining(", ")));
            }
            if (!stages.get(name).isObject()) {
                throw bad("stages." + name + ": expected an object, the request for " + name);
            }
        }
        if (!envelope.hasNonNull("id")) {
            envelope.put("id", ids.getAsLong());
        }
        envelope.put("trace", true);
        int size = bytes(envelope).length;
        if (size > FrameCodec.MAX_PAYLOAD) {
            throw bad("request: the envelope is " + size + " bytes; one datagram carries at most "
                    + FrameCodec.MAX_PAYLOAD);
        }
        return envelope;
    }

    static byte[] bytes(JsonNode envelope) {
        try {
            return JSON.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an envelope that was just read does not write", e);
        }
    }

    private static AppCaller.Refused bad(String message) {
        return new AppCaller.Refused(400, message);
    }
}
