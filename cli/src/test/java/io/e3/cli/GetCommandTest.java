package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class GetCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeController controller;

    @BeforeEach
    void start() {
        controller = FakeController.start("t0k")
                .answer("GET", "/v1/apps", 200, ControllerAnswers.APPS)
                .answer("GET", "/v1/apps/iot-ts", 200, ControllerAnswers.IOT_TS_PENDING)
                .answer("GET", "/v1/apps/shop", 404, ControllerAnswers.NO_APP_SHOP)
                .answer("GET", "/v1/nodes", 200, ControllerAnswers.NODES)
                .answer("GET", "/v1/placements", 200, ControllerAnswers.PLACEMENTS)
                .answer("GET", "/v1/migrations", 200, ControllerAnswers.MIGRATIONS)
                .answer("GET", "/v1/migrations/1", 200, ControllerAnswers.MIGRATION_1)
                .answer("GET", "/v1/migrations/9", 404, ControllerAnswers.NO_MIGRATION_9);
    }

    @AfterEach
    void stop() throws Exception {
        controller.close();
    }

    @Test
    void appsTableHasOneRowPerAppWithPhaseAndReason() {
        CliRun run = controller.run("get", "apps");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "NAME     PHASE    SERVICES  INSTANCES  APPLIED               REASON",
                "iot-ts   RUNNING  5         108        2026-03-02T10:15:30Z  placed 108 instances on 6 nodes",
                "nfv-fin  FAILED   3         12         2026-03-02T10:16:01Z  no room for nat.3 on any node");
        assertThat(controller.requests().get(0).authorization()).isEqualTo("Bearer t0k");
    }

    @Test
    void oneAppIsAskedForByName() {
        CliRun run = controller.run("get", "app", "iot-ts");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).hasSize(2).last().asString().startsWith("iot-ts  PENDING  5");
        assertThat(controller.requests().get(0).path()).isEqualTo("/v1/apps/iot-ts");
    }

    @Test
    void anAppThatIsNotThereExitsOne() {
        CliRun run = controller.run("get", "apps", "shop");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(run.errLines()).containsExactly("e3: error: no app 'shop'");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void nodesTableShowsCapacityAddressAndMembership() {
        CliRun run = controller.run("get", "nodes");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "NODE     KIND      SERVER  RACK    CORES     MEMORY  BANDWIDTH  ADDRESS     UP   INSTANCES",
                "s0/host  HOST      s0      rack-0  12 beefy  64 GiB  20 Gb/s    127.42.1.0  yes  18",
                "s0/nic0  SMARTNIC  s0      rack-0  12 wimpy  4 GiB   20 Gb/s    127.42.1.1  no   0");
    }

    @Test
    void oneNodeIsFoundInTheListAndAnUnknownOneExitsOne() {
        assertThat(controller.run("get", "node", "s0/nic0").out().lines()).hasSize(2).last().asString()
                .startsWith("s0/nic0  SMARTNIC");
        CliRun unknown = controller.run("get", "node", "s9/host");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unknown.errLines()).containsExactly("e3: error: no node 's9/host'");
    }

    @Test
    void placementsTableListsEveryInstanceOrThoseOfOneApp() {
        CliRun all = controller.run("get", "placements");
        assertThat(all.exitCode()).isZero();
        assertThat(all.out().lines()).containsExactly(
                "APP     INSTANCE                  SERVICE  TYPE         ROLE     NODE",
                "iot-ts  iot-ts/gateway.0          gateway  api-gateway  primary  s0/host",
                "iot-ts  iot-ts/gateway.0.backup1  gateway  api-gateway  backup   s1/host",
                "shop    shop/cart.0               cart     kvs          primary  s2/nic0");

        CliRun one = controller.run("get", "placements", "shop");
        assertThat(one.out().lines()).containsExactly("APP   INSTANCE     SERVICE  TYPE  ROLE     NODE",
                "shop  shop/cart.0  cart     kvs   primary  s2/nic0");
    }

    @Test
    void placementsOfAnAppThatIsNotThereExitOne() {
        CliRun run = controller.run("get", "placements", "shop-2");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(controller.requests()).extracting(FakeController.Request::path)
                .containsExactly("/v1/placements", "/v1/apps/shop-2");
    }

    @Test
    void migrationsTableShowsPhaseAndHowLongEachTook() {
        CliRun run = controller.run("get", "migrations");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "ID  INSTANCE      FROM     TO       PHASE      STARTED               TOOK    REASON",
                "1   shop/cart.0   s2/nic0  s2/host  SUCCEEDED  2026-03-02T10:20:00Z  115 ms  overload",
                "2   iot-ts/ema.3  s1/nic0  s1/host  RUNNING    2026-03-02T10:21:00Z  -       requested");
    }

    @Test
    void oneMigrationShowsItsSteps() {
        CliRun run = controller.run("get", "migration", "1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Steps:\n  deployed on s2/host at 12 ms\n",
                "  undeployed on s2/nic0 at 115 ms\n", "State moved: 4,096 bytes");
        assertThat(controller.run("get", "migrations", "9").errLines())
                .containsExactly("e3: error: no migration 9");
    }

    static Stream<Arguments> everyGet() {
        return Stream.of(Arguments.of("apps", ControllerAnswers.APPS), Arguments.of("nodes", ControllerAnswers.NODES),
                Arguments.of("placements", ControllerAnswers.PLACEMENTS),
                Arguments.of("migrations", ControllerAnswers.MIGRATIONS),
                Arguments.of("app iot-ts", ControllerAnswers.IOT_TS_PENDING),
                Arguments.of("migration 1", ControllerAnswers.MIGRATION_1));
    }

    @ParameterizedTest(name = "get {0} -o json")
    @MethodSource("everyGet")
    void jsonIsTheControllersDocument(String what, String served) throws Exception {
        List<String> args = new ArrayList<>(List.of("get"));
        args.addAll(List.of(what.split(" ")));
        args.addAll(List.of("-o", "json"));

        CliRun run = controller.run(args.toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(served));
    }

    @Test
    void badKindOrMigrationIdIsBadInput() {
        CliRun kind = controller.run("get", "pods");
        assertThat(kind.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(kind.err()).contains("expected apps, nodes, placements or migrations, got 'pods'");

        CliRun id = controller.run("get", "migrations", "abc");
        assertThat(id.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(id.errLines()).containsExactly(
                "get migrations: a migration is named by its id, a number >= 1; got 'abc'");
        assertThat(controller.requests()).isEmpty();
    }
}
