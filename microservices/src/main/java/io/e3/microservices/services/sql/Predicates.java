package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;

import java.util.List;

/** The predicates with more than two operands: IN, BETWEEN and LIKE, in three-valued logic. */
final class Predicates {

    /** The longest LIKE pattern: matching costs up to |value| * |pattern| steps. */
    static final int MAX_LIKE_PATTERN = 256;

    private Predicates() {
    }

    /** {@code operand [NOT] IN (list)}: TRUE on an equal item, else UNKNOWN if a NULL is involved, else FALSE. */
    record In(Expr operand, List<Expr> list, boolean negated, String text) implements Expr {
        public SqlType type(Object[] params) throws InvalidRequestException {
            SqlType t = operand.type(params);
            for (Expr e : list) {
                Expr.comparable(t, e.type(params), text);
            }
            return SqlType.BOOLEAN;
        }

        public Object eval(Object[] row, Object[] params) throws InvalidRequestException {
            Object v = operand.eval(row, params);
            if (v == null) {
                return null;
            }
            boolean unknown = false;
            for (Expr e : list) {
                Object item = e.eval(row, params);
                if (item == null) {
                    unknown = true;
                } else if (Values.compare(v, item) == 0) {
                    return !negated;
                }
            }
            return unknown ? null : negated;
        }

        public boolean constant() {
            return operand.constant() && list.stream().allMatch(Expr::constant);
        }

        public void columns(boolean[] used) {
            operand.columns(used);
            list.forEach(e -> e.columns(used));
        }
    }

    /** {@code operand [NOT] BETWEEN low AND high}, that is {@code operand >= low AND operand <= high}. */
    record Between(Expr operand, Expr low, Expr high, boolean negated, String text) implements Expr {
        public SqlType type(Object[] params) throws InvalidRequestException {
            SqlType t = operand.type(params);
            Expr.comparable(t, low.type(params), text);
            Expr.comparable(t, high.type(params), text);
            return SqlType.BOOLEAN;
        }

        public Object eval(Object[] row, Object[] params) throws InvalidRequestException {
            Object v = operand.eval(row, params);
            Object lo = low.eval(row, params);
            Object hi = high.eval(row, params);
            Boolean aboveLow = v == null || lo == null ? null : Values.compare(v, lo) >= 0;
            Boolean belowHigh = v == null || hi == null ? null : Values.compare(v, hi) <= 0;
            Boolean in;
            if (Boolean.FALSE.equals(aboveLow) || Boolean.FALSE.equals(belowHigh)) {
                in = false;
            } else {
                in = aboveLow == null || belowHigh == null ? null : Boolean.TRUE;
            }
            return in == null ? null : in != negated;
        }

        public boolean constant() {
            return operand.constant() && low.constant() && high.constant();
        }

        public void columns(boolean[] used) {
            operand.columns(used);
            low.columns(used);
            high.columns(used);
        }
    }

    record Like(Expr operand, Expr pattern, boolean negated, String text) implements Expr {
        public SqlType type(Object[] params) throws InvalidRequestException {
            SqlType a = operand.type(params);
            SqlType b = pattern.type(params);
            if ((a != SqlType.STRING && a != SqlType.NULL) || (b != SqlType.STRING && b != SqlType.NULL)) {
                throw SqlErrors.error("LIKE needs strings, got " + a + " and " + b + " in " + text);
            }
            return SqlType.BOOLEAN;
        }

        public Object eval(Object[] row, Object[] params) throws InvalidRequestException {
            Object v = operand.eval(row, params);
            Object p = pattern.eval(row, params);
            if (v == null || p == null) {
                return null;
            }
            if (((String) p).length() > MAX_LIKE_PATTERN) {
                throw SqlErrors.error("LIKE pattern longer than " + MAX_LIKE_PATTERN + " characters in " + text);
            }
            return Values.like((String) v, (String) p) != negated;
        }

        public boolean constant() {
            return operand.constant() && pattern.constant();
        }

        public void columns(boolean[] used) {
            operand.columns(used);
            pattern.columns(used);
        }
    }
}
