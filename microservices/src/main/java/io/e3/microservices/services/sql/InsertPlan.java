package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code INSERT INTO t [(c, ...)] VALUES (...), ... [ON DUPLICATE KEY UPDATE c = expr, ...]}. Without ON DUPLICATE
 * KEY UPDATE, a key already present (in the table or earlier in the statement) fails the whole statement. With it,
 * that row is updated instead, MySQL-style: a column name means the existing row's value, {@code VALUES(c)} the value
 * the statement tried to insert. Reports {@code {"updated": rows inserted or updated}}.
 */
final class InsertPlan implements Plan {

    /** The most rows one INSERT may carry. */
    static final int MAX_ROWS = 1000;

    private final Table table;
    private final int[] columns;
    private final List<Expr[]> rows;
    private final List<UpdatePlan.Assignment> onDuplicate;
    private final int parameters;

    private InsertPlan(Table table, int[] columns, List<Expr[]> rows, List<UpdatePlan.Assignment> onDuplicate,
                       int parameters) {
        this.table = table;
        this.columns = columns;
        this.rows = rows;
        this.onDuplicate = onDuplicate;
        this.parameters = parameters;
    }

    static InsertPlan compile(Insert in, Catalog catalog) throws InvalidRequestException {
        StatementChecks.insert(in);
        Table table = catalog.table(Names.table(in.getTable()));
        TableSchema schema = table.schema();
        ExprCompiler compiler = new ExprCompiler(schema, Names.alias(in.getTable()), false);
        int[] columns = columns(in.getColumns(), compiler);
        List<Expr[]> rows = new ArrayList<>();
        for (ExpressionList<?> values : rowLists(((Values) in.getSelect()).getExpressions())) {
            if (values.size() != columns.length) {
                throw SqlErrors.error("VALUES row " + (rows.size() + 1) + " has " + values.size() + " values for "
                        + columns.length + " columns");
            }
            Expr[] row = new Expr[columns.length];
            for (int i = 0; i < row.length; i++) {
                row[i] = compiler.compile(values.get(i));
                if (!row[i].constant()) {
                    throw SqlErrors.error("VALUES cannot refer to columns: " + values.get(i));
                }
            }
            rows.add(row);
        }
        List<UpdatePlan.Assignment> onDuplicate = null;
        int parameters = compiler.parameters();
        if (in.getDuplicateUpdateSets() != null) {
            ExprCompiler duplicate = new ExprCompiler(schema, Names.alias(in.getTable()), true);
            duplicate.noteParameters(parameters);
            onDuplicate = UpdatePlan.assignments(in.getDuplicateUpdateSets(), duplicate);
            parameters = duplicate.parameters();
        }
        return new InsertPlan(table, columns, rows, onDuplicate, parameters);
    }

    private static int[] columns(ExpressionList<Column> named, ExprCompiler compiler) throws InvalidRequestException {
        TableSchema schema = compiler.schema();
        if (named == null) {
            int[] all = new int[schema.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] out = new int[named.size()];
        boolean[] seen = new boolean[schema.size()];
        for (int i = 0; i < out.length; i++) {
            compiler.checkQualifier(named.get(i).getTable(), named.get(i));
            out[i] = schema.require(Names.identifier(named.get(i).getColumnName(), "column"));
            if (seen[out[i]]) {
                throw SqlErrors.error("column " + schema.column(out[i]).name() + " is listed twice");
            }
            seen[out[i]] = true;
        }
        return out;
    }

    /** The rows of a VALUES clause: JSqlParser gives one parenthesised list, or a list of them. */
    private static List<ExpressionList<?>> rowLists(ExpressionList<?> values) throws InvalidRequestException {
        if (values instanceof ParenthesedExpressionList<?>) {
            return List.of(values);
        }
        if (values.size() > MAX_ROWS) {
            throw SqlErrors.error("an INSERT carries at most " + MAX_ROWS + " rows, got " + values.size());
        }
        List<ExpressionList<?>> out = new ArrayList<>(values.size());
        for (Expression row : values) {
            if (!(row instanceof ParenthesedExpressionList<?> list)) {
                throw SqlErrors.error("each VALUES row must be in parentheses: " + row);
            }
            out.add(list);
        }
        return out;
    }

    @Override
    public int parameters() {
        return parameters;
    }

    @Override
    public ObjectNode execute(Object[] params) throws InvalidRequestException {
        TableSchema schema = table.schema();
        for (Expr[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                Plan.checkAssignable(schema.column(columns[i]), row[i], params);
            }
        }
        if (onDuplicate != null) {
            UpdatePlan.check(onDuplicate, schema, params);
        }
        Map<String, Object[]> pending = new LinkedHashMap<>();
        for (Expr[] values : rows) {
            Object[] row = newRow(values, params);
            String key = RowCodec.key(row[schema.primaryKey()]);
            Object[] existing = pending.containsKey(key) ? pending.get(key) : table.get(key);
            if (existing == null) {
                pending.put(key, row);
            } else if (onDuplicate == null) {
                throw SqlErrors.error("duplicate primary key " + row[schema.primaryKey()] + " in table "
                        + schema.name());
            } else {
                Object[] context = new Object[2 * schema.size()];
                System.arraycopy(existing, 0, context, 0, schema.size());
                System.arraycopy(row, 0, context, schema.size(), schema.size());
                pending.put(key, UpdatePlan.apply(onDuplicate, schema, existing, context, params));
            }
        }
        for (Object[] row : pending.values()) {
            table.put(row);
        }
        return Results.updated(rows.size());
    }

    private Object[] newRow(Expr[] values, Object[] params) throws InvalidRequestException {
        TableSchema schema = table.schema();
        Object[] row = new Object[schema.size()];
        boolean[] given = new boolean[schema.size()];
        for (int i = 0; i < values.length; i++) {
            row[columns[i]] = schema.column(columns[i]).store(values[i].eval(null, params));
            given[columns[i]] = true;
        }
        for (int c = 0; c < row.length; c++) {
            if (!given[c]) {
                schema.column(c).store(null); // fails for a NOT NULL column left out
            }
        }
        return row;
    }
}
