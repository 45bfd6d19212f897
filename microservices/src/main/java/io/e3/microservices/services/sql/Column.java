package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;

import java.util.Locale;

/**
 * One column of a table.
 *
 * @param maxLength for VARCHAR, the most characters a value may have ({@link #MAX_STRING} unless declared smaller)
 */
record Column(String name, ColumnType type, boolean notNull, int maxLength) {

    /** The longest string any column holds, in UTF-16 characters. */
    static final int MAX_STRING = 65_535;

    /** A column from its declaration, e.g. {@code ("name", "VARCHAR (20)")}. */
    static Column declare(String name, String declaredType, boolean notNull) throws InvalidRequestException {
        String type = declaredType.trim().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
        String args = null;
        int paren = type.indexOf('(');
        if (paren >= 0) {
            if (!type.endsWith(")")) {
                throw SqlErrors.error("column " + name + ": cannot read type " + declaredType);
            }
            args = type.substring(paren + 1, type.length() - 1).trim();
            type = type.substring(0, paren).trim();
        }
        ColumnType t = ColumnType.named(type);
        if (t == null) {
            throw SqlErrors.error("column " + name + ": type " + declaredType + " is not supported; use BIGINT, INT, "
                    + "DOUBLE, VARCHAR[(n)], TEXT or BOOLEAN");
        }
        int maxLength = MAX_STRING;
        if (args != null) {
            if (t != ColumnType.VARCHAR || type.equals("TEXT")) {
                throw SqlErrors.error("column " + name + ": type " + type + " takes no length");
            }
            maxLength = length(name, args);
        }
        return new Column(name, t, notNull, maxLength);
    }

    private static int length(String column, String args) throws InvalidRequestException {
        if (!args.matches("[0-9]{1,6}") || Integer.parseInt(args) < 1 || Integer.parseInt(args) > MAX_STRING) {
            throw SqlErrors.error("column " + column + ": VARCHAR length must be in [1, " + MAX_STRING + "], got "
                    + args);
        }
        return Integer.parseInt(args);
    }

    /**
     * The value as this column stores it: numbers converted to the column's type when exact, strings checked against
     * the length and for well-formed Unicode.
     *
     * @throws InvalidRequestException naming the column when the value does not fit
     */
    Object store(Object value) throws InvalidRequestException {
        if (value == null) {
            if (notNull) {
                throw SqlErrors.error("column " + name + " is NOT NULL");
            }
            return null;
        }
        if (!type.accepts(SqlType.of(value))) {
            throw SqlErrors.error("column " + name + " is " + type + ", cannot store " + SqlType.of(value));
        }
        return switch (type) {
            case BIGINT -> whole(value);
            case INT -> {
                long v = whole(value);
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw SqlErrors.error("column " + name + ": " + v + " is out of range for INT");
                }
                yield v;
            }
            case DOUBLE -> value instanceof Long l ? (Object) l.doubleValue() : value;
            case VARCHAR -> text((String) value);
            case BOOLEAN -> value;
        };
    }

    private long whole(Object value) throws InvalidRequestException {
        if (value instanceof Long l) {
            return l;
        }
        double d = (Double) value;
        if (d != Math.rint(d) || d < -0x1p63 || d >= 0x1p63) {
            throw SqlErrors.error("column " + name + ": " + d + " is not a whole number in the range of " + type);
        }
        return (long) d;
    }

    private String text(String s) throws InvalidRequestException {
        if (s.length() > maxLength) {
            throw SqlErrors.error("column " + name + ": a string of " + s.length() + " characters exceeds "
                    + maxLength);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // An unpaired surrogate would not survive the UTF-8 encoding of the stored row.
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw SqlErrors.error("column " + name + ": string holds an unpaired surrogate at index " + i);
            }
        }
        return s;
    }
}
