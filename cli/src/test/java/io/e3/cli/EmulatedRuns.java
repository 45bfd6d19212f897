package io.e3.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** For tests of commands that run emulated clusters: free address blocks, the document a run prints, HTTP calls. */
final class EmulatedRuns {

    static final String CLUSTER = "../examples/clusters/3x-type1-smartnic.yaml";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private EmulatedRuns() {
    }

    /** A random block 127.B.0.0/16, B in [100, 249], whose switch and first node addresses are free right now. */
    static int freeBlock() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int b = ThreadLocalRandom.current().nextInt(100, 250);
            if (canListen("127." + b + ".0.1") && canListen("127." + b + ".1.0")) {
                return b;
            }
        }
        throw new AssertionError("no free address block among 127.100.0.0/16 to 127.249.0.0/16");
    }

    private static boolean canListen(String address) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 7080));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The JSON document a run printed once it listens; fails if the run ends without printing one. */
    static JsonNode document(CliRun.Background run) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> run.result().isDone() || parse(run.outSoFar()) != null);
        JsonNode doc = parse(run.outSoFar());
        assertThat(doc).as("document of a run that ended as %s", run.result().getNow(null)).isNotNull();
        return doc;
    }

    /** The JSON document in {@code text}, or null if it holds none (yet). */
    static JsonNode parse(String text) {
        try {
            return text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    record Response(int status, String body) {
    }

    /** A GET, with the cluster token unless it is null. */
    static Response get(String url, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }
}
