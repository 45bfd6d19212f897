package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import net.sf.jsqlparser.statement.create.table.ColumnDefinition;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.table.Index;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code CREATE TABLE [IF NOT EXISTS] t (c TYPE [NOT NULL] [PRIMARY KEY], ..., [PRIMARY KEY (c)])}. Every table has a
 * primary key of exactly one column, implicitly NOT NULL: rows are stored by it. Reports
 * {@code {"created": t, "existed": bool}} (existed only with IF NOT EXISTS; otherwise an existing table is an error).
 */
final class CreatePlan implements Plan {

    static final int MAX_COLUMNS = 64;
    /**
     * The longest VARCHAR primary key: keys are written into snapshots as modified UTF-8 of at most 65,535 bytes,
     * and 1,024 characters take at most 3,072.
     */
    static final int MAX_KEY_LENGTH = 1024;

    private final Catalog catalog;
    private final TableSchema schema;
    private final boolean ifNotExists;

    private CreatePlan(Catalog catalog, TableSchema schema, boolean ifNotExists) {
        this.catalog = catalog;
        this.schema = schema;
        this.ifNotExists = ifNotExists;
    }

    static CreatePlan compile(CreateTable ct, Catalog catalog) throws InvalidRequestException {
        StatementChecks.refuse(ct.getSelect() != null || ct.getLikeTable() != null, "CREATE TABLE AS/LIKE");
        StatementChecks.refuse(ct.isOrReplace() || ct.isUnlogged() || StatementChecks.present(ct
                .getCreateOptionsStrings()) || StatementChecks.present(ct.getTableOptionsStrings()),
                "table options");
        String name = Names.table(ct.getTable());
        List<ColumnDefinition> definitions = ct.getColumnDefinitions();
        if (definitions == null || definitions.isEmpty() || definitions.size() > MAX_COLUMNS) {
            throw SqlErrors.error("table " + name + " needs 1 to " + MAX_COLUMNS + " columns");
        }
        List<Column> columns = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (ColumnDefinition d : definitions) {
            Column c = column(d, keys);
            if (columns.stream().anyMatch(other -> other.name().equals(c.name()))) {
                throw SqlErrors.error("column " + c.name() + " is declared twice");
            }
            columns.add(c);
        }
        for (Index index : ct.getIndexes() == null ? List.<Index>of() : ct.getIndexes()) {
            keys.addAll(primaryKey(index));
        }
        if (keys.size() != 1) {
            throw SqlErrors.error("table " + name + " needs a primary key of exactly one column (rows are stored "
                    + "by it), got " + (keys.isEmpty() ? "none" : keys));
        }
        int pk = new TableSchema(name, columns, 0).require(keys.get(0));
        columns.set(pk, keyColumn(columns.get(pk)));
        return new CreatePlan(catalog, new TableSchema(name, columns, pk), ct.isIfNotExists());
    }

    private static Column column(ColumnDefinition d, List<String> keys) throws InvalidRequestException {
        String name = Names.identifier(d.getColumnName(), "column");
        List<String> specs = d.getColumnSpecs() == null ? List.of() : d.getColumnSpecs();
        boolean notNull = false;
        for (int i = 0; i < specs.size(); i++) {
            String s = specs.get(i).toUpperCase(Locale.ROOT);
            String next = i + 1 < specs.size() ? specs.get(i + 1).toUpperCase(Locale.ROOT) : "";
            if (s.equals("NOT") && next.equals("NULL")) {
                notNull = true;
                i++;
            } else if (s.equals("PRIMARY") && next.equals("KEY")) {
                keys.add(name);
                i++;
            } else if (!s.equals("NULL")) {
                throw SqlErrors.unsupported("column " + name + ": the constraint " + String.join(" ",
                        specs.subList(i, specs.size())));
            }
        }
        return Column.declare(name, d.getColDataType().getDataType(), notNull);
    }

    private static List<String> primaryKey(Index index) throws InvalidRequestException {
        String type = index.getType() == null ? "" : index.getType().toUpperCase(Locale.ROOT);
        if (!type.equals("PRIMARY KEY") || index.getColumnsNames() == null) {
            throw SqlErrors.unsupported("the table constraint " + index + " (only PRIMARY KEY (c) is)");
        }
        List<String> out = new ArrayList<>();
        for (String c : index.getColumnsNames()) {
            out.add(Names.identifier(c, "column"));
        }
        return out;
    }

    private static Column keyColumn(Column c) throws InvalidRequestException {
        int maxLength = c.maxLength();
        if (c.type() == ColumnType.VARCHAR && maxLength > MAX_KEY_LENGTH) {
            if (maxLength != Column.MAX_STRING) {
                throw SqlErrors.error("primary key " + c.name() + ": VARCHAR keys hold at most " + MAX_KEY_LENGTH
                        + " characters");
            }
            maxLength = MAX_KEY_LENGTH;
        }
        return new Column(c.name(), c.type(), true, maxLength);
    }

    @Override
    public int parameters() {
        return 0;
    }

    @Override
    public ObjectNode execute(Object[] params) throws InvalidRequestException {
        if (catalog.find(schema.name()) != null) {
            if (!ifNotExists) {
                throw SqlErrors.error("table " + schema.name() + " already exists");
            }
            return Results.created(schema.name(), true);
        }
        catalog.create(schema);
        return Results.created(schema.name(), false);
    }
}
