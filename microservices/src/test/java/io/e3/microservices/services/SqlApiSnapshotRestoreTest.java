package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.Microservice;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.StateFormatException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.e3.microservices.services.MigrationCheck.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration preserves behaviour for SQL and the API gateway: after 2,000 random requests, a snapshot restored into a
 * fresh instance answers the next 1,000 random requests exactly as the original does, refusals included.
 */
class SqlApiSnapshotRestoreTest {

    private static final List<String> SQL = List.of(
            "INSERT INTO items (id, name, qty, price) VALUES (?, ?, ?, ?)",
            "INSERT INTO items (id, name, qty, price) VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE qty = qty + 1",
            "UPDATE items SET qty = ?, name = ? WHERE id = ?",
            "UPDATE items SET price = price * 1.5 WHERE qty BETWEEN ? AND ?",
            "DELETE FROM items WHERE id IN (?, ?)",
            "SELECT * FROM items WHERE id = ?",
            "SELECT id, qty FROM items WHERE qty > ? ORDER BY qty DESC, name LIMIT ?",
            "SELECT COUNT(*) FROM items WHERE name LIKE ? OR price IS NULL",
            "INSERT INTO log (seq, device, reading) VALUES (?, ?, ?)",
            "SELECT seq, reading FROM log WHERE device = ? ORDER BY seq DESC LIMIT 5");

    static Stream<Arguments> services() {
        return Stream.of(
                service("sql", Sql::new, SqlApiSnapshotRestoreTest::sqlRequest),
                service("api-gateway", ApiGateway::new, SqlApiSnapshotRestoreTest::gatewayRequest));
    }

    private static JsonNode sqlRequest(Random r, int i) {
        if (i == 10) {
            // Created among the first 2,000 requests, so the restored schema must carry it.
            return Json.of("sql", "CREATE TABLE IF NOT EXISTS log (seq BIGINT PRIMARY KEY, device VARCHAR(16) "
                    + "NOT NULL, reading DOUBLE)");
        }
        int id = r.nextInt(60);
        Integer qty = r.nextInt(8) == 0 ? null : r.nextInt(100);
        int statement = r.nextInt(SQL.size());
        List<Object> params = switch (statement) {
            case 0, 1 -> Arrays.asList(id, "n" + r.nextInt(30), qty, r.nextInt(400) / 8.0);
            case 2 -> Arrays.asList(qty, "m" + r.nextInt(30), id);
            case 3 -> List.of(r.nextInt(50), 50 + r.nextInt(50));
            case 4 -> List.of(id, r.nextInt(60));
            case 5 -> List.of(id);
            case 6 -> List.of(r.nextInt(100), r.nextInt(20));
            case 7 -> List.of("n" + r.nextInt(3) + "%");
            case 8 -> List.of(r.nextInt(500), "d" + r.nextInt(4), r.nextGaussian());
            default -> List.of("d" + r.nextInt(4));
        };
        return Json.of("sql", SQL.get(statement), "params", params);
    }

    private static JsonNode gatewayRequest(Random r, int i) {
        long now = 1_000_000 + i * 37L - r.nextInt(50); // advancing, sometimes reordered
        String client = "client-" + r.nextInt(12);
        ObjectNode request = Json.of("path", r.nextBoolean() ? "/v1/telemetry/x" : "/v1/devices/y", "now", now);
        switch (r.nextInt(10)) {
            case 0 -> request.put("token", ApiGateway.mintToken(client, 1_000_000 + r.nextInt(100_000)));
            case 1 -> request.put("token", ApiGateway.mintToken(client, 1L << 40).replace("client", "clienT"));
            case 2 -> request.put("apiKey", ApiGateway.mintApiKey(
                    ApiGateway.DEMO_SECRET.getBytes(StandardCharsets.UTF_8), client));
            case 3 -> request.put("token", "garbage." + r.nextInt());
            default -> request.put("token", ApiGateway.mintToken(client, 1L << 40));
        }
        return request;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void restoredInstanceAnswersTheNextThousandRequestsIdentically(
            String name, Function<ReliableCollections, Microservice> factory,
            BiFunction<Random, Integer, JsonNode> requests) throws StateFormatException {
        MigrationCheck.Outcome outcome = MigrationCheck.assertRestoredInstanceAnswersIdentically(name, factory,
                requests);
        assertThat(outcome.refusedBefore()).as("most random requests are valid").isLessThan(1000);
    }
}
