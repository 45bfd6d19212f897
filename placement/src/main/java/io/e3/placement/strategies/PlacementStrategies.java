package io.e3.placement.strategies;

import io.e3.placement.PlacementStrategy;
import io.e3.placement.annealing.AnnealingStrategy;
import io.e3.placement.hcm.HcmStrategy;
import io.e3.placement.ilp.IlpStrategy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** The placement strategies by name. */
public final class PlacementStrategies {

    private static final Map<String, Supplier<PlacementStrategy>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(HcmStrategy.NAME, HcmStrategy::new);
        BY_NAME.put(HcmStrategy.NAME + "-hosts", () -> new HcmStrategy(HcmStrategy.Preference.HOSTS));
        BY_NAME.put(AnnealingStrategy.NAME, AnnealingStrategy::new);
        BY_NAME.put("ilp", () -> new IlpStrategy(IlpStrategy.Objective.SERVICE_FABRIC));
        BY_NAME.put("ilp-comm", () -> new IlpStrategy(IlpStrategy.Objective.COMMUNICATION));
        BY_NAME.put("ilp-energy", () -> new IlpStrategy(IlpStrategy.Objective.ENERGY));
    }

    private PlacementStrategies() {
    }

    /** A new strategy called {@code name}, or empty if there is none. */
    public static Optional<PlacementStrategy> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name)).map(Supplier::get);
    }

    /** The names the factory knows, default first. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }
}
