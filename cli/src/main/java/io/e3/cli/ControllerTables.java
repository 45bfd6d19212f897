package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** How {@code e3 get} shows what the controller answers, as tables; each reads the JSON shapes of its resource. */
final class ControllerTables {

    private static final String NONE = "-";

    private ControllerTables() {
    }

    /** Apps ({@code AppRegistry.AppView}): name, phase, services, instances, appliedAt, reason. */
    static void apps(PrintWriter out, JsonNode apps) {
        TextTable table = new TextTable("NAME", "PHASE", "SERVICES", "INSTANCES", "APPLIED", "REASON");
        for (JsonNode a : apps) {
            table.row(text(a, "name"), text(a, "phase"), text(a, "services"), text(a, "instances"),
                    time(a.path("appliedAt")), text(a, "reason"));
        }
        print(out, table, apps, "apps");
    }

    /** Compute nodes ({@code ClusterResource.NodeView}). */
    static void nodes(PrintWriter out, JsonNode nodes) {
        TextTable table = new TextTable("NODE", "KIND", "SERVER", "RACK", "CORES", "MEMORY", "BANDWIDTH", "ADDRESS",
                "UP", "INSTANCES");
        for (JsonNode n : nodes) {
            table.row(text(n, "id"), text(n, "kind"), text(n, "server"), text(n, "rack"),
                    text(n, "cores") + " " + n.path("coreClass").asText("").toLowerCase(java.util.Locale.ROOT),
                    n.path("memoryMiB").isNumber() ? Units.memory(n.path("memoryMiB").asLong()) : NONE,
                    n.path("bandwidthGbps").isNumber() ? Units.gbps(n.path("bandwidthGbps").asDouble()) : NONE,
                    text(n, "address"), n.path("up").isBoolean() ? (n.path("up").asBoolean() ? "yes" : "no") : NONE,
                    text(n, "instances"));
        }
        print(out, table, nodes, "nodes");
    }

    /** Placed instances ({@code ClusterResource.PlacementView}). */
    static void placements(PrintWriter out, JsonNode placements) {
        TextTable table = new TextTable("APP", "INSTANCE", "SERVICE", "TYPE", "ROLE", "NODE");
        for (JsonNode p : placements) {
            table.row(text(p, "app"), text(p, "instance"), text(p, "service"), text(p, "type"), text(p, "role"),
                    text(p, "node"));
        }
        print(out, table, placements, "placements");
    }

    /** Migrations ({@code Migrations.View}); one migration also gets its steps and error below the table. */
    static void migrations(PrintWriter out, JsonNode migrations, boolean withSteps) {
        TextTable table = new TextTable("ID", "INSTANCE", "FROM", "TO", "PHASE", "STARTED", "TOOK", "REASON");
        for (JsonNode m : migrations) {
            table.row(text(m, "id"), text(m, "instance"), text(m, "from"), text(m, "to"), text(m, "phase"),
                    time(m.path("startedAt")), took(m.path("startedAt"), m.path("finishedAt")), text(m, "reason"));
        }
        print(out, table, migrations, "migrations");
        if (withSteps) {
            for (JsonNode m : migrations) {
                out.println();
                out.println("Steps:");
                m.path("steps").forEach(s -> out.println("  " + s.asText()));
                if (m.path("stateBytes").isNumber()) {
                    out.println("State moved: " + Units.number(m.path("stateBytes").asLong()) + " bytes");
                }
                if (m.path("error").isTextual()) {
                    out.println("Error: " + m.path("error").asText());
                }
            }
        }
    }

    private static void print(PrintWriter out, TextTable table, JsonNode rows, String what) {
        if (rows.isEmpty()) {
            out.println("No " + what + ".");
        } else {
            table.print(out, "");
        }
    }

    /** A field as text, or "-" when it is missing or null. */
    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? NONE : v.asText();
    }

    /** An instant to the second, as Quarkus writes it (ISO-8601) or as Jackson's default does (epoch seconds). */
    private static String time(JsonNode v) {
        Instant t = instant(v);
        return t == null ? (v.isValueNode() && !v.isNull() ? v.asText() : NONE)
                : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String took(JsonNode started, JsonNode finished) {
        Instant from = instant(started);
        Instant to = instant(finished);
        return from == null || to == null ? NONE : Units.duration(Duration.between(from, to));
    }

    private static Instant instant(JsonNode v) {
        if (v.isNumber()) {
            java.math.BigDecimal seconds = v.decimalValue();
            return Instant.ofEpochSecond(seconds.longValue(),
                    seconds.remainder(java.math.BigDecimal.ONE).movePointRight(9).longValue());
        }
        if (v.isTextual()) {
            try {
                return Instant.parse(v.asText());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
