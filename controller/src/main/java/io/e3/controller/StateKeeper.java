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
 * What the controller must not forget across restarts, kept in a {@link StateLog} under {@code e3.state.dir}: each
 * applied manifest, where its instances were placed (and moved), the routing table it published, failures and
 * deletions. {@link #load()} folds the log into the last word on each app.
 */
@ApplicationScoped
public class StateKeeper {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "e3.state.dir", defaultValue = "e3-state")
    String dir;

    private StateLog log;

    /** The last word on one app. */
    public record Saved(String app, String manifest, Map<String, String> nodes, String routes, String failure) {
    }

    private synchronized StateLog log() {
        if (log == null) {
            log = new StateLog(Path.of(dir, "controller.log"));
        }
        return log;
    }

    public void applied(String app, String manifest) {
        log().append(record("apply", app).put("manifest", manifest));
    }

    public void placed(String app, PlacementResult result, String routes) {
        ObjectNode r = record("placed", app).put("routes", routes);
        ObjectNode nodes = r.putObject("nodes");
        for (Assignment a : result.assignments()) {
            nodes.put(a.instance().id(), a.nodeId());
        }
        log().append(r);
    }

    public void moved(String app, String instance, String to, String routes) {
        log().append(record("moved", app).put("instance", instance).put("to", to).put("routes", routes));
    }

    public void failed(String app, String reason) {
        log().append(record("failed", app).put("reason", reason));
    }

    public void deleted(String app) {
        log().append(record("deleted", app));
    }

    private static ObjectNode record(String op, String app) {
        return JSON.createObjectNode().put("op", op).put("app", app).put("at", System.currentTimeMillis());
    }

    /** The apps the log knows, in the order they were first applied; then the log is compacted to just that. */
    public List<Saved> load() {
        Map<String, Saved> apps = new LinkedHashMap<>();
        for (ObjectNode r : log().replay()) {
            String app = r.path("app").asText();
            Saved s = apps.get(app);
            switch (r.path("op").asText()) {
                case "apply" -> apps.put(app, new Saved(app, r.path("manifest").asText(), Map.of(), null, null));
                case "placed" -> {
                    if (s != null) {
                        Map<String, String> nodes = new LinkedHashMap<>();
                        for (Iterator<Map.Entry<String, JsonNode>> it = r.path("nodes").fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> e = it.next();
                            nodes.put(e.getKey(), e.getValue().asText());
                        }
                        apps.put(app, new Saved(app, s.manifest(), nodes, r.path("routes").asText(), null));
                    }
                }
                case "moved" -> {
                    if (s != null && s.nodes().containsKey(r.path("instance").asText())) {
                        Map<String, String> nodes = new LinkedHashMap<>(s.nodes());
                        nodes.put(r.path("instance").asText(), r.path("to").asText());
                        apps.put(app, new Saved(app, s.manifest(), nodes, r.path("routes").asText(), null));
                    }
                }
                case "failed" -> {
                    if (s != null) {
                        apps.put(app, new Saved(app, s.manifest(), Map.of(), null, r.path("reason").asText()));
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
        for (Saved s : out) {
            compacted.add(record("apply", s.app()).put("manifest", s.manifest()));
            if (!s.nodes().isEmpty()) {
                ObjectNode p = record("placed", s.app()).put("routes", s.routes());
                ObjectNode nodes = p.putObject("nodes");
                s.nodes().forEach(nodes::put);
                compacted.add(p);
            } else if (s.failure() != null) {
                compacted.add(record("failed", s.app()).put("reason", s.failure()));
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
