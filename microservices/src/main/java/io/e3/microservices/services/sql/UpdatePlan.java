package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code UPDATE t SET c = expr, ... [WHERE cond]}. Every right-hand side sees the row as it was before the statement.
 * The primary key cannot be SET: a row's key is where it is stored, so moving it is a DELETE plus an INSERT. Reports
 * {@code {"updated": rows matched}}.
 */
final class UpdatePlan implements Plan {

    /** One {@code column = expr} of a SET or an ON DUPLICATE KEY UPDATE list. */
    record Assignment(int column, Expr value) {
    }

    private final Table table;
    private final List<Assignment> assignments;
    private final Expr where;
    private final Access access;
    private final int parameters;

    private UpdatePlan(Table table, List<Assignment> assignments, Expr where, int parameters) {
        this.table = table;
        this.assignments = assignments;
        this.where = where;
        this.access = Access.of(table.schema(), where);
        this.parameters = parameters;
    }

    static UpdatePlan compile(Update u, Catalog catalog) throws InvalidRequestException {
        StatementChecks.update(u);
        Table table = catalog.table(Names.table(u.getTable()));
        ExprCompiler compiler = new ExprCompiler(table.schema(), Names.alias(u.getTable()), false);
        List<Assignment> assignments = assignments(u.getUpdateSets(), compiler);
        Expr where = u.getWhere() == null ? null : compiler.compile(u.getWhere());
        return new UpdatePlan(table, assignments, where, compiler.parameters());
    }

    /** Compiles SET lists, refusing the primary key, a column set twice and {@code (a, b) = (...)}. */
    static List<Assignment> assignments(List<UpdateSet> sets, ExprCompiler compiler) throws InvalidRequestException {
        TableSchema schema = compiler.schema();
        List<Assignment> out = new ArrayList<>();
        boolean[] seen = new boolean[schema.size()];
        for (UpdateSet set : sets) {
            if (set.getColumns().size() != 1 || set.getValues().size() != 1) {
                throw SqlErrors.unsupported("SET (a, b) = (...); write a = ..., b = ...");
            }
            Column c = set.getColumns().get(0);
            compiler.checkQualifier(c.getTable(), c);
            int i = schema.require(Names.identifier(c.getColumnName(), "column"));
            if (i == schema.primaryKey()) {
                throw SqlErrors.unsupported("changing the primary key " + schema.column(i).name()
                        + " (DELETE the row and INSERT it again)");
            }
            if (seen[i]) {
                throw SqlErrors.error("column " + schema.column(i).name() + " is SET twice");
            }
            seen[i] = true;
            out.add(new Assignment(i, compiler.compile(set.getValues().get(0))));
        }
        return out;
    }

    /** Checks that every assignment stores a value of its column's type under these parameters. */
    static void check(List<Assignment> assignments, TableSchema schema, Object[] params)
            throws InvalidRequestException {
        for (Assignment a : assignments) {
            Plan.checkAssignable(schema.column(a.column()), a.value(), params);
        }
    }

    /** A copy of {@code old} with the assignments applied; they are evaluated on {@code context}. */
    static Object[] apply(List<Assignment> assignments, TableSchema schema, Object[] old, Object[] context,
                          Object[] params) throws InvalidRequestException {
        Object[] row = old.clone();
        for (Assignment a : assignments) {
            row[a.column()] = schema.column(a.column()).store(a.value().eval(context, params));
        }
        return row;
    }

    @Override
    public int parameters() {
        return parameters;
    }

    @Override
    public ObjectNode execute(Object[] params) throws InvalidRequestException {
        Plan.checkCondition(where, "WHERE", params);
        check(assignments, table.schema(), params);
        List<Object[]> rows = access.rows(table, params);
        List<Object[]> updated = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            updated.add(apply(assignments, table.schema(), row, row, params));
        }
        for (Object[] row : updated) {
            table.put(row);
        }
        return Results.updated(updated.size());
    }
}
