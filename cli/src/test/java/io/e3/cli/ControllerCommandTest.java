package io.e3.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** e3 controller starts the built controller on the cluster's controller address and stops it. */
class ControllerCommandTest {

    @TempDir
    Path state;

    @Test
    void startsTheControllerWhichAnswersWithTheTokenAndStopsIt() throws Exception {
        assertThat(ControllerCommand.controllerJar()).as("the controller module is built before the cli").exists();
        int block = ThreadLocalRandom.current().nextInt(100, 250);
        int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
        CliRun.Background run = CliRun.inBackground("controller", "--cluster",
                "../examples/clusters/3x-type1-smartnic.yaml", "--address-block", String.valueOf(block), "--token",
                "cmd-token", "--port", String.valueOf(port), "--state-dir", state.toString(), "--exit-after", "3s");
        String url = "http://127." + block + ".0.2:" + port;
        await().atMost(Duration.ofSeconds(90)).until(() -> run.out().toString().contains("Running for"));
        assertThat(run.out().toString()).contains("e3 controller for cluster 3x-type1-smartnic at " + url)
                .contains("token: as given; --show-token prints it").contains("Dashboard: " + url + "/dashboard/ (")
                .doesNotContain("cmd-token");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> apps = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/apps"))
                .header("Authorization", "Bearer cmd-token").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(apps.statusCode()).isEqualTo(200);
        assertThat(apps.body()).isEqualTo("[]");
        HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(URI.create(url + "/dashboard/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(dashboard.statusCode()).as("the dashboard's page needs no token").isEqualTo(200);
        assertThat(dashboard.body()).contains("<title>E3 dashboard</title>");
        CliRun done = run.result().get();
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(Files.exists(state.resolve("controller.log"))).isTrue();
    }

    @Test
    void generatedTokenIsKeptInAnOwnerOnlyFileAndPrintedOnlyWhenAsked() throws Exception {
        assumeThat(System.getenv(RunOptions.TOKEN_VARIABLE)).isNull();
        int block = ThreadLocalRandom.current().nextInt(100, 250);
        int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
        CliRun.Background run = CliRun.inBackground("controller", "--cluster",
                "../examples/clusters/3x-type1-smartnic.yaml", "--address-block", String.valueOf(block), "--port",
                String.valueOf(port), "--state-dir", state.toString(), "--exit-after", "1s", "--show-token");
        await().atMost(Duration.ofSeconds(90)).until(() -> run.out().toString().contains("Running for"));
        Path file = state.resolve("token");
        String token = Files.readString(file).strip();
        assertThat(token).matches("[0-9a-f]{32}");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        assertThat(run.out().toString()).contains("token: " + token + " (generated, kept in " + file)
                .contains("/dashboard/#token=" + token);
        assertThat(run.result().get().exitCode()).isZero();
    }

    @Test
    void badOptionsAreAllReported() {
        CliRun run = CliRun.of("controller", "--address-block", "0", "--algorithm", "magic", "--port", "70000",
                "--cluster", "../examples/clusters/3x-type1-smartnic.yaml");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--address-block: must be in [1, 254]").contains("--algorithm: 'magic'")
                .contains("--port: must be in [1, 65535]");
    }
}
