package io.e3.placement.search;

import io.e3.model.app.AppSpec;
import io.e3.model.app.Instance;
import io.e3.model.placement.PlacementResult;
import io.e3.model.placement.Unplaced;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementMetrics;
import io.e3.placement.PlacementRequest;
import io.e3.placement.PlacementState;
import io.e3.placement.Topology;
import io.e3.placement.constraint.Constraints;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Everything one placement works with: the topology index, the mutable state, the load model, the constraints and the
 * node searches, built from a request; and the two steps every strategy ends with.
 */
public final class PlacementContext {

    private final AppSpec app;
    private final PlacementState state;
    private final LoadModel load;
    private final Constraints constraints;
    private final Fit fit;
    private final long startNanos = System.nanoTime();

    private PlacementContext(PlacementRequest request, Topology topology) {
        app = request.app();
        state = new PlacementState(topology, request.snapshot(), app.name());
        load = new LoadModel(app);
        constraints = Constraints.forApp(app);
        fit = new Fit(state, constraints);
    }

    /** A context for {@code request}; its clock for {@code elapsedMillis} starts now. */
    public static PlacementContext of(PlacementRequest request) {
        return new PlacementContext(request, new Topology(request.cluster()));
    }

    /** A context for {@code request} over {@code topology}, which must index {@code request.cluster()}. */
    public static PlacementContext of(PlacementRequest request, Topology topology) {
        if (topology.cluster() != request.cluster()) {
            throw new IllegalArgumentException("the topology indexes another cluster than the request's");
        }
        return new PlacementContext(request, topology);
    }

    public AppSpec app() {
        return app;
    }

    public Topology topology() {
        return state.topology();
    }

    public PlacementState state() {
        return state;
    }

    public LoadModel load() {
        return load;
    }

    public Constraints constraints() {
        return constraints;
    }

    public Fit fit() {
        return fit;
    }

    /**
     * Takes a solver's answer through the constraints: each instance, in app order, goes to the node {@code chosen}
     * gives (-1 for none) if every constraint allows it there, and is otherwise returned unplaced with the reasons
     * no node takes it, after {@code leadingReasons}. A result read this way never breaks a constraint, whatever the
     * solver ended with.
     */
    public List<Unplaced> readBack(ToIntFunction<Instance> chosen, List<String> leadingReasons) {
        List<Unplaced> unplaced = new ArrayList<>();
        for (Instance i : app.instances()) {
            LoadModel.Demand d = load.demandOf(i);
            int node = chosen.applyAsInt(i);
            if (node >= 0 && constraints.check(d, node, state).ok()) {
                state.assign(d, node);
            } else {
                List<String> reasons = new ArrayList<>(leadingReasons);
                reasons.addAll(fit.whyNot(d));
                unplaced.add(new Unplaced(i, reasons));
            }
        }
        return unplaced;
    }

    /** The result: the state's assignments, {@code unplaced}, the shared metrics, elapsed time and {@code extra}. */
    public PlacementResult result(String algorithm, List<Unplaced> unplaced, Map<String, Double> extra) {
        Map<String, Double> metrics = PlacementMetrics.of(app, state.assignments(), state, load);
        metrics.put("elapsedMillis", (System.nanoTime() - startNanos) / 1e6);
        metrics.putAll(extra);
        return new PlacementResult(algorithm, state.assignments(), unplaced, metrics);
    }
}
