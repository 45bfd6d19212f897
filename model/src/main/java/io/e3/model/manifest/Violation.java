package io.e3.model.manifest;

import java.util.Objects;

/**
 * One problem found in a manifest.
 *
 * @param source  where the manifest came from: a file path, or a name such as {@code <stdin>}
 * @param line    the 1-based line the problem is at, or 0 when no line applies
 * @param path    the field path within the document, e.g. {@code spec.services[2].replicas}; empty for the whole
 *                document or file
 * @param message what is wrong, naming the expected and the actual value where there is one
 */
public record Violation(String source, int line, String path, String message) {

    public Violation {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** Rendered as {@code source:line: path: message}, the form editors and terminals link to. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (!path.isEmpty()) {
            b.append(path).append(": ");
        }
        return b.append(message).toString();
    }
}
