package io.e3.cli;

/** The exit codes every {@code e3} command keeps (DESIGN.md, "Contracts"). */
public final class ExitCodes {

    /** Success. */
    public static final int OK = 0;
    /** Something failed while running. */
    public static final int FAILURE = 1;
    /** Bad input: a manifest, a file or an argument; one line per problem on stderr. */
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
