package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.statement.delete.Delete;

import java.util.List;

/** {@code DELETE FROM t [WHERE cond]}; reports {@code {"updated": rows deleted}}. */
final class DeletePlan implements Plan {

    private final Table table;
    private final Expr where;
    private final Access access;
    private final int parameters;

    private DeletePlan(Table table, Expr where, int parameters) {
        this.table = table;
        this.where = where;
        this.access = Access.of(table.schema(), where);
        this.parameters = parameters;
    }

    static DeletePlan compile(Delete d, Catalog catalog) throws InvalidRequestException {
        StatementChecks.delete(d);
        Table table = catalog.table(Names.table(d.getTable()));
        ExprCompiler compiler = new ExprCompiler(table.schema(), Names.alias(d.getTable()), false);
        Expr where = d.getWhere() == null ? null : compiler.compile(d.getWhere());
        return new DeletePlan(table, where, compiler.parameters());
    }

    @Override
    public int parameters() {
        return parameters;
    }

    @Override
    public ObjectNode execute(Object[] params) throws InvalidRequestException {
        Plan.checkCondition(where, "WHERE", params);
        List<Object[]> rows = access.rows(table, params);
        int pk = table.schema().primaryKey();
        for (Object[] row : rows) {
            table.remove(RowCodec.key(row[pk]));
        }
        return Results.updated(rows.size());
    }
}
