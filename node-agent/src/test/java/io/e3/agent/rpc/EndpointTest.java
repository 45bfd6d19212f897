package io.e3.agent.rpc;

import static io.e3.agent.rpc.Echo.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e3.agent.net.Frame;
import io.e3.agent.net.FrameCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Request and response over an {@link Endpoint} pair on a lossless in-memory network; see also the loss tests. */
class EndpointTest {

    private static final int CALLER = 1;
    private static final int RESPONDER = 2;
    /** min RTO 2 ms, initial 5 ms, max 40 ms, 6 attempts, 5 s timeout. */
    private static final RpcSettings FAST = new RpcSettings(2, 5, 40, 6, 5_000);

    private final InMemoryNetwork net = new InMemoryNetwork();
    private final Echo echo = new Echo();

    @AfterEach
    void close() {
        net.close();
    }

    private static Reply settle(CompletableFuture<Reply> reply) {
        return reply.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void answersARequestOnItsFirstTransmission() {
        Endpoint caller = net.attach(CALLER, FAST, echo);
        Endpoint responder = net.attach(RESPONDER, FAST, echo);

        Reply reply = settle(caller.call(RESPONDER, 9, "shop/kv.0", bytes("{\"n\":1}")));

        assertThat(reply.ok()).isTrue();
        assertThat(reply.text()).isEqualTo("{\"n\":1}");
        assertThat(reply.attempts()).isEqualTo(1);
        assertThat(caller.inFlight()).isZero();
        assertThat(caller.stats().requestsSent.sum()).isEqualTo(1);
        assertThat(responder.stats().requestsReceived.sum()).isEqualTo(1);
        assertThat(echo.handled).containsEntry("{\"n\":1}", 1);
    }

    @Test
    void passesTheRespondersStatusThrough() {
        Endpoint caller = net.attach(CALLER, FAST, echo);
        net.attach(RESPONDER, FAST, (request, reply) -> reply.accept(Frame.Status.BAD_REQUEST, bytes("{\"error\":\"k\"}")));

        Reply reply = settle(caller.call(RESPONDER, 1, "shop/kv.0", bytes("{}")));

        assertThat(reply.status()).isEqualTo(Frame.Status.BAD_REQUEST);
        assertThat(reply.text()).isEqualTo("{\"error\":\"k\"}");
    }

    @Test
    void reportsAHandlerThatThrowsAsServiceFailed() {
        Endpoint caller = net.attach(CALLER, FAST, echo);
        net.attach(RESPONDER, FAST, (request, reply) -> {
            throw new IllegalStateException("boom \"quoted\"");
        });

        Reply reply = settle(caller.call(RESPONDER, 1, "shop/kv.0", bytes("{}")));

        assertThat(reply.status()).isEqualTo(Frame.Status.SERVICE_FAILED);
        assertThat(reply.text()).startsWith("{\"error\":\"handler failed:").contains("boom \\\"quoted\\\"");
    }

    @Test
    void reportsAResponseTooLargeForADatagramAsServiceFailed() {
        Endpoint caller = net.attach(CALLER, FAST, echo);
        net.attach(RESPONDER, FAST, (request, reply) -> reply.accept(Frame.Status.OK,
                new byte[FrameCodec.MAX_DATAGRAM]));

        Reply reply = settle(caller.call(RESPONDER, 1, "shop/kv.0", bytes("{}")));

        assertThat(reply.status()).isEqualTo(Frame.Status.SERVICE_FAILED);
        assertThat(reply.text()).contains("exceeds a datagram");
    }

    @Test
    void countsMalformedAndMisroutedDatagramsWithoutHandlingThem() {
        Endpoint responder = net.attach(RESPONDER, FAST, echo);
        byte[] good = FrameCodec.encode(new Frame(Frame.Kind.REQUEST, Frame.Status.OK, CALLER, RESPONDER, 0, 1,
                "shop/kv.0", bytes("{}")));
        byte[] corrupt = good.clone();
        corrupt[good.length / 2] ^= 0x10;

        responder.receive(new byte[] {1, 2, 3}, 0, 3);
        responder.receive(corrupt, 0, corrupt.length);
        responder.receive(good, 0, good.length - 1);
        responder.receive(new Frame(Frame.Kind.REQUEST, Frame.Status.OK, CALLER, 99, 0, 2, "shop/kv.0", bytes("{}")));

        assertThat(responder.stats().malformedDatagrams.sum()).isEqualTo(3);
        assertThat(responder.stats().misroutedDatagrams.sum()).isEqualTo(1);
        assertThat(responder.stats().requestsReceived.sum()).isZero();
        assertThat(echo.handled).isEmpty();
    }

    @Test
    void forgetsAnsweredRequestsOnlyAfterTheRetentionTime() {
        RpcSettings settings = new RpcSettings(2, 5, 200, 1, 5_000); // retention 200 ms · (1 + 2) = 600 ms
        Endpoint caller = net.attach(CALLER, settings, echo);
        Endpoint responder = net.attach(RESPONDER, settings, echo);
        long start = System.nanoTime();

        settle(caller.call(RESPONDER, 1, "shop/kv.0", bytes("{}")));
        responder.expire();
        assertThat(responder.remembered()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5)).until(() -> {
            responder.expire();
            return responder.remembered() == 0;
        });
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(settings.retentionMillis());
    }

    @Test
    void failsEveryWaitingRequestOnShutdown() {
        Endpoint caller = net.attach(CALLER, FAST, echo);
        net.attach(RESPONDER, FAST, (request, reply) -> { });
        var first = caller.call(RESPONDER, 1, "shop/kv.0", bytes("{}"));
        var second = caller.call(RESPONDER, 2, "shop/kv.0", bytes("{}"));

        caller.failAll("agent stopping");

        assertThat(settle(first).status()).isEqualTo(Frame.Status.UNREACHABLE);
        assertThat(settle(second).text()).isEqualTo("{\"error\":\"agent stopping\"}");
        assertThat(caller.inFlight()).isZero();
    }
}
