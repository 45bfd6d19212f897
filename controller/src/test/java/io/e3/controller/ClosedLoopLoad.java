package io.e3.controller;

import io.e3.agent.rpc.Reply;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Load for the controller tests: a background thread sends request after request, at most a window of them
 * outstanding, and records every reply that is not OK with all its downstream stages answered
 * ({@code "failures":0}).
 */
final class ClosedLoopLoad {

    private final Semaphore window;
    private final IntFunction<CompletableFuture<Reply>> call;
    private final AtomicBoolean loading = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    /** Slots still to be taken out of the window: freed by answers, they are kept rather than used. */
    private final AtomicInteger withheld = new AtomicInteger();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<CompletableFuture<Reply>> all = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread = new Thread(this::run, "e3-test-load");

    private ClosedLoopLoad(int outstanding, IntFunction<CompletableFuture<Reply>> call) {
        this.window = new Semaphore(outstanding);
        this.call = call;
    }

    /** Starts sending {@code call.apply(i)} for i = 0, 1, ..., at most {@code outstanding} at a time. */
    static ClosedLoopLoad start(int outstanding, IntFunction<CompletableFuture<Reply>> call) {
        ClosedLoopLoad load = new ClosedLoopLoad(outstanding, call);
        load.thread.start();
        return load;
    }

    private void run() {
        while (loading.get()) {
            try {
                if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            if (withheld.getAndUpdate(w -> Math.max(0, w - 1)) > 0) {
                continue;
            }
            int i = sent.getAndIncrement();
            all.add(call.apply(i).whenComplete((r, e) -> {
                window.release();
                if (r == null || !r.ok() || !r.text().contains("\"failures\":0")) {
                    failures.add(r == null ? String.valueOf(e) : r.text());
                }
            }));
        }
    }

    /** Allows {@code more} requests outstanding from now on. */
    void widen(int more) {
        window.release(more);
    }

    /** Allows {@code fewer} requests outstanding from now on: the next {@code fewer} answers free no slot. */
    void narrow(int fewer) {
        withheld.addAndGet(fewer);
    }

    /** Requests sent so far. */
    int sent() {
        return sent.get();
    }

    /** Stops sending and waits until every request sent has been answered, at most {@code minutes}. */
    void stop(int minutes) throws Exception {
        loading.set(false);
        thread.join();
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(minutes, TimeUnit.MINUTES);
    }

    /** What was not answered OK, or answered with failed downstream stages. */
    List<String> failures() {
        return failures;
    }
}
