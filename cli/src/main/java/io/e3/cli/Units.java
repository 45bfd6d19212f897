package io.e3.cli;

import java.time.Duration;
import java.util.Locale;

/** How quantities read in terminal output. */
final class Units {

    private Units() {
    }

    static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,d", (long) v) : String.format(Locale.ROOT, "%,.2f", v);
    }

    static String watts(double w) {
        return number(w) + " W";
    }

    static String usd(double usd) {
        return "$" + number(usd);
    }

    static String memory(long mib) {
        return mib % 1024 == 0 ? number(mib / 1024.0) + " GiB" : number(mib) + " MiB";
    }

    static String gbps(double gbps) {
        return number(gbps) + " Gb/s";
    }

    static String plural(long n, String one, String many) {
        return number(n) + " " + (n == 1 ? one : many);
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 != 0 ? number(ms) + " ms" : number(ms / 1000.0) + " s";
    }
}
