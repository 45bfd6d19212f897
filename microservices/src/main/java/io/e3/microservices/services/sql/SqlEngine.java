package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.state.ReliableCollections;
import net.sf.jsqlparser.statement.Statement;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs SQL statements over the tables kept in reliable collections (see {@code io.e3.microservices.services.Sql} for
 * the dialect and the storage layout). Compiled statements are kept in an LRU cache keyed by the SQL text: parsing
 * costs far more than running a point query, and the cache is derived data (a compiled plan depends only on the text
 * and on table schemas, which never change once created), so it is not part of the state and never changes an answer.
 */
public final class SqlEngine {

    /** How many compiled statements an instance keeps. */
    public static final int CACHE_SIZE = 256;
    /** The longest statement accepted, in characters. */
    public static final int MAX_SQL_LENGTH = 65_536;
    /** Longer statements (bulk INSERTs, mostly one-off) are not cached, which bounds the cache's memory. */
    static final int MAX_CACHED_LENGTH = 4096;

    private final Catalog catalog;
    private final Map<String, Plan> cache = new LinkedHashMap<>(CACHE_SIZE * 2, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Plan> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /** An engine over the tables in {@code state} ({@code sql.schema} and {@code sql.t.*}). */
    public SqlEngine(ReliableCollections state) {
        this.catalog = new Catalog(state);
    }

    /** Whether the state holds no table yet. */
    public boolean isEmpty() {
        return catalog.isEmpty();
    }

    /**
     * Runs one statement.
     *
     * @param sql    the statement, with JDBC-style {@code ?} placeholders
     * @param params the placeholder values, a JSON list (null when there are none)
     * @return {@code {"columns", "rows", "truncated"}} for SELECT, {@code {"updated"}} for INSERT, UPDATE and DELETE,
     *         {@code {"created", "existed"}} for CREATE TABLE
     * @throws InvalidRequestException starting {@code sql: } or {@code params: }; the tables are then unchanged
     */
    public ObjectNode execute(String sql, JsonNode params) throws InvalidRequestException {
        Plan plan = cache.get(sql);
        if (plan == null) {
            if (sql.length() > MAX_SQL_LENGTH) {
                throw SqlErrors.error("statement longer than " + MAX_SQL_LENGTH + " characters");
            }
            plan = compile(sql);
            if (sql.length() <= MAX_CACHED_LENGTH) {
                cache.put(sql, plan);
            }
        }
        return plan.execute(Params.bind(params, plan.parameters()));
    }

    private Plan compile(String sql) throws InvalidRequestException {
        Statement statement = SqlParser.parse(sql);
        try {
            return Planner.plan(statement, catalog);
        } catch (RuntimeException e) {
            // JSqlParser trees leave many fields null in shapes this engine does not expect; such a statement is one
            // it cannot run, not a fault of the service. Nothing has been changed yet.
            throw SqlErrors.error("cannot compile " + e.getClass().getSimpleName() + " in: " + sql);
        }
    }

    /** How many compiled statements are cached (for tests of the cache). */
    int cachedStatements() {
        return cache.size();
    }
}
