package io.e3.agent.emu;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Holds actions until a point in real time with sub-millisecond precision (Vert.x timers tick in milliseconds, too
 * coarse for emulated service times of microseconds times D). One daemon thread takes due actions off a
 * {@link DelayQueue} and runs them; actions must be short (hand a datagram to a socket, hand work to an executor).
 * Actions already due run at once on the caller's thread.
 */
public final class DelayLine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(DelayLine.class.getName());

    private final DelayQueue<Task> queue = new DelayQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    public DelayLine(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code action} when {@link System#nanoTime()} reaches {@code dueNanos}, or now if it already has. */
    public void at(long dueNanos, Runnable action) {
        if (dueNanos - System.nanoTime() <= 0) {
            run(action);
        } else if (!closed) {
            queue.add(new Task(dueNanos, sequence.getAndIncrement(), action));
        }
    }

    private void loop() {
        while (!closed) {
            try {
                run(queue.take().action);
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private static void run(Runnable action) {
        try {
            action.run();
        } catch (Throwable e) {
            // Even an Error must not kill the one thread every held answer and datagram waits on.
            LOG.log(Level.WARNING, "delayed action failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        queue.clear();
    }

    private record Task(long dueNanos, long seq, Runnable action) implements Delayed {

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task t = (Task) o;
            int c = Long.compare(dueNanos - t.dueNanos, 0);
            return c != 0 ? c : Long.compare(seq, t.seq);
        }
    }
}
