package io.e3.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.agent.emu.DelayLine;
import io.e3.agent.emu.Emulation;
import io.e3.agent.net.Frame;
import io.e3.microservices.Microservice;
import io.e3.microservices.state.ReliableCollections;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.ServerTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The execution engine: confinement of faults to their instance, the memory cap, drain/snapshot/restore, the hold. */
class ExecutionEngineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ComputeNode NIC = Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1).node("s0/nic0").orElseThrow();

    /** Lets the "deaf" service, which ignores interrupts, return at last. */
    private static volatile boolean release;

    private final DelayLine delays = new DelayLine("test-delays");
    private ExecutionEngine engine;

    /** Services by name: "throws" fails on request, "spins" never returns until interrupted, "hog" grows its state. */
    private static final ExecutionEngine.ServiceFactory FACTORY = (spec, state) -> switch (spec.service()) {
        case "throws" -> service(req -> {
            if (req.path("fail").asBoolean()) {
                throw new IllegalStateException("kaboom");
            }
            return JSON.createObjectNode().put("ok", true);
        });
        case "spins" -> service(req -> {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
            return JSON.createObjectNode().put("ok", true);
        });
        case "errs" -> service(req -> {
            throw new AssertionError("not an exception");
        });
        case "deaf" -> service(req -> {
            while (!release) {
                Thread.onSpinWait();
            }
            return JSON.createObjectNode().put("ok", true);
        });
        case "hog" -> service(req -> {
            state.hashTable("t").put("k" + state.hashTable("t").size(), new byte[1024 * 1024]);
            return JSON.createObjectNode().put("ok", true);
        });
        default -> ExecutionEngine.ServiceFactory.CATALOG.create(spec, state);
    };

    private static Microservice service(java.util.function.Function<JsonNode, JsonNode> body) {
        return new Microservice() {
            @Override
            public MicroserviceType type() {
                return MicroserviceType.KVS;
            }

            @Override
            public JsonNode handle(JsonNode request) {
                return body.apply(request);
            }
        };
    }

    @AfterEach
    void close() {
        release = true;
        if (engine != null) {
            engine.close();
        }
        delays.close();
    }

    private ExecutionEngine engine(Emulation emulation) {
        engine = new ExecutionEngine(NIC, emulation, delays, FACTORY);
        return engine;
    }

    private static DeploySpec spec(String service, long memoryMiB) {
        return new DeploySpec("t/" + service + ".0", "t", service, MicroserviceType.KVS, memoryMiB);
    }

    private CompletableFuture<Outcome> submit(String service, JsonNode request) {
        ObjectNode envelope = JSON.createObjectNode();
        envelope.putObject("stages").set(service, request);
        Frame f = new Frame(Frame.Kind.REQUEST, Frame.Status.OK, 1, 2, 0, 7, "t/" + service + ".0",
                envelope.toString().getBytes(StandardCharsets.UTF_8));
        CompletableFuture<Outcome> out = new CompletableFuture<>();
        engine.submit("t/" + service + ".0", f, System.nanoTime(), out::complete);
        return out;
    }

    private static Outcome get(CompletableFuture<Outcome> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static JsonNode kv(String op, String key) {
        return JSON.createObjectNode().put("op", op).put("key", key).put("value", "v-" + key);
    }

    @Test
    void anExceptionFailsOnlyItsRequest() throws Exception {
        engine(Emulation.DEFAULT.withDilation(1)).deploy(spec("throws", 16));
        assertThat(get(submit("throws", JSON.createObjectNode().put("fail", true))))
                .satisfies(o -> {
                    assertThat(o.status()).isEqualTo(Frame.Status.SERVICE_FAILED);
                    assertThat(o.error()).contains("kaboom");
                });
        assertThat(get(submit("throws", JSON.createObjectNode())).status()).isEqualTo(Frame.Status.OK);
        assertThat(engine.view()).singleElement().satisfies(v -> {
            assertThat(v.phase()).isEqualTo("running");
            assertThat(v.errors()).isEqualTo(1);
        });
        assertThat(engine.serviceExceptions.sum()).isEqualTo(1);
    }

    @Test
    void aRunawayRequestStopsItsInstanceAndNoOther() throws Exception {
        engine(Emulation.DEFAULT.withDilation(1).withRunawayMillis(200)).deploy(spec("spins", 16));
        engine.deploy(spec("kvs", 16));
        CompletableFuture<Outcome> runaway = submit("spins", JSON.createObjectNode());
        assertThat(get(submit("kvs", kv("put", "a"))).status()).as("a neighbour while it spins")
                .isEqualTo(Frame.Status.OK);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            engine.watchdog();
            return runaway.isDone();
        });
        assertThat(get(runaway).status()).isEqualTo(Frame.Status.SERVICE_FAILED);
        assertThat(get(submit("spins", JSON.createObjectNode())).status()).isEqualTo(Frame.Status.UNAVAILABLE);
        assertThat(engine.view()).filteredOn(v -> v.service().equals("spins")).singleElement()
                .satisfies(v -> assertThat(v.failure()).contains("runaway"));
        assertThat(get(submit("kvs", kv("get", "a"))).response().path("found").asBoolean()).isTrue();
        assertThat(engine.instanceFailures.sum()).isEqualTo(1);
    }

    @Test
    void anErrorThrownByServiceCodeStopsItsInstanceWithoutWedgingItsQueue() throws Exception {
        engine(Emulation.DEFAULT.withDilation(1)).deploy(spec("errs", 16));
        assertThat(get(submit("errs", JSON.createObjectNode())).status()).isEqualTo(Frame.Status.SERVICE_FAILED);
        assertThat(get(submit("errs", JSON.createObjectNode())).status()).isEqualTo(Frame.Status.UNAVAILABLE);
        assertThat(engine.view()).singleElement().satisfies(v -> assertThat(v.failure()).contains("AssertionError"));
    }

    @Test
    void aRunawayThatIgnoresInterruptsIsStillAnsweredAndStopped() throws Exception {
        release = false;
        engine(Emulation.DEFAULT.withDilation(1).withRunawayMillis(100)).deploy(spec("deaf", 16));
        CompletableFuture<Outcome> stuck = submit("deaf", JSON.createObjectNode());
        CompletableFuture<Outcome> queued = submit("deaf", JSON.createObjectNode());
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            engine.watchdog();
            return stuck.isDone();
        });
        assertThat(get(stuck).status()).isEqualTo(Frame.Status.SERVICE_FAILED);
        assertThat(get(queued).status()).isEqualTo(Frame.Status.UNAVAILABLE);
        release = true;
    }

    @Test
    void resumingBeforeTheDrainFinishesFailsTheDrainInsteadOfLeavingItHanging() throws Exception {
        release = false;
        engine(Emulation.DEFAULT.withDilation(1).withRunawayMillis(60_000)).deploy(spec("deaf", 16));
        submit("deaf", JSON.createObjectNode());
        CompletableFuture<Integer> drain = engine.drain("t/deaf.0");
        assertThat(drain).isNotDone();
        engine.resume("t/deaf.0");
        assertThatThrownBy(() -> drain.get(10, TimeUnit.SECONDS)).hasMessageContaining("resumed before the drain");
        release = true;
    }

    @Test
    void stateOutgrowingItsMemoryStopsTheInstance() throws Exception {
        engine(Emulation.DEFAULT.withDilation(1)).deploy(spec("hog", 2));
        engine.deploy(spec("kvs", 16));
        assertThat(get(submit("hog", JSON.createObjectNode())).status()).isEqualTo(Frame.Status.OK);
        assertThat(get(submit("hog", JSON.createObjectNode())).status()).isEqualTo(Frame.Status.SERVICE_FAILED);
        assertThat(engine.view()).filteredOn(v -> v.service().equals("hog")).singleElement()
                .satisfies(v -> assertThat(v.failure()).contains("memory blow-up"));
        assertThat(get(submit("hog", JSON.createObjectNode())).status()).isEqualTo(Frame.Status.UNAVAILABLE);
        assertThat(get(submit("kvs", kv("put", "b"))).status()).isEqualTo(Frame.Status.OK);
    }

    @Test
    void deploysAreRefusedOverTheNodesMemoryAndForTakenIds() throws Exception {
        engine(Emulation.DEFAULT);
        engine.deploy(spec("kvs", 3000));
        assertThatThrownBy(() -> engine.deploy(new DeploySpec("t/other.0", "t", "other", MicroserviceType.KVS, 2000)))
                .isInstanceOfSatisfying(ExecutionEngine.DeployException.class, e -> {
                    assertThat(e.conflict()).isFalse();
                    assertThat(e.getMessage()).contains("1096 MiB of 4096 MiB free");
                });
        assertThatThrownBy(() -> engine.deploy(spec("kvs", 1)))
                .isInstanceOfSatisfying(ExecutionEngine.DeployException.class, e -> assertThat(e.conflict()).isTrue());
        assertThat(engine.undeploy("t/kvs.0")).isTrue();
        engine.deploy(new DeploySpec("t/other.0", "t", "other", MicroserviceType.KVS, 2000));
        assertThat(engine.reservedMiB()).isEqualTo(2000);
    }

    @Test
    void drainHoldsRequestsAndSnapshotRestoreMovesTheState() throws Exception {
        engine(Emulation.DEFAULT.withDilation(1)).deploy(spec("kvs", 16));
        engine.deploy(new DeploySpec("t/copy.0", "t", "copy", MicroserviceType.KVS, 16));
        assertThat(get(submit("kvs", kv("put", "k1"))).status()).isEqualTo(Frame.Status.OK);
        assertThat(engine.drain("t/kvs.0").get(10, TimeUnit.SECONDS)).isZero();
        CompletableFuture<Outcome> held = submit("kvs", kv("put", "k2"));
        byte[] state = engine.snapshot("t/kvs.0").get(10, TimeUnit.SECONDS);
        assertThat(held).as("held while drained").isNotDone();
        engine.restore("t/copy.0", state).get(10, TimeUnit.SECONDS);
        assertThat(get(submit("copy", kv("get", "k1"))).response().path("value").asText()).isEqualTo("v-k1");
        assertThat(get(submit("copy", kv("get", "k2"))).response().path("found").asBoolean()).isFalse();
        assertThat(engine.resume("t/kvs.0")).isEqualTo(1);
        assertThat(get(held).status()).isEqualTo(Frame.Status.OK);
        assertThat(get(submit("kvs", kv("get", "k2"))).response().path("found").asBoolean()).isTrue();
        assertThatThrownBy(() -> engine.restore("t/copy.0", new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS))
                .hasMessageContaining("state: truncated snapshot");
    }

    @Test
    void anOutcomeIsHeldUntilItsEmulatedCoreWouldHaveFinished() throws Exception {
        double dilation = 10;
        engine(Emulation.DEFAULT.withDilation(dilation))
                .deploy(new DeploySpec("t/bayes.0", "t", "bayes", MicroserviceType.BAYES, 64));
        JsonNode request = JSON.createObjectNode().put("op", "classify").put("text", "cheap meds buy now");
        long expected = Math.round(MicroserviceProfile.of(MicroserviceType.BAYES)
                .serviceTimeSeconds(CoreClass.WIMPY, request.toString().length()) * dilation * 1e9);
        long start = System.nanoTime();
        Outcome o = get(submit("bayes", request));
        long elapsed = System.nanoTime() - start;
        assertThat(o.status()).as(String.valueOf(o.error())).isIn(Frame.Status.OK, Frame.Status.BAD_REQUEST);
        assertThat(elapsed).as("held for the dilated SmartNIC service time").isGreaterThanOrEqualTo(expected);
        assertThat(engine.takeWindow()).singleElement().satisfies(s -> {
            assertThat(s.requests()).isEqualTo(1);
            assertThat(s.meanExecutionNanos()).as("emulated time, undilated").isEqualTo(Math.round(expected / dilation));
        });
    }
}
