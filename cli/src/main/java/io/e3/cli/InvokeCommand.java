package io.e3.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.services.MicroserviceCatalog;
import io.e3.model.app.MicroserviceType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code e3 invoke TYPE}: one microservice instance, served requests by hand. */
@Command(name = "invoke", mixinStandardHelpOptions = true,
        description = {"Create one instance of a microservice type and serve it the JSON requests read from standard "
                + "input (or --data), in order: one response per line on standard output. A stateful instance keeps "
                + "its state from one request to the next, for this run only.",
                "The request format of each type: 'e3 microservices list -o json'. A bad request stops the run "
                        + "with exit code 2 and names the field."},
        footer = {"", "Example:", "  echo '{\"op\":\"put\",\"key\":\"a\",\"value\":\"1\"} {\"op\":\"get\",\"key\":\"a\"}' "
                + "| e3 invoke kvs"})
final class InvokeCommand implements Callable<Integer> {

    /** More than this on standard input is refused rather than buffered. */
    static final int MAX_INPUT_BYTES = 16 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "TYPE", completionCandidates = Types.class,
            description = "The microservice type (${COMPLETION-CANDIDATES}).")
    String type;

    @Option(names = {"-d", "--data"}, paramLabel = "JSON",
            description = "The request(s) as an argument instead of standard input.")
    String data;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        MicroserviceType t = MicroserviceType.byManifestName(type).orElseThrow(() -> new BadInputException(
                "TYPE: unknown microservice type '" + type + "'; known: "
                        + String.join(", ", MicroserviceType.manifestNames())));
        String source = data != null ? "--data" : "<stdin>";
        List<JsonNode> requests = parse(data != null ? data.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : readStdin(), source);
        if (requests.isEmpty()) {
            throw new BadInputException(source + ": no request; give a JSON object such as "
                    + MicroserviceCatalog.describe(t).requestSchema());
        }
        Microservice instance = MicroserviceCatalog.describe(t).create();
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < requests.size(); i++) {
            try {
                out.println(JSON.writeValueAsString(instance.handle(requests.get(i))));
            } catch (InvalidRequestException e) {
                out.flush();
                throw new BadInputException(source + ": request " + (i + 1) + ": " + e.getMessage());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot render a response as JSON", e);
            }
        }
        return ExitCodes.OK;
    }

    private byte[] readStdin() {
        try {
            InputStream in = E3Command.stdin(spec);
            byte[] bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
            if (bytes.length > MAX_INPUT_BYTES) {
                throw new BadInputException("<stdin>: more than " + (MAX_INPUT_BYTES >> 20) + " MiB of requests");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }

    /** The JSON values in {@code bytes}, one after another (whitespace or newlines between them). */
    static List<JsonNode> parse(byte[] bytes, String source) {
        List<JsonNode> values = new ArrayList<>();
        try (JsonParser parser = JSON.getFactory().createParser(bytes);
             MappingIterator<JsonNode> it = JSON.readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                values.add(it.nextValue());
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    /** Completion candidates and help text: the manifest names of the types. */
    static final class Types implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return MicroserviceType.manifestNames().iterator();
        }
    }
}
