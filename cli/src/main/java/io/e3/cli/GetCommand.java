package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code e3 get}: what a running controller holds: apps, nodes, placements, migrations. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {
                "Show what a running controller holds: apps, nodes, placements, migrations.",
                "As a table, or (-o json) as the controller's JSON:",
                "  apps [NAME]       apps with their phase (PENDING, PLACING, RUNNING, FAILED)",
                "  nodes [ID]        compute nodes: address, capacity, up or not, instances",
                "  placements [APP]  placed instances with node and role, of all apps or one",
                "  migrations [ID]   cold migrations; one migration also shows its steps",
                "Singular kinds (app, node, ...) work too. Something named that does not exist exits with 1."},
        footer = {"", ControllerOptions.FOOTER, "", "Examples:",
                "  e3 get apps",
                "  e3 get app iot-ts -o json",
                "  e3 get placements iot-ts",
                "  e3 get migrations 3"})
final class GetCommand implements Callable<Integer> {

    /** What {@code get} can show, by the name people type, plural or singular. */
    enum Kind {
        APPS("app"), NODES("node"), PLACEMENTS("placement"), MIGRATIONS("migration");

        private final String singular;

        Kind(String singular) {
            this.singular = singular;
        }

        String plural() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Reads {@code apps} or {@code app}, in any case. */
        static final class Converter implements CommandLine.ITypeConverter<Kind> {
            @Override
            public Kind convert(String value) {
                String v = value.toLowerCase(Locale.ROOT);
                return Arrays.stream(values()).filter(k -> k.plural().equals(v) || k.singular.equals(v)).findFirst()
                        .orElseThrow(() -> new CommandLine.TypeConversionException("expected apps, nodes, "
                                + "placements or migrations, got '" + value + "'"));
            }
        }

        /** The kinds, for help and completion. */
        static final class Names implements Iterable<String> {
            @Override
            public Iterator<String> iterator() {
                return Arrays.stream(values()).map(Kind::plural).iterator();
            }
        }
    }

    @Parameters(index = "0", paramLabel = "KIND", converter = Kind.Converter.class,
            completionCandidates = Kind.Names.class, description = "apps, nodes, placements or migrations.")
    Kind kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME",
            description = "One app, node or migration id; for placements, the app whose instances to show.")
    String name;

    @CommandLine.Mixin
    OutputOption output;

    @CommandLine.Mixin
    ControllerOptions controller;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (kind == Kind.MIGRATIONS && name != null && !name.matches("[1-9][0-9]{0,17}")) {
            throw new BadInputException("get migrations: a migration is named by its id, a number >= 1; got '"
                    + name + "'");
        }
        ControllerClient client = controller.connect(spec);
        PrintWriter out = spec.commandLine().getOut();
        switch (kind) {
            case APPS -> show(out, name == null ? list(client, "/v1/apps")
                    : one(client, "/v1/apps/" + ControllerClient.segment(name)), ControllerTables::apps);
            case NODES -> show(out, name == null ? list(client, "/v1/nodes")
                    : only(list(client, "/v1/nodes"), "id", "no node '" + name + "'"), ControllerTables::nodes);
            case PLACEMENTS -> show(out, name == null ? list(client, "/v1/placements") : placementsOf(client),
                    ControllerTables::placements);
            case MIGRATIONS -> show(out, name == null ? list(client, "/v1/migrations")
                    : one(client, "/v1/migrations/" + name),
                    (o, rows) -> ControllerTables.migrations(o, rows, name != null));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Prints the controller's JSON as it came (one object for a NAME, else an array), or a table of the rows. */
    private void show(PrintWriter out, JsonNode doc, java.util.function.BiConsumer<PrintWriter, JsonNode> table) {
        if (output.json()) {
            OutputFormat.printJson(out, doc);
        } else {
            table.accept(out, doc.isArray() ? doc : JsonNodeFactory.instance.arrayNode().add(doc));
        }
    }

    private static JsonNode list(ControllerClient client, String path) {
        JsonNode body = ControllerClient.require(client.get(path), 200);
        if (!body.isArray()) {
            throw new FailureException("the controller answered GET " + path + " with " + body.getNodeType()
                    .name().toLowerCase(Locale.ROOT) + " instead of a list");
        }
        return body;
    }

    private static JsonNode one(ControllerClient client, String path) {
        return ControllerClient.require(client.get(path), 200);
    }

    /** The one row whose {@code field} is NAME; the API has no call for one node, so the list is searched. */
    private JsonNode only(JsonNode rows, String field, String missing) {
        for (JsonNode row : rows) {
            if (name.equals(row.path(field).asText())) {
                return row;
            }
        }
        throw new FailureException(missing);
    }

    /** The placed instances of app NAME; none for an app that is not placed (yet), an error for no app. */
    private JsonNode placementsOf(ControllerClient client) {
        ArrayNode mine = JsonNodeFactory.instance.arrayNode();
        list(client, "/v1/placements").forEach(p -> {
            if (name.equals(p.path("app").asText())) {
                mine.add(p);
            }
        });
        if (mine.isEmpty()) {
            one(client, "/v1/apps/" + ControllerClient.segment(name));
        }
        return mine;
    }
}
