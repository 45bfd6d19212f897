package io.e3.cli;

import io.e3.model.manifest.Manifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.manifest.Violation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where commands get manifests from: files, standard input ({@code -}), or the examples built into the CLI. */
final class ManifestSources {

    static final String STDIN = "-";

    private ManifestSources() {
    }

    /** Every document of every source, or a {@link ManifestException} with the problems of all of them. */
    static List<Manifest> load(List<String> sources, InputStream stdin) throws ManifestException {
        List<Manifest> manifests = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        for (String source : sources) {
            try {
                manifests.addAll(load(source, stdin));
            } catch (ManifestException e) {
                violations.addAll(e.violations());
            }
        }
        if (!violations.isEmpty()) {
            throw new ManifestException(violations);
        }
        return manifests;
    }

    /** Every document of one source. */
    static List<Manifest> load(String source, InputStream stdin) throws ManifestException {
        if (source.equals(STDIN)) {
            return Manifests.parse(readAll(stdin), "<stdin>");
        }
        return Manifests.load(Path.of(source));
    }

    /** A manifest shipped in the CLI, e.g. {@code clusters/3x-type1-smartnic.yaml} for examples/clusters/... */
    static List<Manifest> example(String name) throws ManifestException {
        try (InputStream in = ManifestSources.class.getResourceAsStream("/examples/" + name)) {
            if (in == null) {
                throw new IllegalStateException("built-in example " + name + " is missing from the CLI");
            }
            return Manifests.parse(in.readAllBytes(), "examples/" + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readNBytes((int) Manifests.MAX_BYTES + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }

    /**
     * The first document of one kind from {@code file}, or from the built-in example {@code example} (a path under
     * examples/) when no file is given; bad input if there is none.
     */
    static <T extends Manifest> T first(Class<T> type, String kind, String file, String example, InputStream stdin)
            throws ManifestException {
        List<Manifest> manifests = file == null ? example(example) : load(file, stdin);
        return only(type, kind, manifests, List.of(file == null ? "examples/" + example : file)).get(0);
    }

    /** The manifests of one kind, or bad input naming the sources that held none of it. */
    static <T extends Manifest> List<T> only(Class<T> type, String kind, List<Manifest> manifests,
                                             List<String> sources) {
        List<T> found = manifests.stream().filter(type::isInstance).map(type::cast).toList();
        if (found.isEmpty()) {
            throw new BadInputException(String.join(", ", sources) + ": no " + kind + " document in it"
                    + (manifests.isEmpty() ? "" : " (found " + manifests.stream()
                    .map(m -> m.kind() + " '" + m.name() + "'").toList() + ")"));
        }
        return found;
    }
}
