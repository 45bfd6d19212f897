package io.e3.controller;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Bearer-token authentication on everything the controller serves over HTTP: the REST API, {@code /metrics}, the
 * OpenAPI document at {@code /q/openapi} and any other route Quarkus adds. A request without
 * {@code Authorization: Bearer <token>}, or with another token, gets 401 with a JSON error. The token is
 * {@code e3.token} from the configuration (also the environment variable {@code E3_TOKEN}), else a random 128-bit one
 * generated at start and kept in the state directory ({@link ControllerToken}); it is never logged.
 *
 * <p>It is a Vert.x route filter rather than a JAX-RS one because a JAX-RS filter sees only JAX-RS resources, not
 * Quarkus' own routes such as {@code /q/openapi}; one filter in front of every route leaves no path unguarded by
 * accident. The one exception is the dashboard's static files ({@code GET /dashboard} and {@code /dashboard/...}):
 * they hold no data and fetch everything with the token, which the page keeps in the browser's session storage.
 */
@ApplicationScoped
public class TokenAuthFilter {

    /** Filters run before every route, and among filters a higher priority runs earlier: this one goes first. */
    private static final int PRIORITY = 10_000;

    /** The static files of the web dashboard, served without a token. */
    private static final String DASHBOARD = "/dashboard";

    private static final String CHALLENGE = "Bearer realm=\"e3\"";

    @Inject
    ControllerToken token;

    void register(@Observes Filters filters) {
        filters.register(this::authenticate, PRIORITY);
    }

    void authenticate(RoutingContext request) {
        if (isDashboardFile(request.request().method(), request.normalizedPath())) {
            request.next();
            return;
        }
        Optional<String> refusal = token.refusal(request.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (refusal.isEmpty()) {
            request.next();
            return;
        }
        request.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", CHALLENGE)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", refusal.get()).encode());
    }

    /** Whether a request only reads one of the dashboard's static files; {@code path} is already normalized. */
    private static boolean isDashboardFile(HttpMethod method, String path) {
        return (method == HttpMethod.GET || method == HttpMethod.HEAD)
                && (path.equals(DASHBOARD) || path.startsWith(DASHBOARD + "/"));
    }

    /**
     * The controller's token, fixed for the life of the process: {@code e3.token} (also {@code E3_TOKEN}), else the
     * one in {@code <e3.state.dir>/token}, else a random 128-bit one written there, readable by its owner only. The
     * value never goes to the log, only where it is.
     */
    @ApplicationScoped
    public static class ControllerToken {

        private static final Logger LOG = Logger.getLogger(ControllerToken.class);

        /** The file, under the state directory, that holds a token the controller had to generate. */
        static final String FILE = "token";

        @ConfigProperty(name = "e3.token")
        Optional<String> configured;

        @ConfigProperty(name = "e3.state.dir", defaultValue = "e3-state")
        String stateDir;

        private String value;

        void onStart(@Observes StartupEvent event) {
            value();
        }

        public synchronized String value() {
            if (value == null) {
                value = configured.filter(t -> !t.isBlank()).orElseGet(this::fromFile);
            }
            return value;
        }

        private String fromFile() {
            Path file = Path.of(stateDir, FILE);
            try {
                if (Files.isRegularFile(file)) {
                    String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                    if (!kept.isEmpty()) {
                        LOG.infof("no e3.token configured; using the token in %s", file.toAbsolutePath());
                        return kept;
                    }
                }
                byte[] b = new byte[16];
                new SecureRandom().nextBytes(b);
                String generated = HexFormat.of().formatHex(b);
                writeOwnerOnly(file, generated);
                LOG.infof("no e3.token configured; generated one and wrote it to %s (readable by its owner only)",
                        file.toAbsolutePath());
                return generated;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep the generated token in " + file, e);
            }
        }

        /** Writes {@code token} to a new {@code file} that only its owner may read, where the file system allows. */
        static void writeOwnerOnly(Path file, String token) throws IOException {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        }

        /**
         * Why a request with this {@code Authorization} header value (null when there is none) may not come in, or
         * empty when it bears the token. {@link MessageDigest#isEqual} takes as long wherever the two differ, so the
         * answer's timing gives no hint of the token.
         */
        public Optional<String> refusal(String authorization) {
            if (authorization == null) {
                return Optional.of("missing Authorization: Bearer <token>");
            }
            boolean match = MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
                    ("Bearer " + value()).getBytes(StandardCharsets.UTF_8));
            return match ? Optional.empty() : Optional.of("wrong token");
        }
    }
}
