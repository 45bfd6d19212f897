package io.e3.orchestrator;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When to move an instance back to the SmartNIC it was moved off (the way back of §5.4.4's migrations), with
 * hysteresis so that it never oscillates:
 * <ul>
 *   <li>the instance's load must fall well below the load at which it overloaded: its requests per heartbeat on the
 *       host at most {@link Settings#quietShare} of those in the heartbeat that triggered the move (the low-water
 *       mark; the move off happened above the high-water mark, the overload detector's threshold);</li>
 *   <li>and stay there for the settle time, which starts at {@link Settings#settleMillis} and doubles each time the
 *       instance has to be moved off again after a move back (up to {@link Settings#maxSettleMillis}), so a load that
 *       keeps returning is followed ever more slowly;</li>
 *   <li>any heartbeat above the mark restarts the settle time.</li>
 * </ul>
 * Where it goes is its original SmartNIC; whether that still has room is the placement code's call. Not thread-safe:
 * the orchestrator's one thread uses it. Allocates only when an instance is moved.
 */
public final class MoveBackPolicy {

    /**
     * @param quietShare      the low-water mark, as a share of the requests per heartbeat that triggered the move off,
     *                        in (0, 1)
     * @param settleMillis    how long the load must stay under the mark before the first move back
     * @param maxSettleMillis the longest settle time, however often the instance bounced
     */
    public record Settings(double quietShare, long settleMillis, long maxSettleMillis) {

        public static final Settings DEFAULT = new Settings(0.5, 30_000, 600_000);

        public Settings {
            if (!(quietShare > 0 && quietShare < 1) || settleMillis < 0 || maxSettleMillis < settleMillis) {
                throw new IllegalArgumentException("move-back settings out of range: " + this);
            }
        }
    }

    private static final class Moved {
        final String origin;
        final double ratedRequests;
        final long settleMillis;
        long quietSince = -1;

        Moved(String origin, double ratedRequests, long settleMillis) {
            this.origin = origin;
            this.ratedRequests = ratedRequests;
            this.settleMillis = settleMillis;
        }
    }

    private final Settings settings;
    private final Map<String, Moved> moved = new HashMap<>();
    /** Per instance: how often it was moved off again after a move back. */
    private final Map<String, Integer> bounces = new HashMap<>();
    /** Instances moved back whose next move off counts as a bounce. */
    private final Map<String, Boolean> returned = new HashMap<>();

    public MoveBackPolicy(Settings settings) {
        this.settings = settings;
    }

    public boolean isEmpty() {
        return moved.isEmpty();
    }

    /** Whether {@code instanceId} was moved off a SmartNIC and is watched for a move back. */
    public boolean watches(String instanceId) {
        return moved.containsKey(instanceId);
    }

    /**
     * {@code instanceId} was moved off SmartNIC {@code origin}, having taken {@code requestsPerBeat} requests in the
     * heartbeat that triggered the move.
     */
    public void movedOff(String instanceId, String origin, double requestsPerBeat) {
        int b = returned.remove(instanceId) != null ? bounces.merge(instanceId, 1, Integer::sum)
                : bounces.getOrDefault(instanceId, 0);
        long settle = settings.settleMillis() << Math.min(b, 30);
        moved.put(instanceId, new Moved(origin, Math.max(1, requestsPerBeat),
                Math.min(settings.maxSettleMillis(), settle < 0 ? Long.MAX_VALUE : settle)));
    }

    /** {@code instanceId} is back on its SmartNIC (or gone): no longer watched. */
    public void movedBack(String instanceId) {
        if (moved.remove(instanceId) != null) {
            returned.put(instanceId, Boolean.TRUE);
        }
    }

    /** Forgets {@code instanceId} entirely (undeployed). */
    public void forget(String instanceId) {
        moved.remove(instanceId);
        bounces.remove(instanceId);
        returned.remove(instanceId);
    }

    /**
     * One heartbeat's load of a watched instance: {@code requests} in the window ending at {@code nowMillis}. Returns
     * the SmartNIC to move it back to once it has been quiet for its settle time.
     */
    public Optional<String> observe(String instanceId, int requests, long nowMillis) {
        Moved m = moved.get(instanceId);
        if (m == null) {
            return Optional.empty();
        }
        if (requests > settings.quietShare() * m.ratedRequests) {
            m.quietSince = -1;
            return Optional.empty();
        }
        if (m.quietSince < 0) {
            m.quietSince = nowMillis;
        }
        return nowMillis - m.quietSince >= m.settleMillis ? Optional.of(m.origin) : Optional.empty();
    }

    /** The settle time {@code instanceId} must wait now, or -1 if it is not watched. */
    public long settleMillis(String instanceId) {
        Moved m = moved.get(instanceId);
        return m == null ? -1 : m.settleMillis;
    }
}
