package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.microservices.services.sql.SqlEngine;
import io.e3.microservices.state.ReliableCollections;
import io.e3.model.app.MicroserviceType;

import java.util.random.RandomGenerator;

/**
 * SQL (Table 5.2): an in-memory SQL store; one instance is one shard of a key-sharded set of tables (IOT-TS shards it
 * by thermostat id, Fig. 5.1).
 *
 * <p><b>Why not an embedded database.</b> A stateful service must keep all of its state in reliable collections so
 * that a snapshot migrates it (§5.3.1). H2, HSQLDB, Derby and SQLite keep their own storage, which breaks that
 * contract (the chapter pins its SQL engine to the host for exactly this reason, §5.5); Calcite is heavy and plans
 * each query in milliseconds. So statements are parsed with JSqlParser (a maintained SQL parser) and executed here over
 * reliable hash tables: {@code sql.schema} maps each table name to its schema, and {@code sql.t.<table>} maps each
 * row's primary-key value (as text) to the row encoded compactly as bytes. Migrating an instance therefore migrates its
 * tables, and a snapshot restored elsewhere answers exactly as the original.
 *
 * <p><b>Dialect.</b> {@code CREATE TABLE [IF NOT EXISTS] t (c TYPE [NOT NULL] [PRIMARY KEY], ..., [PRIMARY KEY (c)])}
 * with types BIGINT, INT, DOUBLE, VARCHAR[(n)]/TEXT, BOOLEAN and a one-column primary key; {@code INSERT INTO t [(c,
 * ...)] VALUES (...), ... [ON DUPLICATE KEY UPDATE c = expr, ...]} (a duplicate key fails the statement unless ON
 * DUPLICATE KEY UPDATE is given; there {@code VALUES(c)} is the value the row would have been inserted with);
 * {@code SELECT *|expr [AS a], ...|COUNT(*) FROM t [WHERE ...] [ORDER BY ...] [LIMIT n] [OFFSET m]};
 * {@code UPDATE t SET c = expr, ... [WHERE ...]} (the primary key cannot be SET); {@code DELETE FROM t [WHERE ...]}.
 * Expressions: comparisons, AND, OR, NOT, IN (list), BETWEEN, IS [NOT] NULL, LIKE, + - * / %, with SQL three-valued
 * NULL logic; BIGINT arithmetic is exact (overflow and division by zero are errors). A WHERE that is or ANDs in
 * {@code pk = value} or {@code pk IN (values)} looks rows up by key instead of scanning. Rows come in primary-key
 * order unless ORDER BY says otherwise. Joins, GROUP BY, subqueries and the like are refused by name. Identifiers are
 * case-insensitive. A fresh instance starts with the demo table {@link #SAMPLE_SCHEMA} (empty), which the sample
 * requests use; a restored snapshot keeps the tables it had. Compiled statements are cached per instance (256, LRU,
 * keyed by the SQL text), so statements should pass values as {@code ?} parameters. Limits: 64 tables of 64 columns,
 * 1,000 rows per INSERT, 65,535 characters per string (1,024 for a string primary key), statements of 64 Ki
 * characters with parentheses nested at most 16 deep.
 *
 * <p>Request {@code {"sql": "...", "params": [...] (optional, one value per ? placeholder)}}; response for SELECT
 * {@code {"columns": [...], "rows": [[...], ...], "truncated": bool}} (at most 10,000 rows), for INSERT, UPDATE and
 * DELETE {@code {"updated": n}}, for CREATE TABLE {@code {"created": "t", "existed": bool}}. Every error (syntax,
 * unknown table or column, type mismatch, unsupported feature, constraint) fails the whole statement with the state
 * unchanged.
 */
public final class Sql implements Microservice {

    public static final String REQUEST_SCHEMA = "{\"sql\": string, \"params\"?: [number|string|boolean|null]}";
    public static final String RESPONSE_SCHEMA = "{\"columns\": [string], \"rows\": [[number|string|boolean|null]], "
            + "\"truncated\": bool} | {\"updated\": int} | {\"created\": string, \"existed\": bool}";
    /** The demo table of a fresh instance. */
    public static final String SAMPLE_SCHEMA =
            "CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR, qty INT, price DOUBLE)";
    /** Sample requests use ids in [FIRST_ID, FIRST_ID + SAMPLE_KEYS): all four digits, so sizes are predictable. */
    private static final int FIRST_ID = 1000;
    private static final int SAMPLE_KEYS = 1000;
    private static final int MAX_SAMPLE_BATCH = 256;
    private static final String UPSERT = "INSERT INTO items (id, name, qty, price) VALUES (?, ?, ?, ?) ON DUPLICATE "
            + "KEY UPDATE name = VALUES(name), qty = VALUES(qty), price = VALUES(price)";
    private static final String UPDATE = "UPDATE items SET name = ?, qty = ?, price = price * 0.5 + ? WHERE id = ?";

    private final SqlEngine engine;

    public Sql(ReliableCollections state) {
        this.engine = new SqlEngine(state);
        if (engine.isEmpty()) {
            try {
                engine.execute(SAMPLE_SCHEMA, null);
            } catch (InvalidRequestException e) {
                throw new IllegalStateException("the demo schema does not compile: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.SQL;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String sql = Requests.text(request, "sql");
        return engine.execute(sql, request.get("params"));
    }

    /**
     * A random valid request on the demo table over a bounded key space: 40 % batched point reads
     * ({@code WHERE id IN (?, ...)} with as many keys as fill {@code bytes}), 35 % upserts and 25 % updates whose
     * {@code name} fills {@code bytes}. The SQL texts repeat, so the statement cache serves them.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        int kind = random.nextInt(100);
        if (kind < 40) {
            int base = select(1, random).toString().length();
            int keys = Math.max(1, Math.min(MAX_SAMPLE_BATCH, 1 + (bytes - base) / 8)); // ", ?" plus "1234,"
            return select(keys, random);
        }
        boolean upsert = kind < 75;
        int base = write(upsert, "", random).toString().length();
        return write(upsert, Samples.text(random, bytes - base), random);
    }

    private static ObjectNode select(int keys, RandomGenerator random) {
        StringBuilder sql = new StringBuilder("SELECT id, qty, price FROM items WHERE id IN (?");
        sql.append(", ?".repeat(keys - 1)).append(')');
        ObjectNode request = Requests.response().put("sql", sql.toString());
        ArrayNode params = request.putArray("params");
        for (int i = 0; i < keys; i++) {
            params.add(FIRST_ID + random.nextInt(SAMPLE_KEYS));
        }
        return request;
    }

    private static ObjectNode write(boolean upsert, String name, RandomGenerator random) {
        long id = FIRST_ID + random.nextInt(SAMPLE_KEYS);
        int qty = random.nextInt(1000);
        double price = Math.round(random.nextDouble() * 10_000) / 100.0;
        ObjectNode request = Requests.response().put("sql", upsert ? UPSERT : UPDATE);
        ArrayNode params = request.putArray("params");
        if (upsert) {
            params.add(id).add(name).add(qty).add(price);
        } else {
            params.add(name).add(qty).add(price).add(id);
        }
        return request;
    }
}
