package io.e3.controller;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /dashboard} answers with a redirect to {@code /dashboard/}: the page there loads its script and style by
 * relative paths, which resolve only under the trailing slash. The browser keeps the {@code #token=...} fragment
 * across the redirect. The dashboard's files themselves are static resources under {@code META-INF/resources}.
 */
@ApplicationScoped
public class DashboardRedirect {

    void addRoute(@Observes Router router) {
        // A regex, because a plain route path would match "/dashboard/" as well and redirect it to itself.
        router.routeWithRegex(HttpMethod.GET, "/dashboard").handler(request -> request.redirect("/dashboard/"));
    }
}
