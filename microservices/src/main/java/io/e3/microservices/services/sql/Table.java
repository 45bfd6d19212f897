package io.e3.microservices.services.sql;

import io.e3.microservices.state.ReliableHashTable;

import java.util.Set;

/** A table's schema and its rows: a reliable hash table from primary-key key to encoded row. */
final class Table {

    private final TableSchema schema;
    private final ReliableHashTable rows;

    Table(TableSchema schema, ReliableHashTable rows) {
        this.schema = schema;
        this.rows = rows;
    }

    TableSchema schema() {
        return schema;
    }

    /** The row stored under {@code key}, or null. */
    Object[] get(String key) {
        return get(key, null);
    }

    /** The row stored under {@code key} with only the {@code needed} columns decoded (all when null), or null. */
    Object[] get(String key, boolean[] needed) {
        return rows.get(key).map(bytes -> RowCodec.decode(schema, bytes, needed)).orElse(null);
    }

    boolean contains(String key) {
        return rows.containsKey(key);
    }

    void put(Object[] row) {
        rows.put(RowCodec.key(row[schema.primaryKey()]), RowCodec.encode(schema, row));
    }

    boolean remove(String key) {
        return rows.remove(key);
    }

    /** The keys, in no particular order; do not change the table while iterating. */
    Set<String> keys() {
        return rows.keys();
    }

    int size() {
        return rows.size();
    }
}
