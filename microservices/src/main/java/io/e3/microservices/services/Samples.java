package io.e3.microservices.services;

import java.util.random.RandomGenerator;

/** Random request content for the services' {@code sampleRequest} methods. */
final class Samples {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private Samples() {
    }

    /** {@code length} random lower-case letters and digits (at least 1). */
    static String text(RandomGenerator random, int length) {
        char[] out = new char[Math.max(1, length)];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }
}
