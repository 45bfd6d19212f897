package io.e3.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which entry service each request of an {@link AppTarget} goes to: the app's entries in turn, as the simulator's client
 * sends them, so that the emulated side of the cross-validation loads an app with two entries (rta-shm: count and
 * search) the way the simulator does.
 */
class AppTargetTest {

    @Test
    void requestsGoToTheEntryServicesInTurn() {
        List<String> entries = List.of("count", "search");
        assertThat(LongStream.range(0, 6).mapToObj(n -> AppTarget.serviceFor(entries, n)).toList())
                .containsExactly("count", "search", "count", "search", "count", "search");
    }

    @Test
    void eachOfThreeEntriesGetsAThird() {
        List<String> entries = List.of("a", "b", "c");
        assertThat(LongStream.range(0, 300).mapToObj(n -> AppTarget.serviceFor(entries, n))
                .filter("b"::equals).count()).isEqualTo(100);
    }

    @Test
    void oneEntryTakesEveryRequest() {
        assertThat(LongStream.range(0, 5).mapToObj(n -> AppTarget.serviceFor(List.of("gateway"), n)).distinct()
                .toList()).containsExactly("gateway");
    }
}
