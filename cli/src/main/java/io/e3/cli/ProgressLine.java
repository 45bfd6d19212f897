package io.e3.cli;

import java.io.PrintWriter;
import java.util.function.Consumer;

/** Progress of a long job on one stderr line, rewritten at most a few times a second; any thread may write it. */
final class ProgressLine implements Consumer<String> {

    private static final long INTERVAL_NANOS = 250_000_000L;

    private final PrintWriter err;
    private long last;
    private int width;

    ProgressLine(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void accept(String message) {
        long now = System.nanoTime();
        if (now - last < INTERVAL_NANOS) {
            return;
        }
        last = now;
        err.print("\r" + message + " ".repeat(Math.max(0, width - message.length())));
        err.flush();
        width = message.length();
    }

    /** Clears the line. */
    synchronized void done() {
        err.print("\r" + " ".repeat(width) + "\r");
        err.flush();
    }
}
