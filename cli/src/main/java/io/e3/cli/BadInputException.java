package io.e3.cli;

import java.util.List;

/** Bad input found by a command; each problem is one line on stderr, and the exit code is 2. */
public final class BadInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public BadInputException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public BadInputException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
