package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code SELECT *|expr [AS a], ...|COUNT(*) FROM t [WHERE c] [ORDER BY e [ASC|DESC] [NULLS FIRST|LAST], ...]
 * [LIMIT n] [OFFSET m]}. Rows come in primary-key order unless ORDER BY says otherwise (ties also broken by primary
 * key); NULLs sort first ascending and last descending unless NULLS FIRST/LAST says otherwise.
 */
final class SelectPlan implements Plan {

    /** The most rows one response carries; beyond it the response says {@code "truncated": true}. */
    static final int MAX_ROWS = 10_000;

    private record Order(Expr key, boolean ascending, boolean nullsFirst) {
    }

    private final Table table;
    private final List<String> names = new ArrayList<>();
    private final List<Expr> projections = new ArrayList<>();
    private final List<Order> order = new ArrayList<>();
    private boolean count;
    private Expr where;
    private Access access;
    private Expr limit;
    private Expr offset;
    private int parameters;
    /** The columns the statement reads: the others are not decoded. */
    private boolean[] needed;

    private SelectPlan(Table table) {
        this.table = table;
    }

    static SelectPlan compile(PlainSelect ps, Catalog catalog) throws InvalidRequestException {
        StatementChecks.plainSelect(ps);
        var from = (net.sf.jsqlparser.schema.Table) ps.getFromItem();
        SelectPlan plan = new SelectPlan(catalog.table(Names.table(from)));
        ExprCompiler compiler = new ExprCompiler(plan.table.schema(), Names.alias(from), false);
        for (SelectItem<?> item : ps.getSelectItems()) {
            plan.select(item, compiler);
        }
        if (plan.count && ps.getSelectItems().size() > 1) {
            throw SqlErrors.unsupported("COUNT(*) next to other select items (there is no GROUP BY)");
        }
        plan.where = ps.getWhere() == null ? null : compiler.compile(ps.getWhere());
        plan.access = Access.of(plan.table.schema(), plan.where);
        if (ps.getOrderByElements() != null) {
            for (OrderByElement o : ps.getOrderByElements()) {
                boolean nullsFirst = o.getNullOrdering() == null ? o.isAsc()
                        : o.getNullOrdering() == OrderByElement.NullOrdering.NULLS_FIRST;
                plan.order.add(new Order(plan.orderKey(o.getExpression(), compiler), o.isAsc(), nullsFirst));
            }
        }
        Expression[] limitOffset = StatementChecks.limitAndOffset(ps);
        plan.limit = limitOffset[0] == null ? null : constant(compiler.compile(limitOffset[0]), "LIMIT");
        plan.offset = limitOffset[1] == null ? null : constant(compiler.compile(limitOffset[1]), "OFFSET");
        plan.parameters = compiler.parameters();
        plan.needed = plan.neededColumns();
        return plan;
    }

    private void select(SelectItem<?> item, ExprCompiler compiler) throws InvalidRequestException {
        Expression e = item.getExpression();
        String alias = item.getAlias() == null ? null : Names.identifier(item.getAlias().getName(), "alias");
        if (e instanceof AllTableColumns all) {
            compiler.checkQualifier(all.getTable(), all);
            selectAll();
        } else if (e instanceof AllColumns) {
            if (!"*".equals(e.toString())) {
                throw SqlErrors.unsupported(e.toString());
            }
            selectAll();
        } else if (countStar(e)) {
            count = true;
            names.add(alias != null ? alias : "COUNT(*)");
        } else {
            projections.add(compiler.compile(e));
            names.add(alias != null ? alias
                    : e instanceof Column c ? Names.identifier(c.getColumnName(), "column") : e.toString());
        }
    }

    private boolean[] neededColumns() {
        boolean[] used = new boolean[table.schema().size()];
        used[table.schema().primaryKey()] = true; // rows are ordered by it
        projections.forEach(e -> e.columns(used));
        order.forEach(o -> o.key().columns(used));
        if (where != null) {
            where.columns(used);
        }
        return used;
    }

    private static boolean countStar(Expression e) {
        return e instanceof Function f && "COUNT".equalsIgnoreCase(f.getName()) && !f.isDistinct()
                && (f.isAllColumns() || (f.getParameters() != null && f.getParameters().size() == 1
                && f.getParameters().get(0) instanceof AllColumns star && "*".equals(star.toString())));
    }

    private void selectAll() {
        TableSchema s = table.schema();
        for (int i = 0; i < s.size(); i++) {
            projections.add(new Expr.ColumnRef(i, s.column(i).type().sqlType));
            names.add(s.column(i).name());
        }
    }

    /** An ORDER BY key: a select-list position (1-based), a select-list alias, or an expression over the table. */
    private Expr orderKey(Expression e, ExprCompiler compiler) throws InvalidRequestException {
        if (e instanceof LongValue v) {
            long position = v.getStringValue().length() > 9 ? -1 : Long.parseLong(v.getStringValue());
            if (count || position < 1 || position > projections.size()) {
                throw SqlErrors.error("ORDER BY position " + v + " is not in the select list");
            }
            return projections.get((int) position - 1);
        }
        if (e instanceof Column c && c.getTable() == null && !count) {
            String name = Names.identifier(c.getColumnName(), "column");
            int i = names.indexOf(name);
            if (i >= 0 && table.schema().indexOf(name) < 0) {
                return projections.get(i);
            }
        }
        return compiler.compile(e);
    }

    private static Expr constant(Expr e, String clause) throws InvalidRequestException {
        if (!e.constant()) {
            throw SqlErrors.error(clause + " must be a number or ?, not an expression over columns");
        }
        return e;
    }

    @Override
    public int parameters() {
        return parameters;
    }

    @Override
    public ObjectNode execute(Object[] params) throws InvalidRequestException {
        Plan.checkCondition(where, "WHERE", params);
        for (Expr e : projections) {
            e.type(params);
        }
        for (Order o : order) {
            o.key().type(params);
        }
        long limitValue = nonNegative(limit, "LIMIT", params, Long.MAX_VALUE);
        long offsetValue = nonNegative(offset, "OFFSET", params, 0);
        List<Object[]> rows = access.rows(table, params, needed);
        if (count) {
            rows = List.<Object[]>of(new Object[] {(long) rows.size()});
        } else if (!order.isEmpty()) {
            rows = sorted(rows, params);
        }
        int from = (int) Math.min(offsetValue, rows.size());
        int to = (int) Math.min(rows.size(), from + Math.min(limitValue, (long) rows.size()));
        boolean truncated = to - from > MAX_ROWS;
        List<Object[]> out = new ArrayList<>(Math.min(to - from, MAX_ROWS));
        for (Object[] row : rows.subList(from, truncated ? from + MAX_ROWS : to)) {
            out.add(count ? row : project(row, params));
        }
        return Results.rows(names, out, truncated);
    }

    private static long nonNegative(Expr e, String clause, Object[] params, long fallback)
            throws InvalidRequestException {
        if (e == null) {
            return fallback;
        }
        if (!(e.eval(null, params) instanceof Long n) || n < 0) {
            throw SqlErrors.error(clause + " must be a whole number >= 0, got " + e.eval(null, params));
        }
        return n;
    }

    private List<Object[]> sorted(List<Object[]> rows, Object[] params) throws InvalidRequestException {
        // Keys are computed first: evaluation may fail, and a comparator cannot throw a checked exception.
        List<Object[]> keyed = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            Object[] keys = new Object[order.size() + 1];
            for (int i = 0; i < order.size(); i++) {
                keys[i] = order.get(i).key().eval(row, params);
            }
            keys[order.size()] = row;
            keyed.add(keys);
        }
        keyed.sort(comparator()); // stable: rows equal on every key stay in primary-key order
        List<Object[]> out = new ArrayList<>(rows.size());
        for (Object[] k : keyed) {
            out.add((Object[]) k[order.size()]);
        }
        return out;
    }

    private Comparator<Object[]> comparator() {
        return (a, b) -> {
            for (int i = 0; i < order.size(); i++) {
                Order o = order.get(i);
                int c;
                if (a[i] == null || b[i] == null) {
                    c = a[i] == b[i] ? 0 : (a[i] == null) == o.nullsFirst() ? -1 : 1;
                } else {
                    c = o.ascending() ? Values.compare(a[i], b[i]) : Values.compare(b[i], a[i]);
                }
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private Object[] project(Object[] row, Object[] params) throws InvalidRequestException {
        Object[] out = new Object[projections.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = projections.get(i).eval(row, params);
        }
        return out;
    }
}
