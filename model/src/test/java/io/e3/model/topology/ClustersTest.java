package io.e3.model.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClustersTest {

    @Test
    void namesServersAcrossRacksInOrder() {
        Cluster c = Clusters.named("x").rack("r0", ServerTypes.TYPE1_SMARTNIC, 2)
                .rack("r1", "pod-1", ServerTypes.BEEFY, 1).build();
        assertThat(c.servers()).extracting(Server::id).containsExactly("s0", "s1", "s2");
        assertThat(c.servers().get(2).podId()).isEqualTo("pod-1");
    }

    @Test
    void fatTreePutsFortyServersToARackAndTheRemainderInTheLast() {
        Cluster c = Clusters.fatTree("ft", ServerTypes.TYPE2_SMARTNIC, 100, 40, 2);
        assertThat(c.racks()).extracting(r -> r.servers().size()).containsExactly(40, 40, 20);
        assertThat(c.racks()).extracting(Rack::podId).containsExactly("pod-0", "pod-0", "pod-1");
        assertThat(c.nodes()).hasSize(500);
    }
}
