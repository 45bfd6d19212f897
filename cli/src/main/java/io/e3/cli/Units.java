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

    /** A latency given in microseconds: µs below 1 ms, ms below 1 s, else s. */
    static String micros(double us) {
        if (us < 1_000) {
            return String.format(Locale.ROOT, "%.1f µs", us);
        }
        return us < 1_000_000 ? String.format(Locale.ROOT, "%.2f ms", us / 1e3)
                : String.format(Locale.ROOT, "%.2f s", us / 1e6);
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 != 0 ? number(ms) + " ms" : number(ms / 1000.0) + " s";
    }
}
