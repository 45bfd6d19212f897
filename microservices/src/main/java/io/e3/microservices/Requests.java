package io.e3.microservices;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;


/** Reads request fields, failing with the field's name and what was expected. */
public final class Requests {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Requests() {
    }

    /** A new empty response object. */
    public static ObjectNode response() {
        return JSON.objectNode();
    }

    private static JsonNode field(JsonNode request, String name) throws InvalidRequestException {
        if (request == null || !request.isObject()) {
            throw new InvalidRequestException("request: must be a JSON object");
        }
        JsonNode v = request.get(name);
        if (v == null || v.isNull()) {
            throw new InvalidRequestException(name + ": required field is missing");
        }
        return v;
    }

    public static String text(JsonNode request, String name) throws InvalidRequestException {
        JsonNode v = field(request, name);
        if (!v.isTextual()) {
            throw new InvalidRequestException(name + ": must be a string, got " + v.getNodeType());
        }
        return v.asText();
    }

    /** Whether an optional field is given: present with a value other than null. */
    public static boolean present(JsonNode request, String name) {
        return request != null && request.hasNonNull(name);
    }

    /** A string field, or {@code fallback} when absent or null. */
    public static String text(JsonNode request, String name, String fallback) throws InvalidRequestException {
        return present(request, name) ? text(request, name) : fallback;
    }

    public static long integer(JsonNode request, String name, long min, long max) throws InvalidRequestException {
        JsonNode v = field(request, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidRequestException(name + ": must be a whole number, got " + v);
        }
        if (v.asLong() < min || v.asLong() > max) {
            throw new InvalidRequestException(name + ": must be in [" + min + ", " + max + "], got " + v.asLong());
        }
        return v.asLong();
    }

    /** A whole-number field in [min, max], or {@code fallback} when absent or null. */
    public static long integer(JsonNode request, String name, long min, long max, long fallback)
            throws InvalidRequestException {
        return present(request, name) ? integer(request, name, min, max) : fallback;
    }

    /** A finite number field, or {@code fallback} when absent or null. */
    public static double number(JsonNode request, String name, double fallback) throws InvalidRequestException {
        return present(request, name) ? number(request, name) : fallback;
    }

    public static double number(JsonNode request, String name) throws InvalidRequestException {
        JsonNode v = field(request, name);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new InvalidRequestException(name + ": must be a finite number, got " + v);
        }
        return v.asDouble();
    }

    /** A list of numbers of exactly {@code length} items (any length when {@code length} is negative). */
    public static double[] numbers(JsonNode request, String name, int length) throws InvalidRequestException {
        JsonNode v = field(request, name);
        if (!v.isArray() || (length >= 0 && v.size() != length)) {
            throw new InvalidRequestException(name + ": must be a list of " + (length >= 0 ? length + " " : "")
                    + "numbers");
        }
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            if (!v.get(i).isNumber() || !Double.isFinite(v.get(i).asDouble())) {
                throw new InvalidRequestException(name + "[" + i + "]: must be a finite number, got " + v.get(i));
            }
            out[i] = v.get(i).asDouble();
        }
        return out;
    }

    /** One of {@code allowed}. */
    public static String choice(JsonNode request, String name, String... allowed) throws InvalidRequestException {
        String v = text(request, name);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new InvalidRequestException(name + ": must be one of " + String.join(", ", allowed) + ", got '" + v
                + "'");
    }
}
