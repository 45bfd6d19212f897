package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.ReliableHashTable;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The tables of one SQL instance. The schema lives in the reliable hash table {@code sql.schema} (table name to
 * encoded {@link TableSchema}) and each table's rows in {@code sql.t.<table>}; the map here only caches the decoded
 * schemas and collection handles, rebuilt from the state on construction. Tables are never dropped or altered.
 */
final class Catalog {

    static final String SCHEMA = "sql.schema";
    static final String ROWS_PREFIX = "sql.t.";
    /** The most tables one instance holds. */
    static final int MAX_TABLES = 64;

    private final ReliableCollections state;
    private final ReliableHashTable schemas;
    private final Map<String, Table> tables = new HashMap<>();

    Catalog(ReliableCollections state) {
        this.state = state;
        this.schemas = state.hashTable(SCHEMA);
        for (String name : new TreeSet<>(schemas.keys())) {
            TableSchema schema = TableSchema.decode(name, schemas.get(name).orElseThrow());
            tables.put(name, new Table(schema, state.hashTable(ROWS_PREFIX + name)));
        }
    }

    boolean isEmpty() {
        return tables.isEmpty();
    }

    /** The table called {@code name}, or null. */
    Table find(String name) {
        return tables.get(name);
    }

    Table table(String name) throws InvalidRequestException {
        Table t = tables.get(name);
        if (t == null) {
            throw SqlErrors.error("unknown table " + name);
        }
        return t;
    }

    /** Creates a table that does not exist yet. */
    Table create(TableSchema schema) throws InvalidRequestException {
        if (tables.size() >= MAX_TABLES) {
            throw SqlErrors.error("an instance holds at most " + MAX_TABLES + " tables");
        }
        schemas.put(schema.name(), schema.encode());
        Table t = new Table(schema, state.hashTable(ROWS_PREFIX + schema.name()));
        tables.put(schema.name(), t);
        return t;
    }
}
