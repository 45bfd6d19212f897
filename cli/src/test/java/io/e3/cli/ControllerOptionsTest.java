package io.e3.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where apply, get and delete find the controller and its token, and what they do when it does not answer. */
class ControllerOptionsTest {

    private static final String HINT = "(give --token, E3_TOKEN or token in ";

    @TempDir
    Path dir;

    private FakeController controller;

    @BeforeEach
    void start() {
        controller = FakeController.start("right").answer("GET", "/v1/apps", 200, "[]");
    }

    @AfterEach
    void stop() throws Exception {
        controller.close();
    }

    @Test
    void withoutATokenItIsUnauthorizedAndSaysHowToGiveOne() {
        Map<String, String> env = controller.environment();
        env.remove(RunOptions.TOKEN_VARIABLE);

        CliRun run = FakeController.run(env, new byte[0], "get", "apps");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly("unauthorized: missing Authorization: Bearer <token> " + HINT
                + env.get(ConfigFile.VARIABLE) + ")");
        assertThat(controller.requests().get(0).authorization()).isNull();
    }

    @Test
    void aWrongTokenIsUnauthorized() {
        CliRun run = controller.run("get", "apps", "--token", "wrong");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString().startsWith("unauthorized: wrong token " + HINT);
    }

    @Test
    void anUnreachableControllerExitsOneNamingIt() throws Exception {
        String gone = FakeController.goneUrl();
        Map<String, String> env = controller.environment();
        env.put(ControllerOptions.SERVER_VARIABLE, gone);

        CliRun run = FakeController.run(env, new byte[0], "get", "apps");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).singleElement().asString()
                .startsWith("e3: error: cannot reach the controller at " + gone + ": ")
                .doesNotContain("--debug");
        assertThat(FakeController.run(env, new byte[0], "--debug", "get", "apps").err())
                .contains("java.net.ConnectException", "\tat ");
    }

    @Test
    void theTokenOptionBeatsTheVariableWhichBeatsTheConfigFile() throws Exception {
        Map<String, String> env = controller.environment();
        env.put(ConfigFile.VARIABLE, config("token: from-config\nserver: " + controller.url() + "\n").toString());
        env.remove(ControllerOptions.SERVER_VARIABLE);
        env.put(RunOptions.TOKEN_VARIABLE, "from-env");

        FakeController.run(env, new byte[0], "get", "apps", "--token", "from-option");
        FakeController.run(env, new byte[0], "get", "apps");
        env.put(RunOptions.TOKEN_VARIABLE, "");
        FakeController.run(env, new byte[0], "get", "apps");

        assertThat(controller.requests()).extracting(FakeController.Request::authorization)
                .containsExactly("Bearer from-option", "Bearer from-env", "Bearer from-config");
    }

    @Test
    void theServerOptionBeatsTheVariableWhichBeatsTheConfigFileWhichBeatsTheDefault() throws Exception {
        Map<String, String> env = Map.of(ConfigFile.VARIABLE, config("server: http://config:1/\n").toString(),
                ControllerOptions.SERVER_VARIABLE, "http://env:2");
        assertThat(base(env, "--server", "http://option:3")).isEqualTo("http://option:3");
        assertThat(base(env)).isEqualTo("http://env:2");
        assertThat(base(Map.of(ConfigFile.VARIABLE, env.get(ConfigFile.VARIABLE)))).isEqualTo("http://config:1");
        assertThat(base(Map.of(ConfigFile.VARIABLE, config("").toString())))
                .isEqualTo("http://127.42.0.2:7090").isEqualTo(ControllerOptions.DEFAULT_SERVER);
    }

    /** The controller URL {@code get apps} would call, with the environment {@code env}. */
    private static String base(Map<String, String> env, String... options) {
        CommandLine cli = E3Command.commandLine(InputStream.nullInputStream(), env::get);
        String[] args = new String[options.length + 2];
        args[0] = "get";
        args[1] = "apps";
        System.arraycopy(options, 0, args, 2, options.length);
        GetCommand get = (GetCommand) cli.parseArgs(args).subcommand().commandSpec().userObject();
        return get.controller.connect(get.spec).base().toString();
    }

    @Test
    void badSettingsAreBadInputNamingWhereEachCameFrom() throws Exception {
        Map<String, String> env = controller.environment();
        env.put(ControllerOptions.SERVER_VARIABLE, "127.42.0.2:7090");

        CliRun run = FakeController.run(env, new byte[0], "get", "apps", "--token", "two words");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly(
                "E3_SERVER: expected a URL such as http://127.42.0.2:7090, got '127.42.0.2:7090'",
                "--token: the token must be visible ASCII characters without spaces (it is sent in an HTTP header)");
        assertThat(controller.requests()).isEmpty();
    }

    @Test
    void aBadConfigFileIsBadInputWithEveryProblem() throws Exception {
        Path file = config("server: [1, 2]\ntokn: abc\n");

        CliRun run = FakeController.run(Map.of(ConfigFile.VARIABLE, file.toString()), new byte[0], "get", "apps");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).containsExactly(file + ": server: must be a string",
                file + ": unknown key 'tokn' (valid: server, token)");
    }

    @Test
    void aConfigFileThatIsNotThereOrNotYamlIsBadInput() throws Exception {
        Path missing = dir.resolve("nope");
        assertThat(FakeController.run(Map.of(ConfigFile.VARIABLE, missing.toString()), new byte[0], "get", "apps")
                .errLines()).containsExactly("E3_CONFIG: " + missing + ": no such file");

        Path broken = config("server: http://x\n  token: [\n");
        CliRun run = FakeController.run(Map.of(ConfigFile.VARIABLE, broken.toString()), new byte[0], "get", "apps");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(run.errLines()).singleElement().asString().startsWith(broken + ":2: not valid YAML: ");
    }

    @Test
    void aServerThatIsNoControllerIsAFailure() {
        controller.answer("GET", "/v1/nodes", 200, "<html>hello</html>");

        CliRun run = controller.run("get", "nodes");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).containsExactly("e3: error: the server at " + controller.url() + " answered GET "
                + "/v1/nodes with HTTP 200 and no JSON ('<html>hello</html>'); is it an E3 controller?");
    }

    @Test
    void aCallTheControllerDoesNotKnowIsAFailure() {
        CliRun run = controller.run("get", "placements");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).containsExactly(
                "e3: error: the controller has no GET /v1/placements (HTTP 404); is it older than this e3?");
    }

    private Path config(String text) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "config", ".yaml"), text);
    }
}
