package io.e3.loadtest;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;

/**
 * Drives a {@link RequestTarget} in an open loop (requests on a schedule, whatever the answers) or a closed loop
 * (a fixed number in flight) and reports counts and latency percentiles. Requests are sent from the calling
 * thread; a run returns once every request is answered or timed out. Built with {@link #builder()}; one
 * generator may run many times, one run at a time per calling thread.
 */
public final class LoadGenerator {

    /** Achieved send rate this far under the schedule's counts as falling behind. */
    static final double FALL_BEHIND_TOLERANCE = 0.02;

    private final Duration timeout;
    private final Consumer<Progress> progressListener;

    private LoadGenerator(Builder builder) {
        this.timeout = builder.timeout;
        this.progressListener = builder.progressListener;
    }

    /** A builder with a 5 s request timeout and no progress listener. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends requests at the times {@code arrivals} gives, for {@code duration}. When the sender is late it sends
     * at once, without sleeping, and latency still counts from each request's intended send time (the wrk2 rule),
     * so a stall of the target shows in the latency of every request it delayed, sent or not.
     *
     * @throws IllegalArgumentException if {@code duration} is zero or negative
     */
    public LoadReport openLoop(RequestTarget target, Arrivals arrivals, Duration duration) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(arrivals, "arrivals");
        long durationNanos = positive(duration, "duration");
        DoubleSupplier intervals = arrivals.intervals();
        Run run = new Run(timeout.toNanos(), progressListener);
        long start = System.nanoTime();
        long end = start + durationNanos;
        run.begin(start, durationNanos);
        double offset = 0;
        long number = 0;
        while (start + (long) offset < end) {
            long intended = start + (long) offset;
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            while (now < intended) {
                LockSupport.parkNanos(intended - now);
                now = System.nanoTime();
            }
            run.dispatch(target, number++, intended, () -> { });
            offset += intervals.getAsDouble();
        }
        long stop = System.nanoTime();
        long scheduled = number;
        while (start + (long) offset < end) {
            scheduled++;
            offset += intervals.getAsDouble();
        }
        run.awaitSettled();
        return openReport(run, arrivals.ratePerSecond(), stop, scheduled);
    }

    /**
     * Keeps {@code outstanding} requests in flight for {@code duration}, sending the next one as soon as one is
     * answered or times out. Latency counts from the actual send, so a stall delays only the requests in flight.
     *
     * @throws IllegalArgumentException if {@code outstanding} &lt;= 0 or {@code duration} is zero or negative
     */
    public LoadReport closedLoop(RequestTarget target, int outstanding, Duration duration) {
        Objects.requireNonNull(target, "target");
        if (outstanding <= 0) {
            throw new IllegalArgumentException("outstanding: must be >= 1, got " + outstanding);
        }
        long durationNanos = positive(duration, "duration");
        Semaphore free = new Semaphore(outstanding);
        Run run = new Run(timeout.toNanos(), progressListener);
        long start = System.nanoTime();
        long end = start + durationNanos;
        run.begin(start, durationNanos);
        long number = 0;
        try {
            for (long now = start; now < end; now = System.nanoTime()) {
                if (!free.tryAcquire(end - now, TimeUnit.NANOSECONDS)) {
                    break;
                }
                run.dispatch(target, number++, System.nanoTime(), free::release);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long stop = System.nanoTime();
        run.awaitSettled();
        return run.report(LoadReport.Mode.CLOSED_LOOP, 0, outstanding, stop, false,
                "closed loop, " + outstanding + " outstanding");
    }

    private static LoadReport openReport(Run run, double offeredRate, long stop, long scheduled) {
        long sent = run.sent();
        boolean fellBehind = sent < (1 - FALL_BEHIND_TOLERANCE) * scheduled;
        String message = fellBehind
                ? String.format("fell behind: sent %d of the %d requests scheduled; latencies still count from "
                        + "the intended send times, but the target saw less load than offered", sent, scheduled)
                : String.format("kept up: sent %d of the %d requests scheduled", sent, scheduled);
        return run.report(LoadReport.Mode.OPEN_LOOP, offeredRate, 0, stop, fellBehind, message);
    }

    private static long positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": must be > 0, got " + value);
        }
        return value.toNanos();
    }

    /** Configures a {@link LoadGenerator}; each setter checks its value. */
    public static final class Builder {
        private Duration timeout = Duration.ofSeconds(5);
        private Consumer<Progress> progressListener = progress -> { };

        private Builder() {
        }

        /**
         * How long a request may go unanswered, counted from its actual send, before it counts as a timeout.
         *
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder timeout(Duration timeout) {
            positive(timeout, "timeout");
            this.timeout = timeout;
            return this;
        }

        /** Called about once a second, on the generator's timer thread, while a run goes on; must be quick. */
        public Builder progressListener(Consumer<Progress> listener) {
            this.progressListener = Objects.requireNonNull(listener, "progressListener");
            return this;
        }

        public LoadGenerator build() {
            return new LoadGenerator(this);
        }
    }
}
