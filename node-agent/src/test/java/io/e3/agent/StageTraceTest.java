package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.agent.emu.Emulation;
import io.e3.agent.exec.Envelope;
import io.e3.agent.http.Http;
import org.junit.jupiter.api.Test;

class StageTraceTest {

    private static final Emulation D20 = Emulation.DEFAULT.withDilation(20);

    @Test
    void addsTheStagesLatenciesInEmulatedMicrosecondsWhenTheEnvelopeAsks() {
        ObjectNode answer = Http.JSON.createObjectNode().put("instance", "app/gw.0");

        // Arrived at t = 1 ms, own work done at 3 ms, answered at 9 ms of real time; D = 20:
        // exec 2 ms / 20 = 100 µs, latency 8 ms / 20 = 400 µs.
        StageTrace.stamp(answer, new Envelope("k", 1, 512, null, true), D20, 1_000_000, 3_000_000, 9_000_000);

        assertThat(answer.get("execMicros").asDouble()).isEqualTo(100.0);
        assertThat(answer.get("latencyMicros").asDouble()).isEqualTo(400.0);
    }

    @Test
    void roundsToOneDecimal() {
        ObjectNode answer = Http.JSON.createObjectNode();

        // 1,234 ns / 20 = 61.7 ns = 0.0617 µs -> 0.1; 26,540 ns / 20 = 1.327 µs -> 1.3.
        StageTrace.stamp(answer, new Envelope(null, 1, 512, null, true), D20, 0, 1_234, 26_540);

        assertThat(answer.get("execMicros").asDouble()).isEqualTo(0.1);
        assertThat(answer.get("latencyMicros").asDouble()).isEqualTo(1.3);
    }

    @Test
    void leavesAnUntracedAnswerAsItIs() {
        ObjectNode answer = Http.JSON.createObjectNode().put("instance", "app/gw.0");

        StageTrace.stamp(answer, new Envelope("k", 1, 512, null), D20, 0, 1_000, 2_000);
        StageTrace.stamp(answer, null, D20, 0, 1_000, 2_000);

        assertThat(answer.fieldNames()).toIterable().containsExactly("instance");
    }
}
