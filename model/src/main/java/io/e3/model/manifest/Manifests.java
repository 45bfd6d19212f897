package io.e3.model.manifest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and validates manifests. Everything is checked before anything is built, and every problem is reported with
 * its source, line and field path; a manifest is returned only when it has none.
 */
public final class Manifests {

    /** Manifests are small; anything bigger is a mistake (a log file, a disk image) and is refused unread. */
    public static final long MAX_BYTES = 1024 * 1024;

    private static final Map<String, String> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put(AppManifest.KIND, AppManifest.KIND);
        KINDS.put(ClusterManifest.KIND, ClusterManifest.KIND);
    }

    private Manifests() {
    }

    /**
     * Reads every document of one file.
     *
     * @throws ManifestException with every problem found: the file missing, a directory, unreadable, too large,
     *                           binary, empty, bad YAML, or any invalid field
     */
    public static List<Manifest> load(Path file) throws ManifestException {
        Problems problems = new Problems(file.toString());
        Optional<String> text = readText(file, problems);
        if (text.isEmpty()) {
            throw new ManifestException(problems.all());
        }
        return parse(text.get(), problems);
    }

    /** Reads every document of several files, reporting the problems of all of them together. */
    public static List<Manifest> loadAll(List<Path> files) throws ManifestException {
        List<Manifest> manifests = new ArrayList<>();
        List<Violation> violations = new ArrayList<>();
        for (Path file : files) {
            try {
                manifests.addAll(load(file));
            } catch (ManifestException e) {
                violations.addAll(e.violations());
            }
        }
        if (!violations.isEmpty()) {
            throw new ManifestException(violations);
        }
        return manifests;
    }

    /**
     * Reads every document of {@code text}.
     *
     * @param source what to call it in messages, e.g. a file name or {@code <stdin>}
     */
    public static List<Manifest> parse(String text, String source) throws ManifestException {
        return parse(text, new Problems(source));
    }

    /**
     * Reads every document of {@code bytes}, which must be UTF-8 text (standard input, a resource).
     *
     * @param source what to call it in messages, e.g. {@code <stdin>}
     */
    public static List<Manifest> parse(byte[] bytes, String source) throws ManifestException {
        Problems problems = new Problems(source);
        if (bytes.length > MAX_BYTES) {
            problems.ofSource("too large for a manifest: " + bytes.length + " bytes, the limit is " + MAX_BYTES);
            throw new ManifestException(problems.all());
        }
        Optional<String> text = decode(bytes, problems);
        if (text.isEmpty()) {
            throw new ManifestException(problems.all());
        }
        return parse(text.get(), problems);
    }

    private static List<Manifest> parse(String text, Problems problems) throws ManifestException {
        List<YamlDocuments.Document> documents = YamlDocuments.read(text, problems);
        if (documents.isEmpty() && !problems.any()) {
            problems.ofSource("empty manifest: no YAML document in it");
        }
        List<Manifest> manifests = new ArrayList<>();
        for (YamlDocuments.Document document : documents) {
            problems.document(document.lines());
            read(document, problems).ifPresent(manifests::add);
        }
        if (problems.any()) {
            throw new ManifestException(problems.all());
        }
        return manifests;
    }

    private static Optional<Manifest> read(YamlDocuments.Document document, Problems problems) {
        String origin = problems.source() + ":" + problems.lineOf("");
        Optional<Fields> root = Fields.of(document.root(), "", problems);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Fields doc = root.get();
        doc.rejectUnknown("apiVersion", "kind", "metadata", "spec");
        String apiVersion = doc.string("apiVersion", true);
        if (apiVersion != null && !apiVersion.equals(Manifest.API_VERSION)) {
            doc.problem("apiVersion", "unsupported apiVersion '" + apiVersion + "'; expected " + Manifest.API_VERSION);
        }
        String kind = doc.choice("kind", true, KINDS, "kind");
        String name = doc.object("metadata", true).map(Manifests::metadataName).orElse(null);
        Optional<Fields> spec = doc.object("spec", true);
        if (kind == null || spec.isEmpty()) {
            return Optional.empty();
        }
        int before = problems.count();
        Optional<? extends Manifest> manifest = kind.equals(AppManifest.KIND)
                ? AppManifestReader.read(name, spec.get()).map(app -> new AppManifest(origin, app))
                : ClusterManifestReader.read(name, spec.get()).map(c -> new ClusterManifest(origin, c));
        return problems.count() == before && name != null ? manifest.map(Manifest.class::cast) : Optional.empty();
    }

    private static String metadataName(Fields metadata) {
        metadata.rejectUnknown("name", "labels", "annotations");
        metadata.entries("labels");
        metadata.entries("annotations");
        return metadata.name("name");
    }

    private static Optional<String> readText(Path file, Problems problems) {
        try {
            if (Files.isDirectory(file)) {
                problems.ofSource("is a directory, not a manifest file (name the files in it, e.g. "
                        + file.resolve("*.yaml") + ")");
                return Optional.empty();
            }
            if (!Files.exists(file)) {
                problems.ofSource("no such file");
                return Optional.empty();
            }
            if (!Files.isRegularFile(file)) {
                problems.ofSource("not a regular file");
                return Optional.empty();
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                problems.ofSource("too large for a manifest: " + size + " bytes, the limit is " + MAX_BYTES);
                return Optional.empty();
            }
            return decode(Files.readAllBytes(file), problems);
        } catch (NoSuchFileException e) {
            problems.ofSource("no such file");
        } catch (AccessDeniedException e) {
            problems.ofSource("permission denied");
        } catch (IOException e) {
            problems.ofSource("cannot read: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** Strict UTF-8; a NUL byte or an invalid sequence means the file is not a text manifest. */
    static Optional<String> decode(byte[] bytes, Problems problems) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                problems.ofSource("binary content (a NUL byte at offset " + i + "), not a YAML manifest");
                return Optional.empty();
            }
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(buffer)
                    .toString();
            return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (CharacterCodingException e) {
            problems.ofSource("not UTF-8 text (invalid byte sequence near offset " + buffer.position()
                    + "), not a YAML manifest");
            return Optional.empty();
        }
    }
}
