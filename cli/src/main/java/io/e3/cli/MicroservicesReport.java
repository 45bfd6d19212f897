package io.e3.cli;

import io.e3.microservices.services.MicroserviceCatalog;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.topology.CoreClass;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** What {@code e3 microservices list} shows. */
record MicroservicesReport(List<TypeView> types) implements Report {

    /**
     * One type. Service times and throughputs are per core at 512 B; they and the powers are modelled from Table 5.1,
     * not measured here.
     */
    record TypeView(String type, String name, boolean stateful, String description, String request, String response,
                    Profile profile) {
    }

    record Profile(String source, double hostServiceTimeUs, double hostRpsPerCore, double hostActiveWatts,
                   double smartNicServiceTimeUs, double smartNicRpsPerCore, double smartNicActiveWatts,
                   String measuredSource, double memoryMiB, double sizeShare) {
    }

    static MicroservicesReport of(List<MicroserviceCatalog.Entry> entries) {
        return new MicroservicesReport(entries.stream().map(MicroservicesReport::view).toList());
    }

    private static TypeView view(MicroserviceCatalog.Entry e) {
        MicroserviceProfile p = e.profile();
        Profile profile = new Profile("modelled from Table 5.1, row " + e.type().displayName(),
                p.serviceTimeSeconds(CoreClass.BEEFY) * 1e6, p.perCoreRps(CoreClass.BEEFY), p.hostWatts(),
                p.serviceTimeSeconds(CoreClass.WIMPY) * 1e6, p.perCoreRps(CoreClass.WIMPY), p.smartNicWatts(),
                "measured on E3's implementation: e3 bench microservices --sizes 128,512,1024", p.memoryMiB(),
                p.sizeShare());
        return new TypeView(e.type().manifestName(), e.type().displayName(), e.stateful(), e.type().description(),
                e.requestSchema(), e.responseSchema(), profile);
    }

    @Override
    public void print(PrintWriter out) {
        out.println(Units.plural(types.size(), "microservice type", "microservice types")
                + "; per core at 512 B, modelled from Table 5.1; memory and size share measured here:");
        TextTable table = new TextTable("TYPE", "STATEFUL", "HOST µs/REQ", "HOST REQ/S", "HOST W", "NIC µs/REQ",
                "NIC REQ/S", "NIC W", "MEMORY", "SIZE SHARE");
        for (TypeView t : types) {
            Profile p = t.profile();
            table.row(t.type(), t.stateful() ? "yes" : "no", micros(p.hostServiceTimeUs()),
                    Units.number(Math.round(p.hostRpsPerCore())), String.format(Locale.ROOT, "%.1f", p.hostActiveWatts()),
                    micros(p.smartNicServiceTimeUs()), Units.number(Math.round(p.smartNicRpsPerCore())),
                    String.format(Locale.ROOT, "%.1f", p.smartNicActiveWatts()),
                    String.format(Locale.ROOT, "%.1f MiB", p.memoryMiB()),
                    String.format(Locale.ROOT, "%.0f %%", 100 * p.sizeShare()));
        }
        table.print(out, "  ");
        out.println("NIC = one core of a 12-core LiquidIO SmartNIC; W = active power of the whole run in Table 5.1;");
        out.println("MEMORY = heap of one instance; SIZE SHARE = share of the 512 B cost that grows with the request "
                + "size (docs/microservices.md).");
    }

    private static String micros(double us) {
        return String.format(Locale.ROOT, us < 10 ? "%.2f" : us < 100 ? "%.1f" : "%.0f", us);
    }
}
