package io.e3.microservices.services.sql;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The value layer against independent oracles: BigDecimal for mixed comparisons, regex for LIKE, round trips. */
class ValuesAndRowCodecTest {

    private static final TableSchema SCHEMA = new TableSchema("t", List.of(
            new Column("k", ColumnType.BIGINT, true, Column.MAX_STRING),
            new Column("i", ColumnType.INT, false, Column.MAX_STRING),
            new Column("d", ColumnType.DOUBLE, false, Column.MAX_STRING),
            new Column("s", ColumnType.VARCHAR, false, Column.MAX_STRING),
            new Column("b", ColumnType.BOOLEAN, false, Column.MAX_STRING)), 0);

    @Test
    void longVersusDoubleComparisonIsExactAsBigDecimalSays() {
        Random r = new Random(1);
        long[] edges = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, (1L << 53) + 1, Long.MAX_VALUE};
        double[] doubleEdges = {-0x1p63, 0x1p63, -0.0, 0.0, 0x1p53, 0x1p53 + 2, 0.5, -0.5, 1e300, -1e300};
        for (int i = 0; i < 200_000; i++) {
            long l = i < 70 ? edges[i % edges.length] : r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(2000) - 1000;
            double d = i < 70 ? doubleEdges[i / edges.length % doubleEdges.length] : switch (r.nextInt(3)) {
                case 0 -> (double) l + r.nextInt(3) - 1; // near l, where rounding would lie
                case 1 -> r.nextGaussian() * 1e3;
                default -> Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL) * (r.nextBoolean() ? 1 : -1);
            };
            int expected = Integer.signum(new BigDecimal(l).compareTo(new BigDecimal(d)));
            assertThat(Integer.signum(Values.compareLongDouble(l, d))).as(l + " vs " + d).isEqualTo(expected);
            assertThat(Integer.signum(Values.compare(d, l))).isEqualTo(-expected);
        }
    }

    @Test
    void likeAgreesWithTheEquivalentRegularExpression() {
        Random r = new Random(2);
        for (int i = 0; i < 50_000; i++) {
            String s = random(r, "ab%_", r.nextInt(8));
            String pattern = random(r, "ab%_", r.nextInt(6));
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                regex.append(c == '%' ? ".*" : c == '_' ? "." : Pattern.quote(String.valueOf(c)));
            }
            assertThat(Values.like(s, pattern)).as(s + " LIKE " + pattern)
                    .isEqualTo(Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(s).matches());
        }
    }

    private static String random(Random r, String alphabet, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** Characters of every UTF-8 length, a supplementary one (a surrogate pair) and NUL. */
    private static String text(Random r, int length) {
        String[] chars = {"a", "\u00e9", "\u20ac", "\uD83D\uDE00", "\u0000", "z"};
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(chars[r.nextInt(chars.length)]);
        }
        return sb.toString();
    }

    @Test
    void rowsSurviveEncodingAndSkippedColumnsDecodeAsNull() {
        Random r = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            Object[] row = {r.nextLong(), r.nextBoolean() ? null : (long) r.nextInt(),
                    r.nextBoolean() ? null : r.nextGaussian() * Math.pow(10, r.nextInt(600) - 300),
                    r.nextBoolean() ? null : text(r, r.nextInt(40)),
                    r.nextBoolean() ? null : r.nextBoolean()};
            assertThat(RowCodec.decode(SCHEMA, RowCodec.encode(SCHEMA, row))).containsExactly(row);
            boolean[] onlyKey = {true, false, false, false, false};
            Object[] partial = RowCodec.decode(SCHEMA, RowCodec.encode(SCHEMA, row), onlyKey);
            assertThat(partial[0]).isEqualTo(row[0]);
            assertThat(partial[3]).isNull();
            assertThat(partial[4]).isEqualTo(row[4]); // only strings are skipped: the rest costs nothing to read
        }
    }

    @Test
    void keysAreEqualExactlyWhenValuesCompareEqual() {
        Random r = new Random(4);
        for (int i = 0; i < 50_000; i++) {
            long stored = r.nextInt(100) - 50;
            Object probe = switch (r.nextInt(3)) {
                case 0 -> (long) (r.nextInt(100) - 50);
                case 1 -> (double) (r.nextInt(100) - 50);
                default -> (r.nextInt(200) - 100) / 2.0;
            };
            String key = RowCodec.keyFor(ColumnType.BIGINT, probe);
            assertThat(RowCodec.key(stored).equals(key)).as(stored + " = " + probe)
                    .isEqualTo(Values.compare(stored, probe) == 0);
            double storedDouble = (r.nextInt(100) - 50) / 4.0;
            String doubleKey = RowCodec.keyFor(ColumnType.DOUBLE, probe);
            assertThat(RowCodec.key(storedDouble).equals(doubleKey))
                    .isEqualTo(Values.compare(storedDouble, probe) == 0);
        }
        assertThat(RowCodec.keyFor(ColumnType.DOUBLE, (1L << 53) + 1)).as("no double equals 2^53 + 1").isNull();
        assertThat(RowCodec.keyFor(ColumnType.DOUBLE, -0.0)).isEqualTo(RowCodec.key(0.0));
        assertThat(RowCodec.keyFor(ColumnType.BIGINT, 0x1p63)).isNull();
        assertThat(RowCodec.keyFor(ColumnType.BIGINT, null)).isNull();
    }
}
