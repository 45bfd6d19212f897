package io.e3.model.app;

/**
 * What one instance of a service asks of the node it runs on.
 *
 * @param cores     cores it keeps busy, greater than 0 (fractions allowed: 0.5 is half a core)
 * @param memoryMiB memory it needs in MiB, at least 1
 */
public record ResourceDemand(double cores, long memoryMiB) {

    /** Used when a manifest gives no {@code resources}. */
    public static final ResourceDemand DEFAULT = new ResourceDemand(1, 256);

    public ResourceDemand {
        if (!(cores > 0) || Double.isInfinite(cores)) {
            throw new IllegalArgumentException("cores must be > 0, got " + cores);
        }
        if (memoryMiB < 1) {
            throw new IllegalArgumentException("memoryMiB must be >= 1, got " + memoryMiB);
        }
    }
}
