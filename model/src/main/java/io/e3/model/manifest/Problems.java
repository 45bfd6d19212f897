package io.e3.model.manifest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Collects the violations of one source; knows the line of every field path of the document being read. */
final class Problems {

    private final String source;
    private final List<Violation> violations = new ArrayList<>();
    private Map<String, Integer> lines = Map.of();

    Problems(String source) {
        this.source = source;
    }

    /**
     * Switches to another YAML document of the same source. Lines count from the top of the source, so they tell the
     * documents of a multi-document file apart.
     *
     * @param lines the line of every field path in it; the empty path is the document's first line
     */
    void document(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /** A problem at a field path, located at the line of that path or of its closest present ancestor. */
    void at(String path, String message) {
        violations.add(new Violation(source, lineOf(path), path, message));
    }

    /** A problem at a known line that no field path names (a YAML syntax error, say). */
    void atLine(int line, String message) {
        violations.add(new Violation(source, line, "", message));
    }

    /** A problem with the source as a whole: unreadable, empty, binary. */
    void ofSource(String message) {
        violations.add(new Violation(source, 0, "", message));
    }

    int lineOf(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    String source() {
        return source;
    }

    boolean any() {
        return !violations.isEmpty();
    }

    int count() {
        return violations.size();
    }

    List<Violation> all() {
        return List.copyOf(violations);
    }
}
