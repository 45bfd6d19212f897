package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.InvalidRequestException;

/** Binds the request's {@code params} list to a statement's {@code ?} placeholders. */
final class Params {

    private static final Object[] NONE = {};

    private Params() {
    }

    /**
     * The values of {@code params} (null or absent: none): JSON null, whole numbers as BIGINT, other numbers as DOUBLE,
     * strings and booleans.
     *
     * @throws InvalidRequestException naming {@code params} when the count differs from {@code expected} or an item
     *                                 is not a scalar
     */
    static Object[] bind(JsonNode params, int expected) throws InvalidRequestException {
        if ((params == null || params.isNull()) && expected == 0) {
            return NONE;
        }
        if (params != null && !params.isNull() && !params.isArray()) {
            throw new InvalidRequestException("params: must be a list, got " + params.getNodeType());
        }
        int given = params == null || params.isNull() ? 0 : params.size();
        if (given != expected) {
            throw new InvalidRequestException("params: the statement has " + expected + " ? placeholders, got "
                    + given + " values");
        }
        Object[] out = new Object[given];
        for (int i = 0; i < given; i++) {
            out[i] = value(params.get(i), i);
        }
        return out;
    }

    private static Object value(JsonNode v, int i) throws InvalidRequestException {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            if (!v.canConvertToLong()) {
                throw new InvalidRequestException("params[" + i + "]: " + v + " is out of range for BIGINT");
            }
            return v.asLong();
        }
        if (v.isNumber()) {
            if (!Double.isFinite(v.asDouble())) {
                throw new InvalidRequestException("params[" + i + "]: " + v + " is out of range for DOUBLE");
            }
            return v.asDouble();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        throw new InvalidRequestException("params[" + i + "]: must be a number, string, boolean or null, got "
                + v.getNodeType());
    }
}
