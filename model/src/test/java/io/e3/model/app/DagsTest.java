package io.e3.model.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DagsTest {

    private static ChannelSpec ch(String from, String to) {
        return ChannelSpec.of(from, to, RoutingPolicy.ROUND_ROBIN);
    }

    @Test
    void findsNoCycleInADiamond() {
        assertThat(Dags.findCycles(List.of(ch("a", "b"), ch("a", "c"), ch("b", "d"), ch("c", "d")))).isEmpty();
    }

    @Test
    void findsTheCycleWithItsServicesInOrder() {
        List<List<String>> cycles = Dags.findCycles(List.of(ch("a", "b"), ch("b", "c"), ch("c", "d"), ch("d", "b")));
        assertThat(cycles).containsExactly(List.of("b", "c", "d", "b"));
        assertThat(Dags.render(cycles.get(0))).isEqualTo("b -> c -> d -> b");
    }

    @Test
    void findsASelfLoop() {
        assertThat(Dags.findCycle(List.of(ch("a", "a")))).contains(List.of("a", "a"));
    }

    @Test
    void findsOneCycleForEachClosingChannel() {
        List<ChannelSpec> channels = List.of(ch("a", "b"), ch("b", "a"), ch("c", "d"), ch("d", "c"));
        assertThat(Dags.findCycles(channels)).containsExactly(List.of("a", "b", "a"), List.of("c", "d", "c"));
    }

    @Test
    void sourcesAreServicesNoChannelCalls() {
        assertThat(Dags.sources(List.of("a", "b", "c", "x"), List.of(ch("a", "b"), ch("b", "c"))))
                .containsExactly("a", "x");
    }

    @Test
    void unreachableServicesAreThoseNoPathFromTheEntryReaches() {
        List<ChannelSpec> channels = List.of(ch("a", "b"), ch("c", "d"));
        assertThat(Dags.unreachable(List.of("a", "b", "c", "d"), channels, List.of("a"))).containsExactly("c", "d");
    }
}
