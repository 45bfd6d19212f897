package io.e3.loadtest;

import java.util.concurrent.CompletableFuture;

/** The system under load: sends one request and answers asynchronously. */
@FunctionalInterface
public interface RequestTarget {

    /**
     * Sends one request. Called from the generator's single sending thread, so it must return quickly and
     * must not block; the work happens elsewhere and completes the future.
     *
     * @param requestNumber 0 for the first request of a run, then 1, 2, ... in sending order
     * @return a future completed with the outcome; completing it exceptionally, returning null or throwing
     *         counts as an error, and never completing it counts as a timeout
     */
    CompletableFuture<Outcome> send(long requestNumber);
}
