package io.e3.microservices.services.sql;

/**
 * The type of a value while a statement runs. Values are Java objects: {@code null}, {@link Long} (BIGINT and INT
 * columns, integer literals), {@link Double}, {@link String} and {@link Boolean}.
 */
enum SqlType {
    NULL("NULL"),
    INTEGER("BIGINT"),
    DOUBLE("DOUBLE"),
    STRING("VARCHAR"),
    BOOLEAN("BOOLEAN");

    private final String sqlName;

    SqlType(String sqlName) {
        this.sqlName = sqlName;
    }

    boolean numeric() {
        return this == INTEGER || this == DOUBLE;
    }

    /** Whether values of the two types may be compared: the same type, two numbers, or NULL on either side. */
    boolean comparableWith(SqlType other) {
        return this == NULL || other == NULL || this == other || (numeric() && other.numeric());
    }

    static SqlType of(Object value) {
        if (value == null) {
            return NULL;
        }
        if (value instanceof Long) {
            return INTEGER;
        }
        if (value instanceof Double) {
            return DOUBLE;
        }
        return value instanceof String ? STRING : BOOLEAN;
    }

    @Override
    public String toString() {
        return sqlName;
    }
}
