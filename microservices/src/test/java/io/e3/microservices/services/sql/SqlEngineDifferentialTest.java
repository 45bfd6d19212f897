package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.state.ReliableCollections;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random statements against a plain oracle: a {@code TreeMap<Long, Object[]>} of {name, qty, price} with each WHERE
 * coded by hand in Java, NULLs and all (three-valued logic written out below).
 */
class SqlEngineDifferentialTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final SqlEngine engine = new SqlEngine(new ReliableCollections());
    private final TreeMap<Long, Object[]> oracle = new TreeMap<>();
    private final Random r = new Random(42);

    private JsonNode run(String sql, Object... params) throws InvalidRequestException {
        return engine.execute(sql, MAPPER.valueToTree(Arrays.asList(params)));
    }

    @Test
    void randomStatementsAgreeWithATreeMapOracle() throws InvalidRequestException {
        engine.execute("CREATE TABLE items (id BIGINT PRIMARY KEY, name VARCHAR, qty INT, price DOUBLE)", null);
        for (int i = 0; i < 6000; i++) {
            switch (r.nextInt(10)) {
                case 0, 1 -> insert();
                case 2 -> upsert();
                case 3, 4 -> update();
                case 5 -> delete();
                default -> select();
            }
        }
        assertThat(oracle).isNotEmpty();
    }

    private Long qty() {
        return r.nextInt(7) == 0 ? null : (long) (r.nextInt(41) - 20);
    }

    private Double price() {
        return r.nextInt(7) == 0 ? null : r.nextInt(1000) / 4.0;
    }

    private void insert() throws InvalidRequestException {
        int n = 1 + r.nextInt(3);
        List<Object> params = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        boolean duplicate = false;
        for (int i = 0; i < n; i++) {
            long id = r.nextInt(80);
            Object[] row = {"n" + r.nextInt(1000), qty(), price()};
            duplicate |= oracle.containsKey(id) || !ids.add(id);
            params.addAll(Arrays.asList(id, row[0], row[1], row[2]));
            rows.add(new Object[] {id, row});
        }
        String sql = "INSERT INTO items (id, name, qty, price) VALUES " + String.join(", ",
                Collections.nCopies(n, "(?, ?, ?, ?)"));
        if (duplicate) {
            assertThatThrownBy(() -> run(sql, params.toArray())).hasMessageStartingWith("sql: duplicate primary key");
            return;
        }
        assertThat(run(sql, params.toArray()).get("updated").asInt()).isEqualTo(n);
        rows.forEach(row -> oracle.put((Long) row[0], (Object[]) row[1]));
    }

    private void upsert() throws InvalidRequestException {
        long id = r.nextInt(80);
        Long qty = qty();
        String name = "u" + r.nextInt(1000);
        // MySQL semantics: an existing row gets qty = the would-be inserted qty and the new name; price kept.
        run("INSERT INTO items (id, name, qty, price) VALUES (?, 'fresh', ?, 1.5) ON DUPLICATE KEY UPDATE "
                + "qty = VALUES(qty), name = ?", id, qty, name);
        Object[] old = oracle.get(id);
        oracle.put(id, old == null ? new Object[] {"fresh", qty, 1.5} : new Object[] {name, qty, old[2]});
    }

    private void update() throws InvalidRequestException {
        switch (r.nextInt(3)) {
            case 0 -> {
                long lo = r.nextInt(80);
                long hi = lo + r.nextInt(20);
                long d = r.nextInt(11) - 5;
                String name = "m" + r.nextInt(100);
                int count = apply(e -> e.getKey() >= lo && e.getKey() <= hi,
                        row -> new Object[] {name, row[1] == null ? null : (Long) row[1] + d, row[2]});
                assertThat(run("UPDATE items SET qty = qty + ?, name = ? WHERE id BETWEEN ? AND ?", d, name, lo, hi)
                        .get("updated").asInt()).isEqualTo(count);
            }
            case 1 -> {
                long q = r.nextInt(41) - 20;
                // qty < q OR qty IS NULL: TRUE for NULL qty through the second operand.
                int count = apply(e -> e.getValue()[1] == null || (Long) e.getValue()[1] < q,
                        row -> new Object[] {row[0], row[1], row[2] == null ? null : (Double) row[2] * 2});
                assertThat(run("UPDATE items SET price = price * 2 WHERE qty < ? OR qty IS NULL", q)
                        .get("updated").asInt()).isEqualTo(count);
            }
            default -> {
                long id = r.nextInt(80);
                Long qty = qty();
                int count = apply(e -> e.getKey() == id, row -> new Object[] {row[0], qty, row[2]});
                assertThat(run("UPDATE items SET qty = ? WHERE id = ?", qty, id).get("updated").asInt())
                        .isEqualTo(count);
            }
        }
    }

    private int apply(Predicate<Map.Entry<Long, Object[]>> where, UnaryOperator<Object[]> set) {
        int count = 0;
        for (Map.Entry<Long, Object[]> e : oracle.entrySet()) {
            if (where.test(e)) {
                e.setValue(set.apply(e.getValue()));
                count++;
            }
        }
        return count;
    }

    private void delete() throws InvalidRequestException {
        if (r.nextBoolean()) {
            long lo = r.nextInt(41) - 20;
            long hi = lo + r.nextInt(8);
            int before = oracle.size();
            oracle.values().removeIf(row -> row[1] != null && (Long) row[1] >= lo && (Long) row[1] <= hi);
            assertThat(run("DELETE FROM items WHERE qty >= ? AND qty <= ?", lo, hi).get("updated").asInt())
                    .isEqualTo(before - oracle.size());
        } else {
            long a = r.nextInt(80);
            long b = r.nextInt(80);
            long c = r.nextInt(80);
            int before = oracle.size();
            oracle.keySet().removeAll(List.of(a, b, c));
            assertThat(run("DELETE FROM items WHERE id IN (?, ?, ?)", a, b, c).get("updated").asInt())
                    .isEqualTo(before - oracle.size());
        }
    }

    private void select() throws InvalidRequestException {
        long lo = r.nextInt(80);
        long hi = lo + r.nextInt(30);
        long q = r.nextInt(41) - 20;
        long[] ids = {r.nextInt(80), r.nextInt(80), r.nextInt(80), r.nextInt(80)};
        List<Long> idList = List.of(ids[0], ids[1], ids[2], ids[3]);
        Comparator<Map.Entry<Long, Object[]>> byId = Map.Entry.comparingByKey();
        switch (r.nextInt(7)) {
            case 0 -> check(run("SELECT id, name, qty, price FROM items WHERE id >= ? AND id < ?", lo, hi),
                    e -> e.getKey() >= lo && e.getKey() < hi, byId, 0, 1, 2, 3);
            case 1 -> check(run("SELECT id, qty FROM items WHERE id IN (?, ?, ?, ?) AND qty > ?", ids[0], ids[1],
                    ids[2], ids[3], q), e -> gt(e.getValue()[1], q) && idList.contains(e.getKey()), byId, 0, 2);
            case 2 -> check(run("SELECT id, price FROM items WHERE id IN (?, ?) OR qty BETWEEN ? AND ?", ids[0],
                    ids[1], q, q + 5), e -> e.getKey() == ids[0] || e.getKey() == ids[1]
                    || (e.getValue()[1] != null && (Long) e.getValue()[1] >= q && (Long) e.getValue()[1] <= q + 5),
                    byId, 0, 3);
            case 3 -> {
                // NOT (qty < q) is TRUE only for a known qty >= q.
                long count = oracle.values().stream().filter(row -> row[1] != null && (Long) row[1] >= q).count();
                assertThat(run("SELECT COUNT(*) FROM items WHERE NOT (qty < ?)", q).get("rows").toString())
                        .isEqualTo("[[" + count + "]]");
            }
            case 4 -> {
                int limit = r.nextInt(12);
                // Descending: NULLs last; ties by id.
                Comparator<Map.Entry<Long, Object[]>> order = Comparator.comparing(
                        (Map.Entry<Long, Object[]> e) -> (Long) e.getValue()[1],
                        Comparator.nullsLast(Comparator.<Long>reverseOrder())).thenComparing(byId);
                JsonNode got = run("SELECT id, qty FROM items ORDER BY qty DESC, id LIMIT ?", limit);
                assertThat(got.get("rows").toString()).isEqualTo(expected(e -> true, order, limit, 0, 2));
            }
            case 5 -> check(run("SELECT * FROM items WHERE id = ?", ids[0]), e -> e.getKey() == ids[0], byId,
                    0, 1, 2, 3);
            default -> {
                double p = r.nextInt(1000) / 4.0;
                // qty <> q AND price >= p: TRUE only when both are known and hold.
                Comparator<Map.Entry<Long, Object[]>> order = Comparator.comparing(
                        (Map.Entry<Long, Object[]> e) -> (Double) e.getValue()[2]).thenComparing(byId.reversed());
                JsonNode got = run("SELECT id FROM items WHERE qty <> ? AND price >= ? ORDER BY price, id DESC", q, p);
                assertThat(got.get("rows").toString()).isEqualTo(expected(e -> e.getValue()[1] != null
                        && (Long) e.getValue()[1] != q && e.getValue()[2] != null
                        && (Double) e.getValue()[2] >= p, order, Integer.MAX_VALUE, 0));
            }
        }
    }

    private static boolean gt(Object qty, long q) {
        return qty != null && (Long) qty > q;
    }

    private void check(JsonNode got, Predicate<Map.Entry<Long, Object[]>> where,
                       Comparator<Map.Entry<Long, Object[]>> order, int... columns) {
        assertThat(got.get("rows").toString()).isEqualTo(expected(where, order, Integer.MAX_VALUE, columns));
    }

    /** The oracle's answer as the engine would write it: columns 0 = id, 1 = name, 2 = qty, 3 = price. */
    private String expected(Predicate<Map.Entry<Long, Object[]>> where, Comparator<Map.Entry<Long, Object[]>> order,
                            int limit, int... columns) {
        ArrayNode rows = MAPPER.createArrayNode();
        oracle.entrySet().stream().filter(where).sorted(order).limit(limit).forEach(e -> {
            ArrayNode row = rows.addArray();
            for (int c : columns) {
                Object v = c == 0 ? e.getKey() : e.getValue()[c - 1];
                if (v == null) {
                    row.addNull();
                } else if (v instanceof Long l) {
                    row.add(l);
                } else if (v instanceof Double d) {
                    row.add(d);
                } else {
                    row.add((String) v);
                }
            }
        });
        return rows.toString();
    }
}
