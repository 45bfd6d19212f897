package io.e3.simulator;

import io.e3.orchestrator.DataPlaneOrchestrator;
import io.e3.orchestrator.MigrationDecision;

import java.util.ArrayList;
import java.util.List;

/**
 * Moves instances: the migrations the orchestrator decides (cold migration to a host, §5.4.4) and the failover of
 * nodes the membership declares down (§5.4.5). Targets follow the controller's rule ({@code MigrationDriver.hostFor}):
 * the host of the instance's own server if it has the memory and is not to be avoided, else the live host with the
 * most free memory that has room.
 *
 * <p>A migration stops the instance's intake at once (requests are held), lets what it had admitted finish, moves its
 * state at the slower of the two nodes' link bandwidths after a fixed setup, then resumes at the destination and
 * delivers the held requests. A backup moves the same way (the controller moves whatever instance the orchestrator
 * names, and replicated work can make a backup the busiest); the replication batch that reaches it meanwhile waits. A failover promotes the first live backup of each serving instance lost (it serves the
 * same shard, so it gets the same keys); an instance without one is deployed again, empty, on a host of another server.
 */
final class Relocations {

    private record Move(int instance, int from, int to, MigrationDecision decision, long start, long stateBytes) {
    }

    private final Engine engine;
    private final Fabric fabric;
    private final Workload workload;
    private final long setupNanos;
    private DataPlaneOrchestrator orchestrator;
    private final long[] memoryUsed;
    private final long[] failedAt;
    private final List<Move> moves = new ArrayList<>();
    final List<MigrationRecord> migrations = new ArrayList<>();
    final List<FailoverRecord> failovers = new ArrayList<>();

    Relocations(Engine engine, double setupMillis) {
        this.engine = engine;
        this.fabric = engine.fabric;
        this.workload = engine.workload;
        this.setupNanos = Math.round(setupMillis * 1e6);
        memoryUsed = new long[fabric.size()];
        for (int i = 0; i < workload.instances(); i++) {
            memoryUsed[workload.instanceNode[i]] += workload.instanceMemoryMiB[i];
        }
        failedAt = new long[fabric.size()];
        java.util.Arrays.fill(failedAt, -1);
    }

    void orchestrator(DataPlaneOrchestrator o) {
        this.orchestrator = o;
    }

    // ---- migration ----

    void migrate(MigrationDecision d, long now) {
        Integer found = workload.instanceById.get(d.instanceId());
        int from = fabric.indexOf(d.fromNode());
        if (found == null || from < 0 || workload.instanceNode[found] != from
                || !(workload.isServing[found] || isBackup(found)) || engine.migrating[found] || fabric.dead[from]) {
            refuse(d, now, "instance not serving or backing up on " + d.fromNode());
            return;
        }
        int inst = found;
        int to = hostFor(inst, d.avoid() == null ? -1 : fabric.indexOf(d.avoid()), -1);
        if (to < 0) {
            refuse(d, now, "no host has " + workload.instanceMemoryMiB[inst] + " MiB free");
            return;
        }
        memoryUsed[to] += workload.instanceMemoryMiB[inst];
        engine.migrating[inst] = true;
        double gbps = Math.min(fabric.nodes[from].capacity().bandwidthGbps(),
                fabric.nodes[to].capacity().bandwidthGbps());
        long transfer = Math.round(workload.stateBytes[inst] * 8 / gbps);
        long end = Math.max(now + setupNanos + transfer, engine.windows.lastEnd[inst]);
        moves.add(new Move(inst, from, to, d, now, workload.stateBytes[inst]));
        engine.schedule(end, Engine.MIGRATED, moves.size() - 1);
    }

    /** Whether {@code inst} is a backup of a serving instance now (replicated work can make it the busiest). */
    private boolean isBackup(int inst) {
        for (int s : workload.serving[workload.instanceService[inst]]) {
            if (workload.backups[s].contains(inst)) {
                return true;
            }
        }
        return false;
    }

    private void refuse(MigrationDecision d, long now, String why) {
        orchestrator.migrationFinished(d.instanceId(), d.fromNode(), d.fromNode(), false);
        migrations.add(new MigrationRecord(d.instanceId(), d.fromNode(), null, d.reason().name(),
                d.detail() + "; not moved: " + why, now / 1e9, now / 1e9, 0, 0));
    }

    /** Migration number {@code index} has moved its state: resume at the destination. */
    void migrated(int index, long now) {
        Move m = moves.get(index);
        int inst = m.instance();
        engine.migrating[inst] = false;
        place(inst, m.from(), m.to());
        int via = fabric.dead[m.from()] ? Engine.FROM_CALLER : m.from();
        // If its node died while it moved, a backup has taken over its shard and gets what was held.
        int held = engine.release(inst, workload.current(inst), via, now);
        if (engine.replication != null) {
            engine.replication.moved(inst, m.from(), now);
        }
        String fromId = fabric.nodes[m.from()].id();
        String toId = fabric.nodes[m.to()].id();
        orchestrator.migrationFinished(workload.instanceIds[inst], fromId, toId, true);
        migrations.add(new MigrationRecord(workload.instanceIds[inst], fromId, toId, m.decision().reason().name(),
                m.decision().detail(), m.start() / 1e9, now / 1e9, m.stateBytes(), held));
    }

    private void place(int inst, int from, int to) {
        workload.onNode[from].remove(inst);
        workload.onNode[to].add(inst);
        memoryUsed[from] -= workload.instanceMemoryMiB[inst];
        workload.instanceNode[inst] = to;
    }

    // ---- failure and failover ----

    /** Node {@code n} stops at {@code now}; a host takes its server's SmartNICs with it. */
    void kill(int n, long now) {
        kill1(n, now);
        if (!fabric.smartNic[n]) {
            for (int nic : fabric.nicsOfServer[fabric.server[n]]) {
                kill1(nic, now);
            }
        }
    }

    private void kill1(int n, long now) {
        if (!fabric.dead[n]) {
            fabric.dead[n] = true;
            failedAt[n] = now;
        }
    }

    /** The membership declared node {@code n} down at {@code now}: fail its serving instances over. */
    void failover(int n, long now) {
        int promoted = 0;
        int replaced = 0;
        int stranded = 0;
        int held = 0;
        for (int inst : workload.onNode[n].toArray()) {
            if (!workload.isServing[inst]) {
                dropBackup(inst);
                continue;
            }
            int backup = liveBackup(inst);
            if (backup >= 0) {
                promote(inst, backup);
                held += engine.release(inst, backup, Engine.FROM_CALLER, now);
                promoted++;
                continue;
            }
            int to = hostFor(inst, n, fabric.server[n]);
            if (to < 0) {
                stranded++;
                continue;
            }
            memoryUsed[to] += workload.instanceMemoryMiB[inst];
            place(inst, n, to);
            held += engine.release(inst, inst, Engine.FROM_CALLER, now);
            replaced++;
        }
        failovers.add(new FailoverRecord(fabric.nodes[n].id(), failedAt[n] < 0 ? -1 : failedAt[n] / 1e9,
                now / 1e9, promoted, replaced, stranded, held));
    }

    private int liveBackup(int inst) {
        IntList list = workload.backups[inst];
        for (int k = 0; k < list.size(); k++) {
            if (!fabric.dead[workload.instanceNode[list.get(k)]]) {
                return list.get(k);
            }
        }
        return -1;
    }

    /** {@code backup} takes over {@code inst}'s place, shard and remaining backups. */
    private void promote(int inst, int backup) {
        int[] serving = workload.serving[workload.instanceService[inst]];
        for (int k = 0; k < serving.length; k++) {
            if (serving[k] == inst) {
                serving[k] = backup;
            }
        }
        workload.isServing[inst] = false;
        workload.isServing[backup] = true;
        workload.replacedBy[inst] = backup;
        IntList rest = workload.backups[inst];
        rest.remove(backup);
        for (int k = 0; k < rest.size(); k++) {
            workload.backups[backup].add(rest.get(k));
        }
        rest.clear();
    }

    private void dropBackup(int inst) {
        for (int s : workload.serving[workload.instanceService[inst]]) {
            workload.backups[s].remove(inst);
        }
    }

    /**
     * The controller's target for {@code inst}: its own server's host if that has the memory, is live and is neither
     * {@code avoidNode} nor on {@code avoidServer}; else the live host with the most free memory that has room (not
     * {@code avoidNode}, not on {@code avoidServer}); -1 if none has room.
     */
    int hostFor(int inst, int avoidNode, int avoidServer) {
        long need = workload.instanceMemoryMiB[inst];
        int own = fabric.hostOfServer[fabric.server[workload.instanceNode[inst]]];
        if (fits(own, need, avoidNode, avoidServer)) {
            return own;
        }
        int best = -1;
        long bestFree = -1;
        for (int host : fabric.hostOfServer) {
            long free = fabric.nodes[host].capacity().memoryMiB() - memoryUsed[host];
            if (fits(host, need, avoidNode, avoidServer) && free > bestFree) {
                best = host;
                bestFree = free;
            }
        }
        return best;
    }

    private boolean fits(int host, long need, int avoidNode, int avoidServer) {
        return host != avoidNode && fabric.server[host] != avoidServer && !fabric.dead[host]
                && fabric.nodes[host].capacity().memoryMiB() - memoryUsed[host] >= need;
    }
}
