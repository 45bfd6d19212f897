package io.e3.simulator;

import io.e3.model.app.ChannelLoad;
import io.e3.orchestrator.OrchestratorSettings;
import io.e3.placement.strategies.PlacementStrategies;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What to simulate besides the cluster and the apps: the client, how long, the seed, the orchestrator, failures and
 * load steps. Built with {@link #builder()}; every {@code with*} checks its argument and says what was wrong.
 *
 * @param client            the client model
 * @param durationSeconds   simulated seconds to run, greater than 0
 * @param warmupSeconds     simulated seconds at the start left out of latency and throughput, in [0, duration)
 * @param seed              seeds every random choice: the same seed gives the same result
 * @param placement         the placement strategy's name ({@link PlacementStrategies#names()})
 * @param requestBytes      payload bytes of a client request, and so of every stage's request along the DAG (the
 *                          agents forward the client's envelope; a channel's stated size is a placement hint)
 * @param orchestrate       whether heartbeats feed the data-plane orchestrator and its decisions migrate instances
 * @param orchestrator      the orchestrator's and failover manager's thresholds
 * @param heartbeatMillis   heartbeat period of every node in simulated milliseconds (the agents': 50)
 * @param migrationSetupMillis fixed cost of a migration besides moving its state: start at the destination, switch
 *                          routes
 * @param fabric            the modelled hardware knobs
 * @param coreQueueing      how a node's cores take requests
 * @param replication       whether serving instances replicate every request to their backups and wait for their
 *                          acknowledgements before going on, as the agents do (primary-backup, §5.4.5)
 * @param failures          node failures, by time
 * @param loadSteps         rate changes of an open-loop client, by time
 * @param progressEverySeconds simulated seconds between progress reports
 */
public record SimulationConfig(ClientModel client, double durationSeconds, double warmupSeconds, long seed,
                               String placement, int requestBytes, boolean orchestrate,
                               OrchestratorSettings orchestrator, double heartbeatMillis,
                               double migrationSetupMillis, FabricSettings fabric, CoreQueueing coreQueueing,
                               boolean replication, List<NodeFailure> failures,
                               List<LoadStep> loadSteps, double progressEverySeconds) {

    public SimulationConfig {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(orchestrator, "orchestrator");
        Objects.requireNonNull(fabric, "fabric");
        Objects.requireNonNull(coreQueueing, "coreQueueing");
        failures = failures.stream().sorted(Comparator.comparingDouble(NodeFailure::atSeconds)).toList();
        loadSteps = loadSteps.stream().sorted(Comparator.comparingDouble(LoadStep::atSeconds)).toList();
        if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds)) {
            throw new IllegalArgumentException("duration must be > 0 s, got " + durationSeconds);
        }
        if (!(warmupSeconds >= 0 && warmupSeconds < durationSeconds)) {
            throw new IllegalArgumentException("warm-up must be in [0, duration " + durationSeconds + " s), got "
                    + warmupSeconds);
        }
        if (PlacementStrategies.byName(placement).isEmpty()) {
            throw new IllegalArgumentException("unknown placement strategy '" + placement + "'; known: "
                    + PlacementStrategies.names());
        }
        if (requestBytes < 1 || requestBytes > ChannelLoad.MAX_REQUEST_BYTES) {
            throw new IllegalArgumentException("request bytes must be in [1, " + ChannelLoad.MAX_REQUEST_BYTES
                    + "], got " + requestBytes);
        }
        if (!(heartbeatMillis >= 1) || Double.isInfinite(heartbeatMillis)) {
            throw new IllegalArgumentException("heartbeat period must be >= 1 ms, got " + heartbeatMillis);
        }
        if (!(migrationSetupMillis >= 0) || Double.isInfinite(migrationSetupMillis)) {
            throw new IllegalArgumentException("migration setup must be >= 0 ms, got " + migrationSetupMillis);
        }
        if (!(progressEverySeconds > 0)) {
            throw new IllegalArgumentException("progress interval must be > 0 s, got " + progressEverySeconds);
        }
        if (!loadSteps.isEmpty() && !client.openLoop()) {
            throw new IllegalArgumentException("load steps need an open-loop client");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder with these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.client = client;
        b.durationSeconds = durationSeconds;
        b.warmupSeconds = warmupSeconds;
        b.seed = seed;
        b.placement = placement;
        b.requestBytes = requestBytes;
        b.orchestrate = orchestrate;
        b.orchestrator = orchestrator;
        b.heartbeatMillis = heartbeatMillis;
        b.migrationSetupMillis = migrationSetupMillis;
        b.fabric = fabric;
        b.coreQueueing = coreQueueing;
        b.replication = replication;
        b.failures.addAll(failures);
        b.loadSteps.addAll(loadSteps);
        b.progressEverySeconds = progressEverySeconds;
        return b;
    }

    /**
     * Builds a {@link SimulationConfig}. Defaults: open loop at 10,000 constant requests per second, 1 s, no warm-up,
     * seed 1, HCM, 512 B requests, orchestrator on with its default settings, 50 ms heartbeats, 5 ms migration setup,
     * the agents' fabric and round-robin cores, replication on, no failures or load steps, progress every simulated second.
     */
    public static final class Builder {
        private ClientModel client = ClientModel.constant(10_000);
        private double durationSeconds = 1;
        private double warmupSeconds;
        private long seed = 1;
        private String placement = PlacementStrategies.names().get(0);
        private int requestBytes = ChannelLoad.DEFAULT_REQUEST_BYTES;
        private boolean orchestrate = true;
        private OrchestratorSettings orchestrator = OrchestratorSettings.DEFAULT;
        private double heartbeatMillis = 50;
        private double migrationSetupMillis = 5;
        private FabricSettings fabric = FabricSettings.DEFAULT;
        private CoreQueueing coreQueueing = CoreQueueing.ROUND_ROBIN;
        private boolean replication = true;
        private final List<NodeFailure> failures = new ArrayList<>();
        private final List<LoadStep> loadSteps = new ArrayList<>();
        private double progressEverySeconds = 1;

        private Builder() {
        }

        public Builder client(ClientModel c) {
            this.client = Objects.requireNonNull(c, "client");
            return this;
        }

        /** Open loop at {@code rate} requests per second, constant arrivals. */
        public Builder rate(double rate) {
            return client(ClientModel.constant(rate));
        }

        public Builder durationSeconds(double seconds) {
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("duration must be > 0 s, got " + seconds);
            }
            this.durationSeconds = seconds;
            return this;
        }

        public Builder warmupSeconds(double seconds) {
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("warm-up must be >= 0 s, got " + seconds);
            }
            this.warmupSeconds = seconds;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder placement(String strategy) {
            this.placement = Objects.requireNonNull(strategy, "placement");
            return this;
        }

        public Builder requestBytes(int bytes) {
            this.requestBytes = bytes;
            return this;
        }

        public Builder orchestrate(boolean on) {
            this.orchestrate = on;
            return this;
        }

        public Builder orchestrator(OrchestratorSettings settings) {
            this.orchestrator = Objects.requireNonNull(settings, "orchestrator");
            return this;
        }

        public Builder heartbeatMillis(double millis) {
            this.heartbeatMillis = millis;
            return this;
        }

        public Builder migrationSetupMillis(double millis) {
            this.migrationSetupMillis = millis;
            return this;
        }

        public Builder fabric(FabricSettings f) {
            this.fabric = Objects.requireNonNull(f, "fabric");
            return this;
        }

        public Builder coreQueueing(CoreQueueing q) {
            this.coreQueueing = Objects.requireNonNull(q, "coreQueueing");
            return this;
        }

        /** Whether serving instances replicate to their backups (on by default, as in the agents). */
        public Builder replication(boolean on) {
            this.replication = on;
            return this;
        }

        public Builder failure(NodeFailure f) {
            failures.add(Objects.requireNonNull(f, "failure"));
            return this;
        }

        public Builder loadStep(LoadStep s) {
            loadSteps.add(Objects.requireNonNull(s, "load step"));
            return this;
        }

        public Builder progressEverySeconds(double seconds) {
            this.progressEverySeconds = seconds;
            return this;
        }

        public SimulationConfig build() {
            return new SimulationConfig(client, durationSeconds, warmupSeconds, seed, placement, requestBytes,
                    orchestrate, orchestrator, heartbeatMillis, migrationSetupMillis, fabric, coreQueueing, replication,
                    failures, loadSteps, progressEverySeconds);
        }
    }
}
