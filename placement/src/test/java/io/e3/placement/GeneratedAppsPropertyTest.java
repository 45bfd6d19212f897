package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.app.RandomApps;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.Cluster;
import io.e3.placement.annealing.AnnealingStrategy;
import io.e3.placement.hcm.HcmStrategy;
import io.e3.placement.ilp.IlpStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties every strategy keeps on seeded random apps ({@link RandomApps}): the placement contract, on both example
 * clusters, from light to tight load. HCM, being fast, runs on 100 apps; the search baselines on 8 smaller ones, where
 * HCM must also place at least as many instances as annealing. Last, the tight apps on which HCM once placed fewer than
 * annealing, with what it must place now.
 */
class GeneratedAppsPropertyTest {

    private static final RandomApps ANY = new RandomApps(RandomApps.Parameters.DEFAULTS);
    private static final RandomApps SMALL = new RandomApps(RandomApps.Parameters.DEFAULTS.withServices(3, 8)
            .withMaxInstances(4));
    private static final List<Cluster> CLUSTERS = List.of(PlacementContractTest.THREE_TYPE1,
            PlacementContractTest.TWO_TYPE2);

    static LongStream hundredSeeds() {
        return LongStream.rangeClosed(1, 100);
    }

    /**
     * Of the first 200 apps on 3xType1-SmartNIC, tight ones annealing (3 s) packs whole or all but one, where HCM left
     * 3 to 29 out before its packed orders and ejection chains: seed 5 placed 122 of 127 (annealing 127), 126 147 of
     * 170 (170), 138 159 of 188 (186), 170 113 of 123 (122). Each fits whole: HCM's own placement shows it, and the
     * contract checks that placement.
     */
    static LongStream tightSeedsThatFitWhole() {
        return LongStream.of(5, 126, 138, 170);
    }

    static LongStream eightSeeds() {
        return LongStream.rangeClosed(1, 8);
    }

    private static PlacementResult place(PlacementStrategy s, Cluster cluster, AppSpec app, Duration limit) {
        return s.place(new PlacementRequest(cluster, ClusterSnapshot.EMPTY, app, 7, limit));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("hundredSeeds")
    void hcmKeepsTheContractAndIsDeterministic(long seed) {
        AppSpec app = ANY.generate(seed);
        for (Cluster cluster : CLUSTERS) {
            PlacementResult r = PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app,
                    place(new HcmStrategy(), cluster, app, Duration.ofSeconds(1)));
            assertThat(place(new HcmStrategy(), cluster, app, Duration.ofSeconds(1)).assignments())
                    .isEqualTo(r.assignments());
            PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app,
                    place(new HcmStrategy(HcmStrategy.Preference.HOSTS), cluster, app, Duration.ofSeconds(1)));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("eightSeeds")
    void theBaselinesKeepTheContractAndHcmPlacesAtLeastAsManyAsAnnealing(long seed) {
        AppSpec app = SMALL.generate(seed);
        Cluster cluster = PlacementContractTest.THREE_TYPE1;
        // A limit that never binds, so that annealing stops on its step count and the result is reproducible.
        PlacementResult annealing = PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app,
                place(new AnnealingStrategy(), cluster, app, Duration.ofMinutes(2)));
        PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app,
                place(new IlpStrategy(IlpStrategy.Objective.ENERGY), cluster, app, Duration.ofSeconds(1)));
        PlacementResult hcm = place(new HcmStrategy(), cluster, app, Duration.ofSeconds(1));
        assertThat(hcm.assignments().size()).as("HCM placed against annealing")
                .isGreaterThanOrEqualTo(annealing.assignments().size());
    }

    private static PlacementResult hcmOnThreeType1(AppSpec app) {
        Cluster cluster = PlacementContractTest.THREE_TYPE1;
        return PlacementContractTest.assertContract(cluster, ClusterSnapshot.EMPTY, app,
                place(new HcmStrategy(), cluster, app, Duration.ofSeconds(1)));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("tightSeedsThatFitWhole")
    void hcmPacksWholeTheTightAppsAnnealingPacksWhole(long seed) {
        assertThat(hcmOnThreeType1(ANY.generate(seed)).unplaced()).isEmpty();
    }

    @Test
    void hcmPlacesAsManyAsTheIlpOnATightAppThatCannotFitAndLeavesOutOnlyBackups() {
        // Seed 200: 167 instances asking 76 beefy cores of 72. HCM placed 164; annealing at 3 s places 163 to 165
        // from run to run, and the ILP (30 s, not proved optimal) 165, leaving out two Flow monitor backups that have
        // no third server to go to. Leaving out the API gateway instead would place as many and serve nothing.
        AppSpec app = ANY.generate(200);
        PlacementResult hcm = hcmOnThreeType1(app);
        assertThat(hcm.assignments()).hasSizeGreaterThanOrEqualTo(165);
        assertThat(hcm.unplaced()).allSatisfy(u -> assertThat(u.instance().isBackup()).isTrue());
        assertThat(hcm.metrics().get("requestsPerSecond")).isEqualTo(new LoadModel(app).entryRequestsPerSecond());
    }
}
