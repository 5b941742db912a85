import io.jgrad.DType;
import io.jgrad.HalfFloat;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The reference table for half_host_check.cpp (scripts/check-half-host.sh runs this with the compiled io.jgrad.HalfFloat
 * on the class path): inputs and what HalfFloat and Java's casts make of them, little-endian, in this order.
 * <ol>
 *   <li>For float16, then bfloat16, all 65,536 bit patterns h: the float32 bits of h, h in the other half type, and
 *       h cast to int64, int32 and bool (via float32, as the CPU backend converts).</li>
 *   <li>n float32 inputs (every 4099th bit pattern, each half type's rounding midpoints with their neighbours in both
 *       signs, special values, two million random patterns) and their float16 and bfloat16 bits.</li>
 *   <li>n float64 inputs and their float16 and bfloat16 bits (through float32).</li>
 *   <li>n int64 inputs and their float16 and bfloat16 bits, then the same for the inputs cast to int32.</li>
 * </ol>
 * Usage: java -cp &lt;engine-api classes&gt; HalfTable.java &lt;output file&gt;
 */
public class HalfTable {
    private static final DType[] HALVES = {DType.FLOAT16, DType.BFLOAT16};

    public static void main(String[] args) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(args[0]), 1 << 20))) {
            for (DType t : HALVES) {
                DType other = t == DType.FLOAT16 ? DType.BFLOAT16 : DType.FLOAT16;
                for (int h = 0; h < 65536; h++) out.writeInt(Integer.reverseBytes(Float.floatToRawIntBits(HalfFloat.toFloat(t, (short) h))));
                for (int h = 0; h < 65536; h++) writeShort(out, HalfFloat.fromFloat(other, HalfFloat.toFloat(t, (short) h)));
                for (int h = 0; h < 65536; h++) out.writeLong(Long.reverseBytes((long) HalfFloat.toFloat(t, (short) h)));
                for (int h = 0; h < 65536; h++) out.writeInt(Integer.reverseBytes((int) HalfFloat.toFloat(t, (short) h)));
                for (int h = 0; h < 65536; h++) out.writeByte(HalfFloat.toFloat(t, (short) h) != 0 ? 1 : 0);
            }

            List<Integer> floats = floatInputs();
            out.writeInt(Integer.reverseBytes(floats.size()));
            for (int x : floats) out.writeInt(Integer.reverseBytes(x));
            for (DType t : HALVES) for (int x : floats) writeShort(out, HalfFloat.fromFloat(t, Float.intBitsToFloat(x)));

            long[] doubles = doubleInputs();
            out.writeInt(Integer.reverseBytes(doubles.length));
            for (long d : doubles) out.writeLong(Long.reverseBytes(d));
            for (DType t : HALVES) for (long d : doubles) writeShort(out, HalfFloat.fromFloat(t, (float) Double.longBitsToDouble(d)));

            long[] longs = longInputs();
            out.writeInt(Integer.reverseBytes(longs.length));
            for (long v : longs) out.writeLong(Long.reverseBytes(v));
            for (DType t : HALVES) for (long v : longs) writeShort(out, HalfFloat.fromFloat(t, (float) v));
            for (DType t : HALVES) for (long v : longs) writeShort(out, HalfFloat.fromFloat(t, (float) (int) v));
        }
    }

    private static void writeShort(DataOutputStream out, short s) throws IOException {
        out.writeShort(Short.reverseBytes(s));
    }

    private static List<Integer> floatInputs() {
        List<Integer> in = new ArrayList<>(4_000_000);
        for (long u = 0; u < 1L << 32; u += 4099) in.add((int) u);
        for (DType t : HALVES) {
            int maxFinite = t == DType.FLOAT16 ? 0x7bff : 0x7f7f;
            double beyond = t == DType.FLOAT16 ? 0x1p16 : 0x1p128; // the next binade's start past the largest value
            for (int h = 0; h <= maxFinite; h++) {
                double w = HalfFloat.toFloat(t, (short) h);
                double next = h == maxFinite ? beyond : HalfFloat.toFloat(t, (short) (h + 1));
                float mid = (float) ((w + next) / 2); // exact: one bit more than the half type holds
                for (float f : new float[]{(float) w, mid, Math.nextUp(mid), Math.nextDown(mid)}) {
                    in.add(Float.floatToRawIntBits(f));
                    in.add(Float.floatToRawIntBits(-f));
                }
            }
        }
        int[] specials = {0, 0x80000000, 0x7f800000, 0xff800000, 0x7f800001, 0xff800001, 0x7fc00000, 0xffc00000,
            0x7fffffff, 0xffffffff, 0x7f802000, 0x7fbfffff, 0x7f800040, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff,
            0x7f7f7fff, 0x7f7f8000, 0x7f7f8001, 0x477fe000, 0x477fefff, 0x477ff000, 0x33000000, 0x33000001, 0x32ffffff,
            0x33800000, 0x387fe000, 0x387ff000, 0x38800000};
        for (int s : specials) in.add(s);
        SplittableRandom rnd = new SplittableRandom(20261203L);
        for (int i = 0; i < 2_000_000; i++) in.add(rnd.nextInt());
        return in;
    }

    private static long[] doubleInputs() {
        SplittableRandom rnd = new SplittableRandom(17L);
        long[] d = new long[200_000];
        int i = 0;
        for (double s : new double[]{0.0, -0.0, 1.0, 0.1, 65504.0, 65519.99999999, 65520.0, 1e-8, 3.0e-8, 1e300, -1e300,
                Double.MIN_VALUE, Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}) {
            d[i++] = Double.doubleToRawLongBits(s);
        }
        d[i++] = 0x7ff0000000000001L; // a signalling NaN
        d[i++] = 0xfff8000000000123L;
        while (i < d.length / 2) d[i++] = rnd.nextLong(); // every exponent, mostly out of half range
        while (i < d.length) { // within and around the half types' range
            double v = Math.scalb(rnd.nextDouble(1, 2), rnd.nextInt(-30, 20)) * (rnd.nextBoolean() ? 1 : -1);
            d[i++] = Double.doubleToRawLongBits(v);
        }
        return d;
    }

    private static long[] longInputs() {
        SplittableRandom rnd = new SplittableRandom(5L);
        long[] v = new long[100_000];
        int i = 0;
        for (long s : new long[]{0, 1, -1, 2048, 2049, 2050, 65504, 65519, 65520, 65536, 256, 257, 258, Long.MAX_VALUE,
                Long.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, 16777217L, (1L << 40) + 1}) {
            v[i++] = s;
        }
        while (i < v.length) v[i++] = rnd.nextLong() >> rnd.nextInt(64);
        return v;
    }
}
