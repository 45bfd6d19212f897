package io.e3.placement.ilp;

import com.google.ortools.Loader;
import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import com.google.ortools.sat.LinearExprBuilder;
import io.e3.model.app.AppSpec;
import io.e3.model.app.Instance;
import io.e3.model.placement.PlacementResult;
import io.e3.model.placement.Unplaced;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementRequest;
import io.e3.placement.PlacementState;
import io.e3.placement.PlacementStrategy;
import io.e3.placement.Topology;
import io.e3.placement.TrafficPairs;
import io.e3.placement.constraint.Constraints;
import io.e3.placement.constraint.PlacementConstraint;
import io.e3.placement.constraint.RuntimeConstraint;
import io.e3.placement.search.PlacementContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact baseline of §5.6.4: an integer linear program over the same constraints, solved with OR-Tools CP-SAT.
 *
 * <p>Variables: x[i][n] = instance i on node n, only where its pin and the node's runtime statistics allow; u[i] =
 * i unplaced. Constraints: each instance on one node or unplaced; cores (as the load model charges them on that node's
 * kind of core), memory and bandwidth within what each node has free; at most one member of a replica set per server
 * (§5.4.5); a backup only with its primary.
 * Objective, lexicographic (solved in stages, each bounding the next): unplaced instances (a primary counts 2, a
 * backup 1), then (the Service Fabric objective) the
 * sum over nodes of their utilisation squared, in per mille, then communication, each caller-callee pair's traffic
 * times the relative latency of the hop between them, modelled exactly and in size linear in the cluster by
 * {@link CommunicationModel}. The
 * {@link Objective#COMMUNICATION} variant drops the load term, to find the communication optimum; the
 * {@link Objective#ENERGY} variant puts modelled active power ({@link io.e3.model.energy.EnergyModel}) in its place.
 *
 * <p>The solver runs single-threaded with the request's time limit, shared between the stages, as a deterministic
 * budget (CP-SAT's own measure of work, close to seconds), so a fixed request gives a fixed result; metrics say whether every stage proved its optimum
 * ({@code ilpOptimal} 1 or 0), and the last stage's objective ({@code ilpObjective}) and relative gap to its bound
 * ({@code ilpGap}). An input whose model would exceed
 * {@value #MAX_TERMS} linear terms is not attempted: its instances come back unplaced with that reason.
 */
public final class IlpStrategy implements PlacementStrategy {

    /** What the program minimises after unplaced instances. */
    public enum Objective {
        /** Load spread, then communication: the Service Fabric-like objective of §5.6.4. */
        SERVICE_FABRIC("ilp"),
        /** Communication alone: the optimum against which HCM is measured. */
        COMMUNICATION("ilp-comm"),
        /**
         * Modelled active power, then communication: the optimum of energy-aware HCM's own objective (the kind of core
         * with the lowest energy per request first, then proximity), against which its communication cost is measured
         * fairly.
         */
        ENERGY("ilp-energy");

        private final String strategyName;

        Objective(String strategyName) {
            this.strategyName = strategyName;
        }
    }

    /**
     * Beyond this many linear terms the ILP does not solve usefully on a 2-core machine: an example app on 100 Type2
     * servers needs 2.45 million, and CP-SAT places none of it within 10 s (presolve alone takes 9 s). The chapter's
     * ILP fails at scale too (Table 5.6).
     */
    public static final long MAX_TERMS = 1_000_000;

    /** Active power enters the energy objective in milliwatts. */
    static final double MILLIWATTS = 1000;

    /** Latencies enter the objective in thousandths. */
    static final double LATENCY_SCALE = 1000;

    /**
     * How much longer than its deterministic budget the solver may run by the clock: 3, or the system property
     * {@code e3.ilp.wallClockSlack} (at least 1), which the tests raise for loaded machines.
     */
    static final double WALL_CLOCK_SLACK = wallClockSlack(System.getProperty("e3.ilp.wallClockSlack"));

    static double wallClockSlack(String property) {
        if (property == null) {
            return 3;
        }
        try {
            double slack = Double.parseDouble(property);
            if (slack >= 1 && slack <= 1000) {
                return slack;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("e3.ilp.wallClockSlack: '" + property + "' is not a number in [1, 1000]");
    }

    private final Objective objective;
    private final long pairwiseLimit;

    public IlpStrategy(Objective objective) {
        this(objective, CommunicationModel.PAIRWISE_LIMIT);
    }

    /** With a chosen switch-over between the two communication formulations, for testing both. */
    IlpStrategy(Objective objective, long pairwiseLimit) {
        this.objective = objective;
        this.pairwiseLimit = pairwiseLimit;
    }

    @Override
    public String name() {
        return objective.strategyName;
    }

    @Override
    public PlacementResult place(PlacementRequest request) {
        PlacementContext ctx = PlacementContext.of(request);
        AppSpec app = ctx.app();
        Topology topology = ctx.topology();
        PlacementState state = ctx.state();
        LoadModel load = ctx.load();
        Constraints constraints = ctx.constraints();
        List<Instance> instances = app.instances();
        List<TrafficPairs.Pair> pairs = TrafficPairs.of(app);

        // Nodes each instance may use at all: pin and runtime statistics (capacity is the program's business).
        List<int[]> allowed = new ArrayList<>();
        long variables = instances.size();
        for (Instance i : instances) {
            List<Integer> nodes = new ArrayList<>();
            for (int n = 0; n < topology.size(); n++) {
                if (admits(constraints.pins(), RuntimeConstraint.DEFAULT, load.demandOf(i), n, state)) {
                    nodes.add(n);
                }
            }
            allowed.add(nodes.stream().mapToInt(Integer::intValue).toArray());
            variables += nodes.size();
        }
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < instances.size(); k++) {
            index.put(instances.get(k).id(), k);
        }
        long terms = variables;
        for (TrafficPairs.Pair p : pairs) {
            terms += CommunicationModel.terms(allowed.get(index.get(p.from())), allowed.get(index.get(p.to())),
                    pairwiseLimit);
        }
        if (terms > MAX_TERMS) {
            return tooLarge(ctx, terms);
        }

        Loader.loadNativeLibraries();
        CpModel model = new CpModel();
        BoolVar[][] x = new BoolVar[instances.size()][];
        BoolVar[] none = new BoolVar[instances.size()];
        LinearExprBuilder[] cores = new LinearExprBuilder[topology.size()];
        LinearExprBuilder[] memory = new LinearExprBuilder[topology.size()];
        LinearExprBuilder[] bandwidth = new LinearExprBuilder[topology.size()];
        for (int n = 0; n < topology.size(); n++) {
            cores[n] = LinearExpr.newBuilder();
            memory[n] = LinearExpr.newBuilder();
            bandwidth[n] = LinearExpr.newBuilder();
        }
        LinearExprBuilder unplacedTerm = LinearExpr.newBuilder();
        LinearExprBuilder energy = LinearExpr.newBuilder();
        for (int k = 0; k < instances.size(); k++) {
            Instance i = instances.get(k);
            LoadModel.Demand d = load.demandOf(i);
            int[] nodes = allowed.get(k);
            x[k] = new BoolVar[nodes.length];
            LinearExprBuilder one = LinearExpr.newBuilder();
            for (int a = 0; a < nodes.length; a++) {
                int n = nodes[a];
                x[k][a] = model.newBoolVar("x_" + k + "_" + n);
                one.add(x[k][a]);
                cores[n].addTerm(x[k][a], milli(d.coresOn(topology.node(n).capacity().coreClass())));
                memory[n].addTerm(x[k][a], d.memoryMiB());
                bandwidth[n].addTerm(x[k][a], milli(d.bandwidthGbps()));
                energy.addTerm(x[k][a], Math.round(d.activeWattsOn(topology.node(n).capacity().coreClass())
                        * MILLIWATTS));
            }
            none[k] = model.newBoolVar("u_" + k);
            one.add(none[k]);
            model.addEquality(one, 1);
            unplacedTerm.addTerm(none[k], i.isBackup() ? 1 : 2);
        }
        LinearExprBuilder spread = LinearExpr.newBuilder();
        for (int n = 0; n < topology.size(); n++) {
            long capacity = topology.node(n).capacity().cores() * 1000L;
            model.addLessOrEqual(cores[n], (long) Math.floor(state.freeCores(n) * 1000 + 1e-9));
            model.addLessOrEqual(memory[n], state.freeMemoryMiB(n));
            model.addLessOrEqual(bandwidth[n], (long) Math.floor(state.freeBandwidthGbps(n) * 1000 + 1e-9));
            if (objective == Objective.SERVICE_FABRIC) {
                IntVar load1000 = model.newIntVar(0, capacity * 1000, "l_" + n);
                model.addHint(load1000, 0);
                model.addEquality(load1000, LinearExpr.term(cores[n], 1000));
                IntVar perMille = model.newIntVar(0, 1000, "p_" + n);
                model.addHint(perMille, 0);
                model.addDivisionEquality(perMille, load1000, model.newConstant(capacity));
                IntVar square = model.newIntVar(0, 1_000_000, "q_" + n);
                model.addHint(square, 0);
                model.addMultiplicationEquality(square, perMille, perMille);
                spread.add(square);
            }
        }
        faultDomains(model, instances, allowed, x, topology);
        primaryFirst(model, instances, none, state);
        // Communication in thousandths of a relative round trip per byte/s (integer objective coefficients).
        LinearExprBuilder communication = LinearExpr.newBuilder();
        CommunicationModel traffic = new CommunicationModel(model, topology, pairwiseLimit);
        for (TrafficPairs.Pair p : pairs) {
            int i = index.get(p.from());
            int j = index.get(p.to());
            traffic.add(allowed.get(i), x[i], placed(none[i]), allowed.get(j), x[j], placed(none[j]),
                    p.bytesPerSecond(), LATENCY_SCALE, communication);
        }
        List<LinearExpr> stages = new ArrayList<>();
        stages.add(unplacedTerm.build());
        if (objective == Objective.SERVICE_FABRIC) {
            stages.add(spread.build());
        }
        if (objective == Objective.ENERGY) {
            stages.add(energy.build());
        }
        stages.add(communication.build());
        // A neutral start: nothing placed is always feasible, so the first stage has a solution to improve on. Every
        // variable is hinted (the auxiliary ones 0 where they are made), so the hint is a complete solution.
        for (int k = 0; k < instances.size(); k++) {
            model.addHint(none[k], true);
            for (BoolVar v : x[k]) {
                model.addHint(v, false);
            }
        }
        Solution solution = solveInStages(model, stages, x, request);

        Map<String, Integer> position = new HashMap<>();
        for (int k = 0; k < instances.size(); k++) {
            position.put(instances.get(k).id(), k);
        }
        List<Unplaced> unplaced = ctx.readBack(i -> solution.found() ? allowedNode(allowed.get(position.get(i.id())),
                        solution.choice()[position.get(i.id())]) : -1,
                solution.found() ? List.of() : List.of("the ILP found no solution within its time limit of "
                        + request.timeLimit().toMillis() + " ms (" + solution.status() + ")"));
        return ctx.result(name(), unplaced, Map.of(
                "ilpOptimal", solution.optimal() ? 1.0 : 0.0,
                "ilpGap", solution.gap(),
                "ilpObjective", solution.objective(),
                "ilpTerms", (double) terms));
    }

    /**
     * The outcome of the staged solve.
     *
     * @param found     whether any stage found a solution
     * @param optimal   whether every stage proved its optimum
     * @param choice    per instance, the index into its allowed nodes, or -1 for unplaced
     * @param objective the last solved stage's objective value
     * @param gap       that stage's relative gap to its bound
     * @param status    the last stage's solver status
     */
    private record Solution(boolean found, boolean optimal, int[] choice, double objective, double gap,
                            CpSolverStatus status) {
    }

    /**
     * Minimises the stages' objectives one after another, each within its share of the time budget: a stage's best
     * value becomes a bound for the next, and its solution the next one's hint. So the objective is lexicographic
     * without weights whose products would overflow 64 bits on large clusters.
     */
    private static Solution solveInStages(CpModel model, List<LinearExpr> stages, BoolVar[][] x,
                                          PlacementRequest request) {
        double seconds = request.timeLimit().toMillis() / 1000.0 / stages.size();
        Solution best = new Solution(false, false, null, Double.NaN, Double.NaN, CpSolverStatus.UNKNOWN);
        boolean optimal = true;
        for (LinearExpr stage : stages) {
            model.clearObjective();
            model.minimize(stage);
            CpSolver solver = new CpSolver();
            // One worker and a deterministic time budget: the same request gives the same result on any machine. The
            // wall-clock limit is only a safety net for a machine much slower than the budget assumes.
            solver.getParameters().setNumWorkers(1);
            solver.getParameters().setMaxDeterministicTime(seconds);
            solver.getParameters().setMaxTimeInSeconds(seconds * WALL_CLOCK_SLACK);
            solver.getParameters().setRandomSeed((int) request.seed());
            CpSolverStatus status = solver.solve(model);
            if (status == CpSolverStatus.MODEL_INVALID) {
                throw new IllegalStateException("the ILP model is invalid (a bug): " + model.validate());
            }
            if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
                return best.found() ? new Solution(true, false, best.choice(), best.objective(), best.gap(), status)
                        : new Solution(false, false, null, Double.NaN, Double.NaN, status);
            }
            optimal &= status == CpSolverStatus.OPTIMAL;
            long value = Math.round(solver.objectiveValue());
            double gap = value == 0 ? 0.0 : Math.abs(value - solver.bestObjectiveBound()) / Math.abs(value);
            int[] choice = new int[x.length];
            model.clearHints();
            for (int k = 0; k < x.length; k++) {
                choice[k] = -1;
                for (int a = 0; a < x[k].length; a++) {
                    boolean on = solver.booleanValue(x[k][a]);
                    model.addHint(x[k][a], on);
                    if (on) {
                        choice[k] = a;
                    }
                }
            }
            model.addLessOrEqual(stage, value);
            best = new Solution(true, optimal, choice, value, gap, status);
        }
        return best;
    }

    private static int allowedNode(int[] nodes, int choice) {
        return choice < 0 ? -1 : nodes[choice];
    }

    /** 1 - unplaced. */
    private static LinearExpr placed(BoolVar unplaced) {
        return LinearExpr.affine(unplaced, -1, 1);
    }

    private static boolean admits(PlacementConstraint pins, PlacementConstraint runtime, LoadModel.Demand d, int n,
                                  PlacementState state) {
        return pins.check(d, n, state).ok() && runtime.check(d, n, state).ok();
    }

    private static long milli(double cores) {
        return (long) Math.ceil(cores * 1000 - 1e-9);
    }

    /**
     * A backup is placed only with its primary (§5.4.5): unplaced(primary) <= unplaced(backup). A primary the
     * snapshot already holds (the app is being re-placed) counts as placed.
     */
    private static void primaryFirst(CpModel model, List<Instance> instances, BoolVar[] none, PlacementState state) {
        Map<String, Integer> position = new HashMap<>();
        for (int k = 0; k < instances.size(); k++) {
            position.put(instances.get(k).id(), k);
        }
        for (int k = 0; k < instances.size(); k++) {
            Instance i = instances.get(k);
            if (i.isBackup() && state.nodeOf(i.primary()) < 0) {
                model.addLessOrEqual(LinearExpr.newBuilder().add(none[position.get(i.primary())])
                        .addTerm(none[k], -1), 0);
            }
        }
    }

    /** At most one member of each replica set per server. */
    private static void faultDomains(CpModel model, List<Instance> instances, List<int[]> allowed, BoolVar[][] x,
                                     Topology topology) {
        Map<String, Map<Integer, LinearExprBuilder>> perSetAndServer = new HashMap<>();
        Map<String, Integer> setSize = new HashMap<>();
        for (Instance i : instances) {
            setSize.merge(i.isBackup() ? i.primary() : i.id(), 1, Integer::sum);
        }
        for (int k = 0; k < instances.size(); k++) {
            Instance i = instances.get(k);
            String set = i.isBackup() ? i.primary() : i.id();
            if (setSize.get(set) < 2) {
                continue;
            }
            for (int a = 0; a < allowed.get(k).length; a++) {
                perSetAndServer.computeIfAbsent(set, s -> new HashMap<>())
                        .computeIfAbsent(topology.serverOf(allowed.get(k)[a]), s -> LinearExpr.newBuilder())
                        .add(x[k][a]);
            }
        }
        perSetAndServer.values().forEach(servers -> servers.values().forEach(sum -> model.addLessOrEqual(sum, 1)));
    }

    private PlacementResult tooLarge(PlacementContext ctx, long terms) {
        String reason = "the ILP would need about " + terms + " linear terms, more than the " + MAX_TERMS
                + " it is allowed; place this input with hcm or annealing";
        List<Unplaced> unplaced = ctx.app().instances().stream().map(i -> new Unplaced(i, List.of(reason))).toList();
        return ctx.result(name(), unplaced, Map.of("ilpOptimal", 0.0, "ilpGap", Double.NaN,
                "ilpTerms", (double) terms));
    }
}
