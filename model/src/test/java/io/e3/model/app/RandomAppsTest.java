package io.e3.model.app;

import io.e3.model.app.RandomApps.Parameters;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.topology.CoreClass;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomAppsTest {

    private static final RandomApps DEFAULTS = new RandomApps(Parameters.DEFAULTS);

    private static final List<AppSpec> APPS = LongStream.range(0, 500).mapToObj(DEFAULTS::generate).toList();

    @Test
    void sameSeedGivesAnEqualApp() {
        assertThat(new RandomApps(Parameters.DEFAULTS).generate(42)).isEqualTo(DEFAULTS.generate(42));
        assertThat(DEFAULTS.generate(43)).isNotEqualTo(DEFAULTS.generate(42));
    }

    @Test
    void namesTheAppAfterItsSeedAsAnUnsignedNumber() {
        assertThat(DEFAULTS.generate(7).name()).isEqualTo("gen-7");
        assertThat(DEFAULTS.generate(-1).name()).isEqualTo("gen-18446744073709551615");
    }

    @Test
    void everyAppOf500SeedsReadsBackFromItsManifestUnchanged() throws ManifestException {
        // The manifest reader checks what AppSpec does not: names, routing into shards, duplicate channels, ranges.
        for (AppSpec app : APPS) {
            AppManifest read = (AppManifest) Manifests.parse(manifest(app), app.name()).get(0);
            assertThat(read.app()).isEqualTo(app);
        }
    }

    @Test
    void acrossSeedsEveryTypeScalingAndRoutingOccurs() {
        Set<MicroserviceType> types = EnumSet.noneOf(MicroserviceType.class);
        Set<Scaling> scalings = EnumSet.noneOf(Scaling.class);
        Set<RoutingPolicy> routings = EnumSet.noneOf(RoutingPolicy.class);
        for (AppSpec app : APPS) {
            app.services().forEach(s -> types.add(s.type()));
            app.services().forEach(s -> scalings.add(s.scaling()));
            app.channels().forEach(c -> routings.add(c.routing()));
        }
        assertThat(types).containsExactlyInAnyOrder(MicroserviceType.values());
        assertThat(scalings).containsExactlyInAnyOrder(Scaling.values());
        assertThat(routings).containsExactlyInAnyOrder(RoutingPolicy.values());
    }

    @Test
    void acrossSeedsBackupsSeveralEntriesWideFanOutAndDeepChainsOccur() {
        assertThat(APPS).anyMatch(app -> app.services().stream().anyMatch(s -> s.backups() > 0));
        assertThat(APPS).anyMatch(app -> app.entry().size() > 1);
        assertThat(APPS).anyMatch(app -> maxFanOut(app) >= 5);
        assertThat(APPS).anyMatch(app -> depth(app) >= 10);
        assertThat(APPS).anyMatch(app -> app.services().size() >= 10 && depth(app) <= 3);
    }

    @Test
    void onlyStatefulServicesHaveBackupsOrShards() {
        assertThat(APPS).allSatisfy(app -> assertThat(app.services())
                .filteredOn(s -> s.backups() > 0 || s.scaling() == Scaling.SHARDED)
                .allMatch(s -> s.type().stateful()));
    }

    @Test
    void defaultSizesSpanThreeToThirtyServicesAndStayWithinTheirBounds() {
        assertThat(APPS).extracting(app -> app.services().size()).contains(3, 30).allMatch(n -> n >= 3 && n <= 30);
        assertThat(APPS).allMatch(app -> maxFanOut(app) <= 8);
        assertThat(APPS).flatExtracting(AppSpec::services).extracting(ServiceSpec::instances).contains(1, 12)
                .allMatch(n -> n >= 1 && n <= 12);
    }

    @Test
    void sizesStayWithinTheParameters() {
        RandomApps small = new RandomApps(Parameters.DEFAULTS.withServices(5, 12).withMaxInstances(4)
                .withMaxFanOut(3));
        for (long seed = 0; seed < 200; seed++) {
            AppSpec app = small.generate(seed);
            assertThat(app.services()).hasSizeBetween(5, 12);
            assertThat(maxFanOut(app)).isBetween(1, 3);
            assertThat(app.services()).allSatisfy(s -> {
                assertThat(s.instances()).isBetween(1, 4);
                assertThat(s.backups()).isBetween(0, 2);
                assertThat(s.demand().cores()).isBetween(0.05, 1.0);
                assertThat(s.demand().memoryMiB()).isBetween(32L, 1024L);
            });
            assertThat(app.channels()).allSatisfy(c -> {
                assertThat(c.load().requestBytes()).isBetween(64, 4096);
                assertThat(c.load().requestsPerSecond()).isGreaterThanOrEqualTo(1);
            });
        }
    }

    @Test
    void lightLoadSendsAboutAHundredRequestsPerSecondFromTheFirstEntry() {
        // 100 requests/s times 0.1 to 1.5 calls per request.
        RandomApps light = new RandomApps(Parameters.DEFAULTS.withLoad(0, 0));
        for (long seed = 0; seed < 200; seed++) {
            AppSpec app = light.generate(seed);
            assertThat(app.channelsFrom(app.entry().get(0)))
                    .allSatisfy(c -> assertThat(c.load().requestsPerSecond()).isBetween(10.0, 150.0));
        }
    }

    @Test
    void tightLoadNeedsSeveralCoresSomewhereButNoInstanceMoreThanAHost() {
        RandomApps tight = new RandomApps(Parameters.DEFAULTS.withLoad(1, 1));
        List<Double> busiest = LongStream.range(0, 200).mapToObj(tight::generate)
                .map(RandomAppsTest::busiestInstanceBeefyCores).toList();
        assertThat(busiest).allMatch(cores -> cores <= 12); // a Type1 host has 12 beefy cores (Table 5.4)
        assertThat(busiest).filteredOn(cores -> cores >= 5).hasSizeGreaterThan(100);
    }

    @Test
    void rejectsParametersOutOfRange() {
        assertThatThrownBy(() -> Parameters.DEFAULTS.withServices(0, 5))
                .hasMessageContaining("services must satisfy 1 <= min <= max <= 300, got min 0, max 5");
        assertThatThrownBy(() -> Parameters.DEFAULTS.withServices(8, 4)).hasMessageContaining("got min 8, max 4");
        assertThatThrownBy(() -> Parameters.DEFAULTS.withLoad(0.5, 1.5))
                .hasMessageContaining("load levels must satisfy 0 <= min <= max <= 1");
        assertThatThrownBy(() -> Parameters.DEFAULTS.withLoad(Double.NaN, 1)).hasMessageContaining("got min NaN");
        assertThatThrownBy(() -> Parameters.DEFAULTS.withMaxInstances(0))
                .hasMessageContaining("maxInstances must be in [1, 100], got 0");
        assertThatThrownBy(() -> Parameters.DEFAULTS.withMaxFanOut(65))
                .hasMessageContaining("maxFanOut must be in [1, 64], got 65");
        assertThatThrownBy(() -> new RandomApps(null)).isInstanceOf(NullPointerException.class);
    }

    private static int maxFanOut(AppSpec app) {
        return app.services().stream().mapToInt(s -> app.channelsFrom(s.name()).size()).max().orElse(0);
    }

    /** Services on the longest path of channels. */
    private static int depth(AppSpec app) {
        Map<String, Integer> depth = new HashMap<>();
        for (ServiceSpec s : app.services()) { // generated services come caller before callee
            int d = app.channelsInto(s.name()).stream().mapToInt(c -> depth.get(c.from())).max().orElse(0);
            depth.put(s.name(), d + 1);
        }
        return depth.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /** The most beefy cores one instance keeps busy, counted as placement's load model counts them. */
    private static double busiestInstanceBeefyCores(AppSpec app) {
        double busiest = 0;
        for (ServiceSpec s : app.services()) {
            double rps = 0;
            for (ChannelSpec c : app.channelsInto(s.name())) {
                rps += c.routing() == RoutingPolicy.BROADCAST ? c.load().requestsPerSecond()
                        : c.load().requestsPerSecond() / s.instances();
            }
            if (app.channelsInto(s.name()).isEmpty()) {
                rps = app.channelsFrom(s.name()).stream().mapToDouble(c -> c.load().requestsPerSecond()).max()
                        .orElse(0) / s.instances();
            }
            busiest = Math.max(busiest, rps * MicroserviceProfile.of(s.type()).serviceTimeSeconds(CoreClass.BEEFY));
        }
        return busiest;
    }

    private static String manifest(AppSpec app) {
        StringBuilder yaml = new StringBuilder("apiVersion: e3.io/v1alpha1\nkind: MicroserviceApp\nmetadata:\n")
                .append("  name: ").append(app.name()).append("\nspec:\n  services:\n");
        for (ServiceSpec s : app.services()) {
            yaml.append("    - name: ").append(s.name()).append("\n      type: ").append(s.type().manifestName())
                    .append("\n      ").append(s.scaling() == Scaling.SHARDED ? "shards" : "replicas").append(": ")
                    .append(s.instances()).append("\n      backups: ").append(s.backups())
                    .append("\n      resources: {cores: ").append(s.demand().cores()).append(", memoryMiB: ")
                    .append(s.demand().memoryMiB()).append("}\n");
        }
        if (!app.channels().isEmpty()) {
            yaml.append("  channels:\n");
        }
        for (ChannelSpec c : app.channels()) {
            yaml.append("    - {from: ").append(c.from()).append(", to: ").append(c.to()).append(", routing: ")
                    .append(c.routing().manifestName()).append(", rate: {requestsPerSecond: ")
                    .append(c.load().requestsPerSecond()).append(", requestBytes: ")
                    .append(c.load().requestBytes()).append("}}\n");
        }
        return yaml.toString();
    }
}
