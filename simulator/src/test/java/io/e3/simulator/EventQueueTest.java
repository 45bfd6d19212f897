package io.e3.simulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class EventQueueTest {

    @Test
    void givesEventsInTimeOrderWhateverTheOrderOfAddsAndPolls() {
        EventQueue q = new EventQueue(4);
        PriorityQueue<long[]> reference = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        SplittableRandom random = new SplittableRandom(5);
        List<Long> got = new ArrayList<>();
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            if (q.isEmpty() || random.nextInt(3) > 0) {
                long t = random.nextLong(1_000_000);
                q.add(t, i);
                reference.add(new long[] {t, i});
            } else {
                got.add(q.peekTime());
                q.poll();
                expected.add(reference.poll()[0]);
            }
        }
        assertThat(got).isEqualTo(expected);
        assertThat(q.size()).isEqualTo(reference.size());
    }

    @Test
    void keepsEachPayloadWithItsTime() {
        EventQueue q = new EventQueue(1);
        for (int i = 50; i > 0; i--) {
            q.add(i * 10L, i);
        }
        for (int i = 1; i <= 50; i++) {
            assertThat(q.peekTime()).isEqualTo(i * 10L);
            assertThat(q.peekPayload()).isEqualTo(i);
            q.poll();
        }
        assertThat(q.isEmpty()).isTrue();
    }
}
