package io.e3.model.manifest;

import io.e3.model.app.AppSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.NodeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The shipped examples are valid and say what Tables 5.3 and 5.4 say. */
class ExampleManifestsTest {

    private static final Path EXAMPLES = Path.of("..", "examples");

    private static AppSpec app(String name) throws ManifestException {
        List<Manifest> manifests = Manifests.load(EXAMPLES.resolve("apps").resolve(name + ".yaml"));
        assertThat(manifests).hasSize(1);
        return ((AppManifest) manifests.get(0)).app();
    }

    private static Cluster cluster(String name) throws ManifestException {
        List<Manifest> manifests = Manifests.load(EXAMPLES.resolve("clusters").resolve(name + ".yaml"));
        assertThat(manifests).hasSize(1);
        return ((ClusterManifest) manifests.get(0)).cluster();
    }

    @Test
    void everyExampleIsValid() throws IOException, ManifestException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            files = walk.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        // 8 apps and 11 clusters, and the corpus of public call graphs (CorpusManifestsTest checks its contents).
        long corpus = files.stream().filter(p -> p.startsWith(EXAMPLES.resolve("corpus"))).count();
        assertThat(corpus).isGreaterThanOrEqualTo(6);
        assertThat(files).hasSize(19 + (int) corpus);
        assertThat(Manifests.loadAll(files)).hasSize(19 + (int) corpus);
    }

    @ParameterizedTest(name = "{0} has N = {1} DAG nodes of types {2}")
    @CsvSource(delimiter = ';', value = {
            "nfv-fin;   72; flow-monitor ipsec nids",
            "nfv-din;   60; ddos natv4 nids",
            "nfv-ifid;  84; natv4 flow-monitor ipsec ddos",
            "rta-ptc;   60; count top-ranker knn",
            "rta-sf;    96; spike count kvs bayes",
            "rta-shm;   84; count ema sql bm25",
            "iot-dh;   108; api-gateway count knn kvs sql",
            "iot-ts;   108; api-gateway ema spike recommend sql"})
    void appMatchesTable53(String name, int dagNodes, String types) throws ManifestException {
        AppSpec app = app(name);
        assertThat(app.name()).isEqualTo(name);
        assertThat(app.instanceCount()).isEqualTo(dagNodes);
        assertThat(app.instances()).hasSize(dagNodes);
        assertThat(app.services().stream().map(s -> s.type().manifestName()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(Arrays.asList(types.split(" ")));
    }

    @Test
    void iotTsIsShardedAsSection55Says() throws ManifestException {
        AppSpec app = app("iot-ts");
        assertThat(app.services()).extracting(ServiceSpec::type, ServiceSpec::instances, ServiceSpec::backups)
                .containsExactlyInAnyOrder(
                        tuple(MicroserviceType.API_GATEWAY, 6, 1),
                        tuple(MicroserviceType.SQL, 12, 1),
                        tuple(MicroserviceType.EMA, 12, 1),
                        tuple(MicroserviceType.SPIKE, 12, 1),
                        tuple(MicroserviceType.RECOMMEND, 12, 1));
        assertThat(app.service("store").orElseThrow().scaling()).isEqualTo(Scaling.SHARDED);
    }

    @ParameterizedTest(name = "{0} matches Table 5.4")
    @CsvSource({
            // name,             servers, nodes, cost,  BC,  WC, Mem GB, idle, peak, Bw
            "4x-beefy,                 4,     4, 18000, 48,   0, 256,  332,  804,  80",
            "4x-wimpy,                 4,     4,  8836,  0, 128,   8,  316,  380,  80",
            "2x-beefy-2x-wimpy,        4,     4, 13418, 24,  64, 132,  324,  592,  80",
            "2x-type2-smartnic,        2,    10, 13500, 32,  96, 288,  290,  504,  80",
            "1x-superbeefy,            1,     1, 12550, 24,   0, 192,   77,  256,  80",
            "beefy,                    1,     1,  4500, 12,   0,  64,   83,  201,  20",
            "wimpy,                    1,     1,  2209,  0,  32,   2,   79,   95,  20",
            "type1-smartnic,           1,     2,  4650, 12,  12,  68,   98,  222,  20",
            "type2-smartnic,           1,     5,  6750, 16,  48, 144,  145,  252,  40",
            "superbeefy,               1,     1, 12550, 24,   0, 192,   77,  256,  80",
            "3x-type1-smartnic,        3,     6, 13950, 36,  36, 204,  294,  666,  60"})
    void clusterMatchesTable54(String name, int servers, int nodes, double cost, int beefy, int wimpy,
                               long memoryGiB, double idle, double peak, double bandwidth) throws ManifestException {
        // 2x-beefy-2x-wimpy: Table 5.4 prints $13,018, but 2 x $4,500 + 2 x $2,209 = $13,418.
        Cluster c = cluster(name);
        assertThat(c.servers()).hasSize(servers);
        assertThat(c.nodes()).hasSize(nodes);
        assertThat(c.costUsd()).isEqualTo(cost);
        assertThat(c.beefyCores()).isEqualTo(beefy);
        assertThat(c.wimpyCores()).isEqualTo(wimpy);
        assertThat(c.memoryMiB()).isEqualTo(memoryGiB * 1024);
        assertThat(c.idleWatts()).isEqualTo(idle);
        assertThat(c.peakWatts()).isEqualTo(peak);
        assertThat(c.bandwidthGbps()).isEqualTo(bandwidth);
        assertThat(c.racks()).hasSize(1);
    }

    @Test
    void twoType2ServersHaveTwoHostsAndEightSmartNics() throws ManifestException {
        Cluster c = cluster("2x-type2-smartnic");
        assertThat(c.count(NodeKind.HOST)).isEqualTo(2);
        assertThat(c.count(NodeKind.SMARTNIC)).isEqualTo(8);
    }
}
