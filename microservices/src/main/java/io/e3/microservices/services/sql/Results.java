package io.e3.microservices.services.sql;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.Requests;

import java.util.List;

/** Response objects: {@code {"columns", "rows", "truncated"}}, {@code {"updated"}} and {@code {"created"}}. */
final class Results {

    private Results() {
    }

    static ObjectNode rows(List<String> columns, List<Object[]> rows, boolean truncated) {
        ObjectNode response = Requests.response();
        ArrayNode names = response.putArray("columns");
        columns.forEach(names::add);
        ArrayNode out = response.putArray("rows");
        for (Object[] row : rows) {
            ArrayNode r = out.addArray();
            for (Object v : row) {
                add(r, v);
            }
        }
        response.put("truncated", truncated);
        return response;
    }

    static ObjectNode updated(int count) {
        return Requests.response().put("updated", count);
    }

    static ObjectNode created(String table, boolean existed) {
        return Requests.response().put("created", table).put("existed", existed);
    }

    private static void add(ArrayNode array, Object v) {
        if (v == null) {
            array.addNull();
        } else if (v instanceof Long l) {
            array.add(l);
        } else if (v instanceof Double d) {
            array.add(d);
        } else if (v instanceof String s) {
            array.add(s);
        } else {
            array.add((Boolean) v);
        }
    }
}
