package io.e3.placement.annealing;

import io.e3.model.app.AppSpec;
import io.e3.model.app.Instance;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.CoreClass;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementRequest;
import io.e3.placement.PlacementState;
import io.e3.placement.PlacementStrategy;
import io.e3.placement.Topology;
import io.e3.placement.TrafficPairs;
import io.e3.placement.constraint.RuntimeConstraint;
import io.e3.placement.search.PlacementContext;
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
        PlacementContext ctx = PlacementContext.of(request);
        AppSpec app = ctx.app();
        List<InstanceEntity> entities = new ArrayList<>();
        for (Instance i : app.instances()) {
            LoadModel.Demand d = ctx.load().demandOf(i);
            entities.add(new InstanceEntity(i.id(), i.isBackup() ? i.primary() : i.id(),
                    ctx.constraints().pins().pinOf(i.service()), milli(d.coresOn(CoreClass.BEEFY)),
                    milli(d.coresOn(CoreClass.WIMPY)), d.memoryMiB(), mbps(d.bandwidthGbps())));
        }
        PlacementProblem problem = new PlacementProblem(nodes(ctx.topology(), ctx.state()), communications(app),
                entities);
        PlacementProblem best = solver(request, entities.size()).solve(problem);
        Map<String, Integer> chosen = new HashMap<>();
        best.getInstances().forEach(e -> chosen.put(e.getId(), e.getNode() == null ? -1 : e.getNode().index()));
        return ctx.result(NAME, ctx.readBack(i -> chosen.get(i.id()), List.of()), Map.of());
    }

    private static long milli(double cores) {
        return (long) Math.ceil(cores * 1000 - 1e-9);
    }

    /** Gb/s in whole Mb/s, rounded up, so the solver never under-counts a demand. */
    private static long mbps(double gbps) {
        return (long) Math.ceil(gbps * 1000 - 1e-9);
    }

    private static List<NodeFact> nodes(Topology topology, PlacementState state) {
        List<NodeFact> nodes = new ArrayList<>(topology.size());
        for (int n = 0; n < topology.size(); n++) {
            ComputeNode node = topology.node(n);
            boolean busy = RuntimeConstraint.DEFAULT.overloaded(n, state);
            nodes.add(new NodeFact(n, node.id(), node.kind(), node.capacity().coreClass(), topology.serverOf(n),
                    topology.rackOf(n), topology.podOf(n), node.capacity().cores() * 1000L,
                    (long) Math.floor(state.freeCores(n) * 1000 + 1e-9), state.freeMemoryMiB(n),
                    (long) Math.floor(state.freeBandwidthGbps(n) * 1000 + 1e-9), busy));
        }
        return nodes;
    }

    private static List<Communication> communications(AppSpec app) {
        return TrafficPairs.of(app).stream().map(p -> new Communication(p.from(), p.to(), p.bytesPerSecond())).toList();
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
