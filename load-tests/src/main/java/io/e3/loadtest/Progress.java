package io.e3.loadtest;

/**
 * One progress sample, taken about every second while a run is going.
 *
 * @param elapsedSeconds     seconds since the run started
 * @param sent               requests sent so far
 * @param answered           requests answered so far (ok or error; timeouts are not answers)
 * @param achievedRate       requests sent per second during the last interval
 * @param intervalP99Micros  99th percentile latency, in microseconds, of the ok answers of the last interval;
 *                           0 when there were none
 */
public record Progress(double elapsedSeconds, long sent, long answered, double achievedRate,
                       double intervalP99Micros) {
}
