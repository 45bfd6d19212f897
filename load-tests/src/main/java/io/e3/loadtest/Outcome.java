package io.e3.loadtest;

import java.util.Objects;

/**
 * What a target answered to one request.
 *
 * @param ok     whether the request succeeded
 * @param reason a short reason, for example {@code "ok"} or {@code "HTTP 503"}; never null
 */
public record Outcome(boolean ok, String reason) {

    private static final Outcome OK = new Outcome(true, "ok");

    public Outcome {
        Objects.requireNonNull(reason, "reason");
    }

    /** A successful answer. */
    public static Outcome success() {
        return OK;
    }

    /** A failed answer, with why it failed. */
    public static Outcome error(String reason) {
        return new Outcome(false, reason);
    }
}
