package io.e3.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The desired state, kept in a {@link StateLog} under {@code e3.state.dir}: the cluster it belongs to, each applied
 * manifest, where its instances are to run with the routing table (and its version) published for that, failures,
 * deletions, and intents: a migration is recorded as {@code migrating} before anything is done, and as
 * {@code migrated} once it has ended, so that a controller restarting after a crash knows which migrations it cut
 * off. {@link #load()} folds the log into the last word on each app.
 */
@ApplicationScoped
public class StateKeeper {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "e3.state.dir", defaultValue = "e3-state")
    String dir;

    private StateLog log;

    /**
     * A test hook called with each record's kind ({@code placed}, {@code migrating}, ...) before it is written; it may
     * throw an {@link Error} to stop the controller there. Null in production.
     */
    volatile java.util.function.Consumer<String> beforeRecord;

    private void append(ObjectNode r) {
        java.util.function.Consumer<String> hook = beforeRecord;
        if (hook != null) {
            hook.accept(r.path("op").asText());
        }
        log().append(r);
    }

    /** A migration recorded as started and not as ended. */
    public record Intent(String app, String instance, String from, String to, long migration) {
    }

    /**
     * The last word on one app.
     *
     * @param nodes      where each instance is to run; empty if the app was never placed or failed
     * @param routes     the routing table published for that, or null
     * @param version    that table's version, 0 if none
     * @param failure    why the app failed, or null
     * @param migrations its migrations that started and never ended (the controller stopped meanwhile)
     */
    public record Saved(String app, String manifest, Map<String, String> nodes, String routes, long version,
                        String failure, List<Intent> migrations) {
    }

    /** The state folder holds another cluster's state. */
    public static final class ForeignStateException extends IllegalStateException {
        public ForeignStateException(String message) {
            super(message);
        }
    }

    private synchronized StateLog log() {
        if (log == null) {
            log = new StateLog(Path.of(dir, "controller.log"));
        }
        return log;
    }

    /** Where the state lives. */
    public Path folder() {
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /**
     * Ties the state to cluster {@code cluster} on address block {@code block}: records it if the state is new, and
     * refuses, naming both clusters, the folder and how to choose another, if it belongs to another cluster.
     */
    public void belongsTo(String cluster, String block) {
        for (ObjectNode r : log().replay()) {
            if (r.path("op").asText().equals("cluster")) {
                String name = r.path("name").asText();
                String at = r.path("addressBlock").asText();
                if (!name.equals(cluster) || !at.equals(block)) {
                    throw new ForeignStateException("state in " + folder() + " belongs to cluster " + name + " on "
                            + at + ", not to " + cluster + " on " + block + "; start with another folder "
                            + "(--state-dir, e3.state.dir) or delete that one to start afresh");
                }
                return;
            }
        }
        append(clusterRecord(cluster, block));
    }

    private static ObjectNode clusterRecord(String cluster, String block) {
        return JSON.createObjectNode().put("op", "cluster").put("name", cluster).put("addressBlock", block)
                .put("at", System.currentTimeMillis());
    }

    public void applied(String app, String manifest) {
        append(record("apply", app).put("manifest", manifest));
    }

    /** {@code app} is to run as {@code result}, with routing table {@code routes} numbered {@code version}. */
    public void placed(String app, PlacementResult result, String routes, long version) {
        ObjectNode r = record("placed", app).put("routes", routes).put("version", version);
        ObjectNode nodes = r.putObject("nodes");
        for (Assignment a : result.assignments()) {
            nodes.put(a.instance().id(), a.nodeId());
        }
        append(r);
    }

    /** Before migration {@code migration} of {@code instance} from {@code from} to {@code to} does anything. */
    public void migrating(String app, long migration, String instance, String from, String to) {
        append(record("migrating", app).put("migration", migration).put("instance", instance)
                .put("from", from).put("to", to));
    }

    /** Migration {@code migration} has ended (moved or rolled back). */
    public void migrated(String app, long migration) {
        append(record("migrated", app).put("migration", migration));
    }

    public void failed(String app, String reason) {
        append(record("failed", app).put("reason", reason));
    }

    public void deleted(String app) {
        append(record("deleted", app));
    }

    private static ObjectNode record(String op, String app) {
        return JSON.createObjectNode().put("op", op).put("app", app).put("at", System.currentTimeMillis());
    }

    /** The apps the log knows, in the order they were first applied; then the log is compacted to just that. */
    public List<Saved> load() {
        Map<String, Saved> apps = new LinkedHashMap<>();
        ObjectNode cluster = null;
        for (ObjectNode r : log().replay()) {
            String app = r.path("app").asText();
            Saved s = apps.get(app);
            switch (r.path("op").asText()) {
                case "cluster" -> cluster = r;
                case "apply" -> apps.put(app, new Saved(app, r.path("manifest").asText(), Map.of(), null,
                        s == null ? 0 : s.version(), null, s == null ? List.of() : s.migrations()));
                case "placed" -> {
                    if (s != null) {
                        Map<String, String> nodes = new LinkedHashMap<>();
                        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("nodes").fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            nodes.put(e.getKey(), e.getValue().asText());
                        }
                        apps.put(app, new Saved(app, s.manifest(), nodes, r.path("routes").asText(),
                                r.path("version").asLong(s.version() + 1), null, s.migrations()));
                    }
                }
                case "moved" -> { // written by earlier builds
                    if (s != null && s.nodes().containsKey(r.path("instance").asText())) {
                        Map<String, String> nodes = new LinkedHashMap<>(s.nodes());
                        nodes.put(r.path("instance").asText(), r.path("to").asText());
                        apps.put(app, new Saved(app, s.manifest(), nodes, r.path("routes").asText(),
                                s.version() + 1, null, s.migrations()));
                    }
                }
                case "migrating" -> {
                    if (s != null) {
                        List<Intent> open = new ArrayList<>(s.migrations());
                        open.add(new Intent(app, r.path("instance").asText(), r.path("from").asText(),
                                r.path("to").asText(), r.path("migration").asLong()));
                        apps.put(app, new Saved(app, s.manifest(), s.nodes(), s.routes(), s.version(), s.failure(),
                                List.copyOf(open)));
                    }
                }
                case "migrated" -> {
                    if (s != null) {
                        long id = r.path("migration").asLong();
                        apps.put(app, new Saved(app, s.manifest(), s.nodes(), s.routes(), s.version(), s.failure(),
                                s.migrations().stream().filter(i -> i.migration() != id).toList()));
                    }
                }
                case "failed" -> {
                    if (s != null) {
                        apps.put(app, new Saved(app, s.manifest(), Map.of(), null, s.version(),
                                r.path("reason").asText(), s.migrations()));
                    }
                }
                case "deleted" -> apps.remove(app);
                default -> {
                    // A record kind this build does not know: written by a newer controller; skip it.
                }
            }
        }
        List<Saved> out = new ArrayList<>(apps.values());
        List<ObjectNode> compacted = new ArrayList<>();
        if (cluster != null) {
            compacted.add(cluster);
        }
        for (Saved s : out) {
            compacted.add(record("apply", s.app()).put("manifest", s.manifest()));
            if (!s.nodes().isEmpty()) {
                ObjectNode p = record("placed", s.app()).put("routes", s.routes()).put("version", s.version());
                ObjectNode nodes = p.putObject("nodes");
                s.nodes().forEach(nodes::put);
                compacted.add(p);
            } else if (s.failure() != null) {
                compacted.add(record("failed", s.app()).put("reason", s.failure()));
            }
            for (Intent i : s.migrations()) {
                compacted.add(record("migrating", s.app()).put("migration", i.migration())
                        .put("instance", i.instance()).put("from", i.from()).put("to", i.to()));
            }
        }
        log().compact(compacted);
        return out;
    }

    @PreDestroy
    synchronized void close() {
        if (log != null) {
            log.close();
        }
    }
}
