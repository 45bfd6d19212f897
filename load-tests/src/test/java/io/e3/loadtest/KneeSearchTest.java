package io.e3.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        // 1 ms service: capacity 1,000 requests/s. Steps 200, 300, 450, 675, 1012, ... requests/s.
        RequestTarget target = Targets.singleServerQueue(server, Duration.ofMillis(1));
        KneeSearch search = new KneeSearch(LoadGenerator.builder().build(), 200, 1.5, Duration.ofMillis(1500), 8);

        KneeSearch.Result result = search.search(target);

        assertThat(result.knee()).as(result.message()).isNotNull();
        assertThat(result.knee().offeredRate()).as(result.message()).isBetween(400.0, 1100.0);
        LoadReport last = result.steps().get(result.steps().size() - 1);
        assertThat(last.offeredRate()).isGreaterThan(result.knee().offeredRate());
        assertThat(result.steps()).contains(result.knee());
    }

    @Test
    void rejectsBadParametersNamingThem() {
        LoadGenerator generator = LoadGenerator.builder().build();
        Duration step = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new KneeSearch(generator, 0, 1.5, step, 5)).hasMessageContaining("startRate");
        assertThatThrownBy(() -> new KneeSearch(generator, 100, 1.0, step, 5)).hasMessageContaining("factor");
        assertThatThrownBy(() -> new KneeSearch(generator, 100, 1.5, Duration.ZERO, 5))
                .hasMessageContaining("stepDuration");
        assertThatThrownBy(() -> new KneeSearch(generator, 100, 1.5, step, 0)).hasMessageContaining("maxSteps");
    }
}
