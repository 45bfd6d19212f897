package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.update.Update;

import java.util.Locale;

/** Turns a parsed statement into a {@link Plan}, or names what it uses that is not supported. */
final class Planner {

    private Planner() {
    }

    static Plan plan(Statement statement, Catalog catalog) throws InvalidRequestException {
        if (statement instanceof PlainSelect ps) {
            return SelectPlan.compile(ps, catalog);
        }
        if (statement instanceof Insert in) {
            return InsertPlan.compile(in, catalog);
        }
        if (statement instanceof Update u) {
            return UpdatePlan.compile(u, catalog);
        }
        if (statement instanceof Delete d) {
            return DeletePlan.compile(d, catalog);
        }
        if (statement instanceof CreateTable ct) {
            return CreatePlan.compile(ct, catalog);
        }
        if (statement instanceof SetOperationList) {
            throw SqlErrors.unsupported("UNION/INTERSECT/EXCEPT");
        }
        if (statement instanceof Select) {
            throw SqlErrors.unsupported("this form of SELECT (" + statement.getClass().getSimpleName() + ")");
        }
        String keyword = statement.toString().strip().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
        throw SqlErrors.error(keyword + " statements are not supported (only CREATE TABLE, INSERT, SELECT, UPDATE "
                + "and DELETE are)");
    }
}
