package io.e3.simulator;

/**
 * How far a run has got, for a progress line.
 *
 * @param simulatedSeconds simulated time reached
 * @param durationSeconds  simulated time the run goes to
 * @param events           events processed so far
 * @param completed        client requests completed so far (warm-up included)
 * @param wallSeconds      wall time since the run started
 */
public record Progress(double simulatedSeconds, double durationSeconds, long events, long completed,
                       double wallSeconds) {

    /** Events per second of wall time so far. */
    public double eventsPerSecond() {
        return wallSeconds > 0 ? events / wallSeconds : 0;
    }
}
