package io.e3.agent.rpc;

import static io.e3.agent.rpc.Echo.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e3.agent.net.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lossless channel over a network that loses frames, and towards responders that are slow or gone. */
class EndpointRetransmissionTest {

    private static final int CALLER = 1;
    private static final int RESPONDER = 2;
    /** min RTO 2 ms, initial 5 ms, max 40 ms, 6 attempts, 5 s timeout. */
    private static final RpcSettings FAST = new RpcSettings(2, 5, 40, 6, 5_000);

    private final InMemoryNetwork net = new InMemoryNetwork();
    private final Echo echo = new Echo();
    private final List<BiConsumer<Frame.Status, byte[]>> unanswered = new CopyOnWriteArrayList<>();
    private final Endpoint.Handler never = (request, reply) -> unanswered.add(reply);

    @AfterEach
    void close() {
        net.close();
    }

    private static Reply settle(CompletableFuture<Reply> reply) {
        return reply.orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Test
    void answersEveryRequestExactlyOnceUnderThirtyPercentLossBothWays() {
        // A transmission gets no sign of life with p = 1 - 0.7² = 0.51; 30 attempts make giving up ~1e-9 per request.
        RpcSettings lossy = new RpcSettings(2, 5, 40, 30, 5_000);
        Endpoint caller = net.attach(CALLER, lossy, echo);
        Endpoint responder = net.attach(RESPONDER, lossy, echo);
        Random random = new Random(30);
        net.dropWhen(f -> {
            synchronized (random) {
                return random.nextDouble() < 0.3;
            }
        });

        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            replies.add(caller.call(RESPONDER, i, "shop/kv.0", bytes("{\"n\":" + i + "}")));
        }

        for (int i = 0; i < 500; i++) {
            Reply r = settle(replies.get(i));
            assertThat(r.status()).as("request %d", i).isEqualTo(Frame.Status.OK);
            assertThat(r.text()).isEqualTo("{\"n\":" + i + "}");
        }
        assertThat(echo.handled).hasSize(500).allSatisfy((payload, times) -> assertThat(times).isEqualTo(1));
        assertThat(responder.stats().requestsReceived.sum()).isEqualTo(500);
        assertThat(responder.stats().duplicateRequests.sum()).isPositive();
        assertThat(caller.stats().retransmissions.sum()).isPositive();
        assertThat(caller.stats().unreachable.sum()).isZero();
        assertThat(net.dropped.get()).isPositive();
    }

    @Test
    void keepsWaitingForAnAcknowledgedRequestPastTheRetransmissionBudget() {
        Endpoint caller = net.attach(CALLER, FAST, echo);
        Endpoint responder = net.attach(RESPONDER, FAST, never);
        CompletableFuture<Reply> reply = caller.call(RESPONDER, 1, "shop/slow.0", bytes("{}"));
        long budgetMillis = FAST.maxAttempts() * FAST.maxRtoMillis(); // 240 ms: enough to give up without acks

        await().during(Duration.ofMillis(budgetMillis + 160)).atMost(Duration.ofSeconds(10)).until(() -> !reply.isDone());
        assertThat(unanswered).hasSize(1);
        assertThat(caller.stats().retransmissions.sum()).as("probes").isPositive();
        assertThat(responder.stats().duplicateRequests.sum()).as("probes acknowledged").isPositive();

        unanswered.get(0).accept(Frame.Status.OK, bytes("{\"done\":true}"));
        Reply r = settle(reply);
        assertThat(r.status()).isEqualTo(Frame.Status.OK);
        assertThat(r.text()).isEqualTo("{\"done\":true}");
        assertThat(responder.stats().requestsReceived.sum()).isEqualTo(1);
    }

    @Test
    void givesUpOnAnAcknowledgedRequestAtTheTimeoutAndDropsTheLateResponse() {
        RpcSettings settings = new RpcSettings(2, 5, 40, 6, 200);
        Endpoint caller = net.attach(CALLER, settings, echo);
        net.attach(RESPONDER, settings, never);
        long start = System.nanoTime();

        Reply r = settle(caller.call(RESPONDER, 1, "shop/slow.0", bytes("{}")));

        assertThat(r.status()).isEqualTo(Frame.Status.UNREACHABLE);
        assertThat(r.text()).contains("no response within 200 ms");
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(200);
        unanswered.get(0).accept(Frame.Status.OK, bytes("{}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> caller.stats().duplicateResponses.sum() == 1);
    }

    @Test
    void givesUpAsUnreachableAfterMaxAttemptsWithNoSignOfLife() {
        Endpoint caller = net.attach(CALLER, FAST, echo);
        Endpoint responder = net.attach(RESPONDER, FAST, echo);
        net.dropWhen(f -> f.dstIp() == RESPONDER);

        Reply r = settle(caller.call(RESPONDER, 1, "shop/kv.0", bytes("{}")));

        assertThat(r.status()).isEqualTo(Frame.Status.UNREACHABLE);
        assertThat(r.attempts()).isEqualTo(FAST.maxAttempts());
        assertThat(r.text()).contains("no sign of life");
        assertThat(net.sent.get()).isEqualTo(FAST.maxAttempts());
        assertThat(caller.stats().retransmissions.sum()).isEqualTo(FAST.maxAttempts() - 1);
        assertThat(caller.stats().unreachable.sum()).isEqualTo(1);
        assertThat(caller.inFlight()).isZero();
        assertThat(responder.stats().requestsReceived.sum()).isZero();
    }
}
