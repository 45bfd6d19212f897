package io.e3.microservices.services.sql;

/** A column's declared type; {@link #code} is its stable number in the stored schema. */
enum ColumnType {
    BIGINT(SqlType.INTEGER, 1),
    INT(SqlType.INTEGER, 2),
    DOUBLE(SqlType.DOUBLE, 3),
    VARCHAR(SqlType.STRING, 4),
    BOOLEAN(SqlType.BOOLEAN, 5);

    final SqlType sqlType;
    final int code;

    ColumnType(SqlType sqlType, int code) {
        this.sqlType = sqlType;
        this.code = code;
    }

    /** Whether a value of type {@code t} can be stored (NULL always passes here; NOT NULL is checked on store). */
    boolean accepts(SqlType t) {
        return t == SqlType.NULL || t == sqlType || (sqlType.numeric() && t.numeric());
    }

    static ColumnType byCode(int code) {
        for (ColumnType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        throw new IllegalStateException("sql.schema: unknown column type code " + code);
    }

    /** The type a declaration such as {@code BIGINT}, {@code DOUBLE PRECISION} or {@code TEXT} names, if supported. */
    static ColumnType named(String base) {
        return switch (base) {
            case "BIGINT", "INT8" -> BIGINT;
            case "INT", "INTEGER", "INT4" -> INT;
            case "DOUBLE", "DOUBLE PRECISION", "FLOAT", "FLOAT8", "REAL" -> DOUBLE;
            case "VARCHAR", "CHARACTER VARYING", "TEXT" -> VARCHAR;
            case "BOOLEAN", "BOOL" -> BOOLEAN;
            default -> null;
        };
    }
}
