package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The float64 kernel loops are exactly what {@link KernelTwins} makes from their float32 templates. */
class KernelTwinsTest {
    /** Surefire runs in the module directory. */
    private static final Path MODULE = Path.of("");

    @Test
    void everyFloat64TwinIsUpToDate() {
        List<String> stale = KernelTwins.stale(MODULE);
        assertTrue(stale.isEmpty(), String.join("\n", stale));
    }

    @Test
    void theRewritingTurnsFloat32CodeIntoFloat64Code() {
        String template = """
                    static float f(float[] x, float a) { // float32 sums
                        // @float32-only begin
                        if (a == 0f) return FloatSimd.INSTANCE.max(x, 0, x.length);
                        // @float32-only end
                        float s = Float.MIN_VALUE * 2.5f, floats = 1e-3f;
                        return (float) Math.exp(s) > 1f ? floats : s; //@float64: return 1.0;
                    }
                """;
        String want = """
                    static double f(double[] x, double a) { // float64 sums
                        double s = Double.MIN_VALUE * 2.5, doubles = 1e-3;
                        return 1.0;
                    }
                """;
        assertEquals(want, KernelTwins.twin(template, "test"));
    }
}
