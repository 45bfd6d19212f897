package io.e3.cli;

import picocli.CommandLine.Option;

/**
 * How a client sends, for {@code e3 load} and {@code e3 simulate} alike: exactly one of an open-loop rate, a closed
 * loop of N outstanding requests, or a search for the knee (an argument group of multiplicity 1).
 */
final class LoadShape {

    @Option(names = "--rate", paramLabel = "R", description = "Open loop: requests per second.")
    Double rate;

    @Option(names = "--closed", paramLabel = "N", description = "Closed loop: N requests outstanding.")
    Integer outstanding;

    @Option(names = "--knee", description = "Step the open-loop rate to find the knee of the latency-throughput "
            + "curve instead of one run.")
    boolean knee;

    /** Bad input unless the rate and the number outstanding are within the bounds given. */
    void check(double maxRate, int maxOutstanding) {
        if (rate != null && !(rate > 0 && rate <= maxRate)) {
            throw new BadInputException("--rate: must be more than 0 and at most " + (long) maxRate
                    + " requests per second, got " + rate);
        }
        if (outstanding != null && (outstanding < 1 || outstanding > maxOutstanding)) {
            throw new BadInputException("--closed: must be 1 to " + maxOutstanding + " outstanding requests, got "
                    + outstanding);
        }
    }
}
