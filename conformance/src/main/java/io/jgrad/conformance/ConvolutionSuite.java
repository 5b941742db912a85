package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Functional;
import io.jgrad.Generator;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import io.jgrad.nn.Conv1d;
import io.jgrad.nn.Conv2d;
import io.jgrad.nn.ConvTranspose2d;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * conv1d, conv2d and convTranspose2d: forward and gradients against PyTorch 2.13 (float64 and float32), float64
 * GradCheck over a grid of strides, paddings, dilations, groups and odd sizes, the modules (init, state dict,
 * printing) and the argument checks.
 */
public abstract class ConvolutionSuite extends DeviceSuite {

    // ------------------------------------------------------------------ PyTorch parity

    /**
     * From conformance/scripts/conv_reference.py (PyTorch 2.13, float64): per case and tensor (y, then the gradients of
     * x, weight and bias of sum(y * v)), three projections (sum, sum(t cos 0.7i), sum(t sin(1.3i + 0.5))) and the
     * first values.
     */
    private static final Object[][] TORCH = {
        {"grouped", "y", 224.9199168521253, -0.12682081522810768, 1.3544346474025268, -0.36953032887996135, -0.22534613780337479, -0.4501540603898475, 0.026465056958020226, 0.5315000718987348, 0.9965968643864305},
        {"grouped", "gx", -0.06876551380858109, -27.849643230217502, 0.2751896125621016, -0.04117538079052721, -0.06470356715223324, -0.08282821310437677, -0.09403568870162565, -0.09739003245152604, -0.09261111556369},
        {"grouped", "gw", -0.4262893521462514, 37.68982483396995, 24.374516060500824, 1.1045496575238085, -1.4141351399466928, 3.589304948076044, 7.614285104081901, -3.876199294158382, -2.093187536838558},
        {"grouped", "gb", -2.7938157966949984, 8.443486972298519, -8.685218583016896, 7.596211396518207, -8.953216170894718, 10.12288321386062, -11.080738329087751, 11.806739288076184, -12.28569519516754},
        {"depthwise", "y", 105.34695492513481, -1.265344235867663, 3.1980008279136047, -0.3102616433934038, -0.7995589048323366, -0.7831726930691962, -0.6287899124294077, -0.06725125516441306, 0.05611865642141872},
        {"depthwise", "gx", 2.4329271587605765, 4.695247973421291, 0.3504623222599399, -0.4823367311124511, -1.1576643060802208, -1.3384782442130019, -1.407512853967974, -0.8700992673059584, -1.6990305471606095},
        {"depthwise", "gw", 12.669920089737358, -23.017743829478565, 17.907205165213448, -3.44778375025097, 0.7041026605787848, 4.376940172353588, 13.344852837418006, 16.701444732191646, 12.065489116280512},
        {"depthwise", "gb", 3.8779476263010233, -3.7538277162178755, -6.989483411793536, 0.2722174714198381, -7.798109676854604, 11.40383983173579},
        {"same", "y", 36.452595719640655, 3.6376774297279346, -0.9071374139437565, -1.1035122042450558, -1.485932837395631, -0.8324534359321586, 0.30396209945171004, 0.9138631512728618, 0.9396603909364238},
        {"same", "gx", 6.3850238402688095, 2.7150556212194727, 0.12324310052359166, 0.41622743044241106, 0.2732577938247328, -0.11280358058082951, -0.09040575756793506, -0.4522387715568552, -0.6012137771274582},
        {"same", "gw", 5.803364834147808, -27.521344178531105, 8.313214235132948, 5.5991530554519535, 8.465783672968154, 7.723066092600191, 5.941813702688572, 4.324854856173719, 3.360723627420977},
        {"same", "gb", 1.8032633860939327, 3.3273318197940496, 2.1906446310810024, 3.034328783071693, 0.8442843748637794, -2.0753497718415397},
        {"asymmetric", "y", 52.38789788391123, 4.696477732285449, -0.7741051110119066, 0.33675448079140174, 0.2080823045622442, -0.5393384531899124, -0.8809907640351722, 0.37319041256442764, 0.9200458150440587},
        {"asymmetric", "gx", -2.2466633118702504, 4.190235444560561, 0.8820215123927304, 0.35003187736476526, 0.13131454056885827, 0.18336571625812575, 0.03946899333778575, 0.0013862718019300446, -0.055672698291689325},
        {"asymmetric", "gw", 2.8812955830352194, 4.033125573409064, 2.0328236034891, 0.3655437891812757, 0.24392686576061615, 0.8215715628478752, 1.1374025139897421, 1.7090132633259727, 1.400720061060486},
        {"asymmetric", "gb", 2.394447459211422, -6.9343283260011574, -4.807905299818053, -6.860430053594887, 9.169771974253107, -10.438979306603695, 10.524084845156898},
        {"conv1d", "y", 17.585121051864185, -3.1640280523199253, 1.6458157698412865, 0.7069112873900375, 0.7940566629876922, 0.7426144415639641, 0.5706001834366998, 0.11571449724528055, -0.08416488792264398},
        {"conv1d", "gx", 1.2531413216878762, 0.38787128855656783, 0.43356164836872846, 0.0, 2.152349376428238, 0.0, 2.843394554438787, 0.0, 2.3005875174244244},
        {"conv1d", "gw", -8.856375705062177, -14.206223502451321, -14.731278269410334, 0.5875376138357584, 1.6438965524179383, 1.7521534008550412, -0.7987844849168032, -1.8434018106311023, -1.704495850226018},
        {"conv1d", "gb", 1.488769622385198, 9.905786812816626, 10.728100032436934, 4.784885413158486, 3.6965601324987922, -1.8325202456903673, -5.160155677581713},
        {"transposed", "y", 461.7136516166628, -20.3154714267076, 0.025788802634596042, 0.23641616532907164, 0.7703830664090356, 0.23641616532907164, 0.60537506448446, 0.23641616532907164, 0.24765099991621878},
        {"transposed", "gx", -20.900647014981054, 2.215644747707965, -17.05171711885358, 0.27176749671618927, 2.2025263135385047, 2.951575239207185, 2.735238578484082, -1.9317621146823525, -1.2488192717896776},
        {"transposed", "gw", 7.964398595253492, 1.195396248230714, 7.359309883683081, 0.9425948753950406, -0.2468369693979815, -1.7079045932704584, -0.3028426321753799, -0.050133822039236886, -0.0432465052723342},
        {"transposed", "gb", 3.8432729281528855, 2.2769150248281003, 8.841309674983641, 1.5824511934342635, 3.0258418923958286, -0.8505387708727654, -3.231576334052004, 0.06886182030497423, 3.2482331269425884},
        {"nobias", "y", -0.22111703932093185, 1.8583378080480588, -2.0554826268789554, 0.3708117452803656, -0.1307207278234771, -1.1877562548639529, -0.2798773665728573, -0.011572288233071477, -1.5635708688939354},
        {"nobias", "gx", -0.9396090438216245, 0.8122392013878857, 0.28335810600275835, -0.037524979505108004, -0.3359527446708939, -0.19173139044605841, 0.005098346037924578, -0.2885978255897653, -0.13983539113125484},
        {"nobias", "gw", 4.474245560180252, 15.306652691615612, 24.511109465242214, 0.06411601994441633, 0.31600553256497205, 0.31001991778107224, -2.122730765959044, -1.5617740286738027, -2.0396784811756357},
    };

    /** Element i of an input with salt s: sin(0.37 i + s) * 0.8 (the script's inp). */
    private static Tensor input(DType dt, double salt, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.sin(0.37 * i + salt) * 0.8;
        return Tensor.of(v, shape).to(dt).requiresGrad(true);
    }

    /** The script's wgt: cos(0.53 i + s) * 0.5. */
    private static Tensor weight(DType dt, double salt, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.cos(0.53 * i + salt) * 0.5;
        return Tensor.of(v, shape).to(dt).requiresGrad(true);
    }

    private interface Conv {
        Tensor apply(Tensor x, Tensor w, Tensor b);
    }

    private record Case(String name, Conv fn, int[] x, int[] w, int bias) {
    }

    private static final List<Case> CASES = List.of(
            new Case("grouped", (x, w, b) -> Functional.conv2d(x, w, b, new int[]{2, 1}, new int[]{1, 2}, new int[]{1, 2}, 2),
                    new int[]{2, 4, 7, 6}, new int[]{6, 2, 3, 2}, 6),
            new Case("depthwise", (x, w, b) -> Functional.conv2d(x, w, b, new int[]{1}, new int[]{1}, new int[]{1}, 3),
                    new int[]{2, 3, 6, 5}, new int[]{3, 1, 3, 3}, 3),
            new Case("same", (x, w, b) -> Functional.conv2d(x, w, b, new int[]{1}, "same", new int[]{1}, 1),
                    new int[]{1, 2, 5, 5}, new int[]{3, 2, 2, 4}, 3),
            new Case("asymmetric", (x, w, b) -> Functional.conv2d(x, w, b, new int[]{2}, new int[]{1, 0, 2, 1}, new int[]{1}, 1),
                    new int[]{2, 3, 6, 7}, new int[]{4, 3, 3, 3}, 4),
            new Case("conv1d", (x, w, b) -> Functional.conv1d(x, w, b, 2, 1, 2, 1),
                    new int[]{2, 3, 9}, new int[]{4, 3, 3}, 4),
            new Case("transposed", (x, w, b) -> Functional.convTranspose2d(x, w, b, new int[]{2}, new int[]{1}, new int[]{1}, 2, new int[]{1, 2}),
                    new int[]{2, 4, 3, 4}, new int[]{4, 3, 3, 3}, 6),
            new Case("nobias", (x, w, b) -> Functional.conv2d(x, w, null, 3, 2),
                    new int[]{3, 2, 8, 8}, new int[]{5, 2, 3, 3}, 0));

    private static double[] probes(double[] f) {
        double[] p = new double[3 + Math.min(6, f.length)];
        for (int i = 0; i < f.length; i++) {
            p[0] += f[i];
            p[1] += f[i] * Math.cos(0.7 * i);
            p[2] += f[i] * Math.sin(1.3 * i + 0.5);
        }
        System.arraycopy(f, 0, p, 3, p.length - 3);
        return p;
    }

    private static double[] expected(String name, String label) {
        for (Object[] row : TORCH) {
            if (row[0].equals(name) && row[1].equals(label)) {
                double[] v = new double[row.length - 2];
                for (int i = 0; i < v.length; i++) v[i] = ((Number) row[i + 2]).doubleValue();
                return v;
            }
        }
        throw new AssertionError("no reference for " + name + " " + label);
    }

    private void parity(DType dt, double tol) {
        for (Case c : CASES) {
            Tensor x = input(dt, 0.1, c.x).to(device()), w = weight(dt, 0.2, c.w).to(device());
            Tensor b = c.bias == 0 ? null : input(dt, 0.3, c.bias).to(device());
            x = leaf(x);
            w = leaf(w);
            if (b != null) b = leaf(b);
            Tensor y = c.fn.apply(x, w, b);
            int n = (int) y.numel();
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = Math.cos(0.29 * i);
            y.mul(Tensor.of(v, y.shape().toArray()).to(dt).to(device())).sum().backward();
            check(c.name, "y", y, tol);
            check(c.name, "gx", x.grad(), tol);
            check(c.name, "gw", w.grad(), tol);
            if (b != null) check(c.name, "gb", b.grad(), tol);
        }
    }

    private static Tensor leaf(Tensor t) {
        return t.detach().requiresGrad(true);
    }

    private static void check(String name, String label, Tensor t, double tol) {
        double[] want = expected(name, label), got = probes(t.toDoubleArray());
        assertEquals(want.length, got.length, name + " " + label + ": element count");
        double scale = 0;
        for (double d : want) scale = Math.max(scale, Math.abs(d));
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * Math.max(1, scale), name + " " + label + " probe " + i);
        }
    }

    @Test
    void matchesTorchInFloat64() {
        parity(DType.FLOAT64, 1e-12);
    }

    @Test
    void matchesTorchInFloat32() {
        parity(DType.FLOAT32, 2e-5);
    }

    // ------------------------------------------------------------------ float64 GradCheck grid

    private Tensor f64(double salt, int... shape) {
        return input(DType.FLOAT64, salt, shape).detach().to(device()).requiresGrad(true);
    }

    private void gradCheck(Function<Tensor[], Tensor> f, Tensor... inputs) {
        GradCheck.check(f, inputs).assertPassed();
    }

    @Test
    void conv2dGradCheckGrid() {
        // {n, c, h, w, out, kh, kw, strideH, strideW, padH, padW, dilH, dilW, groups}
        int[][] grid = {
                {1, 1, 4, 4, 1, 2, 2, 1, 1, 0, 0, 1, 1, 1},
                {2, 3, 5, 4, 2, 3, 3, 1, 1, 1, 1, 1, 1, 1},
                {2, 2, 7, 5, 3, 3, 2, 2, 3, 1, 0, 1, 1, 1},
                {1, 4, 6, 7, 4, 3, 3, 2, 2, 2, 1, 2, 1, 2},
                {2, 3, 5, 5, 3, 3, 3, 1, 1, 1, 1, 1, 1, 3},   // depthwise
                {1, 2, 5, 6, 6, 1, 1, 2, 1, 0, 0, 1, 1, 2},   // 1x1, grouped, strided
                {1, 2, 3, 3, 2, 3, 3, 1, 1, 2, 2, 2, 2, 1},   // dilation with padding wider than the kernel reach
        };
        for (int[] c : grid) {
            int[] stride = {c[7], c[8]}, padding = {c[9], c[10]}, dilation = {c[11], c[12]};
            int groups = c[13];
            Tensor x = f64(0.1, c[0], c[1], c[2], c[3]);
            Tensor w = f64(0.4, c[4], c[1] / groups, c[5], c[6]);
            Tensor b = f64(0.7, c[4]);
            GradCheck.Result r = GradCheck.check(in -> Functional.conv2d(in[0], in[1], in[2], stride, padding, dilation, groups), x, w, b);
            assertTrue(r.passed(), java.util.Arrays.toString(c) + ": " + r.message());
        }
        // asymmetric padding, no bias
        gradCheck(in -> Functional.conv2d(in[0], in[1], null, new int[]{1, 2}, new int[]{0, 2, 1, 0}, new int[]{1}, 1),
                f64(0.1, 2, 2, 4, 5), f64(0.2, 3, 2, 2, 3));
        // "same" with an even kernel
        gradCheck(in -> Functional.conv2d(in[0], in[1], in[2], new int[]{1}, "same", new int[]{1, 2}, 1),
                f64(0.1, 1, 2, 5, 6), f64(0.2, 2, 2, 2, 3), f64(0.3, 2));
    }

    @Test
    void conv1dGradCheck() {
        gradCheck(in -> Functional.conv1d(in[0], in[1], in[2], 2, 1, 2, 1), f64(0.1, 2, 3, 9), f64(0.2, 4, 3, 3), f64(0.3, 4));
        gradCheck(in -> Functional.conv1d(in[0], in[1], in[2], 1, "same", 1, 2), f64(0.1, 1, 4, 6), f64(0.2, 2, 2, 4), f64(0.3, 2));
    }

    @Test
    void convTranspose2dGradCheck() {
        gradCheck(in -> Functional.convTranspose2d(in[0], in[1], in[2], new int[]{2}, new int[]{1}, new int[]{1}, 2, new int[]{1, 2}),
                f64(0.1, 2, 4, 3, 3), f64(0.2, 4, 1, 3, 2), f64(0.3, 2));
        gradCheck(in -> Functional.convTranspose2d(in[0], in[1], in[2], new int[]{1, 3}, new int[]{0, 1}, new int[]{0, 2}, 1, new int[]{1}),
                f64(0.1, 1, 2, 4, 3), f64(0.2, 2, 3, 2, 3), f64(0.3, 3));
    }

    // ------------------------------------------------------------------ float32 against float64, bigger shapes

    @Test
    void float32AgreesWithFloat64OnLargerShapes() {
        // big enough that fast paths (tiling, threads, 1x1 and depthwise kernels) take over where a backend has them
        int[][] shapes = { // {n, c, h, w, out, k, stride, pad, groups}
                {4, 16, 20, 20, 24, 3, 1, 1, 1},
                {3, 8, 17, 13, 8, 3, 2, 1, 8},
                {2, 32, 9, 9, 16, 1, 1, 0, 1},
                {2, 6, 30, 30, 4, 5, 2, 2, 2},
        };
        for (int[] s : shapes) {
            Tensor x = input(DType.FLOAT64, 0.1, s[0], s[1], s[2], s[3]).detach();
            Tensor w = weight(DType.FLOAT64, 0.2, s[4], s[1] / s[8], s[5], s[5]).detach();
            Tensor b = input(DType.FLOAT64, 0.3, s[4]).detach();
            double[][] results = new double[2][];
            double[][] gx = new double[2][], gw = new double[2][], gb = new double[2][];
            DType[] types = {DType.FLOAT64, DType.FLOAT32};
            for (int t = 0; t < 2; t++) {
                Tensor xt = x.to(types[t]).to(device()).detach().requiresGrad(true);
                Tensor wt = w.to(types[t]).to(device()).detach().requiresGrad(true);
                Tensor bt = b.to(types[t]).to(device()).detach().requiresGrad(true);
                Tensor y = Functional.conv2d(xt, wt, bt, new int[]{s[6]}, new int[]{s[7]}, new int[]{1}, s[8]);
                y.mul(y).sum().backward();
                results[t] = y.toDoubleArray();
                gx[t] = xt.grad().toDoubleArray();
                gw[t] = wt.grad().toDoubleArray();
                gb[t] = bt.grad().toDoubleArray();
            }
            close(results, java.util.Arrays.toString(s) + " y");
            close(gx, java.util.Arrays.toString(s) + " gx");
            close(gw, java.util.Arrays.toString(s) + " gw");
            close(gb, java.util.Arrays.toString(s) + " gb");
        }
    }

    private static void close(double[][] pair, String what) {
        double scale = 1e-30;
        for (double v : pair[0]) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < pair[0].length; i++) {
            assertEquals(pair[0][i], pair[1][i], 2e-5 * scale, what + " element " + i);
        }
    }

    @Test
    void batchOfZeroGivesEmptyOutputAndZeroWeightGradient() {
        Tensor x = Tensor.zeros(0, 2, 5, 5).to(device()).requiresGrad(true);
        Tensor w = Tensor.ones(3, 2, 3, 3).to(device()).requiresGrad(true);
        Tensor b = Tensor.ones(3).to(device()).requiresGrad(true);
        Tensor y = Functional.conv2d(x, w, b, 1, 1);
        assertArrayEquals(new int[]{0, 3, 5, 5}, y.shape().toArray());
        y.sum().backward();
        assertArrayEquals(new double[54], w.grad().toDoubleArray());
        assertArrayEquals(new double[3], b.grad().toDoubleArray());
    }

    @Test
    void nonContiguousInputsAndGradients() {
        Tensor x = input(DType.FLOAT64, 0.1, 2, 6, 5, 3).detach().to(device()).permute(0, 3, 2, 1).requiresGrad(true); // [2, 3, 5, 6]
        Tensor xc = x.detach().contiguous().requiresGrad(true);
        Tensor w = weight(DType.FLOAT64, 0.2, 4, 3, 2, 2).detach().to(device());
        Tensor y1 = Functional.conv2d(x, w, null, 1, 1), y2 = Functional.conv2d(xc, w, null, 1, 1);
        assertArrayEquals(y2.toDoubleArray(), y1.toDoubleArray(), 0);
        // a broadcast (stride 0) incoming gradient, as sum() hands back
        y1.sum().backward();
        y2.sum().backward();
        assertArrayEquals(xc.grad().toDoubleArray(), x.grad().toDoubleArray(), 0);
    }

    // ------------------------------------------------------------------ modules

    @Test
    void conv2dModuleInitStateDictAndPrinting() {
        Conv2d conv = new Conv2d(4, 6, 3);
        assertEquals("Conv2d(4, 6, kernel_size=(3, 3), stride=(1, 1))", conv.toString());
        assertEquals(List.of("weight", "bias"), new ArrayList<>(conv.stateDict().keySet()));
        assertArrayEquals(new int[]{6, 4, 3, 3}, conv.weight().shape().toArray());
        double bound = 1 / Math.sqrt(4 * 9);
        for (double v : conv.weight().toDoubleArray()) assertTrue(Math.abs(v) <= bound, "weight within +-1/sqrt(fan_in): " + v);
        for (double v : conv.bias().toDoubleArray()) assertTrue(Math.abs(v) <= bound, "bias within +-1/sqrt(fan_in): " + v);
        double max = 0;
        for (double v : conv.weight().toDoubleArray()) max = Math.max(max, Math.abs(v));
        assertTrue(max > bound * 0.8, "the draw spans its range: " + max);

        Conv2d fancy = new Conv2d(4, 8, new int[]{3, 5}, new int[]{2, 1}, new int[]{4, 2}, new int[]{3, 1}, 2, false, new Generator(1));
        assertEquals("Conv2d(4, 8, kernel_size=(3, 5), stride=(2, 1), padding=(4, 2), dilation=(3, 1), groups=2, bias=False)", fancy.toString());
        assertEquals(List.of("weight"), new ArrayList<>(fancy.stateDict().keySet()));
        assertArrayEquals(new int[]{8, 2, 3, 5}, fancy.weight().shape().toArray());
        Conv2d same = new Conv2d(3, 3, new int[]{4}, "same", new int[]{1}, 3, true, new Generator(2));
        assertEquals("Conv2d(3, 3, kernel_size=(4, 4), stride=(1, 1), padding=same, groups=3)", same.toString());
        assertArrayEquals(new int[]{2, 3, 7, 9}, same.forward(Tensor.ones(2, 3, 7, 9).to(device())).shape().toArray());
    }

    @Test
    void conv2dModuleMatchesFunctionalAndTakesUnbatchedInput() {
        Conv2d conv = new Conv2d(3, 5, 3, 2, 1, 1, true, new Generator(3));
        Tensor x = Tensor.randn(new Generator(4), 2, 3, 9, 8).to(device());
        Tensor want = Functional.conv2d(x, conv.weight(), conv.bias(), 2, 1);
        assertArrayEquals(want.toFloatArray(), conv.forward(x).toFloatArray(), 0f);
        Tensor one = conv.forward(x.slice(0, 1, 2).reshape(3, 9, 8));
        assertArrayEquals(new int[]{5, 5, 4}, one.shape().toArray());
        assertArrayEquals(want.slice(0, 1, 2).contiguous().toFloatArray(), one.toFloatArray(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> conv.forward(Tensor.ones(2, 4, 9, 8).to(device())));
        assertTrue(e.getMessage().contains("Conv2d(3, 5") && e.getMessage().contains("[2, 4, 9, 8]"), e.getMessage());
    }

    @Test
    void conv1dAndConvTranspose2dModules() {
        Conv1d c1 = new Conv1d(4, 6, 3, 2, 1, 2, true, new Generator(5));
        assertEquals("Conv1d(4, 6, kernel_size=(3,), stride=(2,), padding=(1,), groups=2)", c1.toString());
        assertArrayEquals(new int[]{6, 2, 3}, c1.weight().shape().toArray());
        assertEquals(List.of("weight", "bias"), new ArrayList<>(c1.stateDict().keySet()));
        assertArrayEquals(new int[]{2, 6, 5}, c1.forward(Tensor.ones(2, 4, 10).to(device())).shape().toArray());
        double bound = 1 / Math.sqrt(2 * 3);
        for (double v : c1.weight().toDoubleArray()) assertTrue(Math.abs(v) <= bound, "weight bound: " + v);

        ConvTranspose2d ct = new ConvTranspose2d(4, 6, 3, 2, 1, 1, 2, true, new Generator(6));
        assertEquals("ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=2)", ct.toString());
        assertArrayEquals(new int[]{4, 3, 3, 3}, ct.weight().shape().toArray());
        assertEquals(List.of("weight", "bias"), new ArrayList<>(ct.stateDict().keySet()));
        // PyTorch's fan_in of a transposed weight [in, out / groups, kh, kw] is out / groups * kh * kw
        double tBound = 1 / Math.sqrt(3 * 9);
        for (double v : ct.weight().toDoubleArray()) assertTrue(Math.abs(v) <= tBound, "weight bound: " + v);
        for (double v : ct.bias().toDoubleArray()) assertTrue(Math.abs(v) <= tBound, "bias bound: " + v);
        assertArrayEquals(new int[]{2, 6, 10, 8}, ct.forward(Tensor.ones(2, 4, 5, 4).to(device())).shape().toArray());
    }

    // ------------------------------------------------------------------ bad input

    private static void fails(String[] mustContain, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String s : mustContain) assertTrue(e.getMessage().contains(s), "message lacks \"" + s + "\": " + e.getMessage());
    }

    @Test
    void badInputIsRefusedWithTheOpAndShapes() {
        Tensor x = Tensor.ones(2, 4, 5, 5).to(device());
        Tensor w = Tensor.ones(6, 4, 3, 3).to(device());
        fails(new String[]{"conv2d", "[4, 5, 5]", "[6, 4, 3, 3]"}, () -> Functional.conv2d(Tensor.ones(4, 5, 5).to(device()), w, null));
        fails(new String[]{"conv2d", "[2, 4, 5, 5]", "[6, 3, 3, 3]", "channels"}, () -> Functional.conv2d(x, Tensor.ones(6, 3, 3, 3).to(device()), null));
        fails(new String[]{"conv2d", "[2, 4, 5, 5]", "larger than the padded input"}, () -> Functional.conv2d(x, Tensor.ones(6, 4, 6, 3).to(device()), null));
        fails(new String[]{"conv2d", "groups = 3", "[4, 2, 3, 3]"}, () -> Functional.conv2d(Tensor.ones(2, 6, 5, 5).to(device()),
                Tensor.ones(4, 2, 3, 3).to(device()), null, new int[]{1}, new int[]{0}, new int[]{1}, 3));
        fails(new String[]{"conv2d", "groups = 4", "divide"}, () -> Functional.conv2d(x, Tensor.ones(6, 1, 3, 3).to(device()), null,
                new int[]{1}, new int[]{0}, new int[]{1}, 4));
        fails(new String[]{"conv2d", "stride"}, () -> Functional.conv2d(x, w, null, 0, 0));
        fails(new String[]{"conv2d", "padding"}, () -> Functional.conv2d(x, w, null, 1, -1));
        fails(new String[]{"conv2d", "bias", "[5]"}, () -> Functional.conv2d(x, w, Tensor.ones(5).to(device())));
        fails(new String[]{"conv2d", "float64", "float32"}, () -> Functional.conv2d(x.to(DType.FLOAT64), w, null));
        fails(new String[]{"conv2d", "same", "stride"}, () -> Functional.conv2d(x, w, null, new int[]{2}, "same", new int[]{1}, 1));
        fails(new String[]{"conv1d", "[2, 4, 5]", "larger than the padded input"},
                () -> Functional.conv1d(Tensor.ones(2, 4, 5).to(device()), Tensor.ones(3, 4, 3).to(device()), null, 1, 0, 3, 1));
        fails(new String[]{"conv1d", "rank 3"}, () -> Functional.conv1d(x, w, null));
        fails(new String[]{"convTranspose2d", "below 1"}, () -> Functional.convTranspose2d(Tensor.ones(1, 4, 1, 1).to(device()),
                Tensor.ones(4, 2, 1, 1).to(device()), null, 1, 1));
        fails(new String[]{"convTranspose2d", "output_padding"}, () -> Functional.convTranspose2d(x, Tensor.ones(4, 2, 3, 3).to(device()), null,
                new int[]{1}, new int[]{0}, new int[]{1}, 1, new int[]{1}));
        fails(new String[]{"convTranspose2d", "[2, 4, 5, 5]", "[3, 2, 3, 3]"}, () -> Functional.convTranspose2d(x, Tensor.ones(3, 2, 3, 3).to(device()), null, 1, 0));
        // a stride so large that one output pixel fits, but the dilated kernel does not
        fails(new String[]{"conv2d", "dilated to 9 x 9"}, () -> Functional.conv2d(x, w, null, new int[]{1}, new int[]{1}, new int[]{4}, 1));
    }
}
