package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table's name, columns and single-column primary key. Stored in {@code sql.schema} under the table name as: format
 * version byte, column count (short), then per column its name (UTF), type code, NOT NULL flag and maximum length
 * (int), then the primary-key column index (short).
 */
final class TableSchema {

    private static final int FORMAT = 1;

    private final String name;
    private final List<Column> columns;
    private final int primaryKey;
    private final Map<String, Integer> byName = new HashMap<>();

    TableSchema(String name, List<Column> columns, int primaryKey) {
        this.name = Objects.requireNonNull(name, "name");
        this.columns = List.copyOf(columns);
        if (primaryKey < 0 || primaryKey >= this.columns.size()) {
            throw new IllegalArgumentException("primary key index " + primaryKey + " out of range");
        }
        this.primaryKey = primaryKey;
        for (int i = 0; i < this.columns.size(); i++) {
            byName.put(this.columns.get(i).name(), i);
        }
    }

    String name() {
        return name;
    }

    List<Column> columns() {
        return columns;
    }

    int size() {
        return columns.size();
    }

    Column column(int index) {
        return columns.get(index);
    }

    int primaryKey() {
        return primaryKey;
    }

    Column primaryKeyColumn() {
        return columns.get(primaryKey);
    }

    /** The index of column {@code column}, or -1. */
    int indexOf(String column) {
        Integer i = byName.get(column);
        return i == null ? -1 : i;
    }

    /** The index of column {@code column}. */
    int require(String column) throws InvalidRequestException {
        int i = indexOf(column);
        if (i < 0) {
            throw SqlErrors.error("unknown column " + column + " in table " + name);
        }
        return i;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeShort(columns.size());
            for (Column c : columns) {
                out.writeUTF(c.name());
                out.writeByte(c.type().code);
                out.writeBoolean(c.notNull());
                out.writeInt(c.maxLength());
            }
            out.writeShort(primaryKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The schema {@link #encode()} wrote; the bytes come from this service's own state, so damage is a bug. */
    static TableSchema decode(String name, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != FORMAT) {
                throw new IllegalStateException("sql.schema: table " + name + " has an unknown format");
            }
            int n = in.readShort();
            Column[] columns = new Column[n];
            for (int i = 0; i < n; i++) {
                columns[i] = new Column(in.readUTF(), ColumnType.byCode(in.readByte()), in.readBoolean(), in.readInt());
            }
            return new TableSchema(name, List.of(columns), in.readShort());
        } catch (IOException e) {
            throw new IllegalStateException("sql.schema: table " + name + " is damaged", e);
        }
    }
}
