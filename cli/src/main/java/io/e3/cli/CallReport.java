package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.List;

/**
 * The answer of {@code POST /v1/apps/{name}/requests} for people: a summary line, then one row per stage, indented
 * as the DAG's tree, with its instance, node, emulated latencies and the start of its response (or its error).
 */
final class CallReport {

    /** How much of a response a row shows. */
    static final int RESPONSE_CHARS = 60;

    private CallReport() {
    }

    static void print(PrintWriter out, JsonNode answer) {
        JsonNode envelope = answer.path("envelope");
        out.printf("%s: %d of %s answered, %s, in %s ms (envelope id %s%s)%n", answer.path("app").asText(),
                answer.path("stages").asInt() - answer.path("failures").asInt(),
                Units.plural(answer.path("stages").asInt(), "stage", "stages"),
                Units.plural(answer.path("failures").asInt(), "failure", "failures"),
                answer.path("elapsedMillis").asText(), envelope.path("id").asText(),
                envelope.path("key").isTextual() ? ", key " + envelope.get("key").asText() : "");
        TextTable table = new TextTable("STAGE", "INSTANCE", "NODE", "EXEC", "LATENCY", "RESPONSE");
        rows(table, answer.path("reply"), "", "");
        table.print(out, "");
        out.println("EXEC: arrival to the stage's own work done; LATENCY: arrival to its answer, stages below "
                + "included (emulated µs)");
    }

    /** Adds {@code stage} and those below it; {@code lead} starts its row, {@code indent} its children's. */
    private static void rows(TextTable table, JsonNode stage, String lead, String indent) {
        String instance = stage.path("instance").asText("?");
        boolean failed = stage.has("status") || stage.has("error");
        table.row(lead + service(instance), instance, stage.path("node").asText("-"),
                micros(stage.path("execMicros")), micros(stage.path("latencyMicros")),
                failed ? stage.path("status").asText("FAILED") + ": " + stage.path("error").asText()
                        : clip(stage.path("response").toString()));
        List<JsonNode> below = new java.util.ArrayList<>();
        stage.path("downstream").forEach(below::add);
        for (int i = 0; i < below.size(); i++) {
            boolean last = i == below.size() - 1;
            rows(table, below.get(i), indent + (last ? "└─ " : "├─ "), indent + (last ? "   " : "│  "));
        }
    }

    /** The service of an instance id {@code app/service.n[.backupj]}. */
    static String service(String instance) {
        String name = instance.substring(instance.indexOf('/') + 1);
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    private static String micros(JsonNode v) {
        return v.isNumber() ? v.asText() + " µs" : "-";
    }

    private static String clip(String text) {
        return text.length() <= RESPONSE_CHARS ? text : text.substring(0, RESPONSE_CHARS - 3) + "...";
    }
}
