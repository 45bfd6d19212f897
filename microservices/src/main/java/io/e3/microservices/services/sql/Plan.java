package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;

/**
 * A compiled statement, reusable with different parameters. {@link #execute} checks everything (types, NOT NULL,
 * ranges, duplicate keys) before it changes any row, so a statement that fails leaves the state as it was.
 */
interface Plan {

    /** How many {@code ?} parameters the statement takes. */
    int parameters();

    ObjectNode execute(Object[] params) throws InvalidRequestException;

    /** Checks that {@code where}, if any, is a boolean condition under these parameters. */
    static void checkCondition(Expr where, String clause, Object[] params) throws InvalidRequestException {
        if (where != null) {
            Expr.condition(where.type(params), clause + " must be a boolean condition", clause);
        }
    }

    /** Checks that {@code value} can be stored in {@code column} under these parameters. */
    static void checkAssignable(Column column, Expr value, Object[] params) throws InvalidRequestException {
        SqlType t = value.type(params);
        if (!column.type().accepts(t)) {
            throw SqlErrors.error("column " + column.name() + " is " + column.type() + ", cannot store " + t);
        }
    }
}
