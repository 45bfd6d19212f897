package io.e3.model.manifest;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.ServiceSpec;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.ServerType;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class ManifestsTest {

    private static final String APP_HEADER = """
            apiVersion: e3.io/v1alpha1
            kind: MicroserviceApp
            metadata:
              name: demo
            spec:
            """;

    private static final String CLUSTER_HEADER = """
            apiVersion: e3.io/v1alpha1
            kind: Cluster
            metadata:
              name: lab
            spec:
            """;

    private static List<Violation> violations(String yaml) {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parse(yaml, "m.yaml"));
        assertThat(e).as("expected the manifest to be rejected").isNotNull();
        return e.violations();
    }

    private static AppSpec app(String spec) throws ManifestException {
        List<Manifest> manifests = Manifests.parse(APP_HEADER + spec, "m.yaml");
        return ((AppManifest) manifests.get(0)).app();
    }

    private static Cluster cluster(String spec) throws ManifestException {
        List<Manifest> manifests = Manifests.parse(CLUSTER_HEADER + spec, "m.yaml");
        return ((ClusterManifest) manifests.get(0)).cluster();
    }

    @Test
    void readsAnAppWithDefaults() throws ManifestException {
        AppSpec app = app("""
                  services:
                    - {name: gw, type: api-gateway}
                    - {name: db, type: sql, shards: 4, backups: 1, pin: host}
                  channels:
                    - {from: gw, to: db}
                """);
        ServiceSpec gw = app.service("gw").orElseThrow();
        assertThat(gw.instances()).isEqualTo(1);
        assertThat(gw.demand().cores()).isEqualTo(1);
        assertThat(app.service("db").orElseThrow().pinned()).contains(NodeKind.HOST);
        ChannelSpec channel = app.channels().get(0);
        assertThat(channel.routing()).as("a channel into shards defaults to shard-keyed")
                .isEqualTo(RoutingPolicy.SHARD_KEYED);
        assertThat(channel.load().requestBytes()).isEqualTo(512);
        assertThat(app.entry()).containsExactly("gw");
        assertThat(app.instanceCount()).isEqualTo(9);
    }

    @Test
    void reportsEveryProblemWithItsLineAndPath() {
        List<Violation> v = violations(APP_HEADER + """
                  services:
                    - name: a
                      type: kvss
                      replicas: 0
                    - name: b
                      type: kvs
                      resources: {cores: -1, memoryMiB: 0}
                """);
        assertThat(v).extracting(Violation::toString).containsExactly(
                "m.yaml:8: spec.services[0].type: unknown microservice type 'kvss' (did you mean 'kvs'?); expected "
                        + "one of: ipsec, bm25, natv4, nids, count, ema, kvs, flow-monitor, ddos, recommend, knn, "
                        + "spike, bayes, api-gateway, top-ranker, sql",
                "m.yaml:9: spec.services[0].replicas: must be >= 1, got 0",
                "m.yaml:12: spec.services[1].resources.cores: must be > 0, got -1",
                "m.yaml:12: spec.services[1].resources.memoryMiB: must be >= 1, got 0");
    }

    @Test
    void reportsMissingAndMistypedFields() {
        List<Violation> v = violations("""
                apiVersion: e3.io/v1alpha1
                kind: MicroserviceApp
                metadata: {}
                spec:
                  services:
                    - name: a
                      replicas: "3"
                """);
        assertThat(v).extracting(Violation::path, Violation::message).containsExactly(
                tuple("metadata.name", "required field is missing"),
                tuple("spec.services[0].type", "required field is missing"),
                tuple("spec.services[0].replicas",
                        "must be a whole number, got the string '3'"));
    }

    @Test
    void rejectsAbsurdlyLargeCounts() {
        List<Violation> v = violations(APP_HEADER + """
                  services:
                    - {name: a, type: kvs, shards: 99999999999999999999999}
                    - {name: b, type: kvs, backups: 8}
                    - {name: c, type: kvs, resources: {cores: 1000}}
                """);
        assertThat(v).extracting(Violation::message).containsExactly(
                "must be <= 10000, got 99999999999999999999999",
                "must be <= 7, got 8",
                "must be <= 256, got 1000");
    }

    @Test
    void rejectsUnknownFieldsWithASuggestion() {
        List<Violation> v = violations(APP_HEADER + """
                  services:
                    - {name: a, type: kvs, replcas: 2}
                """);
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("spec.services[0].replcas");
            assertThat(x.message()).startsWith("unknown field 'replcas' (did you mean 'replicas'?)");
        });
    }

    @Test
    void rejectsDuplicateServiceNamesEvenWhenTheSecondHasOtherProblems() {
        List<Violation> v = violations(APP_HEADER + """
                  services:
                    - {name: a, type: kvs}
                    - {name: a, type: nope}
                """);
        assertThat(v).extracting(Violation::path).containsExactly("spec.services[1].name", "spec.services[1].type");
        assertThat(v.get(0).message()).isEqualTo("duplicate service name 'a' (also spec.services[0])");
    }

    @Test
    void rejectsChannelsToUnknownServicesAndDuplicateChannels() {
        List<Violation> v = violations(APP_HEADER + """
                  services:
                    - {name: gateway, type: api-gateway}
                    - {name: store, type: kvs}
                  channels:
                    - {from: gateway, to: stor}
                    - {from: gateway, to: store}
                    - {from: gateway, to: store}
                """);
        assertThat(v).extracting(Violation::toString).containsExactly(
                "m.yaml:10: spec.channels[0].to: unknown service 'stor' (did you mean 'store'?)",
                "m.yaml:12: spec.channels[2]: duplicate channel gateway -> store (also spec.channels[1])");
    }

    @Test
    void printsTheCycleAndStillReportsUnreachableServices() {
        List<Violation> v = violations(APP_HEADER + """
                  entry: [front]
                  services:
                    - {name: front, type: api-gateway}
                    - {name: user, type: kvs}
                    - {name: graph, type: kvs}
                    - {name: orphan, type: count}
                  channels:
                    - {from: front, to: user}
                    - {from: user, to: graph}
                    - {from: graph, to: user}
                """);
        assertThat(v).extracting(Violation::path).containsExactly("spec.channels[2]", "spec.services[3]");
        assertThat(v.get(0).message()).startsWith("channels form a cycle user -> graph -> user;");
        assertThat(v.get(1).message()).startsWith("service 'orphan' is not reachable from the entry services (front)");
    }

    @Test
    void rejectsRoundRobinIntoShards() {
        List<Violation> v = violations(APP_HEADER + """
                  services:
                    - {name: gw, type: api-gateway}
                    - {name: db, type: sql, shards: 3}
                  channels:
                    - {from: gw, to: db, routing: round-robin}
                """);
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.path()).isEqualTo("spec.channels[0].routing");
            assertThat(x.message()).contains("cannot reach the shards of 'db'");
        });
    }

    @Test
    void rejectsReplicasAndShardsTogether() {
        List<Violation> v = violations(APP_HEADER + """
                  services:
                    - {name: a, type: kvs, replicas: 2, shards: 2}
                """);
        assertThat(v).singleElement().extracting(Violation::message, InstanceOfAssertFactories.STRING)
                .contains("either replicas", "not both");
    }

    @Test
    void rejectsRequestsLargerThanOneDatagram() {
        List<Violation> v = violations(APP_HEADER + """
                  services:
                    - {name: a, type: kvs}
                    - {name: b, type: kvs}
                  channels:
                    - {from: a, to: b, rate: {requestsPerSecond: -5, requestBytes: 70000}}
                """);
        assertThat(v).extracting(Violation::path, Violation::message).containsExactly(
                tuple("spec.channels[0].rate.requestsPerSecond", "must be >= 0, got -5"),
                tuple("spec.channels[0].rate.requestBytes",
                        "must be <= 65507, got 70000"));
    }

    @Test
    void reportsYamlSyntaxErrorsWithTheirLine() {
        List<Violation> v = violations(APP_HEADER + """
                  services:
                    - name: a
                      type: kvs
                     replicas: 2
                """);
        assertThat(v).singleElement().satisfies(x -> {
            assertThat(x.line()).isEqualTo(9);
            assertThat(x.message()).startsWith("YAML syntax error: ");
            assertThat(x.message()).doesNotContain("\n");
        });
    }

    @Test
    void reportsATabIndentOnItsOwnLine() {
        List<Violation> v = violations(APP_HEADER + "  services:\n    - name: a\n      type: kvs\n\treplicas: 2\n");
        assertThat(v).extracting(Violation::toString).containsExactly("m.yaml:9: YAML syntax error: found character "
                + "'\\t(TAB)' that cannot start any token. (Do not use \\t(TAB) for indentation) (column 1, while "
                + "scanning for the next token)");
    }

    @Test
    void requiresTheWholeCapacityOfSmartNicsGivenToATypeWithout() {
        List<Violation> v = violations(CLUSTER_HEADER + """
                  serverTypes:
                    Beefy: {smartNics: 1, smartNic: {cores: 8}}
                  racks: [{name: r, servers: [{type: Beefy}]}]
                """);
        assertThat(v).extracting(Violation::path).containsExactly("spec.serverTypes.Beefy.smartNic.memoryMiB",
                "spec.serverTypes.Beefy.smartNic.bandwidthGbps");
    }

    @Test
    void reportsDuplicateKeys() {
        List<Violation> v = violations("""
                apiVersion: e3.io/v1alpha1
                kind: Cluster
                kind: Cluster
                metadata: {name: c}
                spec: {racks: [{name: r, servers: [{type: Beefy}]}]}
                """);
        assertThat(v).extracting(Violation::toString).containsExactly("m.yaml:3: kind: duplicate key 'kind' (first at line 2)");
    }

    @Test
    void rejectsUnknownKindAndApiVersion() {
        List<Violation> v = violations("""
                apiVersion: v1
                kind: Deployment
                metadata: {name: c}
                spec: {}
                """);
        assertThat(v).extracting(Violation::path).containsExactly("apiVersion", "kind");
        assertThat(v.get(1).message()).contains("expected one of: MicroserviceApp, Cluster");
    }

    @Test
    void rejectsADocumentThatIsNotAMapping() {
        assertThat(violations("- just\n- a list\n")).singleElement()
                .satisfies(x -> assertThat(x.message()).isEqualTo("must be a mapping, got a list"));
    }

    @Test
    void rejectsEmptyAndBinaryInput() {
        assertThat(violations("# only a comment\n")).extracting(Violation::message)
                .containsExactly("empty manifest: no YAML document in it");
        assertThatThrownBy(() -> Manifests.parse(new byte[] {'a', 0, 'b'}, "x"))
                .isInstanceOf(ManifestException.class).hasMessage("x: binary content (a NUL byte at offset 1), "
                        + "not a YAML manifest");
        assertThatThrownBy(() -> Manifests.parse(new byte[] {'a', (byte) 0xC3, '(', 'b'}, "x"))
                .hasMessageContaining("not UTF-8 text");
    }

    @Test
    void readsEveryDocumentOfAFile() throws ManifestException {
        String text = CLUSTER_HEADER + "  racks: [{name: r, servers: [{type: Beefy}]}]\n---\n" + APP_HEADER
                + "  services: [{name: a, type: kvs}]\n";
        List<Manifest> manifests = Manifests.parse(text.getBytes(StandardCharsets.UTF_8), "both.yaml");
        assertThat(manifests).extracting(Manifest::kind).containsExactly("Cluster", "MicroserviceApp");
        assertThat(manifests.get(1).origin()).isEqualTo("both.yaml:8");
    }

    @Test
    void readsAClusterOfSeveralRacksAndPods() throws ManifestException {
        Cluster c = cluster("""
                  racks:
                    - name: r0
                      servers: [{type: Type2-SmartNIC, count: 2}]
                    - name: r1
                      pod: pod-1
                      servers: [{type: beefy}, {type: Type1-SmartNIC}]
                """);
        assertThat(c.servers()).extracting(s -> s.id() + "@" + s.rackId() + "/" + s.podId())
                .containsExactly("s0@r0/pod-0", "s1@r0/pod-0", "s2@r1/pod-1", "s3@r1/pod-1");
        assertThat(c.nodes()).hasSize(10 + 1 + 2);
    }

    @Test
    void appliesServerTypeOverrides() throws ManifestException {
        Cluster c = cluster("""
                  serverTypes:
                    Type2-SmartNIC:
                      costUsd: 7000
                      smartNics: 2
                      host: {bandwidthGbps: 20}
                    Beefy:
                      smartNics: 1
                      smartNic: {cores: 8, coreClass: WIMPY, memoryMiB: 8192, bandwidthGbps: 25}
                  racks:
                    - name: r
                      servers: [{type: Type2-SmartNIC}, {type: Beefy}]
                """);
        ServerType type2 = c.servers().get(0).type();
        assertThat(type2.costUsd()).isEqualTo(7000);
        assertThat(type2.smartNics()).isEqualTo(2);
        assertThat(type2.idleWatts()).as("unchanged fields keep Table 5.4's figure").isEqualTo(145);
        assertThat(c.servers().get(1).smartNics()).singleElement()
                .satisfies(n -> assertThat(n.capacity().memoryMiB()).isEqualTo(8192));
    }

    @Test
    void reportsInconsistentOverridesAndUnknownServerTypes() {
        List<Violation> v = violations(CLUSTER_HEADER + """
                  serverTypes:
                    Type3-SmartNIC: {costUsd: 1}
                    Type2-SmartNIC: {idleWatts: 300}
                    Beefy: {smartNics: 2}
                  racks:
                    - name: r
                      servers: [{type: Type2-SmartNik, count: 0}]
                    - name: r
                      servers: []
                """);
        assertThat(v).extracting(Violation::toString).containsExactly(
                "m.yaml:7: spec.serverTypes.Type3-SmartNIC: unknown server type 'Type3-SmartNIC' (did you mean "
                        + "'Type1-SmartNIC'?); expected one of: Beefy, Wimpy, Type1-SmartNIC, Type2-SmartNIC, SuperBeefy",
                "m.yaml:8: spec.serverTypes.Type2-SmartNIC: peakWatts must be >= idleWatts (300.0), got 252.0",
                "m.yaml:9: spec.serverTypes.Beefy.smartNic: required when giving Beefy SmartNICs: their cores, "
                        + "memoryMiB and bandwidthGbps",
                "m.yaml:12: spec.racks[0].servers[0].type: unknown server type 'Type2-SmartNik' (did you mean "
                        + "'Type2-SmartNIC'?); expected one of: Beefy, Wimpy, Type1-SmartNIC, Type2-SmartNIC, SuperBeefy",
                "m.yaml:12: spec.racks[0].servers[0].count: must be >= 1, got 0",
                "m.yaml:13: spec.racks[1].name: duplicate rack name 'r' (also spec.racks[0])",
                "m.yaml:14: spec.racks[1].servers: must have at least 1 item, got 0");
    }

    @Test
    void suggestsOnlyCloseNames() {
        assertThat(Fields.suggestion("replcas", List.of("replicas", "shards"))).isEqualTo(" (did you mean 'replicas'?)");
        assertThat(Fields.suggestion("zzzzzz", List.of("replicas", "shards"))).isEmpty();
        assertThat(Fields.editDistance("kitten", "sitting")).isEqualTo(3);
    }
}
