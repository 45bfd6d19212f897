package io.e3.controller;

import io.e3.model.manifest.AppManifest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The applications the controller has been given, with their status. Held in memory for now (durable state: to come). */
@ApplicationScoped
public class AppRegistry {

    /** Where an app is in its life (Pending, Placing, Running, or Failed with the reason). */
    @Schema(name = "AppPhase")
    public enum Phase { PENDING, PLACING, RUNNING, FAILED }

    /** One app as the API shows it. */
    @Schema(name = "App", description = "An applied app: its phase and the reason for it, and its manifest")
    public record AppView(String name, Phase phase, String reason, int services, int instances, Instant appliedAt,
                          String manifest) {
    }

    private final Map<String, AppView> apps = new LinkedHashMap<>();

    /** Records an applied manifest as PENDING; returns whether an app of that name was replaced. */
    public synchronized boolean apply(AppManifest manifest, String text) {
        AppView view = new AppView(manifest.name(), Phase.PENDING, "queued for placement",
                manifest.app().services().size(), manifest.app().instanceCount(), Instant.now(), text);
        return apps.put(manifest.name(), view) != null;
    }

    /** Moves an app to {@code phase} with {@code reason}; does nothing if it was deleted meanwhile. */
    public synchronized void phase(String name, Phase phase, String reason) {
        AppView v = apps.get(name);
        if (v != null) {
            apps.put(name, new AppView(v.name(), phase, reason, v.services(), v.instances(), v.appliedAt(),
                    v.manifest()));
        }
    }

    public synchronized Optional<AppView> get(String name) {
        return Optional.ofNullable(apps.get(name));
    }

    public synchronized List<AppView> list() {
        List<AppView> out = new ArrayList<>(apps.values());
        out.sort(Comparator.comparing(AppView::name));
        return out;
    }

    public synchronized boolean delete(String name) {
        return apps.remove(name) != null;
    }
}
