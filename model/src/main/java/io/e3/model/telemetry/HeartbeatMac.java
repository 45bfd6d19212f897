package io.e3.model.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key heartbeats are signed with, and the signing: HMAC-SHA256 (RFC 2104) truncated to {@value #TAG_BYTES} bytes,
 * keyed with a key that HKDF-SHA256 (RFC 5869) derives from the cluster token, which node agents and the controller
 * both already hold, with the fixed info string {@value #INFO}. A datagram from anyone without the token fails
 * {@link #verify}, however well-formed.
 *
 * <p>The controller verifies hundreds of thousands of tags a second on one thread, so signing and verifying allocate
 * nothing: each thread keeps one {@link MessageDigest} and two 32-byte scratch arrays ({@link ThreadLocal}), and the
 * HMAC is computed on that digest from the key's inner and outer pads, which are made once. (The JDK's
 * {@link Mac#doFinal(byte[], int)} allocates its result on every call; the tag computed here is the same bytes, which
 * a test checks against {@link Mac}.) Thread-safe.
 */
public final class HeartbeatMac {

    /** Bytes of the tag on the wire: the first half of the HMAC-SHA256. */
    public static final int TAG_BYTES = 16;
    /** HKDF's info: binds the derived key to this one use of the token. */
    public static final String INFO = "e3 heartbeat HMAC-SHA256 v2";
    private static final int BLOCK = 64;
    private static final int DIGEST = 32;

    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    private HeartbeatMac(byte[] key) {
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
        Arrays.fill(key, (byte) 0);
    }

    /** The heartbeat key of the cluster whose token is {@code clusterToken}. */
    public static HeartbeatMac forToken(String clusterToken) {
        Objects.requireNonNull(clusterToken, "clusterToken");
        if (clusterToken.isBlank()) {
            throw new IllegalArgumentException("the cluster token must not be blank");
        }
        return new HeartbeatMac(hkdf(null, clusterToken.getBytes(StandardCharsets.UTF_8),
                INFO.getBytes(StandardCharsets.UTF_8), DIGEST));
    }

    /** A signer with this exact HMAC key (at most 64 bytes); for tests against published vectors. */
    static HeartbeatMac ofKey(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("an HMAC-SHA256 key over 64 bytes is hashed first; not supported here");
        }
        return new HeartbeatMac(key.clone());
    }

    /**
     * HKDF-SHA256 of RFC 5869: extract a pseudorandom key from {@code ikm} with {@code salt} (none: 32 zero bytes),
     * then expand it with {@code info} to {@code length} bytes (at most 255 x 32).
     */
    public static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) {
        if (length < 1 || length > 255 * DIGEST) {
            throw new IllegalArgumentException("HKDF-SHA256 yields 1 to 8160 bytes, not " + length);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt == null || salt.length == 0 ? new byte[DIGEST] : salt, "HmacSHA256"));
            byte[] prk = mac.doFinal(ikm);
            mac.init(new SecretKeySpec(prk, "HmacSHA256"));
            byte[] okm = new byte[length];
            byte[] t = new byte[0];
            for (int i = 1, done = 0; done < length; i++) {
                mac.update(t);
                mac.update(info);
                mac.update((byte) i);
                t = mac.doFinal();
                int n = Math.min(DIGEST, length - done);
                System.arraycopy(t, 0, okm, done, n);
                done += n;
            }
            Arrays.fill(prk, (byte) 0);
            return okm;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    /** Writes the tag of {@code data[offset, offset + length)} to {@code out[outOffset, outOffset + 16)}. */
    public void sign(byte[] data, int offset, int length, byte[] out, int outOffset) {
        Scratch s = scratch.get();
        hmac(s, data, offset, length);
        System.arraycopy(s.outer, 0, out, outOffset, TAG_BYTES);
    }

    /**
     * Whether {@code data[tagOffset, tagOffset + 16)} is the tag of {@code data[offset, tagOffset)}. Takes as long
     * wherever the two differ, so timing tells a forger nothing.
     */
    public boolean verify(byte[] data, int offset, int tagOffset) {
        Scratch s = scratch.get();
        hmac(s, data, offset, tagOffset - offset);
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) {
            diff |= s.outer[i] ^ data[tagOffset + i];
        }
        return diff == 0;
    }

    /** The full 32-byte HMAC-SHA256, for tests. */
    byte[] hmac(byte[] data) {
        Scratch s = scratch.get();
        hmac(s, data, 0, data.length);
        return s.outer.clone();
    }

    /** HMAC = H(K ^ opad || H(K ^ ipad || m)), left in {@code s.outer}. */
    private void hmac(Scratch s, byte[] data, int offset, int length) {
        MessageDigest md = s.sha256;
        md.reset();
        md.update(innerPad);
        md.update(data, offset, length);
        try {
            md.digest(s.inner, 0, DIGEST);
            md.update(outerPad);
            md.update(s.inner);
            md.digest(s.outer, 0, DIGEST);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One thread's digest and scratch space. */
    private static final class Scratch {
        final MessageDigest sha256;
        final byte[] inner = new byte[DIGEST];
        final byte[] outer = new byte[DIGEST];

        Scratch() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK has no SHA-256", e);
            }
        }
    }
}
