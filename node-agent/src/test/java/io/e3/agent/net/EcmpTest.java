package io.e3.agent.net;

import io.e3.model.topology.AddressPlan;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EcmpTest {

    private static final int FLOWS = 10_000;
    /** The four SmartNIC ports of a Type2 server, by address. */
    private static final List<Integer> PORTS = List.of(
            AddressPlan.parse("127.42.1.1"), AddressPlan.parse("127.42.1.2"),
            AddressPlan.parse("127.42.1.3"), AddressPlan.parse("127.42.1.4"));

    private static long[] randomFlowKeys() {
        Random random = new Random(20_240_601);
        long[] keys = new long[FLOWS];
        for (int i = 0; i < FLOWS; i++) {
            keys[i] = Ecmp.flowKey(random.nextInt(), random.nextInt(), random.nextInt());
        }
        return keys;
    }

    private static int[] choices(long[] keys, boolean[] live) {
        int[] chosen = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            chosen[i] = Ecmp.choose(keys[i], PORTS, live);
        }
        return chosen;
    }

    @Test
    void spreadsFlowsEvenlyOverLivePorts() {
        int[] chosen = choices(randomFlowKeys(), new boolean[] {true, true, true, true});

        int[] perPort = new int[PORTS.size()];
        for (int c : chosen) {
            perPort[c]++;
        }
        double mean = FLOWS / 4.0;
        for (int count : perPort) {
            assertThat((double) count).isBetween(mean * 0.9, mean * 1.1);
        }
    }

    @Test
    void movesOnlyTheFlowsOfAPortThatGoesDown() {
        long[] keys = randomFlowKeys();
        int[] before = choices(keys, new boolean[] {true, true, true, true});
        int[] after = choices(keys, new boolean[] {true, true, false, true});

        int[] movedTo = new int[PORTS.size()];
        for (int i = 0; i < keys.length; i++) {
            assertThat(after[i]).as("flow %d", i).isNotEqualTo(2).isNotNegative();
            if (before[i] != 2) {
                assertThat(after[i]).as("flow %d on a live port", i).isEqualTo(before[i]);
            } else {
                movedTo[after[i]]++;
            }
        }
        // The dead port's flows spread over the three others rather than piling onto one.
        int orphaned = movedTo[0] + movedTo[1] + movedTo[3];
        assertThat(orphaned).isPositive();
        for (int p : new int[] {0, 1, 3}) {
            assertThat((double) movedTo[p]).isBetween(orphaned / 3.0 * 0.8, orphaned / 3.0 * 1.2);
        }
    }

    @Test
    void givesAFlowBackToItsPortWhenThePortReturns() {
        long[] keys = randomFlowKeys();
        int[] before = choices(keys, new boolean[] {true, true, true, true});
        choices(keys, new boolean[] {false, true, true, true});

        assertThat(choices(keys, new boolean[] {true, true, true, true})).isEqualTo(before);
    }

    @Test
    void choosesNoPortWhenNoneIsLive() {
        assertThat(Ecmp.choose(42, PORTS, new boolean[] {false, false, false, false})).isEqualTo(-1);
        assertThat(Ecmp.choose(42, List.of(), new boolean[0])).isEqualTo(-1);
    }

    @Test
    void choosesTheOnlyLivePort() {
        for (long key : randomFlowKeys()) {
            assertThat(Ecmp.choose(key, PORTS, new boolean[] {false, false, false, true})).isEqualTo(3);
        }
    }

    @Test
    void hashesTheWholeThreeTuple() {
        long key = Ecmp.flowKey(1, 2, 3);
        assertThat(Ecmp.flowKey(1, 2, 3)).isEqualTo(key);
        assertThat(Ecmp.flowKey(1, 2, 4)).isNotEqualTo(key);
        assertThat(Ecmp.flowKey(1, 5, 3)).isNotEqualTo(key);
        assertThat(Ecmp.flowKey(6, 2, 3)).isNotEqualTo(key);
    }
}
