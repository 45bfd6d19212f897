package io.e3.simulator;

/** Told how a long run is going, every {@link SimulationConfig#progressEverySeconds()} of simulated time. */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = p -> {
    };

    /** Called on the simulating thread; must return quickly. */
    void progress(Progress p);
}
