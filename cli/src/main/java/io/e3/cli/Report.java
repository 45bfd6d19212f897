package io.e3.cli;

import java.io.PrintWriter;

/** Something a command shows: printed as text for people, serialised as JSON by {@code -o json}. */
interface Report {

    /** Prints this report as text. */
    void print(PrintWriter out);
}
