package io.e3.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A controller running as a child process (the Quarkus application of module controller). */
final class ControllerProcess implements AutoCloseable {

    private final Process process;
    private final String url;

    private ControllerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * Starts the controller for {@code clusterFile}'s agents on block {@code block}, listening on {@code host:port}.
     *
     * @param inheritIo whether its log goes to this process's output; otherwise it is discarded
     */
    static ControllerProcess start(Path jar, Path clusterFile, int block, String token, String host, int port,
                                   Path stateDir, String algorithm, boolean inheritIo) throws IOException {
        return start(jar, clusterFile, block, token, host, port, stateDir, algorithm, inheritIo, Map.of());
    }

    /**
     * As {@link #start(Path, Path, int, String, String, int, Path, String, boolean)}, with more of the controller's
     * configuration properties ({@code e3.failover.timeout-ms} and the like, docs/controller.md), passed as system
     * properties.
     */
    static ControllerProcess start(Path jar, Path clusterFile, int block, String token, String host, int port,
                                   Path stateDir, String algorithm, boolean inheritIo, Map<String, String> settings)
            throws IOException {
        Map<String, String> all = new LinkedHashMap<>(settings);
        if (!inheritIo) {
            all.put("quarkus.log.level", "WARN");
        }
        return start(jar, clusterFile, block, token, host, port, stateDir, algorithm, all,
                inheritIo ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
    }

    /**
     * As {@link #start(Path, Path, int, String, String, int, Path, String, boolean, Map)}, with the controller's whole
     * log (standard output and error) written to {@code log}.
     */
    static ControllerProcess startLoggingTo(Path log, Path jar, Path clusterFile, int block, String token, String host,
                                            int port, Path stateDir, String algorithm, Map<String, String> settings)
            throws IOException {
        return start(jar, clusterFile, block, token, host, port, stateDir, algorithm, settings,
                ProcessBuilder.Redirect.to(log.toFile()));
    }

    /**
     * A null {@code token} lets the controller generate one and keep it in {@code <stateDir>/token}. The token goes to
     * the child in its environment ({@code E3_TOKEN}, which the controller reads as
     * {@code e3.token}), never on its command line, where every user of the machine could read it with {@code ps}.
     */
    private static ControllerProcess start(Path jar, Path clusterFile, int block, String token, String host, int port,
                                           Path stateDir, String algorithm, Map<String, String> settings,
                                           ProcessBuilder.Redirect output) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-De3.cluster.file=" + clusterFile.toAbsolutePath(),
                "-De3.cluster.address-block=" + block, "-De3.state.dir=" + stateDir.toAbsolutePath(),
                "-De3.placement.algorithm=" + algorithm, "-Dquarkus.http.host=" + host,
                "-Dquarkus.http.port=" + port));
        settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (output == ProcessBuilder.Redirect.INHERIT) {
            pb.inheritIO();
        } else {
            pb.redirectErrorStream(true).redirectOutput(output);
        }
        if (token == null) {
            pb.environment().remove(RunOptions.TOKEN_VARIABLE);
        } else {
            pb.environment().put(RunOptions.TOKEN_VARIABLE, token);
        }
        return new ControllerProcess(pb.start(), "http://" + host + ":" + port);
    }

    String url() {
        return url;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    /** Waits up to {@code limit} until GET /v1/health answers 200; false if it does not or the process ends. */
    boolean awaitReady(String token, Duration limit) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/health"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Stops it: SIGTERM, then after 15 s a forced kill. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
