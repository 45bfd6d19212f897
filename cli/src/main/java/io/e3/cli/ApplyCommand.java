package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.model.manifest.Manifests;
import io.e3.model.manifest.Violation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code e3 apply}: sends app manifests to the controller, which places and runs them. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {
                "Apply app manifests on a running controller.",
                "Each file holds one MicroserviceApp, which the controller validates, places and deploys. A new app "
                        + "is created; one of the same name is configured (replaced). 'e3 get apps' shows when it "
                        + "runs.",
                "An invalid manifest applies nothing: every problem is reported on stderr as "
                        + "FILE:LINE: FIELD: PROBLEM and the exit code is 2. The other files are still applied."},
        footer = {"", ControllerOptions.FOOTER, "", "Examples:",
                "  e3 apply -f examples/apps/iot-ts.yaml",
                "  e3 apply -f examples/apps/nfv-fin.yaml examples/apps/rta-sf.yaml",
                "  cat shop.yaml | e3 apply -f -"})
final class ApplyCommand implements Callable<Integer> {

    private static final String STDIN_NAME = "<stdin>";

    @Option(names = {"-f", "--file"}, required = true, arity = "1..*", paramLabel = "FILE",
            description = "App manifests, one MicroserviceApp each, applied in this order; '-' reads standard input. "
                    + "Several may follow one -f, and -f may be repeated.")
    List<String> files = new ArrayList<>();

    @CommandLine.Mixin
    ControllerOptions controller;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One manifest to send, with the name its violations are reported under. */
    private record Source(String name, byte[] text) {
    }

    @Override
    public Integer call() {
        List<String> problems = new ArrayList<>();
        ControllerClient client = null;
        try {
            client = controller.connect(spec);
        } catch (BadInputException e) {
            problems.addAll(e.problems());
        }
        List<Source> sources = new ArrayList<>();
        for (String file : files) {
            Source s = read(file, E3Command.stdin(spec), problems);
            if (s != null) {
                sources.add(s);
            }
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        PrintWriter out = spec.commandLine().getOut();
        for (Source source : sources) {
            ControllerClient.Answer answer = client.post("/v1/apps", "application/yaml", source.text());
            if (answer.status() == 422) {
                problems.addAll(violations(answer, source.name()));
                continue;
            }
            JsonNode app = ControllerClient.require(answer, 200, 201);
            out.println("app " + app.path("name").asText() + " " + (answer.status() == 201 ? "created" : "configured")
                    + " (" + app.path("phase").asText() + ")");
            out.flush();
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        return ExitCodes.OK;
    }

    /** The violations of a 422, each under the name of the file it was sent from rather than the controller's. */
    static List<String> violations(ControllerClient.Answer answer, String source) {
        List<String> lines = new ArrayList<>();
        for (JsonNode v : answer.body().path("violations")) {
            lines.add(new Violation(source, v.path("line").asInt(0), v.path("path").asText(""),
                    v.path("message").asText("")).toString());
        }
        if (lines.isEmpty()) {
            lines.add(source + ": " + (answer.error() == null ? "the controller refused it (HTTP 422)"
                    : answer.error()));
        }
        return lines;
    }

    /** The text of one file, or null with the problem added. */
    private static Source read(String file, InputStream stdin, List<String> problems) {
        if (file.equals(ManifestSources.STDIN)) {
            try {
                byte[] text = stdin.readNBytes((int) Manifests.MAX_BYTES + 1);
                if (text.length > Manifests.MAX_BYTES) {
                    problems.add(STDIN_NAME + ": too large for a manifest: over " + Manifests.MAX_BYTES + " bytes");
                    return null;
                }
                return new Source(STDIN_NAME, text);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read standard input", e);
            }
        }
        try {
            Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                problems.add(file + ": is a directory, not a manifest file");
            } else if (!Files.exists(path)) {
                problems.add(file + ": no such file");
            } else if (Files.size(path) > Manifests.MAX_BYTES) {
                problems.add(file + ": too large for a manifest: " + Files.size(path) + " bytes, the limit is "
                        + Manifests.MAX_BYTES);
            } else {
                return new Source(file, Files.readAllBytes(path));
            }
        } catch (InvalidPathException e) {
            problems.add(file + ": not a file name");
        } catch (AccessDeniedException e) {
            problems.add(file + ": permission denied");
        } catch (IOException e) {
            problems.add(file + ": cannot read: " + e.getMessage());
        }
        return null;
    }
}
