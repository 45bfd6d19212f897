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
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.HopClass;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementContext;
import io.e3.placement.PlacementRequest;
import io.e3.placement.PlacementState;
import io.e3.placement.PlacementStrategy;
import io.e3.placement.Topology;
import io.e3.placement.TrafficPairs;
import io.e3.placement.constraint.Constraints;
import io.e3.placement.constraint.PlacementConstraint;
import io.e3.placement.constraint.RuntimeConstraint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact baseline of §5.6.4: an integer linear program over the same constraints, solved with OR-Tools CP-SAT.
 *
 * <p>Variables: x[i][n] = instance i on node n, only where its pin and the node's runtime statistics allow; u[i] =
 * i unplaced. Constraints: each instance on one node or unplaced; cores (as the load model charges them on that node's
 * kind of core) and memory within what each node has free; at most one member of a replica set per server (§5.4.5).
 * Objective, by weight: unplaced instances (a primary counts 2, a backup 1), then (the Service Fabric objective) the
 * sum over nodes of their utilisation squared, in per mille, then communication, each caller-callee pair's traffic
 * times the relative latency of the hop between them (linearised: z >= x[i][a] + x[j][b] - 1). The
 * {@link Objective#COMMUNICATION} variant drops the load term, to find the communication optimum.
 *
 * <p>The solver runs single-threaded with the request's time limit as a deterministic budget (CP-SAT's own measure of
 * work, close to seconds), so a fixed request gives a fixed result; metrics say whether it proved optimality ({@code ilpOptimal} 1 or
 * 0) and the relative gap to its best bound ({@code ilpGap}). An input whose model would exceed
 * {@value #MAX_VARIABLES} variables is not attempted: its instances come back unplaced with that reason.
 */
public final class IlpStrategy implements PlacementStrategy {

    /** What the program minimises after unplaced instances. */
    public enum Objective {
        /** Load spread, then communication: the Service Fabric-like objective of §5.6.4. */
        SERVICE_FABRIC("ilp"),
        /** Communication alone: the optimum against which HCM is measured. */
        COMMUNICATION("ilp-comm");

        private final String strategyName;

        Objective(String strategyName) {
            this.strategyName = strategyName;
        }
    }

    /** Beyond this the model does not fit a developer machine's memory and time; the chapter's ILP fails there too. */
    public static final long MAX_VARIABLES = 2_000_000;

    /** How much longer than its deterministic budget the solver may run by the clock. */
    private static final double WALL_CLOCK_SLACK = 3;

    private final Objective objective;

    public IlpStrategy(Objective objective) {
        this.objective = objective;
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
        for (TrafficPairs.Pair p : pairs) {
            variables += (long) allowed.get(index.get(p.from())).length * allowed.get(index.get(p.to())).length;
        }
        if (variables > MAX_VARIABLES) {
            return tooLarge(ctx, variables);
        }

        Loader.loadNativeLibraries();
        CpModel model = new CpModel();
        BoolVar[][] x = new BoolVar[instances.size()][];
        BoolVar[] none = new BoolVar[instances.size()];
        LinearExprBuilder[] cores = new LinearExprBuilder[topology.size()];
        LinearExprBuilder[] memory = new LinearExprBuilder[topology.size()];
        for (int n = 0; n < topology.size(); n++) {
            cores[n] = LinearExpr.newBuilder();
            memory[n] = LinearExpr.newBuilder();
        }
        LinearExprBuilder unplacedTerm = LinearExpr.newBuilder();
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
            if (objective == Objective.SERVICE_FABRIC) {
                IntVar load1000 = model.newIntVar(0, capacity * 1000, "l_" + n);
                model.addEquality(load1000, LinearExpr.term(cores[n], 1000));
                IntVar perMille = model.newIntVar(0, 1000, "p_" + n);
                model.addDivisionEquality(perMille, load1000, model.newConstant(capacity));
                IntVar square = model.newIntVar(0, 1_000_000, "q_" + n);
                model.addMultiplicationEquality(square, perMille, perMille);
                spread.add(square);
            }
        }
        faultDomains(model, instances, allowed, x, topology);
        LinearExprBuilder communication = LinearExpr.newBuilder();
        long communicationMax = 0;
        for (TrafficPairs.Pair p : pairs) {
            int i = index.get(p.from());
            int j = index.get(p.to());
            for (int a = 0; a < allowed.get(i).length; a++) {
                for (int b = 0; b < allowed.get(j).length; b++) {
                    ComputeNode na = topology.node(allowed.get(i)[a]);
                    ComputeNode nb = topology.node(allowed.get(j)[b]);
                    long cost = Math.round(p.bytesPerSecond() * HopClass.between(na, nb).relativeLatency());
                    if (cost == 0) {
                        continue;
                    }
                    BoolVar z = model.newBoolVar("z");
                    model.addGreaterOrEqual(LinearExpr.newBuilder().add(z).addTerm(x[i][a], -1)
                            .addTerm(x[j][b], -1), -1);
                    communication.addTerm(z, cost);
                }
            }
            communicationMax += Math.round(p.bytesPerSecond() * HopClass.CROSS_POD.relativeLatency());
        }
        long spreadMax = objective == Objective.SERVICE_FABRIC ? topology.size() * 1_000_000L : 0;
        long w1 = communicationMax + 1;
        long w0 = w1 * (spreadMax + 1);
        model.minimize(LinearExpr.newBuilder()
                .add(LinearExpr.term(unplacedTerm, w0))
                .add(LinearExpr.term(spread, w1))
                .add(communication.build()));

        CpSolver solver = new CpSolver();
        double seconds = request.timeLimit().toMillis() / 1000.0;
        // One worker and a deterministic time budget: the same request gives the same result on any machine. The
        // wall-clock limit is only a safety net for a machine much slower than the budget assumes.
        solver.getParameters().setNumWorkers(1);
        solver.getParameters().setMaxDeterministicTime(seconds);
        solver.getParameters().setMaxTimeInSeconds(seconds * WALL_CLOCK_SLACK);
        solver.getParameters().setRandomSeed((int) request.seed());
        CpSolverStatus status = solver.solve(model);

        boolean solved = status == CpSolverStatus.OPTIMAL || status == CpSolverStatus.FEASIBLE;
        Map<String, Integer> position = new HashMap<>();
        for (int k = 0; k < instances.size(); k++) {
            position.put(instances.get(k).id(), k);
        }
        List<Unplaced> unplaced = ctx.readBack(i -> solved ? chosenNode(solver, x[position.get(i.id())],
                        allowed.get(position.get(i.id()))) : -1,
                solved ? List.of() : List.of("the ILP found no solution within its time limit of "
                        + request.timeLimit().toMillis() + " ms (" + status + ")"));
        double value = solved ? solver.objectiveValue() : Double.NaN;
        double gap = !solved ? Double.NaN
                : value == 0 ? 0.0 : Math.abs(value - solver.bestObjectiveBound()) / Math.abs(value);
        return ctx.result(name(), unplaced, Map.of(
                "ilpOptimal", status == CpSolverStatus.OPTIMAL ? 1.0 : 0.0,
                "ilpGap", gap,
                "ilpVariables", (double) variables));
    }

    private static int chosenNode(CpSolver solver, BoolVar[] x, int[] nodes) {
        for (int a = 0; a < nodes.length; a++) {
            if (solver.booleanValue(x[a])) {
                return nodes[a];
            }
        }
        return -1;
    }

    private static boolean admits(PlacementConstraint pins, PlacementConstraint runtime, LoadModel.Demand d, int n,
                                  PlacementState state) {
        return pins.check(d, n, state).ok() && runtime.check(d, n, state).ok();
    }

    private static long milli(double cores) {
        return (long) Math.ceil(cores * 1000 - 1e-9);
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

    private PlacementResult tooLarge(PlacementContext ctx, long variables) {
        String reason = "the ILP would need " + variables + " variables, more than the " + MAX_VARIABLES
                + " it is allowed; place this input with hcm or annealing";
        List<Unplaced> unplaced = ctx.app().instances().stream().map(i -> new Unplaced(i, List.of(reason))).toList();
        return ctx.result(name(), unplaced, Map.of("ilpOptimal", 0.0, "ilpGap", Double.NaN,
                "ilpVariables", (double) variables));
    }
}
