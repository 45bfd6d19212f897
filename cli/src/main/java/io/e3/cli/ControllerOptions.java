package io.e3.cli;

import io.e3.model.topology.AddressPlan;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The options of the commands that talk to a running controller ({@code apply}, {@code get}, {@code delete}): where
 * it is and the token it wants. Each comes from the option, else the environment, else the config file
 * ({@link ConfigFile}); the server has a default, the token none.
 */
final class ControllerOptions {

    static final String SERVER_VARIABLE = "E3_SERVER";
    /** 7090: quarkus.http.port in controller/src/main/resources/application.properties. */
    static final int DEFAULT_PORT = 7090;
    /** The controller's address 127.B.0.2 in the default address block B (docs/node-agent.md). */
    static final String DEFAULT_SERVER = "http://127." + AddressPlan.DEFAULT_SECOND_OCTET + ".0.2:" + DEFAULT_PORT;

    /** The help footer line of every command with these options: where the config file is and what it holds. */
    static final String FOOTER = "Controller: --server and --token, else " + SERVER_VARIABLE + " and "
            + RunOptions.TOKEN_VARIABLE + ", else the config%nfile " + ConfigFile.DEFAULT_NAME + " (or the file "
            + ConfigFile.VARIABLE + " names), YAML:%n  server: " + DEFAULT_SERVER
            + "%n  token: 5f0c0e93a1d24b7f8e2c6a4d9b1f3e70";

    // Each description element is one line of help, so that the URL is never split.
    @Option(names = "--server", paramLabel = "URL",
            description = {"The controller's URL. Default: " + SERVER_VARIABLE + ", else",
                    "  'server' in the config file, else",
                    "  " + DEFAULT_SERVER + "."})
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = {"The controller's token (Authorization: Bearer",
                    "  TOKEN). Default: " + RunOptions.TOKEN_VARIABLE + ", else 'token' in the",
                    "  config file."})
    String token;

    /** A setting and where it came from, for messages: an option, a variable or the config file. */
    private record Setting(String value, String source) {
    }

    /** A client for the controller these options name; bad input naming every problem with them at once. */
    ControllerClient connect(CommandLine.Model.CommandSpec spec) {
        Function<String, String> environment = E3Command.environment(spec);
        ConfigFile config = ConfigFile.load(environment);
        Setting url = pick(server, "--server", environment, SERVER_VARIABLE, config.server(), config.name());
        Setting bearer = pick(token, "--token", environment, RunOptions.TOKEN_VARIABLE, config.token(),
                config.name());
        List<String> problems = new ArrayList<>();
        URI base = url == null ? URI.create(DEFAULT_SERVER) : base(url, problems);
        if (bearer != null && !RunOptions.TOKEN.matcher(bearer.value()).matches()) {
            problems.add(bearer.source() + ": the token must be visible ASCII characters without spaces (it is sent "
                    + "in an HTTP header)" + (bearer.value().isEmpty() ? ", got an empty one" : ""));
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        return new ControllerClient(base, bearer == null ? null : bearer.value(),
                "give --token, " + RunOptions.TOKEN_VARIABLE + " or token in " + config.name());
    }

    /** The option if given, else the variable unless unset or empty, else the config entry, else null. */
    private static Setting pick(String option, String optionName, Function<String, String> environment,
                                String variable, String configured, String configName) {
        if (option != null) {
            return new Setting(option, optionName);
        }
        String fromEnvironment = environment.apply(variable);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return new Setting(fromEnvironment, variable);
        }
        return configured == null ? null : new Setting(configured, configName + ": " + optionName.substring(2));
    }

    /** The server URL without a trailing slash, or null with a problem added. */
    private static URI base(Setting url, List<String> problems) {
        String text = url.value().strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, as every other malformed URL is
        }
        problems.add(url.source() + ": expected a URL such as " + DEFAULT_SERVER + ", got '" + url.value() + "'");
        return null;
    }
}
