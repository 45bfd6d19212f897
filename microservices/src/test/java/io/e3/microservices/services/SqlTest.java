package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.state.ReliableCollections;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Known answers of the SQL service, written out by hand for a five-row table. */
class SqlTest {

    /** Statements that use what is not supported, or JSqlParser tree shapes with missing parts. */
    private static final List<String> ODD = List.of("SELECT 1", "SELECT * FROM fruit WHERE (id, qty) = (1, 2)",
            "SELECT * FROM fruit WHERE id IN ()", "SELECT * FROM fruit WHERE id IN ?", "SELECT * FROM fruit LIMIT ALL",
            "SELECT * FROM fruit LIMIT NULL", "SELECT * FROM fruit OFFSET 3", "SELECT * FROM fruit WHERE name = :n",
            "SELECT * FROM fruit WHERE 1 = 1 XOR 2 = 2", "SELECT * FROM fruit WHERE id = 5 DIV 2",
            "UPDATE fruit SET (qty, price) = (1, 2)", "UPDATE fruit f SET f.qty = 1 FROM o WHERE f.id = o.id",
            "DELETE fruit FROM fruit JOIN x ON 1 = 1", "WITH x AS (SELECT 1) SELECT * FROM fruit", "VALUES (1, 2)",
            "INSERT INTO fruit SELECT * FROM fruit", "INSERT INTO fruit SET id = 1",
            "INSERT INTO fruit (id) VALUES (1) RETURNING id",
            "INSERT INTO fruit (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET qty = 3",
            "CREATE TABLE t (id BIGINT PRIMARY KEY, CHECK (id > 0))", "CREATE TABLE t AS SELECT * FROM fruit",
            "CREATE TABLE t (id BIGINT, x INT, UNIQUE (x), FOREIGN KEY (x) REFERENCES o(id))",
            "CREATE TABLE s.t (id BIGINT PRIMARY KEY)", "CREATE TABLE t (id BIGINT PRIMARY KEY) ENGINE=InnoDB",
            "CREATE TABLE t (a INT DEFAULT 5 PRIMARY KEY)", "CREATE TABLE t (a VARCHAR(0) PRIMARY KEY)",
            "CREATE TABLE t (a BIGINT PRIMARY KEY, b INT PRIMARY KEY)", "CREATE TABLE t (a INT, PRIMARY KEY (b))",
            "CREATE TABLE t (a VARCHAR(5000) PRIMARY KEY)", "CREATE TABLE t (a INT(3) PRIMARY KEY)",
            "SELECT other.* FROM fruit", "SELECT * FROM fruit WHERE other.id = 1", "SELECT upper(name) FROM fruit",
            "SELECT count(id) FROM fruit", "SELECT COUNT(*), id FROM fruit", "SELECT * FROM fruit ORDER BY 9",
            "SELECT * FROM fruit WHERE name LIKE 'x' ESCAPE '!'", "SELECT * FROM fruit WHERE name ILIKE 'x'",
            "SELECT * FROM fruit WHERE NOT NOT id = 1", "SELECT * FROM fruit WHERE id = ?0",
            "SELECT * FROM fruit WHERE id = ?99999", "SELECT * FROM fruit WHERE id = 1e999",
            "SELECT * FROM (SELECT * FROM fruit) x", "SELECT * FROM fruit, fruit", "EXPLAIN SELECT * FROM fruit",
            "TRUNCATE fruit", "ALTER TABLE fruit ADD COLUMN x INT", "SELECT * FROM fruit WHERE EXISTS (SELECT 1)",
            "SELECT CASE WHEN id = 1 THEN 1 END FROM fruit", "SELECT CAST(id AS VARCHAR) FROM fruit",
            "SELECT id || name FROM fruit", "SELECT * FROM fruit FOR UPDATE", "SELECT TOP 5 * FROM fruit",
            "SELECT * FROM fruit WHERE qty IN (1) = TRUE", "INSERT INTO fruit VALUES 1, 2",
            "INSERT INTO fruit (id, id) VALUES (1, 2)", "INSERT INTO fruit (id, name) VALUES (qty, 'x')",
            "UPDATE fruit SET qty = 1, qty = 2", "SELECT id FROM fruit WHERE id BETWEEN 'a' AND 2",
            "SELECT -name FROM fruit", "SELECT name + 1 FROM fruit", "SELECT NOT qty FROM fruit",
            "SELECT name LIKE 1 FROM fruit", "SELECT * FROM fruit LIMIT 'x'", "SELECT * FROM fruit LIMIT qty",
            "SELECT * FROM fruit WHERE id = 9223372036854775807 + 1", "SELECT 1e308 * 10 FROM fruit",
            "SELECT * FROM fruit WHERE name LIKE '" + "%a".repeat(200) + "'", "SELECT ~id FROM fruit",
            "SELECT * FROM fruit WHERE id = -9223372036854775808 / -1", "INSERT INTO fruit VALUES (9, 'x', 1)");

    private ReliableCollections state;
    private Sql sql;

    @BeforeEach
    void fruit() throws InvalidRequestException {
        state = new ReliableCollections();
        sql = new Sql(state);
        run("CREATE TABLE fruit (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, qty INT, price DOUBLE, "
                + "organic BOOLEAN)");
        run("INSERT INTO fruit (id, name, qty, price, organic) VALUES (3, 'cherry', 200, 4.0, NULL), "
                + "(1, 'apple', 10, 0.5, TRUE), (2, 'banana', NULL, 0.25, FALSE), (5, 'elderberry', 0, 12.5, FALSE)");
        run("INSERT INTO fruit VALUES (4, 'date', 15, NULL, TRUE)");
    }

    private JsonNode run(String statement, Object... params) throws InvalidRequestException {
        ObjectNode request = Json.of("sql", statement);
        if (params.length > 0) {
            request.set("params", Json.MAPPER.valueToTree(Arrays.asList(params)));
        }
        return sql.handle(request);
    }

    /** The rows as compact JSON, with ' for " so expectations read easily. */
    private String rows(String statement, Object... params) throws InvalidRequestException {
        return run(statement, params).get("rows").toString().replace('"', '\'');
    }

    @Test
    void selectsTheRowsWrittenOutByHandInPrimaryKeyOrder() throws InvalidRequestException {
        JsonNode all = run("SELECT * FROM fruit");
        assertThat(all.get("columns").toString()).isEqualTo("[\"id\",\"name\",\"qty\",\"price\",\"organic\"]");
        assertThat(all.get("rows").toString().replace('"', '\'')).isEqualTo("[[1,'apple',10,0.5,true],"
                + "[2,'banana',null,0.25,false],[3,'cherry',200,4.0,null],[4,'date',15,null,true],"
                + "[5,'elderberry',0,12.5,false]]");
        assertThat(all.get("truncated").asBoolean()).isFalse();
        assertThat(rows("SELECT name FROM fruit WHERE qty > 10")).isEqualTo("[['cherry'],['date']]");
        assertThat(rows("SELECT id FROM fruit WHERE price BETWEEN 0.5 AND 4")).isEqualTo("[[1],[3]]");
        assertThat(rows("SELECT id FROM fruit WHERE qty NOT BETWEEN 1 AND 100")).isEqualTo("[[3],[5]]");
        assertThat(rows("SELECT id FROM fruit WHERE name LIKE '%rr%'")).isEqualTo("[[3],[5]]");
        assertThat(rows("SELECT id FROM fruit WHERE name LIKE '_a%'")).isEqualTo("[[2],[4]]");
        assertThat(rows("SELECT f.id FROM fruit f WHERE f.name >= 'c' AND f.name < 'e'")).isEqualTo("[[3],[4]]");
        // 10 * 2 + 1 = 21; NULL * 2 + 1 = NULL; cherry: 4.0 * 200 = 800.0, and in BIGINT 200 / 3 = 66, 200 % 7 = 4.
        assertThat(rows("SELECT id, qty * 2 + 1 AS x FROM fruit WHERE id <= 2")).isEqualTo("[[1,21],[2,null]]");
        assertThat(rows("SELECT price * qty, qty / 3, qty % 7, -price FROM fruit WHERE id = 3"))
                .isEqualTo("[[800.0,66,4,-4.0]]");
        assertThat(run("SELECT id, qty - 1 FROM fruit WHERE id = 1").get("columns").toString())
                .isEqualTo("[\"id\",\"qty - 1\"]");
        assertThat(rows("SELECT COUNT(*) FROM fruit WHERE price IS NOT NULL")).isEqualTo("[[4]]");
        assertThat(rows("SELECT COUNT(*) AS n FROM fruit WHERE id = 42")).isEqualTo("[[0]]");
    }

    @Test
    void nullsFollowThreeValuedLogic() throws InvalidRequestException {
        // banana's qty is NULL: qty <> 10 and NOT (qty = 10) are UNKNOWN for it, so it is not selected.
        assertThat(rows("SELECT id FROM fruit WHERE qty <> 10")).isEqualTo("[[3],[4],[5]]");
        assertThat(rows("SELECT id FROM fruit WHERE NOT (qty = 10)")).isEqualTo("[[3],[4],[5]]");
        assertThat(rows("SELECT id FROM fruit WHERE qty IS NULL")).isEqualTo("[[2]]");
        assertThat(rows("SELECT id FROM fruit WHERE qty = NULL")).isEqualTo("[]");
        // IN with a NULL item: TRUE on a match, otherwise UNKNOWN; so NOT IN with a NULL item is never TRUE.
        assertThat(rows("SELECT id FROM fruit WHERE qty IN (10, NULL)")).isEqualTo("[[1]]");
        assertThat(rows("SELECT id FROM fruit WHERE qty NOT IN (10, NULL)")).isEqualTo("[]");
        assertThat(rows("SELECT id FROM fruit WHERE qty NOT IN (10)")).isEqualTo("[[3],[4],[5]]");
        // TRUE OR UNKNOWN = TRUE (1, 4: organic); UNKNOWN OR FALSE = UNKNOWN (2).
        assertThat(rows("SELECT id FROM fruit WHERE qty > 100 OR organic")).isEqualTo("[[1],[3],[4]]");
        assertThat(rows("SELECT id FROM fruit WHERE qty > 100 OR price > 10")).isEqualTo("[[3],[5]]");
        // UNKNOWN AND FALSE = FALSE, so NOT of it is TRUE (2: qty NULL, price 0.25); TRUE AND UNKNOWN = UNKNOWN,
        // and NOT UNKNOWN is UNKNOWN (4: qty 15, price NULL).
        assertThat(rows("SELECT id FROM fruit WHERE NOT (qty > 5 AND price > 1)")).isEqualTo("[[1],[2],[5]]");
        assertThat(rows("SELECT id FROM fruit WHERE organic IS NULL OR NOT organic")).isEqualTo("[[2],[3],[5]]");
        // Elderberry: 0 >= NULL is UNKNOWN and 0 <= 5 TRUE, so UNKNOWN; the others have qty <= 5 FALSE.
        assertThat(rows("SELECT id FROM fruit WHERE qty BETWEEN NULL AND 5")).isEqualTo("[]");
    }

    @Test
    void orderByLimitAndOffsetPageThroughRows() throws InvalidRequestException {
        // Descending puts NULLs last, ascending first; ties keep primary-key order.
        assertThat(rows("SELECT id FROM fruit ORDER BY qty DESC")).isEqualTo("[[3],[4],[1],[5],[2]]");
        assertThat(rows("SELECT id FROM fruit ORDER BY qty")).isEqualTo("[[2],[5],[1],[4],[3]]");
        assertThat(rows("SELECT id FROM fruit ORDER BY organic, id DESC")).isEqualTo("[[3],[5],[2],[4],[1]]");
        assertThat(rows("SELECT id FROM fruit ORDER BY price DESC NULLS FIRST LIMIT 2")).isEqualTo("[[4],[5]]");
        assertThat(rows("SELECT id, price FROM fruit ORDER BY 2 LIMIT 2")).isEqualTo("[[4,null],[2,0.25]]");
        assertThat(rows("SELECT id, qty * -1 AS neg FROM fruit WHERE qty IS NOT NULL ORDER BY neg LIMIT 1"))
                .isEqualTo("[[3,-200]]");
        assertThat(rows("SELECT id FROM fruit LIMIT 2 OFFSET 1")).isEqualTo("[[2],[3]]");
        assertThat(rows("SELECT id FROM fruit LIMIT 1, 2")).isEqualTo("[[2],[3]]");
        assertThat(rows("SELECT id FROM fruit ORDER BY id DESC LIMIT ? OFFSET ?", 2, 4)).isEqualTo("[[1]]");
        assertThat(rows("SELECT id FROM fruit LIMIT 0")).isEqualTo("[]");
    }

    @Test
    void updateAndDeleteReportHowManyRowsTheyChanged() throws InvalidRequestException {
        // Organic with a quantity: apple (10) and date (15).
        assertThat(run("UPDATE fruit SET qty = qty + 1, name = name WHERE qty IS NOT NULL AND organic")
                .get("updated").asInt()).isEqualTo(2);
        assertThat(rows("SELECT id, qty FROM fruit WHERE organic")).isEqualTo("[[1,11],[4,16]]");
        // Every right-hand side sees the row as it was: price gets the old qty, 200.
        run("UPDATE fruit SET qty = 7, price = qty WHERE id = 3");
        assertThat(rows("SELECT qty, price FROM fruit WHERE id = 3")).isEqualTo("[[7,200.0]]");
        assertThat(run("UPDATE fruit SET price = NULL WHERE id = 99").get("updated").asInt()).isZero();
        // Date (price NULL), elderberry (12.5) and cherry (now 200.0).
        assertThat(run("DELETE FROM fruit WHERE price IS NULL OR price > 10").get("updated").asInt()).isEqualTo(3);
        assertThat(rows("SELECT id FROM fruit")).isEqualTo("[[1],[2]]");
        assertThat(run("DELETE FROM fruit").get("updated").asInt()).isEqualTo(2);
        assertThat(rows("SELECT COUNT(*) FROM fruit")).isEqualTo("[[0]]");
    }

    @Test
    void inFollowedByAndKeepsSqlPrecedenceDespiteTheJSqlParser53Bug() throws InvalidRequestException {
        // JSqlParser 5.3 parses "a IN (..) AND b" as "a IN ((..) AND b)"; the compiler regroups it.
        assertThat(rows("SELECT id FROM fruit WHERE id IN (1, 3, 4) AND qty > 12")).isEqualTo("[[3],[4]]");
        assertThat(rows("SELECT id FROM fruit WHERE qty IN (10, 0) OR organic IS NULL")).isEqualTo("[[1],[3],[5]]");
        // x AND a IN (..) OR y is (x AND a IN (..)) OR y: apple by the first branch, cherry by the second.
        assertThat(rows("SELECT id FROM fruit WHERE organic AND id IN (1, 2) OR price = 4")).isEqualTo("[[1],[3]]");
        assertThat(rows("SELECT id FROM fruit WHERE NOT id IN (1, 2) AND qty < 100")).isEqualTo("[[4],[5]]");
        assertThat(rows("SELECT id FROM fruit WHERE id NOT IN (1) AND id IN (2, 5) AND name LIKE 'b%'"))
                .isEqualTo("[[2]]");
    }

    @Test
    void keyLookupsCompareValuesNotTheirSpelling() throws InvalidRequestException {
        assertThat(rows("SELECT id FROM fruit WHERE id = 2.0")).isEqualTo("[[2]]");
        assertThat(rows("SELECT id FROM fruit WHERE id = 2.5")).isEqualTo("[]");
        assertThat(rows("SELECT id FROM fruit WHERE id = ?", 4.0)).isEqualTo("[[4]]");
        assertThat(rows("SELECT id FROM fruit WHERE 1 + 2 = id")).isEqualTo("[[3]]");
        assertThat(rows("SELECT id FROM fruit WHERE id IN (5, 1, 1, NULL, 9)")).isEqualTo("[[1],[5]]");
        assertThat(rows("SELECT id FROM fruit WHERE id = 1 AND qty = 11")).isEqualTo("[]");
        run("CREATE TABLE prices (p DOUBLE PRIMARY KEY, label TEXT)");
        run("INSERT INTO prices VALUES (0.0, 'zero'), (2, 'two')");
        assertThat(rows("SELECT label FROM prices WHERE p = -0.0")).isEqualTo("[['zero']]");
        assertThat(rows("SELECT label FROM prices WHERE p = 2")).isEqualTo("[['two']]");
        assertThatThrownBy(() -> run("INSERT INTO prices VALUES (-0.0, 'negative zero')"))
                .hasMessage("sql: duplicate primary key -0.0 in table prices");
    }

    @Test
    void aKeyLookupReadsOnlyTheKeyedRow() throws InvalidRequestException {
        // Elderberry's qty is 0: evaluating 100 / qty on it fails, so a query that succeeds never looked at it.
        assertThat(rows("SELECT id FROM fruit WHERE id = 1 AND 100 / qty > 5")).isEqualTo("[[1]]");
        assertThat(rows("SELECT id FROM fruit WHERE 100 / qty > 5 AND id IN (1, 3)")).isEqualTo("[[1]]");
        assertThatThrownBy(() -> run("SELECT id FROM fruit WHERE id >= 1 AND 100 / qty > 5"))
                .hasMessage("sql: division by zero in 100 / qty");
    }

    @Test
    void insertIsAllOrNothingAndOnDuplicateKeyUpdateUpserts() throws InvalidRequestException {
        byte[] before = state.snapshot();
        assertThatThrownBy(() -> run("INSERT INTO fruit (id, name) VALUES (6, 'fig'), (1, 'again')"))
                .hasMessage("sql: duplicate primary key 1 in table fruit");
        assertThatThrownBy(() -> run("INSERT INTO fruit (id, name) VALUES (7, 'x'), (7, 'y')"))
                .hasMessage("sql: duplicate primary key 7 in table fruit");
        assertThatThrownBy(() -> run("INSERT INTO fruit (id, name, qty) VALUES (8, 'x', 1), (9, 'y', 3000000000)"))
                .hasMessage("sql: column qty: 3000000000 is out of range for INT");
        assertThatThrownBy(() -> run("INSERT INTO fruit (id, qty) VALUES (10, 1)"))
                .hasMessage("sql: column name is NOT NULL");
        assertThat(state.snapshot()).isEqualTo(before);
        JsonNode upsert = run("INSERT INTO fruit (id, name, qty) VALUES (1, 'apple2', 5), (6, 'fig', 1) "
                + "ON DUPLICATE KEY UPDATE name = VALUES(name), qty = qty + VALUES(qty)");
        assertThat(upsert.get("updated").asInt()).isEqualTo(2);
        // apple: 10 + 5 = 15 and its price kept; fig inserted with the columns not given NULL.
        assertThat(rows("SELECT id, name, qty, price FROM fruit WHERE id IN (1, 6)"))
                .isEqualTo("[[1,'apple2',15,0.5],[6,'fig',1,null]]");
    }

    @Test
    void aFailingUpdateChangesNoRow() throws InvalidRequestException {
        byte[] before = state.snapshot();
        // cherry's 200 * 20,000,000 = 4e9 does not fit INT, so apple's 2e8 must not be written either.
        assertThatThrownBy(() -> run("UPDATE fruit SET qty = qty * 20000000 WHERE qty > 5"))
                .hasMessage("sql: column qty: 4000000000 is out of range for INT");
        assertThatThrownBy(() -> run("UPDATE fruit SET name = NULL WHERE id = 1"))
                .hasMessage("sql: column name is NOT NULL");
        assertThatThrownBy(() -> run("UPDATE fruit SET name = 'a name much longer than twenty' WHERE id = 1"))
                .hasMessage("sql: column name: a string of 30 characters exceeds 20");
        assertThat(state.snapshot()).isEqualTo(before);
    }

    @Test
    void errorsNameTheProblemAndLeaveTheStateUnchanged() throws InvalidRequestException {
        byte[] before = state.snapshot();
        assertThatThrownBy(() -> run("SELECT * FROM fruit WHERE")).hasMessageStartingWith("sql: syntax error: ")
                .hasMessageContaining("\"WHERE\"").hasMessageContaining("line 1, column 21");
        assertThatThrownBy(() -> run("SELECT * FROM fruit; DELETE FROM fruit"))
                .hasMessage("sql: one statement per request; another starts at line 1, column 22");
        assertThatThrownBy(() -> run("SELECT * FROM vegetables")).hasMessage("sql: unknown table vegetables");
        assertThatThrownBy(() -> run("SELECT colour FROM fruit"))
                .hasMessage("sql: unknown column colour in table fruit");
        assertThatThrownBy(() -> run("SELECT id FROM fruit WHERE name = 5"))
                .hasMessage("sql: cannot compare VARCHAR with BIGINT in name = 5");
        assertThatThrownBy(() -> run("SELECT id FROM fruit WHERE qty")).hasMessageStartingWith("sql: WHERE must be");
        assertThatThrownBy(() -> run("UPDATE fruit SET qty = 'many'")).hasMessage("sql: column qty is INT, cannot "
                + "store VARCHAR");
        assertThatThrownBy(() -> run("SELECT * FROM fruit a JOIN fruit b ON a.id = b.id")).hasMessageContaining("JOIN");
        assertThatThrownBy(() -> run("SELECT qty, COUNT(*) FROM fruit GROUP BY qty")).hasMessageContaining("GROUP BY");
        assertThatThrownBy(() -> run("SELECT id FROM fruit WHERE id IN (SELECT id FROM fruit)"))
                .hasMessageContaining("subquery");
        assertThatThrownBy(() -> run("SELECT id FROM fruit UNION SELECT id FROM fruit")).hasMessageContaining("UNION");
        assertThatThrownBy(() -> run("SELECT DISTINCT qty FROM fruit")).hasMessageContaining("DISTINCT");
        assertThatThrownBy(() -> run("DROP TABLE fruit")).hasMessageStartingWith("sql: DROP statements are not");
        assertThatThrownBy(() -> run("UPDATE fruit SET id = 9 WHERE id = 1")).hasMessageContaining("primary key id");
        assertThatThrownBy(() -> run("SELECT qty / 0 FROM fruit WHERE id = 1"))
                .hasMessageContaining("division by zero");
        assertThatThrownBy(() -> run("SELECT id FROM fruit WHERE id = ?")).hasMessage("params: the statement has 1 "
                + "? placeholders, got 0 values");
        assertThatThrownBy(() -> run("SELECT id FROM fruit WHERE id = ?", List.of(1)))
                .hasMessageStartingWith("params[0]: must be a number, string, boolean or null");
        assertThatThrownBy(() -> run("CREATE TABLE fruit (id BIGINT PRIMARY KEY)"))
                .hasMessage("sql: table fruit already exists");
        assertThatThrownBy(() -> run("CREATE TABLE t (a INT, b INT)")).hasMessageContaining("primary key");
        assertThatThrownBy(() -> run("CREATE TABLE t (a DATE PRIMARY KEY)")).hasMessageContaining("type DATE");
        assertThat(state.snapshot()).isEqualTo(before);
        assertThat(run("CREATE TABLE IF NOT EXISTS fruit (id BIGINT PRIMARY KEY)").toString())
                .isEqualTo("{\"created\":\"fruit\",\"existed\":true}");
    }

    @Test
    void oddAndMangledStatementsFailOnlyWithInvalidRequestException() {
        List<String> mangled = new ArrayList<>(ODD);
        Random r = new Random(9);
        List<String> seeds = List.of("SELECT id, qty * 2 AS x FROM fruit f WHERE f.id IN (1, ?) AND (qty > ? OR "
                + "name LIKE 'a%') ORDER BY x DESC NULLS LAST LIMIT 3 OFFSET ?", "UPDATE fruit SET qty = qty + ?, "
                + "price = NULL WHERE id BETWEEN ? AND 4 AND NOT organic", "INSERT INTO fruit (id, name, qty) VALUES "
                + "(?, 'x', 1), (7, ?, NULL) ON DUPLICATE KEY UPDATE qty = VALUES(qty), name = ?",
                "DELETE FROM fruit WHERE qty IS NOT NULL AND id <> ?", Sql.SAMPLE_SCHEMA.replace("items", "t2"));
        for (int i = 0; i < 3000; i++) {
            List<String> words = new ArrayList<>(List.of(seeds.get(r.nextInt(seeds.size())).split(" ")));
            for (int m = 1 + r.nextInt(3); m > 0; m--) {
                int at = r.nextInt(words.size());
                switch (r.nextInt(3)) {
                    case 0 -> words.remove(at);
                    case 1 -> words.add(at, words.get(r.nextInt(words.size())));
                    default -> words.set(at, words.get(r.nextInt(words.size())));
                }
            }
            mangled.add(String.join(" ", words));
        }
        List<Object> params = Arrays.asList(1, "a", null, 2.5, true);
        for (String statement : mangled) {
            for (int n = 0; n <= 3; n++) {
                int start = r.nextInt(3);
                List<Object> given = params.subList(start, start + n);
                assertThatCode(() -> {
                    try {
                        run(statement, given.toArray());
                    } catch (InvalidRequestException expected) {
                        assertThat(expected.getMessage()).startsWith(expected.getMessage().startsWith("params")
                                ? "params" : "sql: ");
                    }
                }).as(statement + " with " + given).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void namesWhatIsWrongWithARequest() {
        assertThatThrownBy(() -> sql.handle(Json.of("params", List.of())))
                .hasMessage("sql: required field is missing");
        assertThatThrownBy(() -> sql.handle(Json.of("sql", 7))).hasMessageStartingWith("sql: must be a string");
        assertThatThrownBy(() -> sql.handle(Json.of("sql", "SELECT id FROM fruit WHERE id = ?", "params", 1)))
                .hasMessageStartingWith("params: must be a list");
        assertThatThrownBy(() -> sql.handle(Json.of("sql", "SELECT id FROM fruit WHERE id = ?",
                "params", List.of(new BigInteger("99999999999999999999")))))
                .hasMessageStartingWith("params[0]: ");
        assertThatThrownBy(() -> sql.handle(Json.of("sql", "SELECT 1 FROM fruit LIMIT 99999999999999999999")))
                .hasMessageStartingWith("sql: integer literal");
        assertThatThrownBy(() -> sql.handle(Json.of("sql", " "))).hasMessage("sql: empty statement");
        assertThatThrownBy(() -> sql.handle(Json.of("sql", "x".repeat(70_000)))).hasMessageStartingWith("sql: ");
        assertThatThrownBy(() -> sql.handle(Json.of("sql", "SELECT " + "(".repeat(60) + "1" + ")".repeat(60)
                + " FROM fruit"))).hasMessageStartingWith("sql: parentheses nested deeper");
        assertThatThrownBy(() -> sql.handle(Json.parse("[\"SELECT 1\"]"))).hasMessage("request: must be a JSON object");
    }

    @Test
    void resultsStopAtTenThousandRowsAndSaySo() throws InvalidRequestException {
        for (int batch = 0; batch < 11; batch++) {
            StringBuilder insert = new StringBuilder("INSERT INTO items (id) VALUES ");
            for (int i = 0; i < 1000; i++) {
                insert.append(i == 0 ? "" : ", ").append('(').append(batch * 1000 + i).append(')');
            }
            run(insert.toString());
        }
        JsonNode all = run("SELECT id FROM items");
        assertThat(all.get("rows")).hasSize(10_000);
        assertThat(all.get("truncated").asBoolean()).isTrue();
        assertThat(all.get("rows").get(9_999).get(0).asLong()).isEqualTo(9_999);
        assertThat(run("SELECT id FROM items LIMIT 10000").get("truncated").asBoolean()).isFalse();
        assertThat(rows("SELECT COUNT(*) FROM items")).isEqualTo("[[11000]]");
    }

    @Test
    void aFreshInstanceHasTheEmptyDemoTableAndARestoredOneKeepsItsTables() throws Exception {
        Sql fresh = new Sql(new ReliableCollections());
        assertThat(fresh.handle(Json.of("sql", "SELECT * FROM items")).toString())
                .isEqualTo("{\"columns\":[\"id\",\"name\",\"qty\",\"price\"],\"rows\":[],\"truncated\":false}");
        Sql restored = new Sql(ReliableCollections.restore(state.snapshot()));
        assertThat(restored.handle(Json.of("sql", "SELECT name FROM fruit WHERE id = 5")).get("rows").toString())
                .isEqualTo("[[\"elderberry\"]]");
    }

    @Test
    void everySampleIsAcceptedByAFreshInstanceAndNearTheAskedSize() throws InvalidRequestException {
        Sql fresh = new Sql(new ReliableCollections());
        SplittableRandom random = new SplittableRandom(5);
        int hits = 0;
        for (int i = 0; i < 5000; i++) {
            ObjectNode sample = Sql.sampleRequest(random, 512);
            assertThat(sample.toString().length()).as(sample.toString()).isBetween(461, 563);
            JsonNode response = fresh.handle(sample);
            hits += response.has("rows") ? response.get("rows").size() : response.get("updated").asInt();
        }
        assertThat(hits).as("the bounded key space makes reads and updates find rows").isGreaterThan(10_000);
    }
}
