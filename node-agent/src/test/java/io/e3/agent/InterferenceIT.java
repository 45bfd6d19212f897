package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e3.agent.emu.Emulation;
import io.e3.agent.emu.TrafficManager;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import io.e3.model.topology.ServerTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Host starvation (§5.3.4, §5.4.4): a compute-heavy, cache-hungry service saturating a SmartNIC slows its traffic
 * manager, so host-bound packets queue there while the link is nearly idle; without it the queue stays short.
 */
class InterferenceIT {

    /** Large D so the traffic manager, not the real machine, is the bottleneck of host-bound traffic. */
    private static final Emulation EMULATION = Emulation.DEFAULT.withDilation(1000).withRunawayMillis(60_000);

    @Test
    void aSaturatingTopRankerOnTheSmartNicBuildsAStandingQueueForTheHost() throws Exception {
        try (EmbeddedCluster c = TestClusters.start(ServerTypes.TYPE1_SMARTNIC, 1, EMULATION)) {
            TestClusters.deploy(c, "s0/host", "iot/kv.0", "kvs");
            TestClusters.deploy(c, "s0/nic0", "iot/rank.0", "top-ranker");
            AppClient client = c.client(0);
            TrafficManager tm = c.agent("s0/nic0").trafficManager().orElseThrow();
            Target kv = new Target("iot/kv.0", "s0/host", c.plan().ipOf("s0/host"), 0);
            Target rank = new Target("iot/rank.0", "s0/nic0", c.plan().ipOf("s0/nic0"), 0);

            double quiet = meanQueue(client, kv, tm, 1_000);
            assertThat(tm.slowdown()).as("slowdown with the SmartNIC idle").isLessThan(1.5);

            AtomicBoolean loading = new AtomicBoolean(true);
            Semaphore rankWindow = new Semaphore(36);
            Thread load = new Thread(() -> {
                int i = 0;
                while (loading.get()) {
                    if (rankWindow.tryAcquire()) {
                        client.call(rank, 100_000 + i++, ("{\"id\": " + i + "}").getBytes(StandardCharsets.UTF_8))
                                .whenComplete((r, e) -> rankWindow.release());
                    } else {
                        Thread.onSpinWait();
                    }
                }
            });
            load.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> tm.slowdown() > 15);
                double busy = meanQueue(client, kv, tm, 1_000);
                System.out.printf("interference: traffic-manager slowdown %.1f; mean host-bound queue %.1f packets "
                        + "with top-ranker saturating the SmartNIC, %.1f without; heartbeat queue depth %d%n",
                        tm.slowdown(), busy, quiet, c.agent("s0/nic0").lastHeartbeat().queueDepth());
                assertThat(busy).as("mean queue under interference").isGreaterThanOrEqualTo(30);
                assertThat(quiet).as("mean queue without").isLessThan(busy / 3);
            } finally {
                loading.set(false);
                load.join();
            }
        }
    }

    /**
     * Sends {@code n} host-bound requests, 64 at a time; returns the mean traffic-manager queue depth seen as each one
     * completes (a standing queue, not a passing burst).
     */
    private static double meanQueue(AppClient client, Target kv, TrafficManager tm, int n) throws Exception {
        Semaphore window = new Semaphore(64);
        AtomicLong depthSum = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            window.acquire();
            String body = "{\"stages\": {\"kv\": {\"op\": \"put\", \"key\": \"k" + i + "\", \"value\": \"v\"}}}";
            CompletableFuture<Reply> r = client.call(kv, i, body.getBytes(StandardCharsets.UTF_8));
            all[i] = r.whenComplete((reply, e) -> {
                if (reply == null || !reply.ok()) {
                    failed.incrementAndGet();
                }
                depthSum.addAndGet(tm.depth());
                window.release();
            });
        }
        CompletableFuture.allOf(all).get();
        assertThat(failed.get()).as("failed host-bound requests").isZero();
        return depthSum.get() / (double) n;
    }
}
