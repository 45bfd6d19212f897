package io.e3.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Calls to the controller's REST API (docs/controller.md). Every answer comes back as it is, except those no command
 * can do anything with: an unreachable controller or an answer that is not JSON is a {@link FailureException}
 * (exit 1), a 401 is a {@link BadInputException} (exit 2) saying how to give a token.
 */
final class ControllerClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Every call of the API answers at once (placement and deployment go on after it), so this is generous. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much of a body that is not JSON a message quotes. */
    private static final int QUOTED_CHARS = 60;

    private final URI base;
    private final String token;
    private final String tokenHint;
    private final HttpClient http;

    /**
     * @param base      the controller's URL, without a trailing slash
     * @param token     the bearer token, or null to send none
     * @param tokenHint how to give a token, for the message of a 401
     */
    ControllerClient(URI base, String token, String tokenHint) {
        this.base = base;
        this.token = token;
        this.tokenHint = tokenHint;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** One answer: its status and its JSON body ({@link MissingNode} when the body was empty). */
    record Answer(String method, String path, int status, JsonNode body) {

        /** The controller's {@code error} message, or null. */
        String error() {
            JsonNode e = body.path("error");
            return e.isTextual() ? e.asText() : null;
        }
    }

    URI base() {
        return base;
    }

    Answer get(String path) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody(), null, REQUEST_TIMEOUT);
    }

    Answer post(String path, String contentType, byte[] body) {
        return post(path, contentType, body, REQUEST_TIMEOUT);
    }

    /** A POST that may take up to {@code timeout} to be answered, such as a request sent into an app. */
    Answer post(String path, String contentType, byte[] body, Duration timeout) {
        return send("POST", path, HttpRequest.BodyPublishers.ofByteArray(body), contentType, timeout);
    }

    Answer delete(String path) {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody(), null, REQUEST_TIMEOUT);
    }

    /**
     * The body of {@code answer} if its status is one of {@code expected}; otherwise a {@link FailureException}
     * with the controller's error (a 404's error names what is missing, e.g. "no app 'shop'").
     */
    static JsonNode require(Answer answer, int... expected) {
        if (Arrays.stream(expected).anyMatch(s -> s == answer.status())) {
            return answer.body();
        }
        String error = answer.error();
        if (answer.status() == 404) {
            // The controller names what is missing; without an error, the path itself is unknown to it.
            throw new FailureException(error != null ? error : "the controller has no " + answer.method() + " "
                    + answer.path() + " (HTTP 404); is it older than this e3?");
        }
        throw new FailureException("the controller answered " + answer.method() + " " + answer.path() + " with HTTP "
                + answer.status() + (error == null ? "" : ": " + error));
    }

    /** {@code name} as one path segment: every byte outside the URI's unreserved characters percent-encoded. */
    static String segment(String name) {
        StringBuilder b = new StringBuilder();
        for (byte c : name.getBytes(StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    private Answer send(String method, String path, HttpRequest.BodyPublisher body, String contentType,
                        Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json").method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw unreachable("no answer within " + Units.duration(CONNECT_TIMEOUT), e);
        } catch (HttpTimeoutException e) {
            throw new FailureException("the controller at " + base + " did not answer " + method + " " + path
                    + " within " + Units.duration(timeout), e);
        } catch (IOException e) {
            throw unreachable(reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FailureException("interrupted while calling the controller at " + base, e);
        }
        Answer answer = new Answer(method, path, response.statusCode(), parse(method, path, response));
        if (answer.status() == 401) {
            throw new BadInputException("unauthorized: " + (answer.error() == null ? "the controller refused the token"
                    : answer.error()) + " (" + tokenHint + ")");
        }
        return answer;
    }

    private JsonNode parse(String method, String path, HttpResponse<String> response) {
        String text = response.body();
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            if (response.statusCode() >= 400) {
                // An error page, such as Quarkus's HTML for an unknown path: the status says enough.
                return MissingNode.getInstance();
            }
            String quoted = text.strip().lines().findFirst().orElse("");
            throw new FailureException("the server at " + base + " answered " + method + " " + path + " with HTTP "
                    + response.statusCode() + " and no JSON ('"
                    + (quoted.length() > QUOTED_CHARS ? quoted.substring(0, QUOTED_CHARS) + "..." : quoted)
                    + "'); is it an E3 controller?", e);
        }
    }

    private FailureException unreachable(String reason, Exception cause) {
        return new FailureException("cannot reach the controller at " + base + ": " + reason, cause);
    }

    /** What went wrong, in words: the JDK's client often throws a ConnectException without a message. */
    private static String reason(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof java.net.UnknownHostException) {
                return "unknown host";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }
}
