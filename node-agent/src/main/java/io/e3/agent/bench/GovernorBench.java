package io.e3.agent.bench;

import io.e3.agent.AgentConfig;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.emu.Emulation;
import io.e3.agent.exec.DeploySpec;
import io.e3.agent.exec.ExecutionEngine;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.ServerTypes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Governor fidelity: does an emulated node run a microservice as fast as its profile says? For each type and dilation
 * factor it boots one Type1 server (a 12-core host and a 12-core SmartNIC), deploys the type on the host and on the
 * SmartNIC, saturates each with a closed loop of 3 requests per core through the switch, and measures completions per
 * second over a window after a warm-up: the least-squares slope of the completion count against completion time, which
 * is robust to completions arriving in bursts (all cores finish together when service times are equal). Per-core
 * throughput in emulated time is {@code rps · D / cores}; the SmartNIC
 * to host ratio of that is compared with the profile's ({@link MicroserviceProfile#perCoreRps(CoreClass)}, Table 5.1).
 */
public final class GovernorBench {

    /** One node's measurement. */
    public record Run(String node, int cores, long completed, double seconds, double realRps, double emulatedPerCoreRps,
                      double profilePerCoreRps, long overruns, long failures) {
    }

    /** One type at one dilation. */
    public record Result(String type, double dilation, Run host, Run smartNic, double measuredRatio,
                         double profileRatio, double relativeError) {
    }

    private GovernorBench() {
    }

    public static List<Result> run(List<MicroserviceType> types, List<Double> dilations, Duration warmup,
                                   Duration window, int addressBlock, Consumer<String> progress) {
        List<Result> out = new ArrayList<>();
        for (double d : dilations) {
            for (MicroserviceType type : types) {
                out.add(measure(type, d, warmup, window, addressBlock, progress));
            }
        }
        return out;
    }

    /** Least-squares slope of completion number against completion time, per second. */
    static double slope(List<Long> times) {
        int n = times.size();
        if (n < 2) {
            return 0;
        }
        double t0 = times.get(0);
        double sumT = 0;
        double sumI = 0;
        for (int i = 0; i < n; i++) {
            sumT += (times.get(i) - t0) / 1e9;
            sumI += i;
        }
        double meanT = sumT / n;
        double meanI = sumI / n;
        double cov = 0;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double dt = (times.get(i) - t0) / 1e9 - meanT;
            cov += dt * (i - meanI);
            var += dt * dt;
        }
        return var == 0 ? 0 : cov / var;
    }

    static Result measure(MicroserviceType type, double dilation, Duration warmup, Duration window, int block,
                          Consumer<String> progress) {
        AddressPlan plan = AddressPlan.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1), block);
        Emulation emulation = Emulation.DEFAULT.withDilation(dilation).withRunawayMillis(60_000);
        String token = "governor-bench";
        try (EmbeddedCluster c = EmbeddedCluster.start(plan, emulation, token,
                id -> AgentConfig.of(plan, id, emulation, token))) {
            AppClient client = c.client(0);
            Run host = saturate(c, client, "s0/host", type, warmup, window, progress);
            Run nic = saturate(c, client, "s0/nic0", type, warmup, window, progress);
            MicroserviceProfile p = MicroserviceProfile.of(type);
            double measured = nic.emulatedPerCoreRps() / host.emulatedPerCoreRps();
            double profile = p.perCoreRps(CoreClass.WIMPY) / p.perCoreRps(CoreClass.BEEFY);
            Result r = new Result(type.manifestName(), dilation, host, nic, measured, profile,
                    measured / profile - 1);
            progress.accept(String.format("%s D=%.0f: SmartNIC/host per-core ratio %.4f, profile %.4f (%+.1f %%)",
                    type.manifestName(), dilation, measured, profile, 100 * r.relativeError()));
            return r;
        } catch (ExecutionEngine.DeployException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static Run saturate(EmbeddedCluster c, AppClient client, String nodeId, MicroserviceType type,
                                Duration warmup, Duration window, Consumer<String> progress)
            throws ExecutionEngine.DeployException {
        ComputeNode node = c.plan().cluster().node(nodeId).orElseThrow();
        String id = "bench/" + type.manifestName() + "." + (node.isSmartNic() ? 1 : 0);
        c.agent(nodeId).engine().deploy(new DeploySpec(id, "bench", type.manifestName(), type, 512));
        Target target = new Target(id, nodeId, c.plan().ipOf(nodeId), 0);
        int cores = node.capacity().cores();
        Semaphore window3 = new Semaphore(3 * cores);
        AtomicLong completed = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        long overrunsBefore = c.agent(nodeId).engine().overruns.sum();
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureTo = measureFrom + window.toNanos();
        List<Long> times = new ArrayList<>();
        int i = 0;
        progress.accept(String.format("%s on %s (%d cores): warm-up %d s, then %d s", type.manifestName(), nodeId,
                cores, warmup.toSeconds(), window.toSeconds()));
        while (System.nanoTime() - measureTo < 0) {
            try {
                if (!window3.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            byte[] body = ("{\"id\": " + i + ", \"key\": \"k" + (i % 1000) + "\", \"bytes\": 512}")
                    .getBytes(StandardCharsets.UTF_8);
            CompletableFuture<Reply> r = client.call(target, i++, body);
            r.whenComplete((reply, e) -> {
                boolean ok = reply != null && reply.ok();
                if (!ok) {
                    failures.incrementAndGet();
                }
                completed.incrementAndGet();
                long now = System.nanoTime();
                if (ok && now - measureFrom >= 0 && now - measureTo < 0) {
                    synchronized (times) {
                        times.add(now);
                    }
                }
                window3.release();
            });
        }
        long done;
        double realRps;
        synchronized (times) {
            done = times.size();
            realRps = slope(times);
        }
        double seconds = window.toNanos() / 1e9;
        double dilation = c.agent(nodeId).config().emulation().dilation();
        MicroserviceProfile p = MicroserviceProfile.of(type);
        return new Run(nodeId, cores, done, seconds, realRps, realRps * dilation / cores,
                p.perCoreRps(node.capacity().coreClass()), c.agent(nodeId).engine().overruns.sum() - overrunsBefore,
                failures.get());
    }
}
