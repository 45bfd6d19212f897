package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code e3 call --app NAME}: sends one request into a running app and prints every stage's answer. */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = {
                "Send one request into a running app and print the tree of its stages' answers (-o json: the "
                        + "controller's JSON).",
                "The controller sends the envelope to the app's entry service, as a client would, and every stage "
                        + "answers with its instance, node, response and latencies (emulated time, like every "
                        + "figure the agents report; the round trip is real time).",
                "An envelope is JSON: {\"key\": ..., \"id\": ..., \"bytes\": ..., \"stages\": {SERVICE: request}} "
                        + "(docs/node-agent.md); a service without a stage entry gets a sample request.",
                "A bad envelope exits with 2, an app that is not there or not running, or a stage that failed, "
                        + "with 1."},
        footer = {"", ControllerOptions.FOOTER, "", "Examples:",
                "  e3 call --app iot-ts",
                "  e3 call --app iot-ts --key thermostat-17 -o json",
                "  e3 call --app iot-ts -d '{\"id\": 7, \"bytes\": 1024}'",
                "  e3 call --app iot-ts -d @envelope.json"})
final class CallCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--app", required = true, paramLabel = "NAME", description = "The app to send to.")
    String app;

    @Option(names = {"-d", "--data"}, paramLabel = "ENVELOPE",
            description = "The envelope: JSON, @FILE, or - for standard input. Default: {}.")
    String data;

    @Option(names = "--key", paramLabel = "K",
            description = "The shard key (the envelope's key): the same key reaches the same shards.")
    String key;

    @Option(names = "--service", paramLabel = "NAME",
            description = "The entry service to send to. Default: the app's first.")
    String service;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to wait for the answer, at most 120s (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @CommandLine.Mixin
    OutputOption output;

    @CommandLine.Mixin
    ControllerOptions controller;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (timeout.toMillis() > 120_000) {
            throw new BadInputException("--timeout: at most 120s, got " + Units.duration(timeout));
        }
        byte[] envelope = envelope();
        ControllerClient client = controller.connect(spec);
        String path = "/v1/apps/" + ControllerClient.segment(app) + "/requests?timeoutMillis=" + timeout.toMillis()
                + (service == null ? "" : "&service=" + ControllerClient.segment(service));
        // The HTTP wait is a little longer than the controller's, so that its 504 arrives rather than ours.
        ControllerClient.Answer answer = client.post(path, "application/json", envelope,
                timeout.plusSeconds(5));
        if (answer.status() == 400) {
            throw new BadInputException(answer.error() == null ? "the controller refused the envelope (HTTP 400)"
                    : answer.error());
        }
        if (answer.status() != 200 && answer.error() != null) {
            // 404, 409, 502, 503, 504: the controller's error says what went wrong (docs/controller.md).
            throw new FailureException(answer.error());
        }
        JsonNode body = ControllerClient.require(answer, 200);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputFormat.printJson(out, body);
        } else {
            CallReport.print(out, body);
        }
        out.flush();
        int failures = body.path("failures").asInt(0);
        if (failures > 0) {
            throw new FailureException(Units.plural(failures, "stage", "stages") + " of " + app
                    + " failed or could not be reached");
        }
        return ExitCodes.OK;
    }

    /** The envelope to send: -d's JSON object (from text, a file or standard input) with --key set. */
    private byte[] envelope() {
        String text = data == null ? "{}" : data.equals("-") ? read(null) : data.startsWith("@")
                ? read(Path.of(data.substring(1))) : data;
        JsonNode parsed;
        try {
            parsed = JSON.readTree(text);
        } catch (IOException e) {
            throw new BadInputException("-d: the envelope is not JSON: " + e.getMessage().lines().findFirst()
                    .orElse(""));
        }
        if (parsed == null || !parsed.isObject()) {
            throw new BadInputException("-d: the envelope must be a JSON object such as {\"key\": \"k\", \"id\": 1}");
        }
        if (key != null) {
            ((ObjectNode) parsed).put("key", key);
        }
        try {
            return JSON.writeValueAsBytes(parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file's text, or standard input's for null. */
    private String read(Path file) {
        try {
            return file == null ? new String(E3Command.stdin(spec).readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(file);
        } catch (IOException e) {
            throw new BadInputException("-d: cannot read " + (file == null ? "standard input" : file) + ": "
                    + e.getMessage());
        }
    }
}
