package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a statement finds its rows. A WHERE that is, or ANDs in, {@code pk = constant} or {@code pk IN (constants)} is
 * answered by key lookups; anything else scans the table. A row found by key satisfies that conjunct exactly (keys are
 * equal exactly when the values are equal in SQL, see {@link RowCodec#keyFor}), so only the rest of the WHERE is
 * evaluated on it; a scanned row is tested against the whole WHERE.
 */
final class Access {

    private final TableSchema schema;
    private final Expr where;
    private final List<Expr> keys;
    /** For a key lookup, the WHERE without the key conjunct (null: nothing left to test). */
    private final Expr residual;

    private Access(TableSchema schema, Expr where, List<Expr> keys, Expr residual) {
        this.schema = schema;
        this.where = where;
        this.keys = keys;
        this.residual = residual;
    }

    /** The access path for {@code where} (null: every row). */
    static Access of(TableSchema schema, Expr where) {
        List<Expr> conjuncts = where instanceof Expr.Logic l && l.and() ? l.operands()
                : where == null ? List.of() : List.of(where);
        for (int i = 0; i < conjuncts.size(); i++) {
            List<Expr> keys = keyExpressions(conjuncts.get(i), schema.primaryKey());
            if (keys != null) {
                List<Expr> rest = new ArrayList<>(conjuncts);
                rest.remove(i);
                Expr residual = rest.isEmpty() ? null : rest.size() == 1 ? rest.get(0)
                        : new Expr.Logic(true, rest, ((Expr.Logic) where).text());
                return new Access(schema, where, keys, residual);
            }
        }
        return new Access(schema, where, null, null);
    }

    private static List<Expr> keyExpressions(Expr c, int pk) {
        if (c instanceof Expr.Compare cmp && cmp.op() == Expr.Comparison.EQ) {
            if (isColumn(cmp.left(), pk) && cmp.right().constant()) {
                return List.of(cmp.right());
            }
            if (isColumn(cmp.right(), pk) && cmp.left().constant()) {
                return List.of(cmp.left());
            }
        }
        if (c instanceof Predicates.In in && !in.negated() && isColumn(in.operand(), pk)
                && in.list().stream().allMatch(Expr::constant)) {
            return in.list();
        }
        return null;
    }

    private static boolean isColumn(Expr e, int index) {
        return e instanceof Expr.ColumnRef ref && ref.index() == index;
    }

    /** Whether rows are found by key rather than by a scan. */
    boolean pointLookup() {
        return keys != null;
    }

    /** The rows WHERE holds for (is TRUE, not UNKNOWN), in primary-key order. */
    List<Object[]> rows(Table table, Object[] params) throws InvalidRequestException {
        return rows(table, params, null);
    }

    /**
     * As {@link #rows(Table, Object[])}, decoding only the {@code needed} columns (null: all); {@code needed} must
     * include every column the WHERE and the primary key use.
     */
    List<Object[]> rows(Table table, Object[] params, boolean[] needed) throws InvalidRequestException {
        List<Object[]> out = new ArrayList<>(keys != null ? keys.size() : Math.min(table.size(), 1024));
        if (keys != null) {
            Set<String> seen = keys.size() > 1 ? new HashSet<>(2 * keys.size()) : null;
            ColumnType pkType = schema.primaryKeyColumn().type();
            for (Expr k : keys) {
                String key = RowCodec.keyFor(pkType, k.eval(null, params));
                if (key != null && (seen == null || seen.add(key))) {
                    Object[] row = table.get(key, needed);
                    if (row != null && (residual == null || Boolean.TRUE.equals(residual.eval(row, params)))) {
                        out.add(row);
                    }
                }
            }
        } else {
            for (String key : table.keys()) {
                Object[] row = table.get(key, needed);
                if (where == null || Boolean.TRUE.equals(where.eval(row, params))) {
                    out.add(row);
                }
            }
        }
        if (out.size() > 1) {
            int pk = schema.primaryKey();
            out.sort((a, b) -> Values.compare(a[pk], b[pk]));
        }
        return out;
    }
}
