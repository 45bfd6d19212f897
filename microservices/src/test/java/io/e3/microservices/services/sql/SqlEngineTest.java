package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.state.ReliableCollections;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the engine a response does not show: the statement cache and the choice of access path. */
class SqlEngineTest {

    private static final TableSchema ITEMS = new TableSchema("items", List.of(
            new Column("id", ColumnType.BIGINT, true, Column.MAX_STRING),
            new Column("qty", ColumnType.INT, false, Column.MAX_STRING)), 0);

    private static boolean pointLookup(String where) throws JSQLParserException, InvalidRequestException {
        ExprCompiler compiler = new ExprCompiler(ITEMS, "i", false);
        return Access.of(ITEMS, compiler.compile(CCJSqlParserUtil.parseCondExpression(where))).pointLookup();
    }

    @Test
    void keyEqualityAndKeyInListsAreLookupsAndEverythingElseScans() throws Exception {
        assertThat(pointLookup("id = ?")).isTrue();
        assertThat(pointLookup("? + 1 = i.id")).isTrue();
        assertThat(pointLookup("qty > 3 AND id = 7 AND qty < 9")).isTrue();
        assertThat(pointLookup("id IN (1, 2, ?) AND qty > 3")).isTrue();
        assertThat(pointLookup("id = qty")).isFalse();
        assertThat(pointLookup("id = 1 OR id = 2")).isFalse();
        assertThat(pointLookup("NOT id = 1")).isFalse();
        assertThat(pointLookup("id NOT IN (1, 2)")).isFalse();
        assertThat(pointLookup("id IN (1, qty)")).isFalse();
        assertThat(pointLookup("id >= 1")).isFalse();
    }

    @Test
    void theStatementCacheIsBoundedAndNeverChangesAnAnswer() throws InvalidRequestException {
        SqlEngine engine = new SqlEngine(new ReliableCollections());
        engine.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, qty INT)", null);
        engine.execute("INSERT INTO items VALUES (1, 10), (2, 20), (3, 30)", null);
        String query = "SELECT id FROM items WHERE qty > 15";
        JsonNode first = engine.execute(query, null);
        for (int i = 0; i < 2 * SqlEngine.CACHE_SIZE; i++) {
            engine.execute("SELECT id FROM items WHERE qty > " + i, null); // evicts the first query
        }
        assertThat(engine.cachedStatements()).isEqualTo(SqlEngine.CACHE_SIZE);
        assertThat(engine.execute(query, null)).isEqualTo(first);
        assertThat(engine.execute(query, null)).isEqualTo(first); // now from the cache
        // A plan cached while its table was missing would be wrong; failed statements are not cached.
        String later = "SELECT COUNT(*) FROM later";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> engine.execute(later, null))
                .hasMessage("sql: unknown table later");
        engine.execute("CREATE TABLE later (k VARCHAR PRIMARY KEY)", null);
        assertThat(engine.execute(later, null).get("rows").toString()).isEqualTo("[[0]]");
    }
}
