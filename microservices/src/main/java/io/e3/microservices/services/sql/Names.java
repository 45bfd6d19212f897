package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Table and column names: quotes ({@code "x"}, {@code `x`}, {@code [x]}) removed and folded to lower case, so names
 * are case-insensitive whether quoted or not.
 */
final class Names {

    static final int MAX_LENGTH = 64;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0," + (MAX_LENGTH - 1) + "}");

    private Names() {
    }

    static String identifier(String raw, String what) throws InvalidRequestException {
        String s = raw == null ? "" : raw.trim();
        if (s.length() >= 2 && ((s.startsWith("\"") && s.endsWith("\"")) || (s.startsWith("`") && s.endsWith("`"))
                || (s.startsWith("[") && s.endsWith("]")))) {
            s = s.substring(1, s.length() - 1);
        }
        s = s.toLowerCase(Locale.ROOT);
        if (!IDENTIFIER.matcher(s).matches()) {
            throw SqlErrors.error(what + " name '" + raw + "' must be a letter or _ then up to " + (MAX_LENGTH - 1)
                    + " letters, digits or _");
        }
        return s;
    }

    /** The name of a table reference, rejecting schema-qualified names. */
    static String table(net.sf.jsqlparser.schema.Table table) throws InvalidRequestException {
        if (table == null) {
            throw SqlErrors.error("a table name is missing");
        }
        if (table.getSchemaName() != null || table.getDatabaseName() != null) {
            throw SqlErrors.unsupported("a schema-qualified table name (" + table.getFullyQualifiedName() + ")");
        }
        return identifier(table.getName(), "table");
    }

    /** The alias of a table reference, or null. */
    static String alias(net.sf.jsqlparser.schema.Table table) throws InvalidRequestException {
        return table == null || table.getAlias() == null ? null : identifier(table.getAlias().getName(), "alias");
    }
}
