package io.e3.model.app;

import io.e3.model.topology.CoreClass;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Seeded random application DAGs for placement tests, shaped like the public call graphs of
 * {@code examples/corpus/}: chains, stars with hubs, diamonds, several entry services.
 *
 * <p>The same seed and parameters always give an equal {@link AppSpec}; nothing is shared between calls. Every app
 * is valid: a DAG in which every service is reachable from the entry services, which are the services no channel
 * calls. An app has:
 * <ul>
 *   <li>services of all 16 types, entries mostly API gateways, leaves often stores (KVS, sometimes SQL);</li>
 *   <li>1 to {@code maxInstances} instances each, stateful types sometimes sharded, some of them with 1 or 2
 *       backups;</li>
 *   <li>a fan-out of 1 to {@code maxFanOut} channels per service;</li>
 *   <li>demands of 0.05 to 1 core and 32 to 1,024 MiB, requests of 64 to 4,096 bytes;</li>
 *   <li>round-robin channels into replicas, shard-keyed into shards, and now and then broadcast to a service of at
 *       most 3 instances.</li>
 * </ul>
 *
 * <p>Rates follow the requests: each channel carries its caller's incoming rate times a number of calls per request
 * (0.1 to 1.5), but never more than 5 times the app's incoming rate. The load level scales them between light,
 * {@value #LIGHT_REQUESTS_PER_SECOND} requests/s into the first entry (20 to 100 % of that into the others), and
 * tight, where the busiest instance keeps {@value #TIGHT_CORES_PER_INSTANCE} beefy cores busy (Table 5.1 service
 * times) or sends and receives {@value #TIGHT_GBPS_PER_INSTANCE} Gb/s, whichever comes first.
 *
 * <pre>{@code
 * AppSpec app = new RandomApps(RandomApps.Parameters.DEFAULTS.withServices(5, 20).withLoad(1, 1)).generate(42);
 * }</pre>
 */
public final class RandomApps {

    /** Light load: the requests per second the first entry service receives. */
    public static final double LIGHT_REQUESTS_PER_SECOND = 100;

    /** Tight load: beefy cores the busiest instance keeps busy, half of a 12-core host (Table 5.4). */
    public static final double TIGHT_CORES_PER_INSTANCE = 6;

    /** Tight load: Gb/s the busiest instance sends and receives, a quarter of a 10 Gb/s SmartNIC (Table 5.4). */
    public static final double TIGHT_GBPS_PER_INSTANCE = 2.5;

    /**
     * A channel carries at most this many times the requests entering the app, so that long chains do not multiply
     * rates without bound. In the corpus, TrainTicket's route service receives about 5 times the gateway's rate.
     */
    private static final double MAX_AMPLIFICATION = 5;

    private static final MicroserviceType[] TYPES = MicroserviceType.values();

    /**
     * What {@link RandomApps} generates. Check in the constructor; change with the {@code with*} methods.
     *
     * @param minServices  fewest services (DAG nodes before replicas), at least 1
     * @param maxServices  most services, at least {@code minServices} and at most 300
     * @param minLoad      lightest load level, in [0, 1]: 0 is light, 1 is tight
     * @param maxLoad      tightest load level, in [{@code minLoad}, 1]; each app draws its level in between
     * @param maxInstances most replicas or shards of one service, 1 to 100 (300 services of 100 instances with 2
     *                     backups stay within the manifests' 100,000 instances)
     * @param maxFanOut    most channels a service sends on, 1 to 64
     */
    public record Parameters(int minServices, int maxServices, double minLoad, double maxLoad, int maxInstances,
                             int maxFanOut) {

        /** 3 to 30 services, any load from light to tight, up to 12 instances and a fan-out of 8. */
        public static final Parameters DEFAULTS = new Parameters(3, 30, 0, 1, 12, 8);

        public Parameters {
            if (minServices < 1 || maxServices < minServices || maxServices > 300) {
                throw new IllegalArgumentException("services must satisfy 1 <= min <= max <= 300, got min "
                        + minServices + ", max " + maxServices);
            }
            if (!(minLoad >= 0) || !(maxLoad >= minLoad) || !(maxLoad <= 1)) {
                throw new IllegalArgumentException("load levels must satisfy 0 <= min <= max <= 1, got min "
                        + minLoad + ", max " + maxLoad);
            }
            if (maxInstances < 1 || maxInstances > 100) {
                throw new IllegalArgumentException("maxInstances must be in [1, 100], got " + maxInstances);
            }
            if (maxFanOut < 1 || maxFanOut > 64) {
                throw new IllegalArgumentException("maxFanOut must be in [1, 64], got " + maxFanOut);
            }
        }

        /** These parameters with {@code min} to {@code max} services. */
        public Parameters withServices(int min, int max) {
            return new Parameters(min, max, minLoad, maxLoad, maxInstances, maxFanOut);
        }

        /** These parameters with load levels from {@code min} to {@code max}, each in [0, 1]. */
        public Parameters withLoad(double min, double max) {
            return new Parameters(minServices, maxServices, min, max, maxInstances, maxFanOut);
        }

        /** These parameters with at most {@code max} replicas or shards per service. */
        public Parameters withMaxInstances(int max) {
            return new Parameters(minServices, maxServices, minLoad, maxLoad, max, maxFanOut);
        }

        /** These parameters with at most {@code max} channels sent on per service. */
        public Parameters withMaxFanOut(int max) {
            return new Parameters(minServices, maxServices, minLoad, maxLoad, maxInstances, max);
        }
    }

    /** The DAG before types and rates: services 0 to n-1, the first {@code entries} of them entries. */
    private record Shape(int services, int entries, List<int[]> edges, int[] fanOut) {
    }

    private final Parameters parameters;

    /** A generator of apps within {@code parameters}. */
    public RandomApps(Parameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /** What this generator draws from. */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * The app of {@code seed}, named {@code gen-<seed>} (the seed as an unsigned decimal, so a DNS-1123 label).
     *
     * @param seed any value; equal seeds and parameters give equal apps
     * @return a valid app within the parameters
     */
    public AppSpec generate(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = parameters.minServices() + rnd.nextInt(parameters.maxServices() - parameters.minServices() + 1);
        double load = parameters.minLoad() + rnd.nextDouble() * (parameters.maxLoad() - parameters.minLoad());
        Shape shape = drawShape(rnd, n);
        List<ServiceSpec> services = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            services.add(drawService(rnd, i, drawType(rnd, i < shape.entries(), shape.fanOut()[i] == 0)));
        }
        return AppSpec.of("gen-" + Long.toUnsignedString(seed), services, drawChannels(rnd, shape, services, load));
    }

    private Shape drawShape(SplittableRandom rnd, int n) {
        int entries = n >= 4 && rnd.nextDouble() < 0.3 ? 2 + rnd.nextInt(Math.min(2, n / 2 - 1)) : 1;
        double chain = rnd.nextDouble() * 0.8; // how often a service hangs under the one before: deep chains
        boolean hubs = rnd.nextBoolean();      // preferential attachment: a few callers with a wide fan-out
        double diamonds = rnd.nextDouble() * 0.3; // how often a service gets a second caller
        int[] fanOut = new int[n];
        List<int[]> edges = new ArrayList<>();
        for (int i = entries; i < n; i++) {
            int parent;
            if (i - entries < entries) {
                parent = i - entries; // every entry calls at least one service
            } else if (rnd.nextDouble() < chain) {
                parent = i - 1; // it has no callee yet, so room for one
            } else {
                parent = pickCaller(rnd, fanOut, i, hubs, -1);
            }
            addEdge(edges, fanOut, parent, i);
            if (rnd.nextDouble() < diamonds) {
                int second = pickCaller(rnd, fanOut, i, hubs, parent);
                if (second >= 0) {
                    addEdge(edges, fanOut, second, i);
                }
            }
        }
        return new Shape(n, entries, edges, fanOut);
    }

    /** A service before {@code callee} with room for one more channel, other than {@code except}; -1 if none. */
    private int pickCaller(SplittableRandom rnd, int[] fanOut, int callee, boolean hubs, int except) {
        double total = 0;
        double[] weight = new double[callee];
        for (int j = 0; j < callee; j++) {
            weight[j] = j == except || fanOut[j] >= parameters.maxFanOut() ? 0 : hubs ? 1 + 2 * fanOut[j] : 1;
            total += weight[j];
        }
        double x = rnd.nextDouble() * total;
        int last = -1;
        for (int j = 0; j < callee; j++) {
            if (weight[j] > 0) {
                last = j;
                x -= weight[j];
                if (x < 0) {
                    return j;
                }
            }
        }
        return last; // -1 if none has room; the last candidate if rounding left x just above 0
    }

    private static void addEdge(List<int[]> edges, int[] fanOut, int from, int to) {
        edges.add(new int[] {from, to});
        fanOut[from]++;
    }

    private static MicroserviceType drawType(SplittableRandom rnd, boolean entry, boolean leaf) {
        if (entry && rnd.nextDouble() < 0.6) {
            return MicroserviceType.API_GATEWAY;
        }
        if (leaf && !entry && rnd.nextDouble() < 0.5) {
            return rnd.nextDouble() < 0.1 ? MicroserviceType.SQL : MicroserviceType.KVS;
        }
        MicroserviceType type = TYPES[rnd.nextInt(TYPES.length)];
        // SQL elsewhere than a leaf at an eighth of the other types' weight: a database rarely calls out.
        while (type == MicroserviceType.SQL && rnd.nextDouble() < 0.875) {
            type = TYPES[rnd.nextInt(TYPES.length)];
        }
        return type;
    }

    private ServiceSpec drawService(SplittableRandom rnd, int index, MicroserviceType type) {
        // Skewed to few instances: about a quarter of the services get half of maxInstances or more.
        int instances = Math.min(parameters.maxInstances(),
                1 + (int) (Math.pow(rnd.nextDouble(), 2.5) * parameters.maxInstances()));
        Scaling scaling = type.stateful() && instances > 1 && rnd.nextBoolean() ? Scaling.SHARDED : Scaling.REPLICATED;
        int backups = type.stateful() && rnd.nextDouble() < 0.35 ? (rnd.nextDouble() < 0.15 ? 2 : 1) : 0;
        // Cores skewed to light services (mean about 0.35), as in the corpus; memory 32 MiB to 1 GiB in powers of 2.
        int twentieths = 1 + (int) (Math.pow(rnd.nextDouble(), 2) * 20);
        ResourceDemand demand = new ResourceDemand(Math.min(20, twentieths) / 20.0, 32L << rnd.nextInt(6));
        return new ServiceSpec(type.manifestName() + "-" + index, type, instances, scaling, demand, null, backups);
    }

    private static List<ChannelSpec> drawChannels(SplittableRandom rnd, Shape shape, List<ServiceSpec> services,
                                                  double load) {
        int m = shape.edges().size();
        RoutingPolicy[] routing = new RoutingPolicy[m];
        double[] callsPerRequest = new double[m];
        int[] bytes = new int[m];
        for (int e = 0; e < m; e++) {
            ServiceSpec target = services.get(shape.edges().get(e)[1]);
            routing[e] = target.instances() <= 3 && rnd.nextDouble() < 0.1 ? RoutingPolicy.BROADCAST
                    : target.scaling() == Scaling.SHARDED ? RoutingPolicy.SHARD_KEYED : RoutingPolicy.ROUND_ROBIN;
            callsPerRequest[e] = 0.1 + 1.4 * rnd.nextDouble();
            bytes[e] = (int) Math.round(64 * Math.pow(64, rnd.nextDouble()));
        }
        double[] entryShare = new double[shape.entries()];
        for (int k = 0; k < entryShare.length; k++) {
            entryShare[k] = k == 0 ? 1 : 0.2 + 0.8 * rnd.nextDouble();
        }
        double[] relative = relativeRates(shape, callsPerRequest, entryShare);
        double scale = scale(shape, services, routing, relative, bytes, load);
        List<ChannelSpec> channels = new ArrayList<>(m);
        for (int e = 0; e < m; e++) {
            int[] edge = shape.edges().get(e);
            channels.add(new ChannelSpec(services.get(edge[0]).name(), services.get(edge[1]).name(), routing[e],
                    new ChannelLoad(Math.max(1, Math.round(relative[e] * scale)), bytes[e])));
        }
        return channels;
    }

    /** Channel rates for one request per second into the first entry: callers before callees (edges run up). */
    private static double[] relativeRates(Shape shape, double[] callsPerRequest, double[] entryShare) {
        double[] inflow = new double[shape.services()];
        System.arraycopy(entryShare, 0, inflow, 0, entryShare.length);
        double cap = MAX_AMPLIFICATION * Arrays.stream(entryShare).sum();
        double[] rate = new double[shape.edges().size()];
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < shape.services(); i++) {
            out.add(new ArrayList<>());
        }
        for (int e = 0; e < rate.length; e++) {
            out.get(shape.edges().get(e)[0]).add(e);
        }
        for (int i = 0; i < shape.services(); i++) {
            for (int e : out.get(i)) {
                rate[e] = Math.min(cap, inflow[i] * callsPerRequest[e]);
                inflow[shape.edges().get(e)[1]] += rate[e];
            }
        }
        return rate;
    }

    /**
     * The factor from relative to absolute rates for {@code load}: geometric between light and tight. Per-instance
     * load is counted as placement counts it (an even split, broadcast in full, an entry as its busiest channel).
     */
    private static double scale(Shape shape, List<ServiceSpec> services, RoutingPolicy[] routing, double[] relative,
                                int[] bytes, double load) {
        int n = shape.services();
        double[] rps = new double[n];
        double[] busiestOut = new double[n];
        double[] bytesPerSecond = new double[n];
        for (int e = 0; e < relative.length; e++) {
            int from = shape.edges().get(e)[0];
            int to = shape.edges().get(e)[1];
            int targets = services.get(to).instances();
            boolean broadcast = routing[e] == RoutingPolicy.BROADCAST;
            double share = broadcast ? relative[e] : relative[e] / targets;
            rps[to] += share;
            bytesPerSecond[to] += share * bytes[e];
            busiestOut[from] = Math.max(busiestOut[from], relative[e]);
            bytesPerSecond[from] += relative[e] * bytes[e] * (broadcast ? targets : 1) / services.get(from).instances();
        }
        double cores = 0;
        double gbps = 0;
        for (int i = 0; i < n; i++) {
            ServiceSpec s = services.get(i);
            double perInstance = i < shape.entries() ? busiestOut[i] / s.instances() : rps[i];
            cores = Math.max(cores, perInstance * MicroserviceProfile.of(s.type()).serviceTimeSeconds(CoreClass.BEEFY));
            gbps = Math.max(gbps, bytesPerSecond[i] * 8 / 1e9);
        }
        if (cores == 0) {
            return LIGHT_REQUESTS_PER_SECOND; // a single service, no channels
        }
        double tight = Math.min(TIGHT_CORES_PER_INSTANCE / cores, TIGHT_GBPS_PER_INSTANCE / gbps);
        double light = Math.min(LIGHT_REQUESTS_PER_SECOND, tight);
        return light * Math.pow(tight / light, load);
    }
}
