package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Reply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * One closed loop of the demo's load: keeps up to a number of requests outstanding to one service, on its own thread,
 * and counts how each ended. A request is <em>served</em> when it is answered OK and the answer reports no failed
 * downstream call; <em>failed</em> when it is answered otherwise; <em>unanswered</em> when it has no answer yet. Only
 * served requests enter the latency histogram (real microseconds, end to end).
 */
final class DemoLoad {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How the requests of one loop ended. */
    record Counts(long sent, long served, long failed, long unanswered) {

        /** Requests that were not served: failed or unanswered. */
        long notServed() {
            return failed + unanswered;
        }
    }

    private final AppClient client;
    private final Supplier<AppRoutes> routes;
    private final String service;
    private final String keyPrefix;
    private final Semaphore permits;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final Histogram latency = new Histogram(3_600_000_000L, 3);
    private final Thread thread;
    private volatile boolean on = true;

    /**
     * @param routes    where {@code service} runs now; requests follow its instances when they move
     * @param keyPrefix shard keys are this prefix and the request number, which is also the flow id
     * @param permits   requests kept outstanding from the start
     */
    DemoLoad(String name, AppClient client, Supplier<AppRoutes> routes, String service, String keyPrefix,
             int permits) {
        this.client = client;
        this.routes = routes;
        this.service = service;
        this.keyPrefix = keyPrefix;
        this.permits = new Semaphore(permits);
        this.thread = new Thread(this::loop, name);
    }

    void start() {
        thread.start();
    }

    /** Keeps {@code more} further requests outstanding from now on. */
    void raise(int more) {
        permits.release(more);
    }

    /** Sends no more requests. */
    void stopSending() throws InterruptedException {
        on = false;
        thread.join();
    }

    /** Waits up to {@code limit} for the requests sent to be answered; false if some were not. */
    boolean awaitAnswers(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (counts().unanswered() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    Counts counts() {
        long s = sent.get();
        long ok = served.get();
        long bad = failed.get();
        return new Counts(s, ok, bad, s - ok - bad);
    }

    /** Latency of the served requests, real microseconds. */
    Histogram latency() {
        synchronized (latency) {
            return latency.copy();
        }
    }

    private void loop() {
        while (on) {
            try {
                if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long i = sent.getAndIncrement();
            String key = keyPrefix + i;
            byte[] envelope = ("{\"key\": \"" + key + "\", \"id\": " + i + "}").getBytes(StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            CompletableFuture<Reply> r;
            try {
                r = client.call(routes, service, key, (int) i, envelope);
            } catch (RuntimeException e) {
                r = CompletableFuture.failedFuture(e);
            }
            r.whenComplete((reply, e) -> ended(reply, t0));
        }
    }

    private void ended(Reply reply, long t0) {
        if (isServed(reply)) {
            synchronized (latency) {
                latency.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            }
            served.incrementAndGet();
        } else {
            failed.incrementAndGet();
        }
        permits.release();
    }

    /** OK, and the answer's own count of failed downstream calls (not a nested one) is 0. */
    static boolean isServed(Reply reply) {
        if (reply == null || !reply.ok()) {
            return false;
        }
        try {
            JsonNode answer = JSON.readTree(reply.payload());
            return answer != null && answer.path("failures").isInt() && answer.path("failures").asInt() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
