package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.model.app.MicroserviceType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MicroservicesCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void listsAllSixteenTypesOfTable52() {
        CliRun run = CliRun.of("microservices", "list");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("16 microservice types");
        for (MicroserviceType t : MicroserviceType.values()) {
            assertThat(run.out()).containsPattern("(?m)^  " + t.manifestName() + " +" + (t.stateful() ? "yes" : "no"));
        }
        // Table 5.1, KVS: 2.0e6 req/s on 2 host cores -> 1.00 µs per request per core.
        assertThat(run.out()).containsPattern("(?m)^  kvs +yes +1\\.00 +1,000,000 ");
    }

    @Test
    void listsTypesAsJsonWithSchemasAndProfiles() throws Exception {
        CliRun run = CliRun.of("microservices", "list", "-o", "json");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode types = JSON.readTree(run.out());
        assertThat(types).hasSize(16);
        List<String> names = new ArrayList<>();
        types.forEach(t -> names.add(t.get("type").asText()));
        assertThat(names).containsExactlyElementsOf(MicroserviceType.manifestNames());
        JsonNode bayes = types.get(MicroserviceType.BAYES.ordinal());
        assertThat(bayes.get("request").asText()).isNotBlank();
        assertThat(bayes.get("profile").get("source").asText()).contains("Table 5.1");
        // Table 5.1, Bayes on the SmartNIC: 1.6e3 req/s on 12 cores -> 7,500 µs per request per core.
        assertThat(bayes.get("profile").get("smartNicServiceTimeUs").asDouble()).isEqualTo(7500.0);
    }

    @Test
    void invokeServesRequestsFromStdinInOrderKeepingState() {
        CliRun run = CliRun.withStdin(("{\"op\":\"put\",\"key\":\"a\",\"value\":\"1\"}\n"
                + "{\"op\":\"get\",\"key\":\"a\"}").getBytes(StandardCharsets.UTF_8), "invoke", "kvs");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().lines()).containsExactly("{\"found\":false}", "{\"found\":true,\"value\":\"1\"}");
    }

    @Test
    void invokeTakesTheRequestAsAnArgument() {
        CliRun run = CliRun.of("invoke", "EMA", "--data", "{\"stream\":\"t\",\"value\":4}");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out().strip()).isEqualTo("{\"ema\":4.0,\"samples\":1}");
    }

    @Test
    void invokeNamesTheBadFieldAndExitsTwo() {
        CliRun run = CliRun.withStdin("{\"op\":\"get\",\"key\":\"a\"} {\"op\":\"get\"}".getBytes(StandardCharsets.UTF_8),
                "invoke", "kvs");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.out().strip()).isEqualTo("{\"found\":false}");
        assertThat(run.errLines()).containsExactly("<stdin>: request 2: key: required field is missing");
    }

    @Test
    void invokeRejectsJsonThatDoesNotParseWithItsPosition() {
        CliRun run = CliRun.withStdin("{\"op\": \"get\",\n  \"key\": }".getBytes(StandardCharsets.UTF_8),
                "invoke", "kvs");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).startsWith("<stdin>:2:").contains("not valid JSON");
    }

    @Test
    void invokeRejectsAnUnknownTypeAndEmptyInput() {
        CliRun unknown = CliRun.of("invoke", "kvz");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unknown.err()).startsWith("TYPE: unknown microservice type 'kvz'; known: ipsec, bm25");
        CliRun empty = CliRun.of("invoke", "kvs");
        assertThat(empty.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(empty.err()).startsWith("<stdin>: no request; give a JSON object such as {\"op\"");
    }

    @Test
    void benchRejectsBadArgumentsBeforeRunningAnything() {
        CliRun run = CliRun.of("bench", "microservices", "--types", "kvs,nope", "--sizes", "512");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.err()).startsWith("--types: unknown type(s) nope;");
        CliRun size = CliRun.of("bench", "microservices", "--types", "kvs", "--sizes", "8");
        assertThat(size.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(size.err()).startsWith("--sizes: 8 is out of range [16, 65536]");
    }
}
