package io.e3.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.exec.DeploySpec;
import io.e3.agent.exec.ExecutionEngine;
import io.e3.agent.http.Http;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Primary-backup replication of the serving instances on one node (§5.4.5: failover promotes backups, so a backup must
 * hold every write its primary acknowledged).
 *
 * <p>Every request a serving instance with backups runs well is queued, in the order it ran (the engine reports it from
 * the instance's run queue), for each backup the app's routing table lists. Per (instance, backup) one batch is in
 * flight at a time, so batches arrive in order; a batch carries every request queued meanwhile, up to
 * {@value #MAX_BATCH_BYTES} bytes, so the throughput of a shard is not bound to one round trip per request. The backup
 * applies a batch as one piece of work on its run queue ({@link ExecutionEngine#submitReplicas}) and answers once it
 * has run it; the primary's answer to its own caller waits for that, so an acknowledged request is on every reachable
 * backup. A backup that cannot be reached is skipped at that address from then on (the primary goes on alone and the
 * controller restores the backup elsewhere); its waiting requests are released.
 *
 * <p>Wire form: a request frame to the backup's instance id with payload
 * {@code {"replicate": "<primary id>", "requests": [<service request>, ...]}}.
 */
final class Replication implements ExecutionEngine.ReplicationHook {

    /** The most request bytes in one batch; well under a datagram. */
    static final int MAX_BATCH_BYTES = 48 * 1024;
    static final String FIELD = "replicate";
    private static final byte[] PREFIX = ("{\"" + FIELD + "\":").getBytes(StandardCharsets.UTF_8);

    /** Sends a batch to a backup, following it if it moved. */
    @FunctionalInterface
    interface Sender {
        CompletableFuture<Reply> send(String app, String backup, int ip, byte[] payload);
    }

    private final Function<String, AppRoutes> routes;
    private final Sender sender;
    private final Map<String, Stream> streams = new HashMap<>();

    final LongAdder replicated = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder failures = new LongAdder();

    Replication(Function<String, AppRoutes> routes, Sender sender) {
        this.routes = routes;
        this.sender = sender;
    }

    /** The requests queued for one backup of one instance. */
    private static final class Stream {
        final String app;
        final String primary;
        final String backup;
        final ArrayDeque<Entry> queued = new ArrayDeque<>();
        List<Entry> inFlight = List.of();
        /** The address a batch to this backup failed at; nothing more is sent there. */
        int brokenAt;

        Stream(String app, String primary, String backup) {
            this.app = app;
            this.primary = primary;
            this.backup = backup;
        }
    }

    private record Entry(byte[] request, CompletableFuture<Void> applied) {
    }

    @Override
    public synchronized CompletableFuture<Void> executed(DeploySpec spec, byte[] request) {
        AppRoutes table = routes.apply(spec.app());
        List<Target> backups = table == null ? List.of() : table.backupsOf(spec.id());
        List<CompletableFuture<Void>> acks = new ArrayList<>(backups.size());
        for (Target b : backups) {
            Stream s = streams.computeIfAbsent(spec.id() + "\u0000" + b.instance(),
                    k -> new Stream(spec.app(), spec.id(), b.instance()));
            if (s.brokenAt == b.ip()) {
                continue;
            }
            CompletableFuture<Void> applied = new CompletableFuture<>();
            s.queued.add(new Entry(request, applied));
            acks.add(applied);
            pump(s, b.ip());
        }
        return acks.isEmpty() ? null : CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    /** Completes once every request {@code instance} has run so far has been applied by its backups (or given up on). */
    synchronized CompletableFuture<Void> flushed(String instance) {
        List<CompletableFuture<Void>> waiting = new ArrayList<>();
        for (Stream s : streams.values()) {
            if (s.primary.equals(instance)) {
                s.inFlight.forEach(e -> waiting.add(e.applied));
                s.queued.forEach(e -> waiting.add(e.applied));
            }
        }
        return CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new));
    }

    private void pump(Stream s, int ip) {
        if (!s.inFlight.isEmpty() || s.queued.isEmpty()) {
            return;
        }
        List<Entry> batch = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(PREFIX);
        out.writeBytes(Http.JSON.getNodeFactory().textNode(s.primary).toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(",\"requests\":[".getBytes(StandardCharsets.UTF_8));
        int bytes = 0;
        while (!s.queued.isEmpty() && (batch.isEmpty() || bytes + s.queued.peek().request.length <= MAX_BATCH_BYTES)) {
            Entry e = s.queued.poll();
            if (!batch.isEmpty()) {
                out.write(',');
            }
            out.writeBytes(e.request);
            bytes += e.request.length;
            batch.add(e);
        }
        out.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
        s.inFlight = batch;
        batches.increment();
        sender.send(s.app, s.backup, ip, out.toByteArray()).whenComplete((reply, error) -> done(s, ip, batch,
                error == null && reply.ok()));
    }

    private synchronized void done(Stream s, int ip, List<Entry> batch, boolean ok) {
        s.inFlight = List.of();
        List<Entry> release = new ArrayList<>(batch);
        if (ok) {
            replicated.add(batch.size());
        } else {
            failures.increment();
            s.brokenAt = ip;
            release.addAll(s.queued);
            s.queued.clear();
        }
        release.forEach(e -> e.applied.complete(null));
        AppRoutes table = routes.apply(s.app);
        Optional<Target> now = table == null ? Optional.empty() : table.locate(s.backup);
        if (now.isPresent() && now.get().ip() != s.brokenAt) {
            pump(s, now.get().ip());
        } else {
            s.queued.forEach(e -> e.applied.complete(null));
            s.queued.clear();
        }
    }

    /** True if {@code payload} is a replication batch (what {@link #pump} sends), by its first bytes. */
    static boolean isBatch(byte[] payload) {
        return java.util.Arrays.equals(payload, 0, Math.min(payload.length, PREFIX.length), PREFIX, 0, PREFIX.length);
    }

    /** The service requests of a batch, in order; empty if it is not well formed. */
    static Optional<List<JsonNode>> requests(byte[] payload) {
        try {
            JsonNode root = Http.JSON.readTree(payload);
            JsonNode list = root == null ? null : root.get("requests");
            if (list == null || !list.isArray()) {
                return Optional.empty();
            }
            List<JsonNode> out = new ArrayList<>(list.size());
            for (JsonNode r : list) {
                if (!r.isObject()) {
                    return Optional.empty();
                }
                out.add(r);
            }
            return Optional.of(out);
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }
}
