package io.e3.placement.annealing;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Instance;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.placement.PlacementResult;
import io.e3.model.placement.Unplaced;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.CoreClass;
import io.e3.placement.Fit;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementMetrics;
import io.e3.placement.PlacementRequest;
import io.e3.placement.PlacementState;
import io.e3.placement.PlacementStrategy;
import io.e3.placement.Topology;
import io.e3.placement.constraint.Constraints;
import io.e3.placement.constraint.RuntimeConstraint;
import org.optaplanner.core.api.solver.Solver;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.constructionheuristic.ConstructionHeuristicPhaseConfig;
import org.optaplanner.core.config.constructionheuristic.ConstructionHeuristicType;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.localsearch.decider.acceptor.LocalSearchAcceptorConfig;
import org.optaplanner.core.config.localsearch.decider.forager.LocalSearchForagerConfig;
import org.optaplanner.core.config.score.director.ScoreDirectorFactoryConfig;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated-annealing baseline of §5.6.4: Service Fabric's approach (§5.4.3), on OptaPlanner, with the objective
 * of {@link ServiceFabricConstraints} (rules, then every instance placed, then spread load, then communication).
 *
 * <p>A first-fit construction then simulated annealing. The search stops after a number of steps proportional to the
 * instances ({@value #STEPS_PER_INSTANCE} each), so a fixed seed gives a fixed result; the request's time limit stops
 * it earlier on large inputs, where the result then depends on the machine's speed. The best solution is read back
 * through the same constraints as every strategy: an instance whose node would break one is returned unplaced, with
 * reasons, so a result never exceeds a capacity even if the search ends infeasible.
 */
public final class AnnealingStrategy implements PlacementStrategy {

    public static final String NAME = "annealing";

    /** Local-search steps per instance. */
    static final int STEPS_PER_INSTANCE = 200;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlacementResult place(PlacementRequest request) {
        long start = System.nanoTime();
        AppSpec app = request.app();
        Topology topology = new Topology(request.cluster());
        PlacementState state = new PlacementState(topology, request.snapshot());
        LoadModel load = new LoadModel(app);
        Constraints constraints = Constraints.forApp(app);

        List<NodeFact> nodes = nodes(topology, state);
        Map<String, InstanceEntity> entities = new HashMap<>();
        List<InstanceEntity> entityList = new ArrayList<>();
        for (Instance i : app.instances()) {
            LoadModel.Demand d = load.demandOf(i);
            InstanceEntity e = new InstanceEntity(i.id(), i.isBackup() ? i.primary() : i.id(),
                    constraints.pins().pinOf(i.service()), milli(d.coresOn(CoreClass.BEEFY)),
                    milli(d.coresOn(CoreClass.WIMPY)), d.memoryMiB());
            entities.put(i.id(), e);
            entityList.add(e);
        }
        PlacementProblem problem = new PlacementProblem(nodes, communications(app), entityList);
        PlacementProblem best = solver(request, entityList.size()).solve(problem);

        Map<String, NodeFact> chosen = new HashMap<>();
        best.getInstances().forEach(e -> chosen.put(e.getId(), e.getNode()));
        Fit fit = new Fit(state, constraints);
        List<Unplaced> unplaced = new ArrayList<>();
        for (Instance i : app.instances()) {
            LoadModel.Demand d = load.demandOf(i);
            NodeFact node = chosen.get(i.id());
            if (node != null && constraints.check(d, node.index(), state).ok()) {
                state.assign(d, node.index());
            } else {
                unplaced.add(new Unplaced(i, fit.whyNot(d)));
            }
        }
        Map<String, Double> metrics = PlacementMetrics.of(app, state.assignments(), state);
        metrics.put("elapsedMillis", (System.nanoTime() - start) / 1e6);
        return new PlacementResult(NAME, state.assignments(), unplaced, metrics);
    }

    private static long milli(double cores) {
        return (long) Math.ceil(cores * 1000 - 1e-9);
    }

    private static List<NodeFact> nodes(Topology topology, PlacementState state) {
        RuntimeConstraint runtime = RuntimeConstraint.DEFAULT;
        List<NodeFact> nodes = new ArrayList<>(topology.size());
        for (int n = 0; n < topology.size(); n++) {
            ComputeNode node = topology.node(n);
            boolean busy = state.utilisation(n) > runtime.maxUtilisation()
                    || state.outstandingRequests(n) > runtime.maxOutstanding();
            nodes.add(new NodeFact(n, node.id(), node.kind(), node.capacity().coreClass(), topology.serverOf(n),
                    topology.rackOf(n), topology.podOf(n), node.capacity().cores() * 1000L,
                    (long) Math.floor(state.freeCores(n) * 1000 + 1e-9), state.freeMemoryMiB(n), busy));
        }
        return nodes;
    }

    /** Every caller-callee pair of primaries with its share of the channel's traffic, as {@link PlacementMetrics}. */
    private static List<Communication> communications(AppSpec app) {
        Map<String, List<String>> primaries = new HashMap<>();
        for (Instance i : app.instances()) {
            if (!i.isBackup()) {
                primaries.computeIfAbsent(i.service(), k -> new ArrayList<>()).add(i.id());
            }
        }
        List<Communication> pairs = new ArrayList<>();
        for (ChannelSpec c : app.channels()) {
            List<String> callers = primaries.get(c.from());
            List<String> callees = primaries.get(c.to());
            double bytes = Math.max(1, c.load().requestsPerSecond()) * c.load().requestBytes();
            double perPair = c.routing() == RoutingPolicy.BROADCAST
                    ? bytes / callers.size()
                    : bytes / ((double) callers.size() * callees.size());
            for (String from : callers) {
                for (String to : callees) {
                    pairs.add(new Communication(from, to, perPair));
                }
            }
        }
        return pairs;
    }

    private static Solver<PlacementProblem> solver(PlacementRequest request, int entities) {
        SolverConfig config = new SolverConfig()
                .withSolutionClass(PlacementProblem.class)
                .withEntityClasses(InstanceEntity.class)
                .withScoreDirectorFactory(new ScoreDirectorFactoryConfig()
                        .withConstraintProviderClass(ServiceFabricConstraints.class))
                .withEnvironmentMode(EnvironmentMode.REPRODUCIBLE)
                .withRandomSeed(request.seed())
                .withTerminationConfig(new TerminationConfig().withSpentLimit(request.timeLimit()))
                .withPhases(
                        new ConstructionHeuristicPhaseConfig()
                                .withConstructionHeuristicType(ConstructionHeuristicType.FIRST_FIT),
                        new LocalSearchPhaseConfig()
                                .withAcceptorConfig(new LocalSearchAcceptorConfig()
                                        // Temperature ~ the score change of one typical move at each level.
                                        .withSimulatedAnnealingStartingTemperature("[0]hard/[0/10000/1000]soft"))
                                .withForagerConfig(new LocalSearchForagerConfig().withAcceptedCountLimit(1))
                                .withTerminationConfig(new TerminationConfig()
                                        .withStepCountLimit(STEPS_PER_INSTANCE * Math.max(1, entities))));
        return SolverFactory.<PlacementProblem>create(config).buildSolver();
    }
}
