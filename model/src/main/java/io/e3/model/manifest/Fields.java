package io.e3.model.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the fields of one YAML mapping, reporting every missing, mistyped, out-of-range or unknown field with its path
 * to {@link Problems} and carrying on. A getter returns {@code null} (or empty) when the field is absent or wrong, so
 * callers can keep checking the rest and build nothing when anything was wrong.
 */
final class Fields {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final int DNS_LABEL_MAX = 63;

    private final JsonNode node;
    private final String path;
    private final Problems problems;

    private Fields(JsonNode node, String path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** The mapping at {@code path}, or empty after reporting that {@code value} is not one. */
    static Optional<Fields> of(JsonNode value, String path, Problems problems) {
        if (value == null || !value.isObject()) {
            problems.at(path, "must be a mapping, got " + describe(value));
            return Optional.empty();
        }
        return Optional.of(new Fields(value, path, problems));
    }

    String path() {
        return path;
    }

    /** Problems reported so far in this source, to tell whether a part read cleanly. */
    int problemCount() {
        return problems.count();
    }

    /** Reads the mapping {@code value} found at {@code childPath}, or reports that it is not one. */
    Optional<Fields> child(JsonNode value, String childPath) {
        return of(value, childPath, problems);
    }

    String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(String key, String message) {
        problems.at(key == null ? path : pathOf(key), message);
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    private JsonNode present(String key, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problem(key, "required field is missing");
            }
            return null;
        }
        return value;
    }

    /** A non-empty string, or {@code null}. */
    String string(String key, boolean required) {
        JsonNode value = present(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            problem(key, "must be a string, got " + describe(value));
            return null;
        }
        if (value.asText().isBlank()) {
            problem(key, "must not be empty");
            return null;
        }
        return value.asText();
    }

    /** A DNS-1123 label (the names Kubernetes accepts for objects), or {@code null}. */
    String name(String key) {
        String value = string(key, true);
        if (value != null && !isDnsLabel(value)) {
            problem(key, "must be a DNS-1123 label (lowercase letters, digits and '-', starting and ending with a "
                    + "letter or digit, at most " + DNS_LABEL_MAX + " characters), got '" + value + "'");
            return null;
        }
        return value;
    }

    static boolean isDnsLabel(String value) {
        return value.length() <= DNS_LABEL_MAX && DNS_LABEL.matcher(value).matches();
    }

    /** The value for one of the keys of {@code allowed} (compared without case), or {@code null} after reporting it. */
    <T> T choice(String key, boolean required, Map<String, T> allowed, String what) {
        String value = string(key, required);
        if (value == null) {
            return null;
        }
        for (Map.Entry<String, T> e : allowed.entrySet()) {
            if (e.getKey().equalsIgnoreCase(value)) {
                return e.getValue();
            }
        }
        problem(key, "unknown " + what + " '" + value + "'" + suggestion(value, allowed.keySet())
                + "; expected one of: " + String.join(", ", allowed.keySet()));
        return null;
    }

    /** A whole number in {@code [min, max]}, or {@code null}. */
    Long integer(String key, boolean required, long min, long max) {
        JsonNode value = present(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            problem(key, "must be a whole number, got " + describe(value));
            return null;
        }
        if (!value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            String bound = !value.canConvertToLong() || value.asLong() > max ? "<= " + max : ">= " + min;
            problem(key, "must be " + bound + ", got " + value.asText());
            return null;
        }
        return value.asLong();
    }

    /** A finite number in {@code (0, max]} when {@code positive}, else in {@code [0, max]}; or {@code null}. */
    Double number(String key, boolean required, boolean positive, double max) {
        JsonNode value = present(key, required);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            problem(key, "must be a number, got " + describe(value));
            return null;
        }
        double v = value.asDouble();
        if (positive ? !(v > 0) : v < 0) {
            problem(key, "must be " + (positive ? "> 0" : ">= 0") + ", got " + value.asText());
            return null;
        }
        if (v > max) {
            problem(key, "must be <= " + format(max) + ", got " + value.asText());
            return null;
        }
        return v;
    }

    /** The nested mapping at {@code key}, or empty. */
    Optional<Fields> object(String key, boolean required) {
        JsonNode value = present(key, required);
        return value == null ? Optional.empty() : of(value, pathOf(key), problems);
    }

    /** The keys of the nested mapping at {@code key} with their values, or empty. */
    List<Map.Entry<String, JsonNode>> entries(String key) {
        JsonNode value = present(key, false);
        if (value == null) {
            return List.of();
        }
        if (!value.isObject()) {
            problem(key, "must be a mapping, got " + describe(value));
            return List.of();
        }
        return List.copyOf(value.properties());
    }

    /** The items of the list at {@code key}, between {@code minSize} and {@code maxSize} of them, or empty. */
    List<JsonNode> list(String key, boolean required, int minSize, int maxSize) {
        JsonNode value = present(key, required);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            problem(key, "must be a list, got " + describe(value));
            return List.of();
        }
        if (value.size() < minSize) {
            problem(key, "must have at least " + minSize + " item" + (minSize == 1 ? "" : "s") + ", got "
                    + value.size());
            return List.of();
        }
        if (value.size() > maxSize) {
            problem(key, "must have at most " + maxSize + " items, got " + value.size());
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>(value.size());
        value.elements().forEachRemaining(items::add);
        return items;
    }

    /** Reports every key not in {@code allowed}, with the closest allowed key as a suggestion. */
    void rejectUnknown(String... allowed) {
        List<String> known = List.of(allowed);
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!known.contains(key)) {
                problem(key, "unknown field '" + key + "'" + suggestion(key, known)
                        + "; allowed here: " + String.join(", ", known));
            }
        }
    }

    /** {@code " (did you mean 'x'?)"} for the candidate closest to {@code value}, if any is close. */
    static String suggestion(String value, Collection<String> candidates) {
        String lower = value.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .min(Comparator.comparingInt(c -> editDistance(lower, c.toLowerCase(Locale.ROOT))))
                .filter(c -> editDistance(lower, c.toLowerCase(Locale.ROOT)) <= Math.max(2, value.length() / 3))
                .map(c -> " (did you mean '" + c + "'?)")
                .orElse("");
    }

    /** Levenshtein distance. */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A short description of a YAML value for "got ..." in messages. */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "nothing";
        }
        if (value.isObject()) {
            return "a mapping";
        }
        if (value.isArray()) {
            return "a list";
        }
        if (value.isTextual()) {
            String text = value.asText();
            return "the string '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
        }
        if (value.isBoolean()) {
            return "the boolean " + value.asText();
        }
        return value.isNumber() ? "the number " + value.asText() : value.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
