package io.e3.model.placement;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of placing instances: every instance is either assigned or unplaced with reasons, never dropped.
 *
 * @param algorithm   the strategy that produced it, e.g. {@code hcm}
 * @param assignments placed instances
 * @param unplaced    instances that could not be placed
 * @param metrics     quality figures by name, e.g. {@code communicationCost}, {@code elapsedMillis}
 */
public record PlacementResult(String algorithm, List<Assignment> assignments, List<Unplaced> unplaced,
                              Map<String, Double> metrics) {

    public PlacementResult {
        Objects.requireNonNull(algorithm, "algorithm");
        assignments = List.copyOf(assignments);
        unplaced = List.copyOf(unplaced);
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** The node {@code instanceId} was placed on, if it was placed. */
    public Optional<String> nodeOf(String instanceId) {
        return assignments.stream().filter(a -> a.instance().id().equals(instanceId))
                .map(Assignment::nodeId).findFirst();
    }
}
