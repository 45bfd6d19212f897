package io.e3.cli;

import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --token} and {@code --show-token}, for the commands that run part of a cluster and so decide its token: the
 * agents and the switch ({@code e3 cluster up}, {@code e3 agent}) and the controller ({@code e3 controller}). The
 * commands that talk to a controller take theirs from {@link ControllerOptions}, which also reads the config file.
 */
final class ClusterTokenOption {

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The cluster token every control call must bear (Authorization: Bearer TOKEN); an agent's "
                    + "GET /metrics needs none. Default: the environment variable " + RunOptions.TOKEN_VARIABLE
                    + ", else a generated one. Prefer " + RunOptions.TOKEN_VARIABLE + ": every user of the machine "
                    + "sees an option's value in ps.")
    String token;

    @Option(names = "--show-token", description = "Print the token (otherwise e3 controller keeps it in "
            + "STATE-DIR/token and e3 cluster up and e3 agent show it only in -o json, the document the controller's "
            + "operator needs).")
    boolean show;

    /** The token from --token, else from E3_TOKEN (unless it is empty, as an unset variable often is), else null. */
    String given() {
        if (fromOption()) {
            return token;
        }
        String variable = System.getenv(RunOptions.TOKEN_VARIABLE);
        return variable == null || variable.isEmpty() ? null : variable;
    }

    boolean show() {
        return show;
    }

    /** Adds to {@code problems} why the token given is not one, if it is not. */
    void check(List<String> problems) {
        String given = given();
        if (given != null && !RunOptions.TOKEN.matcher(given).matches()) {
            problems.add((fromOption() ? "--token" : RunOptions.TOKEN_VARIABLE) + ": the token must be visible ASCII "
                    + "characters without spaces (it is sent in an HTTP header)"
                    + (given.isEmpty() ? ", got an empty one" : ""));
        }
    }

    private boolean fromOption() {
        return token != null;
    }
}
