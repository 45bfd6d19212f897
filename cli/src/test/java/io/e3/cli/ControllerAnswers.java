package io.e3.cli;

/**
 * Answers of the controller's REST API as it writes them, for the resources in
 * controller/src/main/java/io/e3/controller. Checked against a running controller: Quarkus REST with Jackson writes
 * record fields in alphabetical order, instants as ISO-8601 text, and keeps nulls; maps built with {@code Map.of}
 * (errors) come in no fixed order.
 */
final class ControllerAnswers {

    /** {@code TokenAuthFilter}, no Authorization header. */
    static final String MISSING_TOKEN = """
            {"error":"missing Authorization: Bearer <token>"}""";
    /** {@code TokenAuthFilter}, another token. */
    static final String WRONG_TOKEN = """
            {"error":"wrong token"}""";

    /** {@code AppRegistry.AppView} of a just-applied app, as POST /v1/apps and GET /v1/apps/iot-ts answer. */
    static final String IOT_TS_PENDING = """
            {"appliedAt":"2026-03-02T10:15:30.123456789Z","instances":108,\
            "manifest":"apiVersion: e3.io/v1alpha1\\nkind: MicroserviceApp\\n","name":"iot-ts","phase":"PENDING",\
            "reason":"queued for placement","services":5}""";

    /** GET /v1/apps: {@code List<AppView>}, sorted by name. */
    static final String APPS = """
            [{"appliedAt":"2026-03-02T10:15:30.123456789Z","instances":108,"manifest":"...","name":"iot-ts",\
            "phase":"RUNNING","reason":"placed 108 instances on 6 nodes","services":5},\
            {"appliedAt":"2026-03-02T10:16:01Z","instances":12,"manifest":"...","name":"nfv-fin","phase":"FAILED",\
            "reason":"no room for nat.3 on any node","services":3}]""";

    /** POST /v1/apps with an invalid manifest (cli/src/test/resources/malformed/replicas-zero.yaml). */
    static final String INVALID = """
            {"error":"the manifest is invalid","violations":[{"source":"<request>","line":9,\
            "path":"spec.services[0].replicas","message":"must be >= 1, got 0"},{"source":"<request>","line":0,\
            "path":"","message":"a second problem without a line"}]}""";

    /** GET and DELETE /v1/apps/{name} of an app there is not. */
    static final String NO_APP_SHOP = """
            {"error":"no app 'shop'"}""";

    /** DELETE /v1/apps/iot-ts: 202. */
    static final String DELETING = """
            {"deleting":"iot-ts"}""";

    /** GET /v1/nodes: {@code List<ClusterResource.NodeView>} (3x-type1-smartnic, block 42; two of its nodes). */
    static final String NODES = """
            [{"address":"127.42.1.0","bandwidthGbps":20.0,"coreClass":"BEEFY","cores":12,"id":"s0/host",\
            "instances":18,"kind":"HOST","memoryMiB":65536,"rack":"rack-0","server":"s0","up":true,\
            "url":"http://127.42.1.0:7080"},{"address":"127.42.1.1","bandwidthGbps":20.0,"coreClass":"WIMPY",\
            "cores":12,"id":"s0/nic0","instances":0,"kind":"SMARTNIC","memoryMiB":4096,"rack":"rack-0",\
            "server":"s0","up":false,"url":"http://127.42.1.1:7080"}]""";

    /** GET /v1/placements: {@code List<ClusterResource.PlacementView>}. */
    static final String PLACEMENTS = """
            [{"app":"iot-ts","instance":"iot-ts/gateway.0","node":"s0/host","role":"primary","service":"gateway",\
            "type":"api-gateway"},{"app":"iot-ts","instance":"iot-ts/gateway.0.backup1","node":"s1/host",\
            "role":"backup","service":"gateway","type":"api-gateway"},{"app":"shop","instance":"shop/cart.0",\
            "node":"s2/nic0","role":"primary","service":"cart","type":"kvs"}]""";

    /** GET /v1/migrations/1: {@code Migrations.View} of a finished migration. */
    static final String MIGRATION_1 = """
            {"error":null,"finishedAt":"2026-03-02T10:20:00.115Z","from":"s2/nic0","id":1,"instance":"shop/cart.0",\
            "phase":"SUCCEEDED","reason":"overload","startedAt":"2026-03-02T10:20:00.000Z","stateBytes":4096,\
            "steps":["deployed on s2/host at 12 ms","drained on s2/nic0 at 15 ms",\
            "moved 4096 bytes of state at 40 ms","routes switched on 6 agents at 95 ms",\
            "undeployed on s2/nic0 at 115 ms"],"to":"s2/host"}""";

    /** GET /v1/migrations: {@code List<Migrations.View>}, one finished, one running. */
    static final String MIGRATIONS = "[" + MIGRATION_1 + """
            ,{"error":null,"finishedAt":null,"from":"s1/nic0","id":2,"instance":"iot-ts/ema.3","phase":"RUNNING",\
            "reason":"requested","startedAt":"2026-03-02T10:21:00Z","stateBytes":null,\
            "steps":["deployed on s1/host at 9 ms"],"to":"s1/host"}]""";

    /** GET /v1/migrations/{id} of a migration there is not. */
    static final String NO_MIGRATION_9 = """
            {"error":"no migration 9"}""";

    /** POST /v1/apps/iot-ts/requests: {@code AppCaller.Answered}, every stage answered (responses shortened). */
    static final String IOT_TS_REPLY = """
            {"app":"iot-ts","attempts":1,"elapsedMillis":21.4,"entry":"gateway",\
            "envelope":{"key":"thermostat-17","id":1,"trace":true},"failures":0,\
            "reply":{"instance":"iot-ts/gateway.3","node":"s0/host","response":{"status":200,"route":"readings"},\
            "failures":0,"execMicros":52.1,"latencyMicros":803.2,"downstream":[\
            {"instance":"iot-ts/store.7","node":"s1/host","response":{"rows":1},"failures":0,"execMicros":40.2,\
            "latencyMicros":610.0,"downstream":[\
            {"instance":"iot-ts/ema.7","node":"s1/nic0","response":{"ema":21.5},"failures":0,"execMicros":9.8,\
            "latencyMicros":12.1},\
            {"instance":"iot-ts/spike.7","node":"s2/nic0","response":{"spike":false},"failures":0,\
            "execMicros":11.0,"latencyMicros":14.9},\
            {"instance":"iot-ts/recommend.7","node":"s2/nic0","response":{"setpoint":20.0},"failures":0,\
            "execMicros":300.5,"latencyMicros":320.7}]}]},\
            "stages":5}""";

    /** The same with the recommend stage unreachable. */
    static final String IOT_TS_REPLY_ONE_FAILED = """
            {"app":"iot-ts","attempts":1,"elapsedMillis":2021.4,"entry":"gateway",\
            "envelope":{"id":2,"trace":true},"failures":1,\
            "reply":{"instance":"iot-ts/gateway.0","node":"s0/host","response":{"status":200},"failures":1,\
            "execMicros":52.1,"latencyMicros":9803.2,"downstream":[{"instance":"iot-ts/recommend.2",\
            "status":"UNREACHABLE","error":"no answer after 8 attempts"}]},"stages":2}""";

    /** POST /v1/apps/iot-ts/requests with a bad envelope. */
    static final String BAD_KEY = """
            {"error":"key: expected a string of at most 256 characters"}""";

    private ControllerAnswers() {
    }
}
