package io.e3.model.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the YAML documents of one source into Jackson trees, remembering the line of every field path so that a
 * problem found later can be reported where it is. Duplicate keys are problems, not silently overwritten.
 */
final class YamlDocuments {

    /** One YAML document: its tree and the 1-based line of every path in it (the empty path is its start). */
    record Document(JsonNode root, Map<String, Integer> lines) {
    }

    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private YamlDocuments() {
    }

    /**
     * Parses every document of {@code text}. A YAML syntax error is reported with its line and ends the reading, since
     * nothing after it can be trusted; documents that are empty are left out.
     */
    static List<Document> read(String text, Problems problems) {
        List<Document> documents = new ArrayList<>();
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                Map<String, Integer> lines = new HashMap<>();
                JsonNode root = node(parser, token, "", lines, problems);
                // An empty document ("---" and nothing after it) comes back as null or as an empty string.
                if (!root.isNull() && !(root.isTextual() && root.asText().isEmpty())) {
                    documents.add(new Document(root, lines));
                }
            }
        } catch (JsonProcessingException e) {
            if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                problems.atLine(marked.getProblemMark().getLine() + 1, "YAML syntax error: " + describe(marked));
            } else {
                problems.atLine(lineOf(e), "YAML syntax error: " + describe(e));
            }
        } catch (IOException e) {
            problems.ofSource("cannot read YAML: " + e.getMessage());
        }
        return documents;
    }

    private static JsonNode node(JsonParser p, JsonToken token, String path, Map<String, Integer> lines,
                                 Problems problems) throws IOException {
        lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
        return switch (token) {
            case START_OBJECT -> object(p, path, lines, problems);
            case START_ARRAY -> array(p, path, lines, problems);
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> NODES.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            case VALUE_NULL -> NODES.nullNode();
            default -> NODES.textNode(p.getText());
        };
    }

    private static ObjectNode object(JsonParser p, String path, Map<String, Integer> lines, Problems problems)
            throws IOException {
        ObjectNode object = NODES.objectNode();
        JsonToken token;
        while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String child = path.isEmpty() ? key : path + "." + key;
            int line = p.currentTokenLocation().getLineNr();
            JsonNode value = node(p, p.nextToken(), child, lines, problems);
            if (object.has(key)) {
                problems.atLine(line, child + ": duplicate key '" + key + "' (first at line " + lines.get(child) + ")");
            } else {
                lines.put(child, line);
                object.set(key, value);
            }
        }
        if (token != JsonToken.END_OBJECT) {
            throw new IllegalStateException("unexpected YAML token " + token + " in a mapping");
        }
        return object;
    }

    private static ArrayNode array(JsonParser p, String path, Map<String, Integer> lines, Problems problems)
            throws IOException {
        ArrayNode array = NODES.arrayNode();
        JsonToken token;
        while ((token = p.nextToken()) != JsonToken.END_ARRAY) {
            array.add(node(p, token, path + "[" + array.size() + "]", lines, problems));
        }
        return array;
    }

    private static int lineOf(JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        return location == null ? 0 : location.getLineNr();
    }

    /** The YAML engine's complaint in one line: the problem, its column, and what it was in the middle of. */
    private static String describe(MarkedYAMLException e) {
        StringBuilder b = new StringBuilder(e.getProblem() == null ? "malformed YAML" : e.getProblem());
        b.append(" (column ").append(e.getProblemMark().getColumn() + 1);
        if (e.getContext() != null) {
            b.append(", ").append(e.getContext());
            if (e.getContextMark() != null && e.getContextMark().getLine() != e.getProblemMark().getLine()) {
                b.append(" started at line ").append(e.getContextMark().getLine() + 1);
            }
        }
        return b.append(')').toString();
    }

    /** Jackson's complaint in one line, for errors the YAML engine did not mark. */
    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        return message.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("malformed YAML");
    }
}
