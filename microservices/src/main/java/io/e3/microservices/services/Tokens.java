package io.e3.microservices.services;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Word tokens for the text services (BM25, Bayes): the tokeniser, and a synthetic vocabulary with Zipf-distributed
 * word frequencies for their deterministic reference data and sample requests (Recommend's sample requests draw item
 * popularity from the same Zipf sampler).
 */
final class Tokens {

    private static final String CONSONANTS = "bcdfghjklmnprstvwz";
    private static final String VOWELS = "aeiou";
    private static final int SYLLABLES = CONSONANTS.length() * VOWELS.length();

    private Tokens() {
    }

    /**
     * The tokens of {@code text}: maximal runs of letters or digits, lower-cased (locale-independent); everything
     * else separates tokens.
     */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean word = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                out.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
        }
        return out;
    }

    /**
     * The synthetic word of rank {@code rank} (0 = most frequent): {@code rank} written in bijective base-90 with
     * consonant-vowel syllables as digits, so every rank has its own pronounceable word ("ba", "be", ..., "baba").
     */
    static String word(int rank) {
        StringBuilder w = new StringBuilder();
        int n = rank + 1;
        while (n > 0) {
            int digit = (n - 1) % SYLLABLES;
            w.insert(0, VOWELS.charAt(digit % VOWELS.length())).insert(0, CONSONANTS.charAt(digit / VOWELS.length()));
            n = (n - 1) / SYLLABLES;
        }
        return w.toString();
    }

    /** The cumulative distribution of Zipf's law with exponent {@code s} over ranks 0..n-1: P(r) ∝ 1/(r+1)^s. */
    static double[] zipf(int n, double s) {
        double[] cdf = new double[n];
        double total = 0;
        for (int r = 0; r < n; r++) {
            total += 1 / Math.pow(r + 1, s);
            cdf[r] = total;
        }
        for (int r = 0; r < n; r++) {
            cdf[r] /= total;
        }
        return cdf;
    }

    /** A rank drawn from the distribution {@code cdf} (by binary search). */
    static int sample(double[] cdf, RandomGenerator random) {
        double u = random.nextDouble();
        int lo = 0;
        int hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Space-separated words, drawn by {@code nextWord}, as many as fit in {@code chars} characters (at least one).
     */
    static String text(Supplier<String> nextWord, int chars) {
        StringBuilder text = new StringBuilder(nextWord.get());
        while (true) {
            String w = nextWord.get();
            if (text.length() + 1 + w.length() > chars) {
                return text.toString();
            }
            text.append(' ').append(w);
        }
    }
}
