package io.e3.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e3.model.perf.Knee;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KneeSearchTest {

    private final ScheduledExecutorService server = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopServer() {
        server.shutdownNow();
    }

    @Test
    void findsTheKneeOfASingleServerQueueBelowItsCapacity() {
        // 1 ms service: capacity 1,000 requests/s. Steps 200, 400, 800, 1600 requests/s, then 2 bisections.
        RequestTarget target = Targets.singleServerQueue(server, Duration.ofMillis(1));
        KneeSearch search = new KneeSearch(LoadGenerator.builder().build(), Knee.Rule.from(200).withRefinements(2),
                Duration.ofMillis(1500));

        KneeSearch.Result result = search.search(target);

        assertThat(result.knee()).as(result.message()).isNotNull();
        assertThat(result.knee().offeredRate()).as(result.message()).isBetween(400.0, 1100.0);
        assertThat(result.steps()).hasSize(6).contains(result.knee());
        assertThat(result.steps().stream().mapToDouble(LoadReport::offeredRate).max().orElseThrow())
                .isGreaterThan(result.knee().offeredRate());
    }

    @Test
    void rejectsBadParametersNamingThem() {
        LoadGenerator generator = LoadGenerator.builder().build();
        Duration step = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new KneeSearch(generator, Knee.Rule.from(100), Duration.ZERO))
                .hasMessageContaining("stepDuration");
        assertThatThrownBy(() -> new KneeSearch(generator, null, step)).hasMessageContaining("rule");
    }
}
