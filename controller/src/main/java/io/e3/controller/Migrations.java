package io.e3.controller;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The history of migrations: each one's steps with their timings and how it ended. In memory and bounded: beyond
 * {@code e3.history.size} entries the oldest finished ones are dropped (running ones never are).
 */
@ApplicationScoped
public class Migrations {

    /** How a migration stands. */
    @Schema(name = "MigrationPhase")
    public enum Phase { RUNNING, SUCCEEDED, ROLLED_BACK }

    /** One migration as the API shows it. */
    @Schema(name = "Migration", description = "A cold migration: what moved where and why, its timed steps, how it "
            + "ended; finishedAt is null while it runs")
    public record View(long id, String instance, String from, String to, String reason, Phase phase,
                       List<String> steps, Instant startedAt, Instant finishedAt, Long stateBytes, String error) {
    }

    private final Map<Long, View> all = new LinkedHashMap<>();
    private long next = 1;

    /** How many migrations the history keeps at most (running ones are kept regardless). */
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "e3.history.size", defaultValue = "1000")
    int kept = 1000;

    public synchronized long start(String instance, String from, String to, String reason) {
        long id = next++;
        all.put(id, new View(id, instance, from, to, reason, Phase.RUNNING, List.of(), Instant.now(), null, null,
                null));
        for (java.util.Iterator<View> it = all.values().iterator(); all.size() > Math.max(1, kept) && it.hasNext(); ) {
            if (it.next().phase() != Phase.RUNNING) {
                it.remove();
            }
        }
        return id;
    }

    public synchronized void step(long id, String step) {
        View v = all.get(id);
        if (v == null) {
            return;
        }
        List<String> steps = new ArrayList<>(v.steps());
        steps.add(step);
        all.put(id, new View(id, v.instance(), v.from(), v.to(), v.reason(), v.phase(), List.copyOf(steps),
                v.startedAt(), null, v.stateBytes(), null));
    }

    public synchronized void finish(long id, Phase phase, Long stateBytes, String error) {
        View v = all.get(id);
        if (v == null) {
            return;
        }
        all.put(id, new View(id, v.instance(), v.from(), v.to(), v.reason(), phase, v.steps(), v.startedAt(),
                Instant.now(), stateBytes, error));
    }

    public synchronized List<View> list() {
        return List.copyOf(all.values());
    }

    public synchronized Optional<View> get(long id) {
        return Optional.ofNullable(all.get(id));
    }
}
