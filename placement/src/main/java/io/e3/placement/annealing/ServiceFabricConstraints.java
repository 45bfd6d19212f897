package io.e3.placement.annealing;

import org.optaplanner.core.api.score.buildin.bendablelong.BendableLongScore;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintCollectors;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;
import org.optaplanner.core.api.score.stream.Joiners;

/**
 * The Service Fabric-like objective of §5.6.4 on the constraints of §5.4.3: hard rules first, then (soft, in order of
 * weight) placing every instance (primaries before backups), spreading load to minimise co-execution interference, and last communication.
 *
 * <p>Score levels: hard[0] rule violations; soft[0] unplaced instances (2 per primary, 1 per backup); soft[1] load spread, the sum over nodes of
 * their utilisation squared (in millionths, [0, 10^6] per node; lower spreads better); soft[2] communication, bytes/s
 * weighted by the relative round trip of the hop ({@link io.e3.model.topology.HopClass}).
 */
public final class ServiceFabricConstraints implements ConstraintProvider {

    public static final String CORES = "cores capacity";
    public static final String MEMORY = "memory capacity";
    public static final String BANDWIDTH = "bandwidth capacity";
    public static final String PRIMARY_FIRST = "backup without its primary";
    public static final String PIN = "pin";
    public static final String FAULT_DOMAIN = "fault domain";
    public static final String BUSY_NODE = "busy node";
    public static final String UNPLACED = "unplaced instance";
    public static final String LOAD_SPREAD = "load spread";
    public static final String COMMUNICATION = "communication";

    static final BendableLongScore HARD = BendableLongScore.ofHard(1, 3, 0, 1);
    static final BendableLongScore UNPLACED_WEIGHT = BendableLongScore.ofSoft(1, 3, 0, 1);
    static final BendableLongScore SPREAD_WEIGHT = BendableLongScore.ofSoft(1, 3, 1, 1);
    static final BendableLongScore COMMUNICATION_WEIGHT = BendableLongScore.ofSoft(1, 3, 2, 1);

    /** A rule broken outright (a pin, a fault domain) counts as much as a whole core or GiB too many. */
    static final long RULE_PENALTY = 1000;

    @Override
    public Constraint[] defineConstraints(ConstraintFactory f) {
        return new Constraint[] {
                cores(f), memory(f), bandwidth(f), pin(f), primaryFirst(f), faultDomain(f), busyNode(f),
                unplaced(f), loadSpread(f), communication(f)};
    }

    /** Hard: reserved cores stay within what each node has free; penalised by the thousandths of a core over. */
    Constraint cores(ConstraintFactory f) {
        return f.forEach(InstanceEntity.class)
                .groupBy(InstanceEntity::getNode, ConstraintCollectors.sumLong(e -> e.milliCoresOn(e.getNode())))
                .filter((node, milliCores) -> milliCores > node.freeMilliCores())
                .penalizeLong(HARD, (node, milliCores) -> milliCores - node.freeMilliCores())
                .asConstraint(CORES);
    }

    /** Hard: memory stays within what each node has free; penalised by the MiB over. */
    Constraint memory(ConstraintFactory f) {
        return f.forEach(InstanceEntity.class)
                .groupBy(InstanceEntity::getNode, ConstraintCollectors.sumLong(InstanceEntity::getMemoryMiB))
                .filter((node, memory) -> memory > node.freeMemoryMiB())
                .penalizeLong(HARD, (node, memory) -> memory - node.freeMemoryMiB())
                .asConstraint(MEMORY);
    }

    /** Hard: expected traffic stays within each node's free bandwidth; penalised by the Mb/s over. */
    Constraint bandwidth(ConstraintFactory f) {
        return f.forEach(InstanceEntity.class)
                .groupBy(InstanceEntity::getNode, ConstraintCollectors.sumLong(InstanceEntity::getMbps))
                .filter((node, mbps) -> mbps > node.freeMbps())
                .penalizeLong(HARD, (node, mbps) -> mbps - node.freeMbps())
                .asConstraint(BANDWIDTH);
    }

    /** Hard: a backup is placed only with its primary (§5.4.5): one without would protect nothing. */
    Constraint primaryFirst(ConstraintFactory f) {
        return f.forEach(InstanceEntity.class)
                .filter(e -> !e.isPrimary())
                .ifNotExists(InstanceEntity.class, Joiners.equal(InstanceEntity::getReplicaSet, InstanceEntity::getId))
                .penalizeLong(HARD, e -> RULE_PENALTY)
                .asConstraint(PRIMARY_FIRST);
    }

    /** Hard: a pinned instance runs on its kind of node. */
    Constraint pin(ConstraintFactory f) {
        return f.forEach(InstanceEntity.class)
                .filter(e -> e.getPin() != null && e.getPin() != e.getNode().kind())
                .penalizeLong(HARD, e -> RULE_PENALTY)
                .asConstraint(PIN);
    }

    /** Hard: no two members of a replica set on one server (§5.4.5). */
    Constraint faultDomain(ConstraintFactory f) {
        return f.forEachUniquePair(InstanceEntity.class,
                        Joiners.equal(InstanceEntity::getReplicaSet),
                        Joiners.equal(e -> e.getNode().server()))
                .penalizeLong(HARD, (a, b) -> RULE_PENALTY)
                .asConstraint(FAULT_DOMAIN);
    }

    /** Hard: nothing new on a node its runtime statistics show as overloaded. */
    Constraint busyNode(ConstraintFactory f) {
        return f.forEach(InstanceEntity.class)
                .filter(e -> e.getNode().busy())
                .penalizeLong(HARD, e -> RULE_PENALTY)
                .asConstraint(BUSY_NODE);
    }

    /** Soft[0]: every instance placed; an unplaced primary weighs double, so a backup never stands in for it. */
    Constraint unplaced(ConstraintFactory f) {
        return f.forEachIncludingNullVars(InstanceEntity.class)
                .filter(e -> e.getNode() == null)
                .penalizeLong(UNPLACED_WEIGHT, e -> e.isPrimary() ? 2 : 1)
                .asConstraint(UNPLACED);
    }

    /** Soft[1]: load spread; a node's utilisation squared, utilisation in thousandths of its cores. */
    Constraint loadSpread(ConstraintFactory f) {
        return f.forEach(InstanceEntity.class)
                .groupBy(InstanceEntity::getNode, ConstraintCollectors.sumLong(e -> e.milliCoresOn(e.getNode())))
                .penalizeLong(SPREAD_WEIGHT, (node, milliCores) -> {
                    long perMille = milliCores * 1000 / node.capacityMilliCores();
                    return perMille * perMille;
                })
                .asConstraint(LOAD_SPREAD);
    }

    /** Soft[2]: traffic times the relative latency of the hop it crosses; pairs with an end unplaced cost nothing. */
    Constraint communication(ConstraintFactory f) {
        return f.forEach(Communication.class)
                .join(InstanceEntity.class, Joiners.equal(Communication::from, InstanceEntity::getId))
                .join(InstanceEntity.class, Joiners.equal((c, a) -> c.to(), InstanceEntity::getId))
                .penalizeLong(COMMUNICATION_WEIGHT,
                        (c, a, b) -> Math.round(c.bytesPerSecond() * a.getNode().latencyTo(b.getNode())))
                .asConstraint(COMMUNICATION);
    }
}
