package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;

/** Comparison and arithmetic on values, exact across BIGINT and DOUBLE; every DOUBLE here is finite. */
final class Values {

    private Values() {
    }

    /** Orders two non-null values of comparable types (checked before a statement runs). */
    static int compare(Object a, Object b) {
        if (a instanceof Long x) {
            return b instanceof Long y ? Long.compare(x, y) : compareLongDouble(x, (Double) b);
        }
        if (a instanceof Double x) {
            if (b instanceof Double y) {
                // Not Double.compare: in SQL -0.0 = 0.0.
                return x < y ? -1 : x > y ? 1 : 0;
            }
            return -compareLongDouble((Long) b, x);
        }
        if (a instanceof String x) {
            return x.compareTo((String) b);
        }
        return Boolean.compare((Boolean) a, (Boolean) b);
    }

    /** Compares a long with a finite double exactly, without rounding the long to a double. */
    static int compareLongDouble(long l, double d) {
        if (d >= 0x1p63) {
            return -1;
        }
        if (d < -0x1p63) {
            return 1;
        }
        long t = (long) d; // |d| < 2^63: truncation is exact, and d - t is the exact fraction
        if (l != t) {
            return Long.compare(l, t);
        }
        double fraction = d - t;
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0;
    }

    /**
     * {@code a op b} for non-null numbers: BIGINT when both are BIGINT (division truncates toward zero), else DOUBLE.
     *
     * @throws InvalidRequestException on division by zero, BIGINT overflow or a non-finite DOUBLE
     */
    static Object arithmetic(char op, Object a, Object b, String text) throws InvalidRequestException {
        if (a instanceof Long x && b instanceof Long y) {
            try {
                return switch (op) {
                    case '+' -> Math.addExact(x, y);
                    case '-' -> Math.subtractExact(x, y);
                    case '*' -> Math.multiplyExact(x, y);
                    case '/' -> {
                        nonZero(y, text);
                        if (x == Long.MIN_VALUE && y == -1) {
                            throw new ArithmeticException("overflow");
                        }
                        yield x / y;
                    }
                    default -> {
                        nonZero(y, text);
                        yield x % y;
                    }
                };
            } catch (ArithmeticException e) {
                throw SqlErrors.error("BIGINT overflow in " + text);
            }
        }
        double x = ((Number) a).doubleValue();
        double y = ((Number) b).doubleValue();
        if ((op == '/' || op == '%') && y == 0) {
            throw SqlErrors.error("division by zero in " + text);
        }
        double r = switch (op) {
            case '+' -> x + y;
            case '-' -> x - y;
            case '*' -> x * y;
            case '/' -> x / y;
            default -> x % y;
        };
        if (!Double.isFinite(r)) {
            throw SqlErrors.error("DOUBLE overflow in " + text);
        }
        return r;
    }

    static Object negate(Object v, String text) throws InvalidRequestException {
        if (v instanceof Long l) {
            if (l == Long.MIN_VALUE) {
                throw SqlErrors.error("BIGINT overflow in " + text);
            }
            return -l;
        }
        return -(Double) v;
    }

    private static void nonZero(long y, String text) throws InvalidRequestException {
        if (y == 0) {
            throw SqlErrors.error("division by zero in " + text);
        }
    }

    /** SQL LIKE: {@code %} matches any run of characters, {@code _} exactly one; case-sensitive, no escape. */
    static boolean like(String s, String pattern) {
        int si = 0;
        int pi = 0;
        int star = -1;
        int resume = 0;
        // Greedy match remembering the last %: O(|s| * |pattern|) at worst, and patterns are short (capped).
        while (si < s.length()) {
            char p = pi < pattern.length() ? pattern.charAt(pi) : 0;
            if (pi < pattern.length() && p != '%' && (p == '_' || p == s.charAt(si))) {
                si++;
                pi++;
            } else if (pi < pattern.length() && p == '%') {
                star = pi++;
                resume = si;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++resume;
            } else {
                return false;
            }
        }
        while (pi < pattern.length() && pattern.charAt(pi) == '%') {
            pi++;
        }
        return pi == pattern.length();
    }
}
