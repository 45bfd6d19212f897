package io.e3.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.telemetry.MalformedHeartbeatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-instance figures in flat slots: found in place, kept when a node's run moves or everything is compacted. */
class InstanceTracksTest {

    private final HeartbeatView view = new HeartbeatView();

    /** Decodes into {@link #view} a heartbeat listing {@code ids}. */
    private HeartbeatView beat(String... ids) throws MalformedHeartbeatException {
        List<InstanceStats> stats = new ArrayList<>();
        for (String id : ids) {
            stats.add(new InstanceStats(id, 10, 0, 1_000, 1f));
        }
        byte[] datagram = HeartbeatCodec.encode(new Heartbeat("n", 1, 0, 50, 0, 0, 0, stats));
        HeartbeatCodec.decode(datagram, 0, datagram.length, view);
        return view;
    }

    /** Takes the heartbeat as the orchestrator does; returns the slot of each instance, adding {@code sample}. */
    private static int[] take(InstanceTracks tracks, int node, HeartbeatView hb, double sample) {
        tracks.retain(node, hb);
        int[] slots = new int[hb.instanceCount()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = tracks.slot(node, hb, i);
            tracks.addSample(slots[i], sample, 0.5);
        }
        return slots;
    }

    @Test
    void instancesReportedInTheSameOrderKeepTheirSlotsSideBySide() throws MalformedHeartbeatException {
        InstanceTracks tracks = new InstanceTracks(2);
        int[] first = take(tracks, 1, beat("a/x.0", "a/y.0", "a/z.0"), 100);
        int[] second = take(tracks, 1, beat("a/x.0", "a/y.0", "a/z.0"), 200);
        assertThat(second).isEqualTo(first);
        assertThat(first).containsExactly(tracks.first(1), tracks.first(1) + 1, tracks.first(1) + 2);
        assertThat(tracks.samples(first[0])).isEqualTo(2);
        assertThat(tracks.ema(first[0])).as("100, then 0.5 x 200 + 0.5 x 100").isEqualTo(150);
    }

    @Test
    void aRunThatMustGrowMovesToTheEndWithItsFigures() throws MalformedHeartbeatException {
        InstanceTracks tracks = new InstanceTracks(2);
        take(tracks, 0, beat("a/x.0"), 100);
        take(tracks, 1, beat("b/x.0"), 7);
        int[] grown = take(tracks, 0, beat("a/x.0", "a/new.0"), 300);
        assertThat(tracks.first(0)).as("after node 1's run").isGreaterThan(tracks.first(1));
        assertThat(tracks.count(0)).isEqualTo(2);
        assertThat(tracks.samples(grown[0])).isEqualTo(2);
        assertThat(tracks.ema(grown[0])).isEqualTo(200);
        assertThat(tracks.samples(grown[1])).isEqualTo(1);
        assertThat(tracks.ema(tracks.first(1))).isEqualTo(7);
    }

    @Test
    void everyNodesFiguresSurviveCompactingTheSlotsItsNeighboursLeftBehind() throws MalformedHeartbeatException {
        int nodes = 2_000;
        InstanceTracks tracks = new InstanceTracks(nodes);
        for (int n = 0; n < nodes; n++) {
            take(tracks, n, beat("app/a." + n, "app/b." + n, "app/c." + n), n);
        }
        // Node 0 gains and loses an instance over and over: each gain moves its run to the end and leaves its old slots
        // behind, many times the live slots over, so they are reclaimed many times.
        for (int round = 0; round < 10_000; round++) {
            take(tracks, 0, beat("app/a.0", "app/b.0", "app/c.0", "app/extra"), 0);
            take(tracks, 0, beat("app/a.0", "app/b.0", "app/c.0"), 0);
        }
        for (int n = 1; n < nodes; n++) {
            int[] slots = take(tracks, n, beat("app/a." + n, "app/b." + n, "app/c." + n), n);
            assertThat(slots).containsExactly(tracks.first(n), tracks.first(n) + 1, tracks.first(n) + 2);
            for (int slot : slots) {
                assertThat(tracks.samples(slot)).isEqualTo(2);
                assertThat(tracks.ema(slot)).isEqualTo(n);
            }
        }
        assertThat(tracks.samples(tracks.first(0))).isEqualTo(1 + 20_000);
    }

    @Test
    void removingAnInstanceDropsItOnEveryNodeAndKeepsTheRest() throws MalformedHeartbeatException {
        InstanceTracks tracks = new InstanceTracks(3);
        take(tracks, 0, beat("a/x.0", "a/gone"), 1);
        take(tracks, 2, beat("a/gone", "a/y.0"), 2);
        tracks.remove("a/gone".getBytes(StandardCharsets.UTF_8));
        assertThat(List.of(tracks.count(0), tracks.count(1), tracks.count(2))).containsExactly(1, 0, 1);
        int[] y = take(tracks, 2, beat("a/y.0"), 4);
        assertThat(tracks.samples(y[0])).as("kept its figures").isEqualTo(2);
    }
}
