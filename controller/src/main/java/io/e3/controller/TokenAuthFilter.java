package io.e3.controller;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Bearer-token authentication on every endpoint of the controller's API: a request without
 * {@code Authorization: Bearer <token>}, or with another token, gets 401 with a JSON error. The token is
 * {@code e3.token} from the configuration (also the environment variable {@code E3_TOKEN}), or a random 128-bit one
 * generated and logged at start.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class TokenAuthFilter implements ContainerRequestFilter {

    @Inject
    ControllerToken token;

    @Override
    public void filter(ContainerRequestContext request) {
        String auth = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8),
                ("Bearer " + token.value()).getBytes(StandardCharsets.UTF_8))) {
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"e3\"")
                    .type(MediaType.APPLICATION_JSON)
                    .entity(Map.of("error", auth == null ? "missing Authorization: Bearer <token>"
                            : "wrong token"))
                    .build());
        }
    }

    /** The controller's token, fixed for the life of the process. */
    @ApplicationScoped
    public static class ControllerToken {

        private static final Logger LOG = Logger.getLogger(ControllerToken.class);

        @ConfigProperty(name = "e3.token")
        Optional<String> configured;

        private String value;

        void onStart(@Observes StartupEvent event) {
            value();
        }

        public synchronized String value() {
            if (value == null) {
                value = configured.filter(t -> !t.isBlank()).orElseGet(() -> {
                    byte[] b = new byte[16];
                    new SecureRandom().nextBytes(b);
                    String generated = HexFormat.of().formatHex(b);
                    LOG.infof("no e3.token configured; generated token %s", generated);
                    return generated;
                });
            }
            return value;
        }
    }
}
