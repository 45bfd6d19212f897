package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.app.RandomApps;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import io.e3.placement.hcm.HcmStrategy;
import io.e3.placement.ilp.IlpStrategy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QualityBenchmarkTest {

    private static QualityBenchmark.Row row(String app, String algorithm, int placed, double cost, double rpj,
                                            Boolean optimal) {
        return new QualityBenchmark.Row(app, "c", algorithm, 10, placed, cost, 100, rpj, 0.5, 1, optimal);
    }

    @Test
    void comparesEachHcmVariantWithEachBaselineCaseByCase() {
        List<QualityBenchmark.Row> rows = List.of(
                row("a", "hcm", 10, 2.0, 5, null),
                row("a", "hcm-hosts", 10, 1.0, 4, null),
                row("a", "ilp-comm", 10, 1.0, 4, true),
                row("a", "annealing", 9, 3.0, 6, null),
                row("b", "hcm", 8, 1.0, 5, null),
                row("b", "hcm-hosts", 10, 0.0, 4, null),
                row("b", "ilp-comm", 10, 0.0, 4, true),
                row("b", "annealing", 8, 1.0, 5, null),
                row("c", "hcm", 10, 1.2, 5, null),
                row("c", "hcm-hosts", 10, 1.1, 4, null),
                row("c", "ilp-comm", 10, 1.0, 4, false));

        List<QualityBenchmark.Comparison> all = QualityBenchmark.compareAll(rows);

        assertThat(all).extracting(c -> c.algorithm() + " vs " + c.baseline())
                .containsExactly("hcm vs ilp-comm", "hcm vs annealing", "hcm-hosts vs ilp-comm",
                        "hcm-hosts vs annealing");
        QualityBenchmark.Comparison hcmIlp = all.get(0);
        assertThat(hcmIlp.cases()).isEqualTo(3);
        assertThat(hcmIlp.placedAtLeast()).isEqualTo(2);
        assertThat(hcmIlp.efficientAtLeast()).isEqualTo(3);
        // c is not proved optimal, so only a (2.0 over 1.0) and b (1.0 over an optimum of 0) count.
        assertThat(hcmIlp.provedOptimal()).isEqualTo(2);
        assertThat(hcmIlp.costRatios()).containsExactly(2.0, Double.POSITIVE_INFINITY);
        assertThat(hcmIlp.costWithin(1.25)).isZero();
        QualityBenchmark.Comparison hostsIlp = all.get(2);
        assertThat(hostsIlp.costRatios()).containsExactly(1.0, 1.0); // both 0 counts as 1
        assertThat(hostsIlp.costWithin(1.25)).isEqualTo(2);
        assertThat(hostsIlp.medianCostRatio()).isEqualTo(1.0);
        QualityBenchmark.Comparison hcmAnnealing = all.get(1);
        assertThat(hcmAnnealing.placedAtLeast()).isEqualTo(2);
        assertThat(hcmAnnealing.efficientAtLeast()).isEqualTo(1);
        assertThat(hcmAnnealing.provedOptimal()).isZero();
        assertThat(hcmAnnealing.worstCostRatio()).isNaN();
    }

    @Test
    void runsEveryAppOnEveryClusterWithEveryStrategy() {
        List<AppSpec> apps = List.of(new RandomApps(RandomApps.Parameters.DEFAULTS).generate(3));
        List<String> progress = new ArrayList<>();
        List<QualityBenchmark.Row> rows = new QualityBenchmark(List.of(new HcmStrategy(),
                new IlpStrategy(IlpStrategy.Objective.ENERGY)), Duration.ofSeconds(3))
                .run(List.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 3)), apps, progress::add);

        assertThat(rows).extracting(QualityBenchmark.Row::algorithm).containsExactly("hcm", "ilp-energy");
        assertThat(progress).hasSize(2);
        QualityBenchmark.Row hcm = rows.get(0);
        assertThat(hcm.instances()).isEqualTo(apps.get(0).instanceCount());
        assertThat(hcm.unplaced()).isEqualTo(hcm.instances() - hcm.placed());
        assertThat(hcm.optimal()).isNull();
        assertThat(rows.get(1).optimal()).isNotNull();
        assertThat(hcm.modelledPowerWatts()).isPositive();
        assertThat(hcm.modelledRequestsPerJoule()).isPositive();
    }
}
