package io.e3.agent.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.emu.Cores;
import io.e3.agent.emu.DelayLine;
import io.e3.agent.emu.Emulation;
import io.e3.agent.net.Frame;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.services.MicroserviceCatalog;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.StateFormatException;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.topology.ComputeNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The execution engine of one compute node (§5.4): deploys and undeploys instances, runs their requests to completion
 * on the node's emulated cores, and confines faults to the instance that causes them.
 *
 * <ul>
 *   <li><b>Governor.</b> A request's emulated service time is its type's Table 5.1 per-core time on this node's core
 *       class, scaled by its size ({@link io.e3.model.app.MicroserviceProfile#serviceTimeSeconds(
 *       io.e3.model.topology.CoreClass, int)}) and dilated by D. The real code runs at once on a worker; the outcome
 *       is delivered when the emulated core the request was steered to (round-robin, {@link Cores}) would have
 *       finished it. Outcomes whose real execution ran past that point are counted as overruns.</li>
 *   <li><b>Memory.</b> Deploys reserve their memory against the node's capacity; an instance whose reliable
 *       collections outgrow its reservation is stopped (a memory blow-up), as is one that exhausts the heap.</li>
 *   <li><b>Confinement.</b> An exception fails that request only. A request running longer than
 *       {@link Emulation#runawayMillis()} stops its instance (the watchdog, {@link #watchdog()}); so does a memory
 *       blow-up. A stopped instance answers {@code UNAVAILABLE}; other instances are not affected.</li>
 * </ul>
 */
public final class ExecutionEngine implements AutoCloseable {

    /**
     * Told of every request a serving instance ran well, on its run queue and so in the order it ran (§5.4.5): returns
     * a future that completes once the instance's backups have applied it, or null when it has none.
     */
    @FunctionalInterface
    public interface ReplicationHook {
        CompletableFuture<Void> executed(DeploySpec spec, byte[] request);

        ReplicationHook NONE = (spec, request) -> null;
    }

    /** Makes the service object of an instance; tests substitute misbehaving ones. */
    @FunctionalInterface
    public interface ServiceFactory {
        Microservice create(DeploySpec spec, ReliableCollections state);

        ServiceFactory CATALOG = (spec, state) -> MicroserviceCatalog.describe(spec.type()).create(state);
    }

    /** The status of one instance, for the control API. */
    public record InstanceView(String id, String app, String service, String type, String phase, String failure,
                               long requests, long errors, int queued, int held, long stateBytes, long memoryMiB) {
    }

    /** Why a deploy was refused. */
    public static final class DeployException extends Exception {
        private final boolean conflict;

        DeployException(String message, boolean conflict) {
            super(message);
            this.conflict = conflict;
        }

        /** True when the id is taken; false when the node lacks memory. */
        public boolean conflict() {
            return conflict;
        }
    }

    private static final long MIB = 1024L * 1024;

    private final ComputeNode node;
    private final Emulation emulation;
    private final Cores cores;
    private final DelayLine delays;
    private final ServiceFactory factory;
    private final ExecutorService workers;
    private final Map<String, InstanceRuntime> instances = new ConcurrentHashMap<>();
    private long reservedMiB;
    private long windowStartNanos = System.nanoTime();
    private volatile ReplicationHook replication = ReplicationHook.NONE;

    public final LongAdder overruns = new LongAdder();
    public final LongAdder instanceFailures = new LongAdder();
    public final LongAdder serviceExceptions = new LongAdder();

    public ExecutionEngine(ComputeNode node, Emulation emulation, DelayLine delays, ServiceFactory factory) {
        this.node = node;
        this.emulation = emulation;
        this.cores = new Cores(node.capacity().cores());
        this.delays = delays;
        this.factory = factory;
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "e3-exec-" + node.id());
            t.setDaemon(true);
            return t;
        });
    }

    public ComputeNode node() {
        return node;
    }

    /** Sets where requests that ran well go for replication to backups. */
    public void replication(ReplicationHook hook) {
        this.replication = java.util.Objects.requireNonNull(hook, "hook");
    }

    public Cores cores() {
        return cores;
    }

    /** Deploys an instance on empty state. */
    public synchronized void deploy(DeploySpec spec) throws DeployException {
        if (instances.containsKey(spec.id())) {
            throw new DeployException("instance " + spec.id() + " is already deployed on " + node.id(), true);
        }
        long capacity = node.capacity().memoryMiB();
        if (reservedMiB + spec.memoryMiB() > capacity) {
            throw new DeployException("node " + node.id() + " has " + (capacity - reservedMiB) + " MiB of "
                    + capacity + " MiB free; instance " + spec.id() + " asks for " + spec.memoryMiB() + " MiB", false);
        }
        InstanceRuntime rt = new InstanceRuntime(spec, factory, workers);
        instances.put(spec.id(), rt);
        reservedMiB += spec.memoryMiB();
    }

    /** Undeploys an instance; its queued and held requests get {@code NO_SUCH_INSTANCE}. */
    public boolean undeploy(String id) {
        InstanceRuntime rt;
        synchronized (this) {
            rt = instances.remove(id);
            if (rt == null) {
                return false;
            }
            reservedMiB -= rt.spec.memoryMiB();
        }
        rt.stop(InstanceRuntime.Phase.REMOVED, "undeployed");
        return true;
    }

    public boolean has(String id) {
        return instances.containsKey(id);
    }

    public Optional<DeploySpec> spec(String id) {
        return Optional.ofNullable(instances.get(id)).map(rt -> rt.spec);
    }

    /** Stops intake of an instance; completes with the number of requests held once none is running. */
    public CompletableFuture<Integer> drain(String id) {
        return runtime(id).map(InstanceRuntime::drain).orElseGet(() -> missing(id));
    }

    /** Resumes a drained instance; returns the number of held requests released to it, or -1 if there is none. */
    public int resume(String id) {
        return runtime(id).map(InstanceRuntime::resume).orElse(-1);
    }

    /** The instance's state as snapshot bytes, taken in its turn on its run queue. */
    public CompletableFuture<byte[]> snapshot(String id) {
        Optional<InstanceRuntime> rt = runtime(id);
        if (rt.isEmpty()) {
            return missing(id);
        }
        CompletableFuture<byte[]> out = new CompletableFuture<>();
        if (!rt.get().submitControl(control(out, () -> rt.get().state.snapshot()))) {
            out.completeExceptionally(new IllegalStateException("instance " + id + " is " + describe(rt.get())));
        }
        return out;
    }

    /** Replaces the instance's state with {@code snapshot}, in its turn on its run queue. */
    public CompletableFuture<Void> restore(String id, byte[] snapshot) {
        Optional<InstanceRuntime> rt = runtime(id);
        if (rt.isEmpty()) {
            return missing(id);
        }
        CompletableFuture<Void> out = new CompletableFuture<>();
        InstanceRuntime r = rt.get();
        Runnable restore = () -> {
            ReliableCollections state;
            try {
                state = ReliableCollections.restore(snapshot);
            } catch (StateFormatException e) {
                throw new IllegalArgumentException("state: " + e.getMessage(), e);
            }
            if (state.byteSize() > r.spec.memoryMiB() * MIB) {
                throw new IllegalArgumentException("state: " + state.byteSize() / MIB + " MiB does not fit the "
                        + "instance's " + r.spec.memoryMiB() + " MiB");
            }
            r.state = state;
            r.stateBytes = state.byteSize();
            r.service = r.factory.create(r.spec, state);
        };
        if (!r.submitControl(control(out, () -> {
            restore.run();
            return null;
        }))) {
            out.completeExceptionally(new IllegalStateException("instance " + id + " is " + describe(r)));
        }
        return out;
    }

    private static <T> InstanceRuntime.Work control(CompletableFuture<T> out, java.util.function.Supplier<T> body) {
        return new InstanceRuntime.Work() {
            @Override
            public void run() {
                try {
                    out.complete(body.get());
                } catch (Throwable e) {
                    out.completeExceptionally(e);
                }
            }

            @Override
            public void abandon(InstanceRuntime.Phase phase, String reason) {
                out.completeExceptionally(new IllegalStateException("instance stopped: " + reason));
            }
        };
    }

    private static <T> CompletableFuture<T> missing(String id) {
        return CompletableFuture.failedFuture(new java.util.NoSuchElementException("no instance " + id));
    }

    private Optional<InstanceRuntime> runtime(String id) {
        return Optional.ofNullable(instances.get(id));
    }

    private static String describe(InstanceRuntime rt) {
        String f = rt.failure();
        return rt.phase().name().toLowerCase() + (f == null ? "" : ": " + f);
    }

    /**
     * Runs a request for instance {@code id} that arrived at {@code arrivalNanos}; {@code done} gets its outcome once
     * its emulated core has finished it (or at once if it cannot run).
     */
    public void submit(String id, Frame request, long arrivalNanos, Consumer<Outcome> done) {
        InstanceRuntime rt = instances.get(id);
        if (rt == null) {
            done.accept(Outcome.failed(Frame.Status.NO_SUCH_INSTANCE, "no instance " + id + " on " + node.id(), null));
            return;
        }
        rt.submit(new InstanceRuntime.Work() {
            @Override
            public void run() {
                execute(rt, request, arrivalNanos, done);
            }

            @Override
            public void abandon(InstanceRuntime.Phase phase, String reason) {
                done.accept(phase == InstanceRuntime.Phase.REMOVED
                        ? Outcome.failed(Frame.Status.NO_SUCH_INSTANCE, "instance " + id + " was undeployed", null)
                        : Outcome.failed(Frame.Status.UNAVAILABLE, "instance " + id + " failed: " + reason, null));
            }
        });
    }

    /**
     * Applies requests that a primary has run, in the order given, to its backup {@code id} (§5.4.5 replication), as one
     * piece of work on its run queue so that a drain or snapshot never splits them. {@code done} gets OK with the
     * number of requests the service refused or failed once every one has finished on the emulated cores, or the
     * status and reason why none ran (no such instance, undeployed or failed before its turn).
     */
    public void submitReplicas(String id, List<JsonNode> requests, long arrivalNanos,
                               java.util.function.BiConsumer<Frame.Status, String> done) {
        InstanceRuntime rt = instances.get(id);
        if (rt == null) {
            done.accept(Frame.Status.NO_SUCH_INSTANCE, "no instance " + id + " on " + node.id());
            return;
        }
        rt.submit(new InstanceRuntime.Work() {
            @Override
            public void run() {
                java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(
                        requests.size());
                java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
                if (requests.isEmpty()) {
                    done.accept(Frame.Status.OK, "0");
                    return;
                }
                for (JsonNode request : requests) {
                    ExecutionEngine.this.run(rt, request, null, false, arrivalNanos, outcome -> {
                        if (outcome.status() != Frame.Status.OK) {
                            failed.incrementAndGet();
                        }
                        if (left.decrementAndGet() == 0) {
                            done.accept(Frame.Status.OK, Integer.toString(failed.get()));
                        }
                    });
                }
            }

            @Override
            public void abandon(InstanceRuntime.Phase phase, String reason) {
                done.accept(phase == InstanceRuntime.Phase.REMOVED ? Frame.Status.NO_SUCH_INSTANCE
                        : Frame.Status.UNAVAILABLE, "instance " + id + " " + reason);
            }
        });
    }

    private void execute(InstanceRuntime rt, Frame request, long arrivalNanos, Consumer<Outcome> done) {
        Envelope envelope = null;
        JsonNode req;
        try {
            envelope = Envelope.parse(request.payload(), request.requestId());
            req = envelope.requestFor(rt.spec.service(), rt.spec.type());
        } catch (Envelope.BadEnvelopeException e) {
            account(rt, Outcome.failed(Frame.Status.BAD_REQUEST, e.getMessage(), envelope), 0, arrivalNanos, done);
            return;
        }
        run(rt, req, envelope, true, arrivalNanos, done);
    }

    /**
     * Runs one service request on the calling worker (the instance's turn on its run queue); with {@code replicate},
     * hands a request that went well to the replication hook, so backups see requests in the order they ran here.
     */
    private void run(InstanceRuntime rt, JsonNode req, Envelope envelope, boolean replicate, long arrivalNanos,
                     Consumer<Outcome> done) {
        java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
        Consumer<Outcome> once = o -> {
            if (answered.compareAndSet(false, true)) {
                done.accept(o);
            }
        };
        Outcome outcome;
        String text = req.toString();
        long serviceNanos = emulation.dilatedNanos(rt.profile.serviceTimeSeconds(node.capacity().coreClass(),
                text.length()));
        InstanceRuntime.Running running = new InstanceRuntime.Running(Thread.currentThread(), System.nanoTime(),
                () -> once.accept(Outcome.failed(Frame.Status.SERVICE_FAILED, "instance failed: " + rt.failure(),
                        envelope)));
        try {
            rt.current.set(running);
            outcome = Outcome.ok(rt.service.handle(req), envelope, null);
        } catch (InvalidRequestException e) {
            outcome = Outcome.failed(Frame.Status.BAD_REQUEST, e.getMessage(), envelope);
        } catch (OutOfMemoryError e) {
            fail(rt, "memory blow-up: the heap ran out while serving a request");
            outcome = Outcome.failed(Frame.Status.SERVICE_FAILED, "instance ran out of memory", envelope);
        } catch (RuntimeException | StackOverflowError e) {
            serviceExceptions.increment();
            outcome = Outcome.failed(Frame.Status.SERVICE_FAILED, "service failed: " + e, envelope);
        } catch (Throwable e) {
            fail(rt, "service threw " + e);
            outcome = Outcome.failed(Frame.Status.SERVICE_FAILED, "service failed: " + e, envelope);
        } finally {
            rt.current.compareAndSet(running, null);
        }
        if (rt.phase() == InstanceRuntime.Phase.FAILED) {
            outcome = Outcome.failed(Frame.Status.SERVICE_FAILED, "instance failed: " + rt.failure(), envelope);
        } else if (rt.state.byteSize() > rt.spec.memoryMiB() * MIB) {
            fail(rt, "memory blow-up: its state holds " + rt.state.byteSize() / MIB + " MiB, over its "
                    + rt.spec.memoryMiB() + " MiB");
            rt.state = new ReliableCollections();
            outcome = Outcome.failed(Frame.Status.SERVICE_FAILED, "instance failed: " + rt.failure(), envelope);
        } else if (replicate && outcome.status() == Frame.Status.OK) {
            CompletableFuture<Void> replicated = replication.executed(rt.spec,
                    text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (replicated != null) {
                outcome = Outcome.ok(outcome.response(), envelope, replicated);
            }
        }
        rt.stateBytes = rt.state.byteSize();
        account(rt, outcome, serviceNanos, arrivalNanos, once);
    }

    /** Puts a request on the emulated cores and delivers its outcome when they have finished it. */
    private void account(InstanceRuntime rt, Outcome outcome, long serviceNanos, long arrivalNanos,
                         Consumer<Outcome> done) {
        long end = cores.admit(arrivalNanos, serviceNanos);
        if (System.nanoTime() - end > 0) {
            overruns.increment();
        }
        boolean ok = outcome.status() == Frame.Status.OK;
        rt.requests.increment();
        if (!ok) {
            rt.errors.increment();
        }
        rt.admitted(end - serviceNanos, end);
        // Counted at dispatch: the emulated cores already say when it will finish, so a queue that is building shows
        // in the very next heartbeat instead of only once its last request is out (§5.4.4 overload detection).
        rt.finished(ok, end - arrivalNanos);
        delays.at(end, () -> done.accept(outcome));
    }

    private void fail(InstanceRuntime rt, String reason) {
        if (rt.phase() != InstanceRuntime.Phase.FAILED && rt.phase() != InstanceRuntime.Phase.REMOVED) {
            instanceFailures.increment();
        }
        rt.stop(InstanceRuntime.Phase.FAILED, reason);
    }

    /** Stops instances whose current request has run past the runaway limit; the agent calls this periodically. */
    public void watchdog() {
        long limit = emulation.runawayMillis() * 1_000_000L;
        long now = System.nanoTime();
        for (InstanceRuntime rt : instances.values()) {
            InstanceRuntime.Running r = rt.current.get();
            if (r != null && now - r.sinceNanos() > limit) {
                fail(rt, "runaway request: still running after " + emulation.runawayMillis() + " ms");
                r.abort().run();
                if (rt.current.get() == r) {
                    r.thread().interrupt();
                }
            }
        }
    }

    /**
     * Per-instance statistics since the last call, for a heartbeat: requests dispatched to the emulated cores in the
     * window, their mean execution time from arrival to emulated completion (queueing included, emulated nanoseconds;
     * known at dispatch, since the cores are virtual clocks), and the share of one core their emulated execution took
     * within the window (a request spanning several windows counts in each as it runs).
     */
    public List<InstanceStats> takeWindow() {
        long now = System.nanoTime();
        long from = windowStartNanos;
        long window = Math.max(1, now - from);
        windowStartNanos = now;
        List<InstanceStats> out = new ArrayList<>();
        for (InstanceRuntime rt : instances.values()) {
            long[] w = rt.takeWindow(from, now);
            long mean = w[0] == 0 ? 0 : Math.round(w[2] / (double) w[0] / emulation.dilation());
            float share = (float) Math.min(cores.count(), w[3] / (double) window);
            out.add(new InstanceStats(rt.spec.id(), (int) Math.min(Integer.MAX_VALUE, w[0]),
                    (int) Math.min(Integer.MAX_VALUE, w[1]), mean, share));
        }
        out.sort(Comparator.comparing(InstanceStats::instanceId));
        return out;
    }

    public List<InstanceView> view() {
        List<InstanceView> out = new ArrayList<>();
        for (InstanceRuntime rt : instances.values()) {
            out.add(new InstanceView(rt.spec.id(), rt.spec.app(), rt.spec.service(), rt.spec.type().manifestName(),
                    rt.phase().name().toLowerCase(), rt.failure(), rt.requests.sum(), rt.errors.sum(), rt.queued(),
                    rt.heldCount(), rt.stateBytes, rt.spec.memoryMiB()));
        }
        out.sort(Comparator.comparing(InstanceView::id));
        return out;
    }

    public synchronized long reservedMiB() {
        return reservedMiB;
    }

    /** The type of each deployed instance, for interference and power. */
    public Map<String, io.e3.model.app.MicroserviceType> types() {
        Map<String, io.e3.model.app.MicroserviceType> out = new java.util.HashMap<>();
        instances.forEach((k, v) -> out.put(k, v.spec.type()));
        return out;
    }

    @Override
    public void close() {
        for (String id : List.copyOf(instances.keySet())) {
            undeploy(id);
        }
        workers.shutdownNow();
    }
}
