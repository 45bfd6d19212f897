package io.e3.cli;

/** Entry point of the {@code e3} command. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(E3Command.commandLine().execute(args));
    }
}
