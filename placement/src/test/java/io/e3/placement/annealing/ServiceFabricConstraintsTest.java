package io.e3.placement.annealing;

import io.e3.model.topology.CoreClass;
import io.e3.model.topology.NodeKind;
import org.junit.jupiter.api.Test;
import org.optaplanner.test.api.score.stream.ConstraintVerifier;

class ServiceFabricConstraintsTest {

    private final ConstraintVerifier<ServiceFabricConstraints, PlacementProblem> verifier =
            ConstraintVerifier.build(new ServiceFabricConstraints(), PlacementProblem.class, InstanceEntity.class);

    // Server 0: a 12-core host with 2 cores free and a 12-core SmartNIC; server 1 in the same rack: a SmartNIC.
    private final NodeFact host0 = new NodeFact(0, "s0/host", NodeKind.HOST, CoreClass.BEEFY, 0, 0, 0, 12_000, 2_000,
            1024, 20_000, false);
    private final NodeFact nic0 = new NodeFact(1, "s0/nic0", NodeKind.SMARTNIC, CoreClass.WIMPY, 0, 0, 0, 12_000,
            12_000, 4096, 20_000, false);
    private final NodeFact nic1 = new NodeFact(2, "s1/nic0", NodeKind.SMARTNIC, CoreClass.WIMPY, 1, 0, 0, 12_000,
            12_000, 4096, 20_000, true);

    private static InstanceEntity on(NodeFact node, String id, String set, NodeKind pin, long milliCores,
                                     long memory) {
        return on(node, id, set, pin, milliCores, memory, 1);
    }

    private static InstanceEntity on(NodeFact node, String id, String set, NodeKind pin, long milliCores,
                                     long memory, long mbps) {
        InstanceEntity e = new InstanceEntity(id, set, pin, milliCores, milliCores * 3, memory, mbps);
        e.setNode(node);
        return e;
    }

    @Test
    void bandwidthOverWhatIsFreeIsPenalisedByTheExcess() {
        // 15,000 + 7,000 Mb/s on a host with 20,000 free: 2,000 over.
        verifier.verifyThat(ServiceFabricConstraints::bandwidth)
                .given(on(host0, "a", "a", null, 1, 1, 15_000), on(host0, "b", "b", null, 1, 1, 7_000))
                .penalizesBy(2_000);
    }

    @Test
    void aBackupPlacedWithoutItsPrimaryBreaksARule() {
        // b.backup1's primary b is unplaced (no node); a.backup1's primary a is placed.
        InstanceEntity unplacedPrimary = on(null, "b", "b", null, 1, 1);
        verifier.verifyThat(ServiceFabricConstraints::primaryFirst)
                .given(on(host0, "a", "a", null, 1, 1), on(nic1, "a.backup1", "a", null, 1, 1), unplacedPrimary,
                        on(nic0, "b.backup1", "b", null, 1, 1))
                .penalizesBy(ServiceFabricConstraints.RULE_PENALTY);
    }

    @Test
    void coresOverWhatIsFreeArePenalisedByTheExcess() {
        // 1,500 + 1,000 milli-cores on a host with 2,000 free: 500 over.
        verifier.verifyThat(ServiceFabricConstraints::cores)
                .given(on(host0, "a", "a", null, 1_500, 1), on(host0, "b", "b", null, 1_000, 1))
                .penalizesBy(500);
    }

    @Test
    void coresAreCountedOnTheNodesKindOfCore() {
        // 1,000 beefy milli-cores are 3,000 wimpy ones (this test's entities); a SmartNIC has 12,000 free: no excess.
        verifier.verifyThat(ServiceFabricConstraints::cores)
                .given(on(nic0, "a", "a", null, 1_000, 1))
                .penalizesBy(0);
    }

    @Test
    void memoryOverWhatIsFreeIsPenalisedByTheExcess() {
        // 800 + 400 MiB on a host with 1,024 MiB free: 176 over.
        verifier.verifyThat(ServiceFabricConstraints::memory)
                .given(on(host0, "a", "a", null, 1, 800), on(host0, "b", "b", null, 1, 400))
                .penalizesBy(176);
    }

    @Test
    void aPinnedInstanceOnTheOtherKindOfNodeBreaksARule() {
        verifier.verifyThat(ServiceFabricConstraints::pin)
                .given(on(nic0, "sql", "sql", NodeKind.HOST, 1, 1), on(host0, "ok", "ok", NodeKind.HOST, 1, 1))
                .penalizesBy(ServiceFabricConstraints.RULE_PENALTY);
    }

    @Test
    void twoReplicasOnOneServerBreakTheFaultDomain() {
        // The primary on the host and its backup on the same server's SmartNIC: one pair.
        verifier.verifyThat(ServiceFabricConstraints::faultDomain)
                .given(on(host0, "kv", "kv", null, 1, 1), on(nic0, "kv.backup1", "kv", null, 1, 1),
                        on(nic1, "kv.backup2", "kv", null, 1, 1))
                .penalizesBy(ServiceFabricConstraints.RULE_PENALTY);
    }

    @Test
    void nothingGoesOnANodeReportedBusy() {
        verifier.verifyThat(ServiceFabricConstraints::busyNode)
                .given(on(nic1, "a", "a", null, 1, 1))
                .penalizesBy(ServiceFabricConstraints.RULE_PENALTY);
    }

    @Test
    void anUnplacedPrimaryWeighsTwiceAnUnplacedBackup() {
        // 2 for the primary + 1 for the backup.
        verifier.verifyThat(ServiceFabricConstraints::unplaced)
                .given(on(null, "kv", "kv", null, 1, 1), on(null, "kv.backup1", "kv", null, 1, 1))
                .penalizesBy(3);
    }

    @Test
    void loadSpreadIsTheSumOfSquaredUtilisation() {
        // SmartNIC with 3 x 1,000 wimpy milli-cores of 12,000: 250 per mille, squared 62,500.
        verifier.verifyThat(ServiceFabricConstraints::loadSpread)
                .given(on(nic0, "a", "a", null, 1_000, 1))
                .penalizesBy(62_500);
    }

    @Test
    void communicationIsTrafficTimesTheHopsRelativeLatency() {
        // 1,000 B/s from the host to its own SmartNIC over PCIe (relative latency 0.167): 167.
        verifier.verifyThat(ServiceFabricConstraints::communication)
                .given(on(host0, "a", "a", null, 1, 1), on(nic0, "b", "b", null, 1, 1),
                        new Communication("a", "b", 1_000))
                .penalizesBy(167);
    }
}
