package io.e3.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The CLI's settings file, {@code ~/.e3/config} (or the file {@code E3_CONFIG} names): YAML with the controller to
 * talk to and its token, both optional.
 *
 * <pre>
 * server: http://127.42.0.2:7090
 * token: 5f0c...
 * </pre>
 *
 * @param name   the file as messages name it: {@code ~/.e3/config}, or the value of {@code E3_CONFIG}
 * @param server the {@code server} entry, or null
 * @param token  the {@code token} entry, or null
 */
record ConfigFile(String name, String server, String token) {

    /** The environment variable that names another config file. */
    static final String VARIABLE = "E3_CONFIG";
    static final String DEFAULT_NAME = "~/.e3/config";
    private static final List<String> KEYS = List.of("server", "token");
    /** A config file holds two short lines; anything much larger is the wrong file. */
    private static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * The file {@code E3_CONFIG} names, which must exist; else {@code ~/.e3/config} if it exists; else no settings.
     * Bad input naming every problem of the file.
     */
    static ConfigFile load(Function<String, String> environment) {
        String given = environment.apply(VARIABLE);
        if (given != null && !given.isEmpty()) {
            Path file;
            try {
                file = Path.of(given);
            } catch (InvalidPathException e) {
                throw new BadInputException(VARIABLE + ": not a file name: " + given);
            }
            if (!Files.exists(file)) {
                throw new BadInputException(VARIABLE + ": " + given + ": no such file");
            }
            return read(file, given);
        }
        Path file = Path.of(System.getProperty("user.home"), ".e3", "config");
        return Files.exists(file) ? read(file, DEFAULT_NAME) : new ConfigFile(DEFAULT_NAME, null, null);
    }

    /** The settings in {@code file}, named {@code name} in messages. */
    static ConfigFile read(Path file, String name) {
        JsonNode doc;
        try {
            if (Files.isDirectory(file)) {
                throw new BadInputException(name + ": is a directory, not a config file");
            }
            byte[] text;
            try (InputStream in = Files.newInputStream(file)) {
                text = in.readNBytes(MAX_BYTES + 1);
            }
            if (text.length > MAX_BYTES) {
                throw new BadInputException(name + ": too large for a config file (over " + MAX_BYTES + " bytes)");
            }
            doc = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new BadInputException(name + (line > 0 ? ":" + line : "") + ": not valid YAML: "
                    + String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("").strip());
        } catch (AccessDeniedException e) {
            throw new BadInputException(name + ": permission denied");
        } catch (IOException e) {
            throw new BadInputException(name + ": cannot read: " + e.getMessage());
        }
        if (doc == null || doc.isMissingNode() || doc.isNull()) {
            return new ConfigFile(name, null, null);
        }
        if (!doc.isObject()) {
            throw new BadInputException(name + ": expected entries such as 'server: URL' and 'token: TOKEN', got "
                    + doc.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYS.contains(e.getKey())) {
                problems.add(name + ": unknown key '" + e.getKey() + "' (valid: " + String.join(", ", KEYS) + ")");
            } else if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                problems.add(name + ": " + e.getKey() + ": must be a string");
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        return new ConfigFile(name, text(doc, "server"), text(doc, "token"));
    }

    private static String text(JsonNode doc, String key) {
        JsonNode v = doc.get(key);
        return v == null ? null : v.asText();
    }
}
