package io.e3.model.manifest;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when manifests are invalid; carries every problem found, not just the first. */
public class ManifestException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public ManifestException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ManifestException needs at least one violation");
        }
        this.violations = List.copyOf(violations);
    }

    /** All problems, in the order they were found. */
    public List<Violation> violations() {
        return violations;
    }
}
