package io.e3.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the controller's REST API on 127.0.0.1 and a free port: it checks the bearer token as
 * {@code TokenAuthFilter} does and gives canned answers ({@link ControllerAnswers}); an unknown call gets 404 with
 * the HTML page Quarkus answers an unmatched path with. It records every request.
 */
final class FakeController implements AutoCloseable {

    /** One request as it arrived. */
    record Request(String method, String path, String contentType, String authorization, String body) {
    }

    private record Canned(int status, String json) {
    }

    /** What Quarkus answers for a path no resource matches. */
    private static final Canned NOT_FOUND = new Canned(404, "<html><body><h1>Resource not found</h1></body></html>");

    private final String token;
    private final HttpServer server;
    private final Path emptyConfig;
    private final Map<String, Canned> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    private FakeController(String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        this.emptyConfig = Files.createTempFile("e3-config", ".yaml");
        server.createContext("/", this::handle);
        server.start();
    }

    /** A fake controller that wants {@code token}. */
    static FakeController start(String token) {
        try {
            return new FakeController(token);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL of a controller that was there and is gone: nothing listens on it. */
    static String goneUrl() throws IOException {
        FakeController gone = start("gone");
        gone.close();
        return gone.url();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String token() {
        return token;
    }

    /** Answers {@code method path} with {@code status} and the JSON {@code json} from now on. */
    FakeController answer(String method, String path, int status, String json) {
        answers.put(method + " " + path, new Canned(status, json));
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The environment of a run against this controller: its URL and token, and an empty config file. */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put(ControllerOptions.SERVER_VARIABLE, url());
        env.put(RunOptions.TOKEN_VARIABLE, token);
        env.put(ConfigFile.VARIABLE, emptyConfig.toString());
        return env;
    }

    /** {@code e3 args} against this controller, with {@link #environment()}. */
    CliRun run(String... args) {
        return run(environment(), new byte[0], args);
    }

    /** {@code e3 args} with the environment variables {@code env} and {@code stdin}. */
    static CliRun run(Map<String, String> env, byte[] stdin, String... args) {
        return CliRun.withEnvironment(env::get, new ByteArrayInputStream(stdin), args);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        requests.add(new Request(method, path, exchange.getRequestHeaders().getFirst("Content-Type"), auth,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Canned canned;
        if (auth == null || !auth.equals("Bearer " + token)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"e3\"");
            canned = new Canned(401, auth == null ? ControllerAnswers.MISSING_TOKEN : ControllerAnswers.WRONG_TOKEN);
        } else {
            canned = answers.getOrDefault(method + " " + path, NOT_FOUND);
        }
        byte[] body = canned.json().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", canned == NOT_FOUND ? "text/html; charset=utf-8"
                : "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(canned.status(), body.length == 0 ? -1 : body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        Files.deleteIfExists(emptyConfig);
    }
}
