package io.e3.loadtest;

import java.util.Objects;

/**
 * The result of one load run. Plain record, so Jackson writes it as JSON with these names.
 *
 * @param mode              open or closed loop
 * @param offeredRate       requests per second the open-loop schedule asked for; 0 for a closed loop
 * @param outstanding       requests kept in flight by a closed loop; 0 for an open loop
 * @param achievedSendRate  requests actually sent per second of the run
 * @param durationSeconds   how long requests were sent for, measured
 * @param sent              requests sent
 * @param ok                requests answered ok (at any time before their timeout)
 * @param errors            requests answered with an error, completed exceptionally, or whose send threw
 * @param timeouts          requests not answered within the timeout; a later answer is ignored
 * @param throughput        ok answers received during the run window, per second
 * @param meanMicros        mean latency of ok answers, microseconds
 * @param p50Micros         median latency of ok answers, microseconds
 * @param p90Micros         90th percentile, microseconds
 * @param p99Micros         99th percentile, microseconds
 * @param p999Micros        99.9th percentile, microseconds
 * @param maxMicros         largest latency, microseconds
 * @param fellBehind        true when an open loop sent more than 2 % fewer requests than its schedule asked for
 * @param message           one sentence on how the run went; never null
 */
public record LoadReport(Mode mode, double offeredRate, int outstanding, double achievedSendRate,
                         double durationSeconds, long sent, long ok, long errors, long timeouts, double throughput,
                         double meanMicros, double p50Micros, double p90Micros, double p99Micros, double p999Micros,
                         double maxMicros, boolean fellBehind, String message) {

    /** How requests were issued. */
    public enum Mode {
        /** On a schedule, whatever the answers; latency from each request's intended send time. */
        OPEN_LOOP,
        /** A fixed number in flight, a new one sent when one finishes; latency from the actual send. */
        CLOSED_LOOP
    }

    public LoadReport {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(message, "message");
    }
}
