package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;

import java.util.Collection;

/** Refuses, by name, the parts of SQL this engine does not run, instead of silently ignoring them. */
final class StatementChecks {

    private StatementChecks() {
    }

    static void plainSelect(PlainSelect ps) throws InvalidRequestException {
        refuse(present(ps.getWithItemsList()), "WITH");
        refuse(ps.getFromItem() == null, "SELECT without FROM");
        refuse(!(ps.getFromItem() instanceof net.sf.jsqlparser.schema.Table), "a subquery or function in FROM");
        refuse(present(ps.getJoins()), "JOIN (a statement reads one table)");
        refuse(ps.getGroupBy() != null, "GROUP BY");
        refuse(ps.getHaving() != null, "HAVING");
        refuse(ps.getDistinct() != null, "DISTINCT");
        refuse(present(ps.getIntoTables()), "SELECT INTO");
        refuse(ps.getTop() != null || ps.getFirst() != null || ps.getSkip() != null, "TOP/FIRST/SKIP (use LIMIT)");
        refuse(ps.getFetch() != null, "FETCH (use LIMIT)");
        refuse(ps.getForMode() != null, "FOR UPDATE/SHARE");
        refuse(ps.getLimitBy() != null, "LIMIT ... BY");
        refuse(present(ps.getLateralViews()) || present(ps.getWindowDefinitions()) || ps.getQualify() != null
                || ps.getOracleHierarchical() != null, "this SELECT clause");
    }

    /** The LIMIT and OFFSET expressions (either may be null), from {@code LIMIT n OFFSET m} or {@code LIMIT m, n}. */
    static Expression[] limitAndOffset(PlainSelect ps) throws InvalidRequestException {
        Expression limit = null;
        Expression offset = null;
        Limit l = ps.getLimit();
        if (l != null) {
            refuse(present(l.getByExpressions()), "LIMIT ... BY");
            if (!l.isLimitAll() && !l.isLimitNull()) {
                limit = l.getRowCount();
            }
            offset = l.getOffset();
        }
        if (ps.getOffset() != null) {
            refuse(offset != null, "OFFSET together with LIMIT m, n");
            offset = ps.getOffset().getOffset();
        }
        return new Expression[] {limit, offset};
    }

    static void update(Update u) throws InvalidRequestException {
        refuse(present(u.getWithItemsList()), "WITH");
        refuse(u.getFromItem() != null || present(u.getJoins()) || present(u.getStartJoins()),
                "UPDATE with FROM or JOIN");
        refuse(present(u.getOrderByElements()) || u.getLimit() != null, "UPDATE with ORDER BY or LIMIT");
        refuse(u.getReturningClause() != null || u.getOutputClause() != null, "RETURNING/OUTPUT");
        refuse(u.isUseSelect(), "UPDATE ... SET from a subquery");
    }

    static void delete(Delete d) throws InvalidRequestException {
        refuse(present(d.getWithItemsList()), "WITH");
        refuse(present(d.getJoins()) || present(d.getTables()) || present(d.getUsingList()),
                "DELETE over several tables");
        refuse(present(d.getOrderByElements()) || d.getLimit() != null, "DELETE with ORDER BY or LIMIT");
        refuse(d.getReturningClause() != null || d.getOutputClause() != null, "RETURNING/OUTPUT");
    }

    static void insert(Insert in) throws InvalidRequestException {
        refuse(present(in.getWithItemsList()), "WITH");
        refuse(in.isUseSet() || present(in.getSetUpdateSets()), "INSERT ... SET (use VALUES)");
        refuse(!(in.getSelect() instanceof Values), "INSERT ... SELECT");
        refuse(in.getConflictAction() != null || in.getConflictTarget() != null,
                "ON CONFLICT (use ON DUPLICATE KEY UPDATE)");
        refuse(in.isModifierIgnore(), "INSERT IGNORE");
        refuse(in.getReturningClause() != null || in.getOutputClause() != null, "RETURNING/OUTPUT");
        refuse(in.isOverwrite() || present(in.getPartitions()) || in.isOnlyDefaultValues(), "this INSERT form");
    }

    static boolean present(Collection<?> items) {
        return items != null && !items.isEmpty();
    }

    static void refuse(boolean condition, String what) throws InvalidRequestException {
        if (condition) {
            throw SqlErrors.unsupported(what);
        }
    }
}
