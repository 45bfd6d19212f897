package io.e3.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Failover membership (§5.4.5): φ-accrual timeouts, the server as fault domain, pauses, disruptions, readmission. The
 * clock is the test's: every time is given to the membership, nothing sleeps.
 */
class MembershipTest {

    /** Two Type2 servers: s0/host, s0/nic0..3, s1/host, s1/nic0..3. */
    private static final Cluster CLUSTER = Clusters.of(ServerTypes.TYPE2_SMARTNIC, 2);
    private final Membership m = new Membership(CLUSTER, OrchestratorSettings.DEFAULT, 0);
    private final List<MembershipNotice> notices = new ArrayList<>();

    MembershipTest() {
        m.onNotice(notices::add);
        allBeat(m, 0);
    }

    private static void allBeat(Membership to, long now, String... except) {
        List<String> skip = List.of(except);
        CLUSTER.nodes().stream().filter(n -> !skip.contains(n.id())).forEach(n -> to.heartbeat(n.id(), now));
    }

    private void allBeat(long now, String... except) {
        allBeat(m, now, except);
    }

    /** Every node but {@code except} beats every 50 ms from {@code from} up to {@code to}, checked after each round. */
    private List<NodeEvent> steady(Membership to, long from, long until, String... except) {
        List<NodeEvent> events = new ArrayList<>();
        for (long t = from; t <= until; t += 50) {
            allBeat(to, t, except);
            events.addAll(to.check(t + 1));
        }
        return events;
    }

    /** 120 heartbeats of {@code node}, {@code a} and {@code b} ms apart by turns from 0; returns the time after. */
    private static long jitter(Membership to, String node, long a, long b) {
        long t = 0;
        for (int i = 0; i < 120; i++) {
            to.heartbeat(node, t);
            t += i % 2 == 0 ? a : b;
        }
        return t;
    }

    private List<MembershipNotice.Kind> kinds() {
        return notices.stream().map(MembershipNotice::kind).toList();
    }

    @Test
    void kForPhiEightIsAboutFivePointTwoSigmas() {
        assertThat(Membership.sigmas(8)).isCloseTo(5.22, within(0.01));
        assertThat(Membership.sigmas(3)).isLessThan(Membership.sigmas(8));
    }

    @Test
    void aSilentSmartNicIsDeclaredDownAloneAfterTheTimeout() {
        allBeat(400, "s1/nic2");
        assertThat(m.check(500)).isEmpty();
        assertThat(m.check(501)).singleElement().satisfies(e -> {
            assertThat(e.nodeId()).isEqualTo("s1/nic2");
            assertThat(e.up()).isFalse();
            assertThat(e.reason()).isEqualTo("no heartbeat for 501 ms (timeout 500 ms)");
        });
        assertThat(m.isUp("s1/host")).isTrue();
        assertThat(m.check(600)).as("declared once").isEmpty();
        m.heartbeat("s1/nic2", 650);
        assertThat(m.isUp("s1/nic2")).as("readmitted by the next check, not by the heartbeat").isFalse();
        assertThat(m.check(660)).singleElement().satisfies(e -> {
            assertThat(e.nodeId()).isEqualTo("s1/nic2");
            assertThat(e.up()).isTrue();
            assertThat(e.reason()).isEqualTo("heartbeats again");
        });
        assertThat(m.isUp("s1/nic2")).isTrue();
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(MembershipNotice.Kind.READMITTED);
            assertThat(n.nodes()).containsExactly("s1/nic2");
        });
    }

    @Test
    void theFloorIsTheConfiguredTimeout() {
        Membership slow = new Membership(CLUSTER, OrchestratorSettings.DEFAULT.withFailureTimeoutMillis(2_000), 0);
        allBeat(slow, 0);
        CLUSTER.nodes().stream().filter(n -> !n.id().equals("s0/nic1")).forEach(n -> slow.heartbeat(n.id(), 1_500));
        assertThat(slow.check(2_000)).as("2 s of silence is not yet over the timeout").isEmpty();
        assertThat(slow.check(2_001)).singleElement().satisfies(e -> assertThat(e.nodeId()).isEqualTo("s0/nic1"));
    }

    @Test
    void aNodeNeverHeardFromGetsTheLongestTimeout() {
        Membership fresh = new Membership(CLUSTER, OrchestratorSettings.DEFAULT, 0);
        allBeat(fresh, 4_000, "s0/nic3");
        assertThat(fresh.timeoutMillis("s0/nic3")).isEqualTo(DetectorSettings.DEFAULT_MAX_TIMEOUT_MILLIS);
        assertThat(fresh.check(4_000)).as("4 s after the start: agents may still be on their way").isEmpty();
        allBeat(fresh, 5_000, "s0/nic3");
        assertThat(fresh.check(5_001)).extracting(NodeEvent::nodeId).containsExactly("s0/nic3");
    }

    @Test
    void steadyHeartbeatsKeepTheFloor() {
        assertThat(steady(m, 0, 10_000)).isEmpty();
        // 50 ms apart, σ floored at 10 ms: 50 + 5.22 · 10 ≈ 102 ms, below the 500 ms floor.
        assertThat(m.timeoutMillis("s0/host")).isEqualTo(500);
    }

    @Test
    void theTimeoutGrowsWithJitter() {
        // s0/nic0's heartbeats arrive 20 and 280 ms apart by turns (μ = 150, σ = 130): 150 + 5.22 · 130 ≈ 829 ms.
        long t = jitter(m, "s0/nic0", 20, 280);
        assertThat(m.timeoutMillis("s0/nic0")).isBetween(800L, 860L);
        assertThat(m.timeoutMillis("s0/nic1")).as("too few samples: the floor").isEqualTo(500);
        long last = t - 280;
        allBeat(last + 700, "s0/nic0");
        assertThat(m.check(last + 700)).as("700 ms of silence: within its timeout, past the floor").isEmpty();
        allBeat(last + 900, "s0/nic0");
        assertThat(m.check(last + 900)).singleElement().satisfies(e -> {
            assertThat(e.nodeId()).isEqualTo("s0/nic0");
            assertThat(e.reason()).startsWith("no heartbeat for 900 ms (timeout 8");
        });
    }

    @Test
    void aNodeWronglyDeclaredDownLearnsFromTheStall() {
        steady(m, 50, 3_000);
        // s1/nic1's heartbeats stall for 800 ms: it is declared down, then heard again.
        assertThat(steady(m, 3_050, 3_750, "s1/nic1")).extracting(NodeEvent::nodeId).containsExactly("s1/nic1");
        assertThat(steady(m, 3_800, 3_800)).singleElement().satisfies(e -> assertThat(e.up()).isTrue());
        // One 800 ms interval among 60 of 50 ms: μ ≈ 62, σ ≈ 96, so 62 + 5.22 · 96 ≈ 565 ms.
        assertThat(m.timeoutMillis("s1/nic1")).isGreaterThan(500);
        assertThat(m.timeoutMillis("s1/nic0")).isEqualTo(500);
    }

    @Test
    void theTimeoutIsClampedToTheMaximum() {
        jitter(m, "s1/host", 10, 3_000);
        assertThat(m.timeoutMillis("s1/host")).isEqualTo(DetectorSettings.DEFAULT_MAX_TIMEOUT_MILLIS);
        Membership tight = new Membership(NodeIndex.of(CLUSTER), new DetectorSettings(500, 1_000, 8, 0.5, 0), 0);
        jitter(tight, "s1/host", 10, 3_000);
        assertThat(tight.timeoutMillis("s1/host")).isEqualTo(1_000);
    }

    @Test
    void aLateCheckExcusesThePause() {
        Membership paced = new Membership(NodeIndex.of(CLUSTER), DetectorSettings.of(OrchestratorSettings.DEFAULT)
                .withCheckPeriodMillis(50), 0);
        paced.onNotice(notices::add);
        allBeat(paced, 0);
        assertThat(steady(paced, 50, 1_000, "s1/nic3")).extracting(NodeEvent::nodeId).containsExactly("s1/nic3");
        // The controller is stopped for 3 s: no heartbeat is taken, no check runs.
        assertThat(paced.check(4_001)).as("the pause is not counted against the nodes").isEmpty();
        assertThat(kinds()).containsExactly(MembershipNotice.Kind.PAUSE_EXCUSED);
        assertThat(notices.get(0).detail()).contains("2950 ms late");
        assertThat(steady(paced, 4_010, 6_000, "s1/nic3")).as("and the nodes are heard again").isEmpty();
        // A node that goes silent afterwards is still declared down, after its timeout.
        assertThat(steady(paced, 6_050, 7_000, "s1/nic3", "s0/nic2")).extracting(NodeEvent::nodeId)
                .containsExactly("s0/nic2");
    }

    @Test
    void aLateCheckDoesNotEndADisruption() {
        Membership paced = new Membership(NodeIndex.of(CLUSTER), DetectorSettings.of(OrchestratorSettings.DEFAULT)
                .withCheckPeriodMillis(50), 0);
        paced.onNotice(notices::add);
        steady(paced, 0, 1_000);
        steady(paced, 1_050, 2_000, "s0/host", "s0/nic0", "s0/nic1", "s0/nic2", "s0/nic3", "s1/nic0");
        assertThat(paced.check(5_000)).isEmpty();
        assertThat(paced.check(5_050)).isEmpty();
        assertThat(paced.disrupted()).isTrue();
        assertThat(kinds()).containsExactly(MembershipNotice.Kind.DISRUPTION);
    }

    @Test
    void everyNodeSilentAtOnceIsExcusedOnceThenADisruption() {
        allBeat(0);
        assertThat(m.check(600)).as("all silent: a pause of the controller, likely").isEmpty();
        assertThat(kinds()).containsExactly(MembershipNotice.Kind.PAUSE_EXCUSED);
        assertThat(m.check(1_200)).as("all silent again, nothing heard since: a disruption").isEmpty();
        assertThat(kinds()).containsExactly(MembershipNotice.Kind.PAUSE_EXCUSED, MembershipNotice.Kind.DISRUPTION);
        assertThat(m.check(5_000)).isEmpty();
        allBeat(5_100);
        assertThat(m.check(5_101)).isEmpty();
        assertThat(kinds()).endsWith(MembershipNotice.Kind.DISRUPTION_OVER);
        assertThat(CLUSTER.nodes()).allSatisfy(n -> assertThat(m.isUp(n.id())).isTrue());
    }

    @Test
    void nodesWithLongerTimeoutsStillSilentCountTowardsADisruption() {
        // s0/nic0 beats 20 and 280 ms apart by turns (timeout about 829 ms), the others every 50 ms (timeout 500 ms).
        for (long t = 0; t <= 6_000; t += 10) {
            if (t % 300 == 0 || t % 300 == 20) {
                m.heartbeat("s0/nic0", t);
            }
            if (t % 50 == 0) {
                allBeat(t, "s0/nic0");
                assertThat(m.check(t)).isEmpty();
            }
        }
        assertThat(m.timeoutMillis("s0/nic0")).isBetween(800L, 860L);
        // Six nodes stall at once. 600 ms on, five are past their timeouts, s0/nic0 only past the floor: five of ten
        // would not be more than half, but six of ten are quiet.
        String[] stalled = {"s0/host", "s0/nic0", "s0/nic1", "s0/nic2", "s0/nic3", "s1/nic1"};
        allBeat(6_600, stalled);
        assertThat(m.check(6_600)).as("a disruption: none declared down").isEmpty();
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(MembershipNotice.Kind.DISRUPTION);
            assertThat(n.nodes()).containsExactlyInAnyOrder(stalled);
        });
    }

    @Test
    void aDisruptionHoldsOffThenFailoverResumes() {
        String[] s0 = {"s0/host", "s0/nic0", "s0/nic1", "s0/nic2", "s0/nic3"};
        String[] s0AndOne = {"s0/host", "s0/nic0", "s0/nic1", "s0/nic2", "s0/nic3", "s1/nic0"};
        steady(m, 0, 1_000);
        // 6 of 10 nodes go silent at once: more than half.
        assertThat(steady(m, 1_050, 3_000, s0AndOne)).as("none declared down in a disruption").isEmpty();
        assertThat(m.disrupted()).isTrue();
        assertThat(notices).singleElement().satisfies(n -> {
            assertThat(n.kind()).isEqualTo(MembershipNotice.Kind.DISRUPTION);
            assertThat(n.nodes()).containsExactlyInAnyOrder(s0AndOne);
            assertThat(n.detail()).startsWith("6 of 10 up nodes silent at once for over 500 ms");
        });
        // s1/nic0 is back: 5 of 10 silent is not more than half. The disruption is over, the silence counts from now.
        allBeat(3_050, s0);
        assertThat(m.check(3_051)).isEmpty();
        assertThat(kinds()).endsWith(MembershipNotice.Kind.DISRUPTION_OVER);
        assertThat(steady(m, 3_100, 3_500, s0)).as("not declared down the instant it ends").isEmpty();
        assertThat(steady(m, 3_550, 3_600, s0)).extracting(NodeEvent::nodeId).containsExactly(s0);
    }

    @Test
    void aSilentHostTakesItsSmartNicsDownWithItAndComesBackBeforeThem() {
        allBeat(400, "s0/host");
        List<NodeEvent> events = m.check(700);
        assertThat(events).extracting(NodeEvent::nodeId)
                .containsExactly("s0/host", "s0/nic0", "s0/nic1", "s0/nic2", "s0/nic3");
        assertThat(events).allSatisfy(e -> assertThat(e.server()).isEqualTo("s0"));
        assertThat(m.isUp("s1/nic0")).isTrue();
        m.heartbeat("s0/nic1", 720);
        assertThat(m.check(725)).as("no SmartNIC back before its host").isEmpty();
        m.heartbeat("s0/nic3", 728);
        m.heartbeat("s0/host", 730);
        List<NodeEvent> back = m.check(735);
        assertThat(back).extracting(NodeEvent::nodeId).containsExactly("s0/host", "s0/nic1", "s0/nic3");
        assertThat(back).allSatisfy(e -> assertThat(e.up()).isTrue());
        assertThat(notices).singleElement().satisfies(n -> assertThat(n.nodes())
                .containsExactly("s0/host", "s0/nic1", "s0/nic3"));
        assertThat(m.isUp("s0/nic0")).isFalse();
    }

    @Test
    void heartbeatsFromUnknownNodesChangeNothing() {
        m.heartbeat("s7/host", 10);
        assertThat(m.isUp("s7/host")).isFalse();
        assertThat(m.check(20)).isEmpty();
    }

    @Test
    void heartbeatsByNodeNumberCountAsByName() {
        NodeIndex nodes = NodeIndex.of(CLUSTER);
        Membership byNumber = new Membership(nodes, OrchestratorSettings.DEFAULT, 0);
        allBeat(byNumber, 0);
        CLUSTER.nodes().stream().filter(n -> !n.id().equals("s0/host"))
                .forEach(n -> byNumber.heartbeat(nodes.indexOf(n.id()), 400));
        assertThat(byNumber.check(700)).extracting(NodeEvent::nodeId)
                .containsExactly("s0/host", "s0/nic0", "s0/nic1", "s0/nic2", "s0/nic3");
        byNumber.heartbeat(nodes.indexOf("s0/host"), 730);
        byNumber.heartbeat(NodeIndex.UNKNOWN, 740);
        assertThat(byNumber.check(740)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("heartbeats again"));
        assertThat(byNumber.isUp("s0/host")).isTrue();
        assertThat(byNumber.isUp("s0/nic0")).isFalse();
    }

    /**
     * The controller records 20 heartbeats a second per node on its receive path: recording one writes a few array
     * slots and allocates nothing, whatever the ring holds.
     */
    @Test
    void recordingAHeartbeatAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        NodeIndex nodes = NodeIndex.of(CLUSTER);
        Membership warm = new Membership(nodes, OrchestratorSettings.DEFAULT, 0);
        int node = nodes.indexOf("s1/nic1");
        for (int i = 0; i < 200_000; i++) {
            warm.heartbeat(node, i * 50L);
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 200_000; i < 400_000; i++) {
            warm.heartbeat(node, i * 50L);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(allocated).as("bytes allocated by 200,000 heartbeats").isLessThan(4_096);
    }
}
