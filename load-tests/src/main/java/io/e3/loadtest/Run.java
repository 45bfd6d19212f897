package io.e3.loadtest;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The counters, latency recording, timeouts and progress of one run. Requests are dispatched from one sending
 * thread; answers arrive on any thread; timeouts and progress run on the run's own timer thread.
 */
final class Run {

    private static final int SIGNIFICANT_DIGITS = 3;

    private final long timeoutNanos;
    private final Consumer<Progress> progressListener;
    private final ScheduledThreadPoolExecutor timer;
    private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
    private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
    private Histogram interval;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder ok = new LongAdder();
    private final LongAdder okInWindow = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private long start;
    private long windowEnd;
    private long lastTick;
    private long lastSent;

    Run(long timeoutNanos, Consumer<Progress> progressListener) {
        this.timeoutNanos = timeoutNanos;
        this.progressListener = progressListener;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "load-generator-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Marks the start of the run window and starts the progress ticks. */
    void begin(long startNanos, long durationNanos) {
        start = startNanos;
        windowEnd = startNanos + durationNanos;
        lastTick = startNanos;
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /**
     * Sends request {@code number} and arranges for its answer or timeout to be counted once.
     *
     * @param latencyOrigin nanoTime that latency is measured from
     * @param onSettled     run once, when the request is answered or times out
     */
    void dispatch(RequestTarget target, long number, long latencyOrigin, Runnable onSettled) {
        sent.incrementAndGet();
        CompletableFuture<Outcome> answer;
        try {
            answer = target.send(number);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        if (answer == null) {
            answer = CompletableFuture.completedFuture(Outcome.error("target returned no future"));
        }
        if (answer.isDone()) {
            // Answered at once: no timeout to arm, which keeps a fast target cheap to drive.
            answer.whenComplete((outcome, failure) -> record(outcome, failure, latencyOrigin, onSettled));
            return;
        }
        Pending pending = new Pending(latencyOrigin, onSettled);
        inFlight.incrementAndGet();
        pending.timeoutTask = timer.schedule(pending::timeOut, timeoutNanos, TimeUnit.NANOSECONDS);
        answer.whenComplete(pending::answer);
    }

    /** Waits until every request sent is answered or timed out, then stops the timer. */
    void awaitSettled() {
        long giveUp = System.nanoTime() + timeoutNanos + TimeUnit.SECONDS.toNanos(1);
        while (inFlight.get() > 0 && System.nanoTime() < giveUp) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long sent() {
        return sent.get();
    }

    /** Builds the report; call after {@link #awaitSettled()}. */
    synchronized LoadReport report(LoadReport.Mode mode, double offeredRate, int outstanding, long stopNanos,
                                   boolean fellBehind, String message) {
        collectInterval();
        double seconds = (stopNanos - start) / 1e9;
        long sentCount = sent.get();
        return new LoadReport(mode, offeredRate, outstanding, sentCount / seconds, seconds, sentCount,
                ok.sum(), errors.sum(), timeouts.sum(), okInWindow.sum() / seconds,
                micros(total.getMean()), micros(total.getValueAtPercentile(50)),
                micros(total.getValueAtPercentile(90)), micros(total.getValueAtPercentile(99)),
                micros(total.getValueAtPercentile(99.9)), micros(total.getMaxValue()), fellBehind, message);
    }

    private void record(Outcome outcome, Throwable failure, long latencyOrigin, Runnable onSettled) {
        long now = System.nanoTime();
        if (failure == null && outcome != null && outcome.ok()) {
            recorder.recordValue(Math.max(0, now - latencyOrigin));
            ok.increment();
            if (now <= windowEnd) {
                okInWindow.increment();
            }
        } else {
            errors.increment();
        }
        onSettled.run();
    }

    private synchronized void tick() {
        collectInterval();
        long now = System.nanoTime();
        long sentNow = sent.get();
        double achieved = (sentNow - lastSent) / ((now - lastTick) / 1e9);
        double p99 = interval.getTotalCount() == 0 ? 0 : micros(interval.getValueAtPercentile(99));
        lastTick = now;
        lastSent = sentNow;
        progressListener.accept(new Progress((now - start) / 1e9, sentNow, ok.sum() + errors.sum(), achieved, p99));
    }

    private void collectInterval() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
    }

    private static double micros(double nanos) {
        return nanos / 1e3;
    }

    /** A request not answered yet: whichever of answer and timeout comes first counts, the other is ignored. */
    private final class Pending extends AtomicBoolean {
        private final long latencyOrigin;
        private final Runnable onSettled;
        private volatile Future<?> timeoutTask;

        Pending(long latencyOrigin, Runnable onSettled) {
            this.latencyOrigin = latencyOrigin;
            this.onSettled = onSettled;
        }

        void answer(Outcome outcome, Throwable failure) {
            if (compareAndSet(false, true)) {
                Future<?> task = timeoutTask;
                if (task != null) {
                    task.cancel(false);
                }
                record(outcome, failure, latencyOrigin, onSettled);
                // After recording, so that awaitSettled never collects the histogram ahead of this answer.
                inFlight.decrementAndGet();
            }
        }

        void timeOut() {
            if (compareAndSet(false, true)) {
                timeouts.increment();
                onSettled.run();
                inFlight.decrementAndGet();
            }
        }
    }
}
