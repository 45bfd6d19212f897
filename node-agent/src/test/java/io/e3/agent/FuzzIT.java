package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e3.agent.emu.Emulation;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.net.Frame;
import io.e3.agent.net.FrameCodec;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import io.e3.model.topology.ServerTypes;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Robustness: 10,000 random datagrams and 1,000 malformed control requests to an agent; it keeps
 * serving, counts every one, and its {@code e3_} metrics show the counts.
 */
class FuzzIT {

    private static final int DATAGRAMS = 10_000;
    private static final int CONTROL = 1_000;

    @Test
    void randomDatagramsAndMalformedControlRequestsAreCountedAndTheAgentKeepsServing() throws Exception {
        try (EmbeddedCluster c = TestClusters.start(ServerTypes.TYPE1_SMARTNIC, 1, Emulation.DEFAULT)) {
            NodeAgent agent = c.agent("s0/host");
            TestClusters.deploy(c, "s0/host", "fuzz/kv.0", "kvs");
            Target kv = new Target("fuzz/kv.0", "s0/host", agent.ip(), 0);
            AppClient client = c.client(0);
            assertThat(put(client, kv, "before").ok()).isTrue();

            Random random = new Random(42);
            InetSocketAddress to = new InetSocketAddress(AddressPlan.text(agent.ip()), c.plan().dataPort());
            try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
                for (int sent = 0; sent < DATAGRAMS; ) {
                    for (int k = 0; k < 20; k++, sent++) {
                        byte[] d = junk(random, sent, agent.ip(), client.ip());
                        socket.send(new DatagramPacket(d, d.length, to));
                    }
                    int expected = sent;
                    await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2)).until(() ->
                            agent.endpoint().stats().malformedDatagrams.sum() >= expected);
                }
            }
            assertThat(agent.endpoint().stats().malformedDatagrams.sum()).isEqualTo(DATAGRAMS);

            String url = agent.url();
            int refused = 0;
            for (int i = 0; i < CONTROL; i++) {
                TestClusters.Response r = malformedControl(random, i, url);
                assertThat(r.status()).as("request %d answered %s", i, r.body()).isBetween(400, 499);
                assertThat(r.json().path("error").asText()).as("request %d names the problem", i).isNotBlank();
                refused++;
            }
            assertThat(refused).isEqualTo(CONTROL);

            assertThat(put(client, kv, "after").ok()).as("still serving").isTrue();
            assertThat(TestClusters.call("GET", url + "/v1/status", null).status()).isEqualTo(200);
            String metrics = TestClusters.call("GET", url + "/metrics", null, null).body();
            assertThat(TestClusters.metric(metrics, "e3_malformed_datagrams_total")).isEqualTo(DATAGRAMS);
            assertThat(TestClusters.metric(metrics, "e3_malformed_control_requests_total")).isEqualTo(CONTROL);
            assertThat(agent.engine().view()).singleElement().satisfies(v -> {
                assertThat(v.phase()).isEqualTo("running");
                assertThat(v.requests()).isEqualTo(2);
            });
            System.out.printf("fuzz: %d datagrams and %d control requests refused and counted; "
                    + "e3_malformed_datagrams_total %.0f, e3_malformed_control_requests_total %.0f%n",
                    DATAGRAMS, CONTROL, TestClusters.metric(metrics, "e3_malformed_datagrams_total"),
                    TestClusters.metric(metrics, "e3_malformed_control_requests_total"));
        }
    }

    private static Reply put(AppClient client, Target kv, String key) throws Exception {
        String body = "{\"stages\": {\"kv\": {\"op\": \"put\", \"key\": \"" + key + "\", \"value\": \"v\"}}}";
        return client.call(kv, 1, body.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
    }

    /**
     * Datagram number {@code n}: a third pure noise, a third with the right magic and version but noise after it, a
     * third real frames to the agent damaged by a flipped bit or a truncation (so the checksum or lengths are wrong).
     */
    static byte[] junk(Random random, int n, int agentIp, int fromIp) {
        switch (n % 3) {
            case 0 -> {
                byte[] d = new byte[1 + random.nextInt(1500)];
                random.nextBytes(d);
                if (d.length >= 4 && d[0] == 'E' && d[1] == '3') {
                    d[0] = 0;
                }
                return d;
            }
            case 1 -> {
                byte[] d = new byte[8 + random.nextInt(1500)];
                random.nextBytes(d);
                ByteBuffer.wrap(d).putInt(0x45334450).put((byte) FrameCodec.VERSION);
                if (d.length >= 16) {
                    ByteBuffer.wrap(d).putInt(12, agentIp);
                }
                return d;
            }
            default -> {
                byte[] payload = new byte[random.nextInt(600)];
                random.nextBytes(payload);
                byte[] d = FrameCodec.encode(new Frame(Frame.Kind.REQUEST, Frame.Status.OK, fromIp, agentIp,
                        random.nextInt(), random.nextLong(), "fuzz/kv.0", payload));
                if (random.nextBoolean()) {
                    // Any bit but the destination's: a frame for another address is misrouted, not malformed.
                    int bit = random.nextInt((d.length - 4) * 8);
                    int at = bit / 8 < 12 ? bit / 8 : bit / 8 + 4;
                    d[at] ^= (byte) (1 << (bit % 8));
                    return d;
                }
                return java.util.Arrays.copyOf(d, 38 + random.nextInt(d.length - 38));
            }
        }
    }

    /** Control request number {@code n}: each kind of malformed call in turn. */
    private static TestClusters.Response malformedControl(Random random, int n, String url) {
        String junk = randomText(random);
        return switch (n % 10) {
            case 0 -> TestClusters.call("POST", url + "/v1/instances", junk);
            case 1 -> TestClusters.call("POST", url + "/v1/instances", "{\"id\": \"fuzz/x.0\", \"type\": \""
                    + junk.replace("\"", "") + "\"}");
            case 2 -> TestClusters.call("POST", url + "/v1/instances", "{\"id\": " + random.nextInt()
                    + ", \"type\": \"kvs\"}");
            case 3 -> TestClusters.call("PUT", url + "/v1/routes/fuzz", junk);
            case 4 -> TestClusters.call("PUT", url + "/v1/routes/fuzz", "{\"services\": {\"kv\": {\"instances\": "
                    + "[{\"id\": \"fuzz/kv.0\", \"node\": \"" + junk.replace("\"", "") + "\"}]}}}");
            case 5 -> TestClusters.call("PUT", url + "/v1/instances/fuzz/kv.0/state", junk);
            case 6 -> TestClusters.call("GET", url + "/v1/status", null, null);
            case 7 -> TestClusters.call("GET", url + "/v1/status", null, "wrong-" + random.nextInt(1000));
            case 8 -> TestClusters.call("GET", url + "/v1/" + Integer.toHexString(random.nextInt()), null);
            default -> TestClusters.call("PATCH", url + "/v1/instances", junk);
        };
    }

    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        int n = 1 + random.nextInt(200);
        for (int i = 0; i < n; i++) {
            s.append((char) (0x20 + random.nextInt(0x5e)));
        }
        return s.toString();
    }
}
