package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.telemetry.MalformedHeartbeatException;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.orchestrator.OrchestratorBenchmark;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;
import picocli.CommandLine;

/**
 * {@code e3 bench orchestrator --udp}: the heartbeat rate the real controller takes over loopback UDP. It starts the
 * controller for a FatTree of Type2 servers and sends it heartbeats as the agents would: from one UDP socket per
 * server, bound at the address of the server's first SmartNIC (so the controller's address check passes), each
 * heartbeat signed with the key of the cluster token and numbered on (one epoch for the run, the sequence counting
 * up). As the agents of one server in one process do ({@code ServerHeartbeats}), each datagram is a server batch
 * holding one heartbeat of each of {@code --batch} nodes of the server (all five of a Type2 server by default; with
 * {@code --batch 1}, one plain heartbeat of the first SmartNIC, as an agent alone in its process sends it).
 *
 * <p>The senders are load, not what is measured: they sign their heartbeats before the clock starts, a pool of rounds
 * in direct buffers ({@link Pool}), and then write them from non-blocking sockets in a loop that allocates nothing,
 * from {@code --senders} threads at {@code --rate} heartbeats a second (paced; 0: as fast as they can) for
 * {@code --seconds}, after a warm-up that is not counted and lasts until the controller is quiet ({@link #warmUp}).
 * The sender threads run at a lower priority ({@code --sender-nice}) so that on a machine with few cores they yield
 * the CPU to the controller's receiving thread. It then reads back from {@code /v1/events} how many heartbeats the
 * controller received and what became of them, and reports the rate it accepted them at and how many were lost (sent
 * and not received).
 */
final class UdpIngest {

    /** The heartbeat round the senders send (numbered on): from round 3, servers 7, 1007, ... report a queue. */
    private static final int TEMPLATE_ROUND = 3;
    /**
     * Before the clock starts, the senders send for at least this long, not counted: the controller's receiving path is then
     * compiled and its per-node state made, as it is in a controller that has been running.
     */
    private static final long WARM_UP_MILLIS = 1_000;
    /** The longest warm-up ({@link #warmUp}). */
    private static final int WARM_UP_MAX_SECONDS = 300;
    /** The timed run's sequence numbers start here; the warm-up's stay below. */
    private static final long TIMED_SEQUENCES = 1L << 32;
    /** The rate the senders sign ahead for, above what two cores can send. */
    private static final int PRESIGNED_RATE = 400_000;
    /** The most bytes signed ahead, in direct buffers of the CLI's process. */
    private static final long PRESIGNED_MAX_BYTES = 1L << 30;
    /**
     * The controller's reconciler makes no periodic passes (it still makes one at start): there are no agents behind
     * the benchmark's addresses, and asking each of the heartbeating nodes every second what it holds (one HTTP request
     * a node, refused) would take more of the two cores than the heartbeats do. What is measured is the heartbeats'
     * path; the reconciler's cost at scale is its own.
     */
    static final Map<String, String> CONTROLLER_SETTINGS = Map.of("e3.reconcile.period-ms", "0");
    /** The agents' heartbeat period, which the default offered rate is computed with. */
    static final int PERIOD_MILLIS = 50;
    /** The nodes of a Type2 server: its host and four SmartNICs. */
    static final int NODES_PER_SERVER = 5;
    /** About what one of the benchmark's heartbeats takes (three instances). */
    private static final int HEARTBEAT_BYTES = 180;
    /** The controller's thread that receives heartbeats (HeartbeatReceiver.THREAD). */
    private static final String RECEIVE_THREAD = "e3-heartbeats";
    private static final String[] OUTCOMES = {"heartbeatsReceived", "heartbeatsMalformed", "heartbeatsMisaddressed",
            "heartbeatsForged", "heartbeatsReplayed"};

    private final CommandLine.Model.CommandSpec spec;
    private final int servers;
    private final int seconds;
    private final int block;
    private final int senders;
    private final int senderNice;
    private final int batch;
    /** Heartbeats a second to offer, or 0: as fast as the senders can. */
    private final long rate;
    private final OutputFormat output;

    UdpIngest(CommandLine.Model.CommandSpec spec, int servers, int seconds, int block, int senders, int senderNice,
              int batch, long rate, OutputFormat output) {
        this.batch = batch;
        this.rate = rate;
        this.spec = spec;
        this.servers = servers;
        this.seconds = seconds;
        this.block = block;
        this.senders = senders;
        this.senderNice = senderNice;
        this.output = output;
    }

    int run() throws Exception {
        List<String> problems = new ArrayList<>();
        if (servers < 1 || servers > 13_000) {
            problems.add("--servers: with --udp at most 13,000 (5 nodes each in one address block), got " + servers);
        }
        if (seconds < 1 || seconds > 600) {
            problems.add("--seconds: must be in [1, 600], got " + seconds);
        }
        if (block < 1 || block > 254) {
            problems.add("--address-block: must be in [1, 254], got " + block);
        }
        if (senders < 1 || senders > 64) {
            problems.add("--senders: must be in [1, 64], got " + senders);
        }
        if (batch < 1 || batch > NODES_PER_SERVER) {
            problems.add("--batch: heartbeats per datagram must be in [1, " + NODES_PER_SERVER
                    + "] (the nodes of a Type2 server), got " + batch);
        }
        if (rate < 0 || rate > 100_000_000) {
            problems.add("--rate: heartbeats a second must be in [0, 100000000] (0: as fast as the senders can), got "
                    + rate);
        }
        if (senderNice < 0 || senderNice > 19) {
            problems.add("--sender-nice: must be in [0, 19], got " + senderNice);
        }
        Path jar = ControllerCommand.controllerJar();
        if (!Files.isRegularFile(jar)) {
            problems.add("the controller is not built (" + jar + "); run ./e3 once");
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
        Cluster cluster = OrchestratorBenchmark.cluster(servers);
        Path manifest = Files.createTempFile("e3-bench-cluster", ".yaml");
        manifest.toFile().deleteOnExit();
        Files.writeString(manifest, manifest(cluster));
        AddressPlan plan = AddressPlan.of(cluster, block);
        progress.accept("encoding " + (batch == 1 ? "a heartbeat" : "a batch of " + batch + " heartbeats")
                + " for each of " + servers + " servers");
        byte[][] rounds = OrchestratorBenchmark.heartbeats(cluster, TEMPLATE_ROUND + 1, 50);
        byte[][] datagrams = new byte[servers][];
        for (int s = 0; s < servers; s++) {
            datagrams[s] = datagram(cluster, rounds, s);
        }
        String token = RunOptions.randomToken();
        HeartbeatMac mac = HeartbeatMac.forToken(token);
        progress.accept("starting the controller for " + servers + " servers");
        List<DatagramChannel> channels = new ArrayList<>();
        try (ControllerProcess controller = ControllerProcess.start(jar, manifest, block, token,
                AddressPlan.text(plan.controllerIp()), 7090, Files.createTempDirectory("e3-bench-state"), "hcm",
                false, CONTROLLER_SETTINGS)) {
            if (!controller.awaitReady(token, Duration.ofSeconds(120))) {
                throw new FailureException("the controller did not come up at " + controller.url());
            }
            ControllerClient api = new ControllerClient(URI.create(controller.url()), token, "");
            InetSocketAddress to = new InetSocketAddress(AddressPlan.text(plan.controllerIp()), plan.heartbeatPort());
            progress.accept("binding a socket at each server's first SmartNIC");
            for (int s = 0; s < servers; s++) {
                DatagramChannel c = DatagramChannel.open();
                channels.add(c);
                c.bind(new InetSocketAddress(AddressPlan.text(plan.ipOf(cluster.servers().get(s).smartNics().get(0)
                        .id())), 0));
                c.connect(to);
                c.configureBlocking(false);
            }
            String loadBefore = loadAverage();
            Sending sending = send(channels, datagrams, mac, progress, api, controller.pid());
            String loadAfter = loadAverage();
            long[] before = sending.before();
            double receiverCpu = sending.receiverCpu();
            progress.accept("waiting for the controller to take what is in its socket");
            long[] after = settled(api, before);
            if (receiverCpu >= 0) {
                receiverCpu = Nice.cpuSeconds(controller.pid(), RECEIVE_THREAD) - receiverCpu;
            }
            JsonNode events = ControllerClient.require(api.get("/v1/events"), 200);
            progress.done();
            report(sending, after, before, events, receiverCpu, loadBefore, loadAfter);
            return ExitCodes.OK;
        } finally {
            for (DatagramChannel c : channels) {
                c.close();
            }
        }
    }

    /**
     * What the senders did. {@code sent}: datagrams, each of {@link #batch} heartbeats; {@code presigned} and
     * {@code signedLate}: heartbeats.
     */
    private record Sending(long sent, double seconds, int nice, double cpuSeconds, long[] before,
                           double receiverCpu, long presigned, long signedLate, long busy) {
    }

    /**
     * One sender thread's heartbeats, signed before the clock starts: round r of its servers' heartbeats (sequence r,
     * one epoch for the run) lies at {@code r * roundBytes} in direct buffers of whole rounds, each server's datagram at
     * its offset in the round. Sending one is setting a buffer's position and limit and writing it: no copy into a
     * temporary direct buffer, no allocation. A run that outlasts the pool signs its later rounds in place as it goes,
     * counted in {@link #signedLate}.
     */
    private static final class Pool {
        /** Largest direct buffer made: whole rounds, at most this many bytes. */
        private static final int CHUNK_BYTES = 64 << 20;

        final DatagramChannel[] channels;
        final byte[][] templates;
        /** Per template, where each of its heartbeats lies in it and how long it is: offset, length, offset, ... */
        final int[][] beats;
        final int[] offsets;
        final int roundBytes;
        final int roundsPerChunk;
        final ByteBuffer[] chunks;
        final int rounds;
        long signedLate;
        /** Pacing: datagram k from {@link #pace} goes no earlier than pacedFrom + k * nanosPerDatagram (0: unpaced). */
        private double nanosPerDatagram;
        private long pacedFrom;
        private long paced;

        /** From now on, sends at most one datagram every {@code nanosPerDatagram} (0: as fast as it can). */
        void pace(double nanosPerDatagram) {
            this.nanosPerDatagram = nanosPerDatagram;
            this.pacedFrom = System.nanoTime();
            this.paced = 0;
        }

        /** Round r is signed with sequence sequenceBase + r. */
        final long sequenceBase;

        Pool(DatagramChannel[] channels, byte[][] templates, int rounds, long sequenceBase, long epoch, long signedAt,
             HeartbeatMac mac) {
            this.sequenceBase = sequenceBase;
            this.channels = channels;
            this.templates = templates;
            this.beats = new int[templates.length][];
            for (int i = 0; i < templates.length; i++) {
                beats[i] = beatsOf(templates[i]);
            }
            this.offsets = new int[templates.length];
            int bytes = 0;
            for (int i = 0; i < templates.length; i++) {
                offsets[i] = bytes;
                bytes += templates[i].length;
            }
            this.roundBytes = Math.max(1, bytes);
            this.roundsPerChunk = Math.max(1, Math.min(rounds, CHUNK_BYTES / roundBytes));
            this.rounds = rounds;
            this.chunks = new ByteBuffer[(rounds + roundsPerChunk - 1) / roundsPerChunk];
            for (int c = 0; c < chunks.length; c++) {
                chunks[c] = ByteBuffer.allocateDirect(Math.min(roundsPerChunk, rounds - c * roundsPerChunk) * roundBytes);
            }
            CRC32C crc = new CRC32C();
            for (int r = 0; r < rounds; r++) {
                sign(r, sequenceBase + r, epoch, signedAt, mac, crc);
            }
        }

        /** Signs round {@code sequence} of every server into the pool's round {@code r}. */
        void sign(int r, long sequence, long epoch, long signedAt, HeartbeatMac mac, CRC32C crc) {
            ByteBuffer chunk = chunks[r / roundsPerChunk];
            int base = (r % roundsPerChunk) * roundBytes;
            chunk.clear(); // a send left the limit at the end of the datagram it sent; absolute puts check it
            for (int i = 0; i < templates.length; i++) {
                byte[] d = templates[i];
                int[] b = beats[i];
                for (int k = 0; k < b.length; k += 2) {
                    HeartbeatCodec.restamp(d, b[k], b[k + 1], epoch, sequence, signedAt, mac, crc);
                }
                chunk.put(base + offsets[i], d);
            }
        }

        /**
         * Sends round {@code r} (pool round {@code r % rounds}) from every server's socket, or until {@code end}
         * ({@link System#nanoTime()}, looked at every 256 sends); returns how many were written. A socket with no room
         * (a non-blocking write of 0 bytes) is tried again a few times, then counted busy.
         */
        int send(int r, long end, long[] busy, AtomicLong failures) {
            ByteBuffer chunk = chunks[(r % rounds) / roundsPerChunk];
            int base = ((r % rounds) % roundsPerChunk) * roundBytes;
            int n = 0;
            for (int i = 0; i < channels.length; i++) {
                if ((paced & 63) == 63) {
                    if (nanosPerDatagram > 0) {
                        long wait = pacedFrom + (long) (paced * nanosPerDatagram) - System.nanoTime();
                        if (wait > 20_000) {
                            LockSupport.parkNanos(wait);
                        }
                    }
                    if (System.nanoTime() >= end) {
                        break;
                    }
                }
                paced++;
                int from = base + offsets[i];
                chunk.limit(from + templates[i].length).position(from);
                try {
                    int tries = 0;
                    while (channels[i].write(chunk) == 0 && ++tries < 100) {
                        Thread.onSpinWait();
                    }
                    if (tries == 100) {
                        busy[0]++;
                    } else {
                        n++;
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                }
            }
            return n;
        }
    }

    /** Where the heartbeats of a datagram lie in it: offset, length, offset, length, ... */
    static int[] beatsOf(byte[] datagram) {
        if (!HeartbeatCodec.isBatch(datagram, datagram.length)) {
            return new int[] {0, datagram.length};
        }
        int[] offsets = new int[HeartbeatCodec.MAX_BATCH];
        int[] lengths = new int[HeartbeatCodec.MAX_BATCH];
        int n;
        try {
            n = HeartbeatCodec.unbatch(datagram, datagram.length, offsets, lengths);
        } catch (MalformedHeartbeatException e) {
            throw new IllegalStateException("the benchmark made a bad batch: " + e.getMessage(), e);
        }
        int[] b = new int[2 * n];
        for (int k = 0; k < n; k++) {
            b[2 * k] = offsets[k];
            b[2 * k + 1] = lengths[k];
        }
        return b;
    }

    /**
     * Server {@code s}'s datagram: with {@link #batch} 1 its first SmartNIC's heartbeat of {@link #TEMPLATE_ROUND}
     * (three instances; servers 7, 1007, ... report a queue), else a batch of that one and as many of the server's
     * other nodes' heartbeats, each with three instances of its own and no queue.
     */
    private byte[] datagram(Cluster cluster, byte[][] rounds, int s) {
        byte[] first = template(rounds, s).clone();
        if (batch == 1) {
            return first;
        }
        Heartbeat nic;
        try {
            nic = HeartbeatCodec.decode(first, 0, first.length);
        } catch (MalformedHeartbeatException e) {
            throw new IllegalStateException(e);
        }
        List<byte[]> beats = new ArrayList<>(List.of(first));
        for (ComputeNode node : cluster.servers().get(s).nodes()) {
            if (beats.size() < batch && !node.id().equals(nic.nodeId())) {
                List<InstanceStats> stats = nic.instances().stream().map(i -> new InstanceStats(i.instanceId() + "-"
                        + beats.size(), i.requests(), i.errors(), i.meanExecutionNanos(), i.cpuShare())).toList();
                beats.add(HeartbeatCodec.encode(new Heartbeat(node.id(), nic.sequence(), nic.sentAtMillis(),
                        nic.periodMillis(), 0, nic.bytesInPerSecond(), nic.bytesOutPerSecond(), stats)));
            }
        }
        return HeartbeatCodec.batch(beats);
    }

    /**
     * Sends from {@link #senders} threads: thread t owns servers t, t + senders, ... and sends their heartbeats round
     * after round: first a warm-up, not counted, signed as they go ({@link #warmUp}), then for {@link #seconds} rounds
     * pre-signed ({@link Pool}), at the asked rate. The timed rounds are numbered from {@link #TIMED_SEQUENCES}, above
     * every warm-up round, so the controller's replay guard takes every one.
     */
    private Sending send(List<DatagramChannel> channels, byte[][] datagrams, HeartbeatMac mac, ProgressLine progress,
                         ControllerClient api, long controllerPid) throws InterruptedException, IOException {
        int poolRounds = poolRounds(servers, seconds, batch);
        // Each thread's share of the offered rate, in datagrams of `batch` heartbeats.
        double nanosPerDatagram = rate <= 0 ? 0 : 1e9 * batch * senders / rate;
        long epoch = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
        progress.accept("signing " + String.format(Locale.ROOT, "%,d", (long) poolRounds * servers * batch)
                + " heartbeats ahead");
        AtomicLong sent = new AtomicLong();
        AtomicLong signedLate = new AtomicLong();
        AtomicLong busyTotal = new AtomicLong();
        AtomicInteger nice = new AtomicInteger(Nice.UNKNOWN);
        AtomicLong failures = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        CountDownLatch signed = new CountDownLatch(senders);
        java.util.concurrent.atomic.AtomicReference<Throwable> signingFailed =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean warming = new java.util.concurrent.atomic.AtomicBoolean(true);
        CountDownLatch ready = new CountDownLatch(senders);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            int first = t;
            Thread thread = new Thread(() -> {
                nice.accumulateAndGet(Nice.lower(senderNice), Math::min);
                List<Integer> mine = new ArrayList<>();
                for (int s = first; s < servers; s += senders) {
                    mine.add(s);
                }
                // In a fixed order, but not the servers': agents' timers run at phases of their own, so that a
                // controller does not get the nodes' heartbeats in the order it numbers them (and keeps their state).
                Collections.shuffle(mine, new Random(first));
                DatagramChannel[] mineChannels = mine.stream().map(channels::get).toArray(DatagramChannel[]::new);
                byte[][] templates = mine.stream().map(s -> datagrams[s].clone()).toArray(byte[][]::new);
                CRC32C crc = new CRC32C();
                Pool pool;
                long[] busy = new long[1];
                try {
                    pool = new Pool(mineChannels, templates, poolRounds, TIMED_SEQUENCES, epoch,
                            System.currentTimeMillis(), mac);
                } catch (RuntimeException | OutOfMemoryError e) {
                    signingFailed.compareAndSet(null, e);
                    ready.countDown();
                    return;
                } finally {
                    signed.countDown();
                }
                try {
                    // The warm-up signs as it goes, one round in place, numbered below the pool's rounds.
                    Pool warm = new Pool(mineChannels, templates, 1, 0, epoch, System.currentTimeMillis(), mac);
                    warm.pace(nanosPerDatagram);
                    for (long w = 1; warming.get(); w++) {
                        warm.sign(0, w, epoch, System.currentTimeMillis(), mac, crc);
                        warm.send(0, Long.MAX_VALUE, busy, failures);
                    }
                } finally {
                    ready.countDown();
                }
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = window[1];
                long n = 0;
                busy[0] = 0;
                pool.pace(nanosPerDatagram);
                long cpu0 = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                for (int r = 0; System.nanoTime() < end; r++) {
                    if (r >= poolRounds) {
                        // The pool is used up: sign this round in place (its slot's round was sent long ago).
                        pool.sign(r % poolRounds, TIMED_SEQUENCES + r, epoch, System.currentTimeMillis(), mac, crc);
                        signedLate.addAndGet((long) templates.length * batch);
                    }
                    n += pool.send(r, end, busy, failures);
                }
                sent.addAndGet(n);
                busyTotal.addAndGet(busy[0]);
                cpuNanos.addAndGet(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu0);
            }, "e3-bench-sender-" + t);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        signed.await();
        if (signingFailed.get() != null) {
            warming.set(false);
            throw new FailureException("signing the heartbeats ahead failed: " + signingFailed.get());
        }
        try {
            warmUp(api, progress);
        } finally {
            warming.set(false);
        }
        ready.await();
        progress.accept("waiting for the controller to take the warm-up's heartbeats");
        long[] before = settled(api, counts(api));
        double receiverCpu = Nice.cpuSeconds(controllerPid, RECEIVE_THREAD);
        progress.accept("sending for " + seconds + " s from " + senders + " threads");
        window[0] = System.nanoTime();
        window[1] = window[0] + seconds * 1_000_000_000L;
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        double took = (System.nanoTime() - window[0]) / 1e9;
        if (failures.get() > 0) {
            spec.commandLine().getErr().printf("%,d sends failed%n", failures.get());
        }
        return new Sending(sent.get(), took, nice.get(), cpuNanos.get() / 1e9, before, receiverCpu,
                (long) poolRounds * servers * batch, signedLate.get(), busyTotal.get());
    }

    /** Server {@code s}'s heartbeat of {@link #TEMPLATE_ROUND}, which the senders restamp. */
    private byte[] template(byte[][] rounds, int s) {
        return rounds[TEMPLATE_ROUND * servers + s];
    }

    /**
     * Rounds signed ahead (each one datagram of {@code batch} heartbeats per server): enough for the run at {@value #PRESIGNED_RATE} datagrams a second (more than two cores send), at most {@value #PRESIGNED_MAX_BYTES} bytes in all (about 180
     * bytes a heartbeat), at least 4.
     */
    static int poolRounds(int servers, int seconds, int batch) {
        double wanted = (double) PRESIGNED_RATE * seconds / servers;
        long most = PRESIGNED_MAX_BYTES / (HEARTBEAT_BYTES * (long) batch * servers);
        return (int) Math.max(4, Math.min(Math.ceil(wanted), most));
    }

    /**
     * The warm-up, not counted: the senders send (at the asked rate) while this waits for the controller to be quiet,
     * for at least {@link #WARM_UP_MILLIS}: no reconcile pass running, no node down, no pass made for a second. Nodes
     * that the controller declared down while it waited for their first heartbeat are readmitted when it comes, and
     * readmission runs a reconcile pass that asks each of them what it holds (there are no agents to answer): measured
     * meanwhile, the heartbeats would share the cores with it. At most {@link #WARM_UP_MAX_SECONDS}.
     */
    private static void warmUp(ControllerClient api, ProgressLine progress) throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(WARM_UP_MAX_SECONDS);
        long lastPasses = -1;
        int quietPolls = 0;
        while (System.nanoTime() < deadline) {
            JsonNode e = ControllerClient.require(api.get("/v1/events"), 200);
            long passes = e.path("reconcilePasses").asLong();
            boolean quiet = !e.path("reconciling").asBoolean() && e.path("nodesDown").asInt() == 0
                    && passes == lastPasses;
            quietPolls = quiet ? quietPolls + 1 : 0;
            lastPasses = passes;
            if (quietPolls >= 2 && System.nanoTime() - start >= WARM_UP_MILLIS * 1_000_000L) {
                return;
            }
            progress.accept(String.format(Locale.ROOT, "warming up: sending until the controller is quiet (%s, "
                    + "%d nodes down, %d reconcile passes)", e.path("reconciling").asBoolean() ? "reconciling"
                    : "not reconciling", e.path("nodesDown").asInt(), passes));
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new FailureException("the controller was not quiet after a warm-up of " + WARM_UP_MAX_SECONDS
                + " s (a reconcile pass running or nodes down)");
    }

    /** The controller's counts of heartbeat datagrams by outcome, in {@link #OUTCOMES} order. */
    private static long[] counts(ControllerClient api) throws IOException, InterruptedException {
        JsonNode events = ControllerClient.require(api.get("/v1/events"), 200);
        long[] counts = new long[OUTCOMES.length];
        for (int i = 0; i < OUTCOMES.length; i++) {
            counts[i] = events.path(OUTCOMES[i]).asLong();
        }
        return counts;
    }

    /**
     * The counts once the controller has taken what was still in its socket when the senders stopped: read every
     * 200 ms until two readings agree (at most 30 s).
     */
    private static long[] settled(ControllerClient api, long[] before) throws IOException, InterruptedException {
        long[] last = before;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long[] now = counts(api);
            if (java.util.Arrays.equals(now, last)) {
                return now;
            }
            last = now;
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return last;
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or null where there is none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void report(Sending sending, long[] after, long[] before, JsonNode events, double receiverCpu,
                        String loadBefore, String loadAfter) {
        long[] d = new long[OUTCOMES.length];
        long received = 0;
        for (int i = 0; i < OUTCOMES.length; i++) {
            d[i] = after[i] - before[i];
            received += d[i];
        }
        long accepted = d[0];
        long offered = sending.sent() * batch;
        long lost = offered - received;
        double took = sending.seconds();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("servers", servers);
        r.put("senders", senders);
        r.put("senderNice", sending.nice() == Nice.UNKNOWN ? null : sending.nice());
        r.put("heartbeatsPerDatagram", batch);
        r.put("rateAsked", rate == 0 ? null : rate);
        r.put("seconds", took);
        r.put("datagrams", sending.sent());
        r.put("datagramsPerSecond", sending.sent() / took);
        r.put("offered", offered);
        r.put("offeredPerSecond", offered / took);
        r.put("received", received);
        r.put("accepted", accepted);
        r.put("acceptedPerSecond", accepted / took);
        r.put("lost", lost);
        r.put("lossPercent", 100.0 * lost / Math.max(1, offered));
        r.put("malformed", d[1]);
        r.put("misaddressed", d[2]);
        r.put("forged", d[3]);
        r.put("replayed", d[4]);
        r.put("stale", events.path("heartbeatsStale").asLong());
        r.put("presigned", sending.presigned());
        r.put("signedDuringRun", sending.signedLate());
        r.put("sendsBusy", sending.busy());
        r.put("receiveBufferBytes", events.path("heartbeatReceiveBufferBytes").asLong());
        r.put("senderCpuSeconds", sending.cpuSeconds());
        r.put("receiverCpuSeconds", receiverCpu < 0 ? null : receiverCpu);
        r.put("decisions", events.path("decisions").size());
        r.put("nodesDownAfter", events.path("nodesDown").asInt());
        r.put("loadAverageBefore", loadBefore);
        r.put("loadAverageAfter", loadAfter);
        PrintWriter out = spec.commandLine().getOut();
        if (output == OutputFormat.json) {
            OutputFormat.printJson(out, r);
            return;
        }
        out.printf(Locale.ROOT, "Controller heartbeat ingest over loopback UDP, %,d Type2 servers, %.1f s, %s:%n",
                servers, took, rate == 0 ? "as fast as the senders can" : String.format(Locale.ROOT,
                        "%,d heartbeats/s asked", rate));
        out.printf(Locale.ROOT, "  offered   %,d heartbeats (%,.0f/s) in %,d datagrams (%,.0f/s, %s), from %,d "
                + "per-server sockets on %d sender threads %s%n", offered, offered / took, sending.sent(),
                sending.sent() / took, batch == 1 ? "one heartbeat each" : "server batches of " + batch + " heartbeats",
                servers, senders, sending.nice() == Nice.UNKNOWN ? "at normal priority" : "at nice " + sending.nice());
        out.printf(Locale.ROOT, "            pre-signed (%,d heartbeats signed before the clock started, %,d signed during "
                + "the run): the senders' signing is not timed%s%n", sending.presigned(), sending.signedLate(),
                sending.busy() > 0 ? String.format(Locale.ROOT, "; %,d sends found the socket busy", sending.busy())
                        : "");
        out.printf(Locale.ROOT, "  received  %,d heartbeats%n", received);
        out.printf(Locale.ROOT, "  accepted  %,d (%,.0f heartbeats/s authenticated and fed to the orchestrator)%n",
                accepted, accepted / took);
        out.printf(Locale.ROOT, "  lost      %,d (%.2f %%: dropped by the socket while the controller was busy; "
                + "receive buffer %,d KiB granted)%n", lost, 100.0 * lost / Math.max(1, offered),
                events.path("heartbeatReceiveBufferBytes").asLong() / 1024);
        out.printf(Locale.ROOT, "  controller with %s (no agents to reconcile with)%n", CONTROLLER_SETTINGS.entrySet()
                .iterator().next());
        out.printf(Locale.ROOT, "  refused   %,d malformed, %,d misaddressed, %,d forged, %,d replayed%n", d[1], d[2],
                d[3], d[4]);
        out.printf(Locale.ROOT, "  decisions %d (servers 7, 1007, ... report a standing queue); %,d nodes down at the "
                + "end%s%n", events.path("decisions").size(), events.path("nodesDown").asInt(),
                rate > 0 && rate < (long) servers * batch * (1000 / PERIOD_MILLIS)
                        ? " (asked below the servers' own rate, each node heartbeats less often than every "
                        + PERIOD_MILLIS + " ms, and the failure detector may declare some down)" : "");
        out.printf(Locale.ROOT, "  CPU       senders %.2f s (%.2f µs a datagram)", sending.cpuSeconds(),
                1e6 * sending.cpuSeconds() / Math.max(1, sending.sent()));
        if (receiverCpu >= 0) {
            out.printf(Locale.ROOT, ", the controller's receiving thread %.2f s (%.2f µs a heartbeat)", receiverCpu,
                    1e6 * receiverCpu / Math.max(1, received));
        }
        out.printf(Locale.ROOT, ", of %.1f s on %d cores%n", took, Runtime.getRuntime().availableProcessors());
        if (loadBefore != null) {
            out.printf(Locale.ROOT, "  load      %s before, %s after (1, 5, 15 min): whatever else runs shares the cores%n",
                    loadBefore, loadAfter);
        }
    }

    /** The cluster as a manifest the controller can load (the same racks, pods and server names). */
    static String manifest(Cluster cluster) {
        StringBuilder y = new StringBuilder("apiVersion: e3.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: ")
                .append(cluster.name()).append("\nspec:\n  racks:\n");
        cluster.racks().forEach(r -> y.append("    - name: ").append(r.id()).append("\n      pod: ").append(r.podId())
                .append("\n      servers:\n        - type: Type2-SmartNIC\n          count: ")
                .append(r.servers().size()).append('\n'));
        return y.toString();
    }
}
