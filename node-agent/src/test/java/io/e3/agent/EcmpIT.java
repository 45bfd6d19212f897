package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.agent.emu.Emulation;
import io.e3.agent.net.TorSwitch;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import io.e3.model.topology.ServerTypes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * ECMP (§5.4.2): over 1,000 flows to a Type2 host no SmartNIC port carries more than 1.5× the
 * mean; with one port down no new flow uses it and every request still succeeds.
 */
class EcmpIT {

    private static final int FLOWS = 1_000;

    @Test
    void flowsToAHostSpreadOverItsSmartNicPortsAndAvoidAPortThatIsDown() throws Exception {
        try (EmbeddedCluster c = TestClusters.start(ServerTypes.TYPE2_SMARTNIC, 1, Emulation.DEFAULT)) {
            TestClusters.deploy(c, "s0/host", "web/kv.0", "kvs");
            Target kv = new Target("web/kv.0", "s0/host", c.plan().ipOf("s0/host"), 0);
            AppClient client = c.client(0);
            TorSwitch tor = c.tor();

            assertThat(send(client, kv, 0)).as("failed requests, all ports up").isEmpty();
            Map<String, TorSwitch.PortStats> ports = tor.ports();
            assertThat(ports).hasSize(4);
            long total = ports.values().stream().mapToLong(TorSwitch.PortStats::flows).sum();
            assertThat(total).isEqualTo(FLOWS);
            double mean = total / 4.0;
            ports.forEach((port, s) -> assertThat(s.flows()).as("flows on %s (mean %.0f)", port, mean)
                    .isLessThanOrEqualTo((long) (1.5 * mean)).isPositive());
            for (String nic : ports.keySet()) {
                assertThat(c.agent(nic).trafficManager().orElseThrow().forwarded()).as("forwarded by %s", nic)
                        .isPositive();
            }

            System.out.println("ecmp, all ports up: flows per port " + flowsPerPort(ports) + ", mean " + mean);
            tor.setPort("s0/nic2", false);
            tor.resetPortStats();
            assertThat(send(client, kv, FLOWS)).as("failed requests, port s0/nic2 down").isEmpty();
            Map<String, TorSwitch.PortStats> after = tor.ports();
            assertThat(after.get("s0/nic2").up()).isFalse();
            assertThat(after.get("s0/nic2").datagrams()).as("datagrams over the port that is down").isZero();
            long live = after.values().stream().mapToLong(TorSwitch.PortStats::flows).sum();
            System.out.println("ecmp, s0/nic2 down: flows per port " + flowsPerPort(after) + ", mean " + live / 3.0);
            assertThat(live).isEqualTo(FLOWS);
            after.forEach((port, s) -> {
                if (s.up()) {
                    assertThat(s.flows()).as("flows on %s with one port down", port)
                            .isLessThanOrEqualTo((long) (1.5 * live / 3.0)).isPositive();
                }
            });
        }
    }

    private static Map<String, Long> flowsPerPort(Map<String, TorSwitch.PortStats> ports) {
        Map<String, Long> out = new java.util.TreeMap<>();
        ports.forEach((k, v) -> out.put(k, v.flows()));
        return out;
    }

    /** Sends one request on each of {@link #FLOWS} new flows; returns the failures. */
    private static List<String> send(AppClient client, Target target, int firstFlow) throws Exception {
        Semaphore window = new Semaphore(32);
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int f = firstFlow; f < firstFlow + FLOWS; f++) {
            window.acquire();
            String body = "{\"stages\": {\"kv\": {\"op\": \"put\", \"key\": \"flow-" + f + "\", \"value\": \"x\"}}}";
            CompletableFuture<Reply> r = client.call(target, f, body.getBytes(StandardCharsets.UTF_8));
            r.whenComplete((x, e) -> window.release());
            replies.add(r);
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        return replies.stream().map(CompletableFuture::join).filter(r -> !r.ok()).map(Reply::text).toList();
    }
}
