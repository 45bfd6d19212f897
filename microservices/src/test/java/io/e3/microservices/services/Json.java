package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Building requests in tests. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** An object from alternating field names and values. */
    static ObjectNode of(Object... fieldsAndValues) {
        ObjectNode o = MAPPER.createObjectNode();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            o.set((String) fieldsAndValues[i], MAPPER.valueToTree(fieldsAndValues[i + 1]));
        }
        return o;
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
