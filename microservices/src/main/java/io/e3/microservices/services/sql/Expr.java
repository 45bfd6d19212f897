package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;

import java.util.List;

/**
 * A compiled expression. Boolean results follow SQL three-valued logic: {@code Boolean.TRUE}, {@code Boolean.FALSE} or
 * {@code null} (UNKNOWN). Types are checked per request by {@link #type} (parameters are typed by their values) before
 * anything is evaluated, so {@link #eval} only meets the types it was checked for.
 */
interface Expr {

    /** The result type under these parameter values; fails on operands of the wrong types. */
    SqlType type(Object[] params) throws InvalidRequestException;

    /** The value on {@code row} (column values in schema order). */
    Object eval(Object[] row, Object[] params) throws InvalidRequestException;

    /** Whether the expression references no column, so it has the same value on every row. */
    boolean constant();

    /** Marks the columns the expression reads: {@code used[i]} for a reference to column i. */
    void columns(boolean[] used);

    record Const(Object value) implements Expr {
        public SqlType type(Object[] params) {
            return SqlType.of(value);
        }

        public Object eval(Object[] row, Object[] params) {
            return value;
        }

        public boolean constant() {
            return true;
        }

        public void columns(boolean[] used) {
        }
    }

    /** The JDBC {@code ?} parameter at {@code index} (0-based). */
    record Param(int index) implements Expr {
        public SqlType type(Object[] params) {
            return SqlType.of(params[index]);
        }

        public Object eval(Object[] row, Object[] params) {
            return params[index];
        }

        public boolean constant() {
            return true;
        }

        public void columns(boolean[] used) {
        }
    }

    record ColumnRef(int index, SqlType sqlType) implements Expr {
        public SqlType type(Object[] params) {
            return sqlType;
        }

        public Object eval(Object[] row, Object[] params) {
            return row[index];
        }

        public boolean constant() {
            return false;
        }

        public void columns(boolean[] used) {
            if (index < used.length) {
                used[index] = true;
            }
        }
    }

    /** {@code + - * / %}. */
    record Arithmetic(char op, Expr left, Expr right, String text) implements Expr {
        public SqlType type(Object[] params) throws InvalidRequestException {
            SqlType l = left.type(params);
            SqlType r = right.type(params);
            if (!(l.numeric() || l == SqlType.NULL) || !(r.numeric() || r == SqlType.NULL)) {
                throw SqlErrors.error("operator " + op + " needs numbers, got " + l + " and " + r + " in " + text);
            }
            return l == SqlType.DOUBLE || r == SqlType.DOUBLE ? SqlType.DOUBLE
                    : l == SqlType.INTEGER || r == SqlType.INTEGER ? SqlType.INTEGER : SqlType.NULL;
        }

        public Object eval(Object[] row, Object[] params) throws InvalidRequestException {
            Object a = left.eval(row, params);
            Object b = a == null ? null : right.eval(row, params);
            return a == null || b == null ? null : Values.arithmetic(op, a, b, text);
        }

        public boolean constant() {
            return left.constant() && right.constant();
        }

        public void columns(boolean[] used) {
            left.columns(used);
            right.columns(used);
        }
    }

    record Negate(Expr operand, String text) implements Expr {
        public SqlType type(Object[] params) throws InvalidRequestException {
            SqlType t = operand.type(params);
            if (!(t.numeric() || t == SqlType.NULL)) {
                throw SqlErrors.error("unary minus needs a number, got " + t + " in " + text);
            }
            return t;
        }

        public Object eval(Object[] row, Object[] params) throws InvalidRequestException {
            Object v = operand.eval(row, params);
            return v == null ? null : Values.negate(v, text);
        }

        public boolean constant() {
            return operand.constant();
        }

        public void columns(boolean[] used) {
            operand.columns(used);
        }
    }

    enum Comparison { EQ, NE, LT, LE, GT, GE }

    record Compare(Comparison op, Expr left, Expr right, String text) implements Expr {
        public SqlType type(Object[] params) throws InvalidRequestException {
            comparable(left.type(params), right.type(params), text);
            return SqlType.BOOLEAN;
        }

        public Object eval(Object[] row, Object[] params) throws InvalidRequestException {
            Object a = left.eval(row, params);
            Object b = a == null ? null : right.eval(row, params);
            if (a == null || b == null) {
                return null;
            }
            int c = Values.compare(a, b);
            return switch (op) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }

        public boolean constant() {
            return left.constant() && right.constant();
        }

        public void columns(boolean[] used) {
            left.columns(used);
            right.columns(used);
        }
    }

    /** AND ({@code and}) or OR over any number of operands: n-ary, so long chains do not nest deeply. */
    record Logic(boolean and, List<Expr> operands, String text) implements Expr {
        public SqlType type(Object[] params) throws InvalidRequestException {
            for (Expr e : operands) {
                condition(e.type(params), (and ? "AND" : "OR") + " needs boolean operands", text);
            }
            return SqlType.BOOLEAN;
        }

        public Object eval(Object[] row, Object[] params) throws InvalidRequestException {
            boolean unknown = false;
            for (Expr e : operands) {
                Object v = e.eval(row, params);
                if (v == null) {
                    unknown = true;
                } else if ((Boolean) v != and) {
                    return !and; // FALSE decides an AND, TRUE an OR
                }
            }
            return unknown ? null : and;
        }

        public boolean constant() {
            return operands.stream().allMatch(Expr::constant);
        }

        public void columns(boolean[] used) {
            operands.forEach(e -> e.columns(used));
        }
    }

    record Not(Expr operand, String text) implements Expr {
        public SqlType type(Object[] params) throws InvalidRequestException {
            condition(operand.type(params), "NOT needs a boolean operand", text);
            return SqlType.BOOLEAN;
        }

        public Object eval(Object[] row, Object[] params) throws InvalidRequestException {
            Object v = operand.eval(row, params);
            return v == null ? null : !(Boolean) v;
        }

        public boolean constant() {
            return operand.constant();
        }

        public void columns(boolean[] used) {
            operand.columns(used);
        }
    }

    record IsNull(Expr operand, boolean negated) implements Expr {
        public SqlType type(Object[] params) throws InvalidRequestException {
            operand.type(params);
            return SqlType.BOOLEAN;
        }

        public Object eval(Object[] row, Object[] params) throws InvalidRequestException {
            return (operand.eval(row, params) == null) != negated;
        }

        public boolean constant() {
            return operand.constant();
        }

        public void columns(boolean[] used) {
            operand.columns(used);
        }
    }

    static void comparable(SqlType a, SqlType b, String text) throws InvalidRequestException {
        if (!a.comparableWith(b)) {
            throw SqlErrors.error("cannot compare " + a + " with " + b + " in " + text);
        }
    }

    static void condition(SqlType t, String what, String text) throws InvalidRequestException {
        if (t != SqlType.BOOLEAN && t != SqlType.NULL) {
            throw SqlErrors.error(what + ", got " + t + " in " + text);
        }
    }
}
