package io.e3.microservices.services.sql;

import io.e3.microservices.InvalidRequestException;

/** Errors in the statement: all name the {@code sql} request field, as every request error names its field. */
final class SqlErrors {

    private SqlErrors() {
    }

    static InvalidRequestException error(String message) {
        return new InvalidRequestException("sql: " + message);
    }

    static InvalidRequestException unsupported(String what) {
        return error(what + " is not supported");
    }
}
