package io.e3.loadtest;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Synthetic targets for the generator's tests; answers are delayed on the scheduler the test owns. */
final class Targets {

    private Targets() {
    }

    /**
     * Answers at once, except that every answer due in {@code [stallAfter, stallAfter + stallFor)} after the first
     * request is held until that window ends: the whole target pauses, like a GC pause or a migration.
     */
    static RequestTarget stalling(ScheduledExecutorService scheduler, Duration stallAfter, Duration stallFor) {
        AtomicLong origin = new AtomicLong(Long.MIN_VALUE);
        return number -> {
            long now = System.nanoTime();
            origin.compareAndSet(Long.MIN_VALUE, now);
            long from = origin.get() + stallAfter.toNanos();
            long until = from + stallFor.toNanos();
            if (now < from || now >= until) {
                return CompletableFuture.completedFuture(Outcome.success());
            }
            CompletableFuture<Outcome> answer = new CompletableFuture<>();
            scheduler.schedule(() -> answer.complete(Outcome.success()), until - now, TimeUnit.NANOSECONDS);
            return answer;
        };
    }

    /**
     * One server with a fixed service time and an unbounded FIFO queue; capacity is {@code 1 / serviceTime}
     * requests per second. Service is accounted in virtual time, so capacity does not depend on the scheduler's
     * punctuality; only the answers' delivery does.
     */
    static RequestTarget singleServerQueue(ScheduledExecutorService scheduler, Duration serviceTime) {
        long service = serviceTime.toNanos();
        AtomicLong busyUntil = new AtomicLong(Long.MIN_VALUE);
        return number -> {
            long now = System.nanoTime();
            long done = busyUntil.accumulateAndGet(now, (busy, t) -> Math.max(busy, t) + service);
            CompletableFuture<Outcome> answer = new CompletableFuture<>();
            scheduler.schedule(() -> answer.complete(Outcome.success()), done - now, TimeUnit.NANOSECONDS);
            return answer;
        };
    }

    /**
     * By request number modulo 3: 0 answers ok at once; 1 fails at once (alternately with an error outcome and
     * an exceptional future); 2 answers ok after {@code lateBy}, meant to be after the generator's timeout.
     */
    static RequestTarget okErrorLate(ScheduledExecutorService scheduler, Duration lateBy) {
        return number -> switch ((int) (number % 3)) {
            case 0 -> CompletableFuture.completedFuture(Outcome.success());
            case 1 -> number % 2 == 0
                    ? CompletableFuture.completedFuture(Outcome.error("HTTP 503"))
                    : CompletableFuture.failedFuture(new IllegalStateException("connection reset"));
            default -> {
                CompletableFuture<Outcome> answer = new CompletableFuture<>();
                scheduler.schedule(() -> answer.complete(Outcome.success()), lateBy.toNanos(), TimeUnit.NANOSECONDS);
                yield answer;
            }
        };
    }
}
