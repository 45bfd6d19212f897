package io.e3.microservices.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReliableCollectionsTest {

    /** Random tables and arrays, written through every accessor. */
    private static ReliableCollections random(long seed) {
        Random r = new Random(seed);
        ReliableCollections c = new ReliableCollections();
        for (int t = 0; t < 3; t++) {
            ReliableHashTable table = c.hashTable("table-" + t);
            for (int i = 0; i < 200; i++) {
                String key = "k" + r.nextInt(150);
                switch (r.nextInt(4)) {
                    case 0 -> table.putLong(key, r.nextLong());
                    case 1 -> table.putDouble(key, r.nextGaussian());
                    case 2 -> table.putDoubles(key, r.nextDouble(), r.nextDouble(), r.nextDouble());
                    default -> table.remove(key);
                }
            }
        }
        ReliableArray a = c.array("bitmap", 1 + r.nextInt(100));
        for (int i = 0; i < 300; i++) {
            a.setBit(r.nextInt(a.length() * 64));
        }
        return c;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void restoresExactlyWhatWasSnapshotted(long seed) throws StateFormatException {
        ReliableCollections original = random(seed);
        ReliableCollections copy = ReliableCollections.restore(original.snapshot());
        assertThat(copy.sameContent(original)).isTrue();
        assertThat(copy.snapshot()).as("a snapshot is canonical").isEqualTo(original.snapshot());
    }

    @Test
    void keysOfAnyLengthAndScriptSurviveASnapshot() throws StateFormatException {
        ReliableCollections original = new ReliableCollections();
        String longKey = "k".repeat(100_000);
        original.hashTable("t").putLong(longKey, 1);
        original.hashTable("t").putLong("\u00e9\u4e2d\ud83d\ude00", 2);
        ReliableCollections copy = ReliableCollections.restore(original.snapshot());
        assertThat(copy.hashTable("t").getLong(longKey)).contains(1L);
        assertThat(copy.hashTable("t").getLong("\u00e9\u4e2d\ud83d\ude00")).contains(2L);
    }

    @Test
    void aChangeAfterTheSnapshotIsNotInIt() throws StateFormatException {
        ReliableCollections original = random(7);
        byte[] snapshot = original.snapshot();
        original.hashTable("table-0").putLong("new", 1);
        assertThat(ReliableCollections.restore(snapshot).sameContent(original)).isFalse();
    }

    @Test
    void rejectsBytesThatAreNotASnapshot() {
        assertThatThrownBy(() -> ReliableCollections.restore("hello".getBytes()))
                .isInstanceOf(StateFormatException.class).hasMessageContaining("not a state snapshot");
    }

    @Test
    void rejectsAnotherFormatVersion() {
        byte[] s = random(1).snapshot();
        ByteBuffer.wrap(s).putInt(4, 99);
        assertThatThrownBy(() -> ReliableCollections.restore(s))
                .hasMessageContaining("snapshot format version 99 is not supported");
    }

    @Test
    void rejectsEveryTruncationOfASnapshot() {
        byte[] s = random(3).snapshot();
        for (int cut = 0; cut < s.length; cut += Math.max(1, s.length / 97)) {
            byte[] truncated = Arrays.copyOf(s, cut);
            assertThatThrownBy(() -> ReliableCollections.restore(truncated)).as("cut at " + cut)
                    .isInstanceOf(StateFormatException.class);
        }
    }

    @Test
    void rejectsTrailingBytesAndAbsurdCounts() {
        byte[] s = random(4).snapshot();
        assertThatThrownBy(() -> ReliableCollections.restore(Arrays.copyOf(s, s.length + 3)))
                .hasMessageContaining("bytes after the last collection");
        byte[] huge = s.clone();
        ByteBuffer.wrap(huge).putInt(8, Integer.MAX_VALUE);
        assertThatThrownBy(() -> ReliableCollections.restore(huge)).hasMessageContaining("out of range");
    }

    @Test
    void aNameIsEitherATableOrAnArray() {
        ReliableCollections c = new ReliableCollections();
        c.hashTable("x");
        assertThatThrownBy(() -> c.array("x", 4)).hasMessageContaining("is a hash table");
        c.array("y", 4);
        assertThatThrownBy(() -> c.array("y", 5)).hasMessageContaining("has 4 slots, not 5");
    }
}
