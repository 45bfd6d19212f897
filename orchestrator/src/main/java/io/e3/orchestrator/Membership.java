package io.e3.orchestrator;

import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Node membership of the failover manager (§5.4.5): a failure detector that declares down a node whose heartbeats
 * stopped, and readmits one that heartbeats again. The fault domain is the server: SmartNICs share their host's power
 * supply, so a host that goes down takes its SmartNICs with it, while a SmartNIC alone going down leaves its host up.
 *
 * <h2>Timeouts: φ accrual</h2>
 * Each node's timeout follows its own heartbeats, as in the φ-accrual detector (Hayashibara et al., 2004): the last
 * {@value #WINDOW} intervals between its heartbeats give a mean μ and a standard deviation σ, and the node is suspected
 * at level φ after silence t when the chance of a live node's next heartbeat coming later still, 1 − F(t), is
 * 10<sup>−φ</sup>, F the normal distribution N(μ, σ²). With F approximated by the logistic function, as Akka's
 * detector does, 1 − F(μ + yσ) ≈ 1 / (1 + e<sup>y(1.5976 + 0.070566 y²)</sup>), so the silence at which φ reaches
 * the threshold φ<sub>th</sub> is
 * <pre>
 *     timeout = μ + k·σ,   k solving  k (1.5976 + 0.070566 k²) = ln(10^φth − 1)
 * </pre>
 * which for φ<sub>th</sub> = 8 is k ≈ 5.22. σ is taken as at least {@value #MIN_SIGMA_MILLIS} ms (a perfectly
 * regular node would otherwise be declared down one beat late), and the timeout is clamped to
 * [{@link DetectorSettings#floorMillis}, {@link DetectorSettings#maxTimeoutMillis}]. A node with fewer than
 * {@value #MIN_SAMPLES} intervals gets the floor, and one not heard from at all since the detector started the
 * maximum: agents take a while to reach a controller that has just started, and a restarted controller must not fail
 * over the nodes it has not heard from yet. Steady heartbeats every 50 ms give 50 + 5.22·10 ≈ 102 ms, so the
 * floor (500 ms by default) holds; a node whose heartbeats arrive irregularly (a loaded machine) gets a longer timeout,
 * up to the maximum. The intervals of a node declared down count too (each at most the maximum): one wrongly declared
 * down because its heartbeats stall now and then learns a longer timeout from the stall, instead of being declared
 * down again at the next. Intervals that span an excused pause or disruption do not count.
 *
 * <h2>Pauses, disruptions</h2>
 * A check does not count silence that says more about the controller than about the nodes:
 * <ul>
 *   <li>a pause: if the check runs more than twice its period late ({@link DetectorSettings#checkPeriodMillis}), the
 *       controller itself was held up (a stopped process, a long GC, a starved CPU), and so maybe was its heartbeat
 *       socket; if every up node is quiet at once (see below) when one would be declared down, the same is likely.
 *       The silence so far is excused: every up node counts as heard from now
 *       ({@link MembershipNotice.Kind#PAUSE_EXCUSED}). Every node silent twice in a row with
 *       no heartbeat in between is no pause but a disruption, and a late check in a disruption does not end it;</li>
 *   <li>a disruption, as Kubernetes' node lifecycle controller has it: if more than
 *       {@link DetectorSettings#disruptionShare} of the up nodes, and at least two, are quiet in one check when one
 *       would be declared down, no node is declared down while that lasts
 *       ({@link MembershipNotice.Kind#DISRUPTION}). When it
 *       ends, every up node's silence counts from then ({@link MembershipNotice.Kind#DISRUPTION_OVER}), so none is
 *       declared down the instant it ends.</li>
 * </ul>
 * A node counts as quiet here once silent past the floor, the shortest timeout, not its own: timeouts differ from node
 * to node, so when every agent stalls at once (a loaded machine) the nodes with the shortest timeouts would otherwise
 * cross theirs first, too few at a time to look like a disruption, and be declared down one by one.
 *
 * <h2>Readmission</h2>
 * A node declared down that heartbeats again is readmitted by the next {@link #check}: it returns the node's up
 * {@link NodeEvent} (reason "heartbeats again"), a host before its SmartNICs, and a SmartNIC only once its host is up
 * (they share its power supply). That event is the hook for whoever must bring the node back into use; a
 * {@link MembershipNotice.Kind#READMITTED} notice says the same.
 *
 * <p>State is kept in arrays indexed by {@link NodeIndex} number, the intervals in one flat ring per node with running
 * sums: recording a heartbeat is a few array writes and allocates nothing; a check allocates only when it has
 * something to report. Not thread-safe.
 */
public final class Membership {

    /** Intervals kept per node. */
    public static final int WINDOW = 100;
    /** Intervals a node needs before its timeout is estimated from them. */
    public static final int MIN_SAMPLES = 20;
    /** The least standard deviation used. */
    public static final long MIN_SIGMA_MILLIS = 10;
    private static final long NEVER = Long.MIN_VALUE;

    private final NodeIndex nodes;
    private final DetectorSettings settings;
    /** Standard deviations above the mean at which φ reaches the threshold. */
    private final double k;
    /** When each node last counted as heard from: its last heartbeat, or the end of an excused pause or disruption. */
    private final long[] lastSeen;
    /** Each node's last heartbeat, to measure the next interval from; {@link #NEVER} when the next is not to count. */
    private final long[] lastHeard;
    /** When each node was declared down. */
    private final long[] downAt;
    private final boolean[] up;
    /** Whether each node was heard from since the detector started. */
    private final boolean[] heard;
    /** Scratch for one check: which up nodes are silent past their timeouts. */
    private final boolean[] silent;
    /** Scratch for one check: which up nodes are silent past the floor, the shortest timeout. */
    private final boolean[] quiet;
    /** The last {@link #WINDOW} intervals of node n at [n·WINDOW, (n+1)·WINDOW), in ms; a ring from {@link #next}. */
    private final int[] intervals;
    private final int[] next;
    private final int[] count;
    private final long[] sum;
    private final long[] sumSquares;
    /**
     * Each node's server's host, as a node index (a host's is its own). {@link Cluster#nodes()} lists each server's
     * nodes together, host first, so a SmartNIC's host is the last host before it.
     */
    private final int[] hostOf;
    private long lastCheck = NEVER;
    private boolean disrupted;
    /** Whether any heartbeat came since the last excused pause. */
    private boolean heardSinceExcused = true;
    private Consumer<MembershipNotice> notices = n -> { };

    /** Every node starts up, as if heard from at {@code startMillis}; the detector's settings are the defaults. */
    public Membership(Cluster cluster, OrchestratorSettings settings, long startMillis) {
        this(NodeIndex.of(cluster), settings, startMillis);
    }

    /** Every node of {@code nodes} starts up, as if heard from at {@code startMillis}; default detector settings. */
    public Membership(NodeIndex nodes, OrchestratorSettings settings, long startMillis) {
        this(nodes, DetectorSettings.of(settings), startMillis);
    }

    /** Every node of {@code nodes} starts up, as if heard from at {@code startMillis}. */
    public Membership(NodeIndex nodes, DetectorSettings settings, long startMillis) {
        this.nodes = nodes;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.k = sigmas(settings.phiThreshold());
        int size = nodes.size();
        lastSeen = new long[size];
        Arrays.fill(lastSeen, startMillis);
        lastHeard = new long[size];
        Arrays.fill(lastHeard, NEVER);
        downAt = new long[size];
        up = new boolean[size];
        Arrays.fill(up, true);
        heard = new boolean[size];
        silent = new boolean[size];
        quiet = new boolean[size];
        intervals = new int[size * WINDOW];
        next = new int[size];
        count = new int[size];
        sum = new long[size];
        sumSquares = new long[size];
        hostOf = new int[size];
        for (int n = 0; n < size; n++) {
            hostOf[n] = nodes.node(n).isSmartNic() ? hostOf[n - 1] : n;
        }
    }

    /**
     * The k at which the logistic approximation of the normal tail, 1 / (1 + e^(k (1.5976 + 0.070566 k²))), is
     * 10^−φ: k (1.5976 + 0.070566 k²) = ln(10^φ − 1). The left side grows with k, so bisection finds it.
     */
    static double sigmas(double phi) {
        double target = Math.log(Math.pow(10, phi) - 1);
        double lo = 0;
        double hi = 50;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (mid * (1.5976 + 0.070566 * mid * mid) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** Told of each {@link MembershipNotice} as a check makes it, on the checking thread. */
    public void onNotice(Consumer<MembershipNotice> listener) {
        this.notices = Objects.requireNonNull(listener, "listener");
    }

    /** Records a heartbeat from {@code nodeId} (one not in the cluster changes nothing). */
    public void heartbeat(String nodeId, long nowMillis) {
        heartbeat(nodes.indexOf(nodeId), nowMillis);
    }

    /**
     * Records a heartbeat from the node numbered {@code node} by {@link NodeIndex} ({@link NodeIndex#UNKNOWN} for a node
     * not in the cluster, which changes nothing). Allocates nothing. A node declared down is readmitted by the next
     * {@link #check}.
     */
    public void heartbeat(int node, long nowMillis) {
        if (node == NodeIndex.UNKNOWN) {
            return;
        }
        long previous = lastHeard[node];
        if (previous != NEVER && nowMillis >= previous) {
            record(node, (int) Math.min(nowMillis - previous, settings.maxTimeoutMillis()));
        }
        lastHeard[node] = nowMillis;
        heard[node] = true;
        lastSeen[node] = Math.max(lastSeen[node], nowMillis);
        heardSinceExcused = true;
    }

    private void record(int node, int interval) {
        int slot = node * WINDOW + next[node];
        if (count[node] == WINDOW) {
            int old = intervals[slot];
            sum[node] -= old;
            sumSquares[node] -= (long) old * old;
        } else {
            count[node]++;
        }
        intervals[slot] = interval;
        sum[node] += interval;
        sumSquares[node] += (long) interval * interval;
        next[node] = (next[node] + 1) % WINDOW;
    }

    /** The silence after which node {@code node} is suspected at the φ threshold, clamped to the settings' range. */
    private long timeout(int node) {
        if (!heard[node]) {
            return settings.maxTimeoutMillis();
        }
        int c = count[node];
        if (c < MIN_SAMPLES) {
            return settings.floorMillis();
        }
        double mean = (double) sum[node] / c;
        double variance = Math.max(0, (double) sumSquares[node] / c - mean * mean);
        double sigma = Math.max(MIN_SIGMA_MILLIS, Math.sqrt(variance));
        long t = Math.round(mean + k * sigma);
        return Math.max(settings.floorMillis(), Math.min(settings.maxTimeoutMillis(), t));
    }

    /** Node {@code nodeId}'s timeout now (the floor for a node not in the cluster). */
    public long timeoutMillis(String nodeId) {
        int n = nodes.indexOf(nodeId);
        return n == NodeIndex.UNKNOWN ? settings.floorMillis() : timeout(n);
    }

    /**
     * Readmits the nodes declared down that heartbeat again, then declares down the nodes silent past their timeouts,
     * with their server's SmartNICs if a host, unless the silence is excused as a pause or held off as a disruption
     * (see the class comment). Returns the changes, readmissions (up) first, in node order: a server's host before its
     * SmartNICs.
     */
    public List<NodeEvent> check(long nowMillis) {
        List<NodeEvent> events = null;
        long period = settings.checkPeriodMillis();
        // In a disruption nothing is declared down anyway; excusing the silence would only end it unseen.
        if (period > 0 && lastCheck != NEVER && nowMillis - lastCheck - period > 2 * period && !disrupted) {
            excuse(nowMillis);
            notices.accept(new MembershipNotice(nowMillis, MembershipNotice.Kind.PAUSE_EXCUSED, List.of(),
                    "checks held up: this one ran " + (nowMillis - lastCheck - period) + " ms late (every "
                            + period + " ms); the silence meanwhile is not counted"));
        }
        lastCheck = nowMillis;

        List<String> readmitted = null;
        for (int n = 0; n < up.length; n++) {
            // Node order is server by server, host first: a host is readmitted before its SmartNICs are looked at.
            if (!up[n] && lastSeen[n] > downAt[n] && (hostOf[n] == n || up[hostOf[n]])) {
                up[n] = true;
                ComputeNode node = nodes.node(n);
                if (events == null) {
                    events = new ArrayList<>();
                    readmitted = new ArrayList<>();
                }
                events.add(new NodeEvent(node.id(), node.serverId(), true, "heartbeats again"));
                readmitted.add(node.id());
            }
        }
        if (readmitted != null) {
            notices.accept(new MembershipNotice(nowMillis, MembershipNotice.Kind.READMITTED, readmitted,
                    "declared down, heartbeating again: back up"));
        }

        int upCount = 0;
        int silentCount = 0;
        int quietCount = 0;
        for (int n = 0; n < up.length; n++) {
            long silence = nowMillis - lastSeen[n];
            quiet[n] = up[n] && silence > settings.floorMillis();
            silent[n] = quiet[n] && silence > timeout(n);
            upCount += up[n] ? 1 : 0;
            silentCount += silent[n] ? 1 : 0;
            quietCount += quiet[n] ? 1 : 0;
        }
        if (!disrupted && silentCount > 0 && quietCount == upCount && upCount >= 2 && heardSinceExcused) {
            excuse(nowMillis);
            heardSinceExcused = false;
            notices.accept(new MembershipNotice(nowMillis, MembershipNotice.Kind.PAUSE_EXCUSED, List.of(),
                    "all " + upCount + " up nodes silent at once: more likely the controller was held up than they "
                            + "all failed; the silence so far is not counted"));
            return events == null ? List.of() : events;
        }
        boolean disruption = quietCount >= 2 && quietCount > settings.disruptionShare() * upCount;
        if (disruption && (disrupted || silentCount > 0)) {
            if (!disrupted) {
                disrupted = true;
                notices.accept(new MembershipNotice(nowMillis, MembershipNotice.Kind.DISRUPTION, quietNodes(),
                        quietCount + " of " + upCount + " up nodes silent at once for over " + settings.floorMillis()
                                + " ms, more than " + settings.disruptionShare() + " of them: more likely the "
                                + "network or the controller than the nodes; none is declared down until fewer are "
                                + "silent"));
            }
            return events == null ? List.of() : events;
        }
        if (disrupted) {
            disrupted = false;
            excuse(nowMillis);
            notices.accept(new MembershipNotice(nowMillis, MembershipNotice.Kind.DISRUPTION_OVER, List.of(),
                    quietCount + " of " + upCount + " up nodes silent: disruption over; every node's silence counts "
                            + "from now"));
            return events == null ? List.of() : events;
        }

        for (int n = 0; n < up.length; n++) {
            // Node order is server by server, host first: a host is settled before its SmartNICs are looked at.
            if (!up[n]) {
                continue;
            }
            int host = hostOf[n];
            ComputeNode node = nodes.node(n);
            String reason;
            if (host != n && !up[host]) {
                reason = "its server's host " + nodes.node(host).id() + " is down";
            } else if (silent[n]) {
                reason = "no heartbeat for " + (nowMillis - lastSeen[n]) + " ms (timeout " + timeout(n) + " ms)";
            } else {
                continue;
            }
            up[n] = false;
            downAt[n] = nowMillis;
            if (events == null) {
                events = new ArrayList<>();
            }
            events.add(new NodeEvent(node.id(), node.serverId(), false, reason));
        }
        return events == null ? List.of() : events;
    }

    /** Every up node counts as heard from at {@code nowMillis}, and the interval up to its next heartbeat not at all. */
    private void excuse(long nowMillis) {
        for (int n = 0; n < up.length; n++) {
            if (up[n]) {
                lastSeen[n] = Math.max(lastSeen[n], nowMillis);
                lastHeard[n] = NEVER;
            }
        }
    }

    private List<String> quietNodes() {
        List<String> out = new ArrayList<>();
        for (int n = 0; n < quiet.length; n++) {
            if (quiet[n]) {
                out.add(nodes.node(n).id());
            }
        }
        return out;
    }

    public boolean isUp(String nodeId) {
        int node = nodes.indexOf(nodeId);
        return node != NodeIndex.UNKNOWN && up[node];
    }

    /** Whether the last check found a disruption, and so declared no node down. */
    public boolean disrupted() {
        return disrupted;
    }
}
