package io.e3.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

    private static final RequestTarget INSTANT = number -> CompletableFuture.completedFuture(Outcome.success());

    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @AfterEach
    void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void openLoopCountsAStallInTheLatencyOfEveryRequestItDelayed() {
        List<Progress> progress = new CopyOnWriteArrayList<>();
        LoadGenerator generator = LoadGenerator.builder().progressListener(progress::add).build();
        RequestTarget target = Targets.stalling(scheduler, Duration.ofMillis(1500), Duration.ofSeconds(1));

        LoadReport report = generator.openLoop(target, Arrivals.constant(1000), Duration.ofSeconds(4));

        // About 1,000 of 4,000 requests fall in the 1 s window and wait up to 1 s: p99 is near 1 s.
        assertThat(report.mode()).isEqualTo(LoadReport.Mode.OPEN_LOOP);
        assertThat(report.p99Micros()).isGreaterThanOrEqualTo(300_000);
        assertThat(report.sent()).isBetween(3_000L, 4_001L);
        assertThat(report.ok()).isEqualTo(report.sent());
        assertThat(report.errors()).isZero();
        assertThat(report.timeouts()).isZero();
        assertThat(progress).hasSizeGreaterThanOrEqualTo(2);
        assertThat(progress).anySatisfy(p -> assertThat(p.intervalP99Micros()).isGreaterThanOrEqualTo(300_000));
    }

    @Test
    void closedLoopShowsAStallOnlyInTheFewRequestsInFlight() {
        RequestTarget target = Targets.stalling(scheduler, Duration.ofMillis(1500), Duration.ofSeconds(1));

        LoadReport report = LoadGenerator.builder().build().closedLoop(target, 4, Duration.ofSeconds(4));

        assertThat(report.mode()).isEqualTo(LoadReport.Mode.CLOSED_LOOP);
        assertThat(report.outstanding()).isEqualTo(4);
        assertThat(report.sent()).isGreaterThan(1_000);
        assertThat(report.p99Micros()).isLessThan(100_000);
        assertThat(report.maxMicros()).isGreaterThanOrEqualTo(300_000);
    }

    @Test
    void countsErrorsAndTimeoutsApartAndIgnoresAnswersAfterTheTimeout() {
        LoadGenerator generator = LoadGenerator.builder().timeout(Duration.ofMillis(100)).build();
        RequestTarget target = Targets.okErrorLate(scheduler, Duration.ofMillis(200));

        LoadReport report = generator.openLoop(target, Arrivals.constant(300), Duration.ofSeconds(1));

        // Request numbers 0..sent-1: n % 3 == 0 ok, 1 error, 2 answered ok 200 ms late, after the 100 ms timeout.
        long sent = report.sent();
        assertThat(sent).isGreaterThan(100);
        assertThat(report.ok()).isEqualTo((sent + 2) / 3);
        assertThat(report.errors()).isEqualTo((sent + 1) / 3);
        assertThat(report.timeouts()).isEqualTo(sent / 3);
        assertThat(report.ok() + report.errors() + report.timeouts()).isEqualTo(sent);
    }

    @Test
    void rejectsBadParametersNamingThem() {
        LoadGenerator generator = LoadGenerator.builder().build();
        assertThatThrownBy(() -> Arrivals.constant(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> Arrivals.poisson(-5, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate");
        assertThatThrownBy(() -> generator.openLoop(INSTANT, Arrivals.constant(10), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> generator.closedLoop(INSTANT, 1, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> generator.closedLoop(INSTANT, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outstanding");
        assertThatThrownBy(() -> LoadGenerator.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> LoadGenerator.builder().timeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void reportIsWrittenAndReadAsJsonWithItsFieldNames() throws Exception {
        LoadReport report = LoadGenerator.builder().build()
                .openLoop(INSTANT, Arrivals.poisson(500, 7), Duration.ofMillis(300));
        ObjectMapper mapper = new ObjectMapper();

        String json = mapper.writeValueAsString(report);

        assertThat(json).contains("\"mode\":\"OPEN_LOOP\"", "\"achievedSendRate\"", "\"p999Micros\"",
                "\"fellBehind\":false", "\"timeouts\":0");
        assertThat(mapper.readValue(json, LoadReport.class)).isEqualTo(report);
    }
}
