package io.jgrad.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * float32 sums ({@link FloatSimd#sum} as a row sum, {@link FloatSimd#columnSums} as sum(0) of an [n, 9] matrix, the
 * way {@code ReduceKernels} calls them) against the exact sum, for each implementation, on random and adversarial data
 * of lengths 1 to 10^6, and against what PyTorch 2.13's float32 sum does on the very same data.
 * <p>
 * The families: uniform in [0, 1); random signs with magnitudes over 2^-20 .. 2^20; uniform in [-1, 1) (the sum
 * cancels); an increasing ramp from 1 to 2; 2^20 first and then values below 1/16; 0.1f everywhere. Every value is a
 * float32 built from splitmix64 draws, so {@code engine-cpu/scripts/float_sum_accuracy.py} builds the same and gives
 * PyTorch's errors, committed in {@link #PYTORCH}. Errors count in u * sum(|x|) (u = 2^-24, the unit roundoff) and,
 * for the families of one sign, in float32 ulps of the result.
 * <p>
 * What is asserted: every error within FloatSums' bound, 7 u sum(|x|); for each family and kind, the worst error over
 * the lengths no worse than PyTorch's worst (its better of 1 and 2 threads), in both units.
 */
class FloatSumAccuracyTest {
    static List<Named<FloatSimd>> implementations() {
        return FloatSimdTest.implementations();
    }

    /** family, kind, n, PyTorch's error in u * sum(|x|), in ulps of the result (one-sign families; else 0). */
    private static final Object[][] PYTORCH = {
            {"uniform", "row", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"uniform", "row", 2, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"uniform", "row", 3, 0.7456, 0.5000}, // float64 accumulation (jgrad before) 0.7456
            {"uniform", "row", 7, 0.3425, 0.2500}, // float64 accumulation (jgrad before) 0.3425
            {"uniform", "row", 8, 1.0836, 1.0000}, // float64 accumulation (jgrad before) 0.0000
            {"uniform", "row", 9, 1.0160, 1.0000}, // float64 accumulation (jgrad before) 0.0000
            {"uniform", "row", 31, 0.6649, 0.3750}, // float64 accumulation (jgrad before) 0.6649
            {"uniform", "row", 100, 0.7300, 0.5781}, // float64 accumulation (jgrad before) 0.5327
            {"uniform", "row", 255, 1.4498, 0.7344}, // float64 accumulation (jgrad before) 0.5244
            {"uniform", "row", 256, 0.1384, 0.0703}, // float64 accumulation (jgrad before) 0.1384
            {"uniform", "row", 257, 1.2613, 0.6445}, // float64 accumulation (jgrad before) 0.6956
            {"uniform", "row", 1000, 0.6579, 0.6328}, // float64 accumulation (jgrad before) 0.3818
            {"uniform", "row", 4097, 0.8793, 0.8672}, // float64 accumulation (jgrad before) 0.1347
            {"uniform", "row", 10000, 1.0685, 0.6453}, // float64 accumulation (jgrad before) 0.5874
            {"uniform", "row", 65537, 0.3543, 0.3538}, // float64 accumulation (jgrad before) 0.3543
            {"uniform", "row", 100000, 0.4848, 0.3695}, // float64 accumulation (jgrad before) 0.4848
            {"uniform", "row", 1000000, 0.3566, 0.3400}, // float64 accumulation (jgrad before) 0.3566
            {"uniform", "column", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"uniform", "column", 2, 0.8476, 0.5000}, // float64 accumulation (jgrad before) 0.8476
            {"uniform", "column", 3, 0.9049, 0.5000}, // float64 accumulation (jgrad before) 0.9049
            {"uniform", "column", 7, 1.2343, 1.0000}, // float64 accumulation (jgrad before) 0.8308
            {"uniform", "column", 8, 0.8682, 0.7500}, // float64 accumulation (jgrad before) 0.8523
            {"uniform", "column", 9, 1.2507, 0.7500}, // float64 accumulation (jgrad before) 0.7372
            {"uniform", "column", 31, 1.3220, 1.3125}, // float64 accumulation (jgrad before) 0.9555
            {"uniform", "column", 100, 0.9553, 0.7344}, // float64 accumulation (jgrad before) 0.5327
            {"uniform", "column", 255, 1.4498, 1.0156}, // float64 accumulation (jgrad before) 0.7768
            {"uniform", "column", 256, 1.8413, 1.3047}, // float64 accumulation (jgrad before) 0.6993
            {"uniform", "column", 257, 1.2613, 1.1562}, // float64 accumulation (jgrad before) 0.6956
            {"uniform", "column", 1000, 1.1551, 1.1445}, // float64 accumulation (jgrad before) 0.4172
            {"uniform", "column", 4097, 1.3023, 1.2905}, // float64 accumulation (jgrad before) 0.6678
            {"uniform", "column", 10000, 1.2801, 0.7776}, // float64 accumulation (jgrad before) 0.7913
            {"uniform", "column", 65537, 0.9330, 0.5025}, // float64 accumulation (jgrad before) 0.9330
            {"uniform", "column", 100000, 1.0853, 0.8288}, // float64 accumulation (jgrad before) 0.5910
            {"uniform", "column", 1000000, 1.6953, 1.6173}, // float64 accumulation (jgrad before) 0.4011
            {"mixed", "row", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"mixed", "row", 2, 0.2807, 0.0000}, // float64 accumulation (jgrad before) 0.2807
            {"mixed", "row", 3, 0.3572, 0.0000}, // float64 accumulation (jgrad before) 0.3572
            {"mixed", "row", 7, 0.8533, 0.0000}, // float64 accumulation (jgrad before) 0.4409
            {"mixed", "row", 8, 0.0558, 0.0000}, // float64 accumulation (jgrad before) 0.0558
            {"mixed", "row", 9, 0.0560, 0.0000}, // float64 accumulation (jgrad before) 0.0560
            {"mixed", "row", 31, 1.0057, 0.0000}, // float64 accumulation (jgrad before) 0.1733
            {"mixed", "row", 100, 0.4423, 0.0000}, // float64 accumulation (jgrad before) 0.0140
            {"mixed", "row", 255, 0.3062, 0.0000}, // float64 accumulation (jgrad before) 0.0079
            {"mixed", "row", 256, 0.0549, 0.0000}, // float64 accumulation (jgrad before) 0.0080
            {"mixed", "row", 257, 0.4551, 0.0000}, // float64 accumulation (jgrad before) 0.0153
            {"mixed", "row", 1000, 0.2676, 0.0000}, // float64 accumulation (jgrad before) 0.0196
            {"mixed", "row", 4097, 0.2530, 0.0000}, // float64 accumulation (jgrad before) 0.0001
            {"mixed", "row", 10000, 0.0168, 0.0000}, // float64 accumulation (jgrad before) 0.0168
            {"mixed", "row", 65537, 0.0178, 0.0000}, // float64 accumulation (jgrad before) 0.0178
            {"mixed", "row", 100000, 0.0132, 0.0000}, // float64 accumulation (jgrad before) 0.0132
            {"mixed", "row", 1000000, 0.0086, 0.0000}, // float64 accumulation (jgrad before) 0.0020
            {"mixed", "column", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"mixed", "column", 2, 0.4199, 0.0000}, // float64 accumulation (jgrad before) 0.4199
            {"mixed", "column", 3, 0.6430, 0.0000}, // float64 accumulation (jgrad before) 0.6430
            {"mixed", "column", 7, 2.1480, 0.0000}, // float64 accumulation (jgrad before) 0.5815
            {"mixed", "column", 8, 1.7652, 0.0000}, // float64 accumulation (jgrad before) 0.8826
            {"mixed", "column", 9, 1.2183, 0.0000}, // float64 accumulation (jgrad before) 0.6312
            {"mixed", "column", 31, 1.0058, 0.0000}, // float64 accumulation (jgrad before) 0.7600
            {"mixed", "column", 100, 0.7159, 0.0000}, // float64 accumulation (jgrad before) 0.2538
            {"mixed", "column", 255, 0.5200, 0.0000}, // float64 accumulation (jgrad before) 0.3249
            {"mixed", "column", 256, 0.4295, 0.0000}, // float64 accumulation (jgrad before) 0.3254
            {"mixed", "column", 257, 0.4963, 0.0000}, // float64 accumulation (jgrad before) 0.2085
            {"mixed", "column", 1000, 0.2743, 0.0000}, // float64 accumulation (jgrad before) 0.0537
            {"mixed", "column", 4097, 0.2101, 0.0000}, // float64 accumulation (jgrad before) 0.0687
            {"mixed", "column", 10000, 0.1921, 0.0000}, // float64 accumulation (jgrad before) 0.0252
            {"mixed", "column", 65537, 0.0798, 0.0000}, // float64 accumulation (jgrad before) 0.0182
            {"mixed", "column", 100000, 0.0527, 0.0000}, // float64 accumulation (jgrad before) 0.0132
            {"mixed", "column", 1000000, 0.0192, 0.0000}, // float64 accumulation (jgrad before) 0.0035
            {"cancel", "row", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "row", 2, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "row", 3, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "row", 7, 0.4369, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "row", 8, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "row", 9, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "row", 31, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "row", 100, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "row", 255, 0.0621, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "row", 256, 0.0310, 0.0000}, // float64 accumulation (jgrad before) 0.0310
            {"cancel", "row", 257, 0.0771, 0.0000}, // float64 accumulation (jgrad before) 0.0154
            {"cancel", "row", 1000, 0.0162, 0.0000}, // float64 accumulation (jgrad before) 0.0162
            {"cancel", "row", 4097, 0.0155, 0.0000}, // float64 accumulation (jgrad before) 0.0155
            {"cancel", "row", 10000, 0.0152, 0.0000}, // float64 accumulation (jgrad before) 0.0104
            {"cancel", "row", 65537, 0.0111, 0.0000}, // float64 accumulation (jgrad before) 0.0006
            {"cancel", "row", 100000, 0.0016, 0.0000}, // float64 accumulation (jgrad before) 0.0009
            {"cancel", "row", 1000000, 0.0023, 0.0000}, // float64 accumulation (jgrad before) 0.0002
            {"cancel", "column", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "column", 2, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "column", 3, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"cancel", "column", 7, 0.4883, 0.0000}, // float64 accumulation (jgrad before) 0.4883
            {"cancel", "column", 8, 0.9711, 0.0000}, // float64 accumulation (jgrad before) 0.4623
            {"cancel", "column", 9, 0.9505, 0.0000}, // float64 accumulation (jgrad before) 0.3898
            {"cancel", "column", 31, 0.5159, 0.0000}, // float64 accumulation (jgrad before) 0.1349
            {"cancel", "column", 100, 0.2036, 0.0000}, // float64 accumulation (jgrad before) 0.1222
            {"cancel", "column", 255, 0.2711, 0.0000}, // float64 accumulation (jgrad before) 0.1278
            {"cancel", "column", 256, 0.2553, 0.0000}, // float64 accumulation (jgrad before) 0.1135
            {"cancel", "column", 257, 0.2682, 0.0000}, // float64 accumulation (jgrad before) 0.0797
            {"cancel", "column", 1000, 0.1494, 0.0000}, // float64 accumulation (jgrad before) 0.0320
            {"cancel", "column", 4097, 0.0633, 0.0000}, // float64 accumulation (jgrad before) 0.0155
            {"cancel", "column", 10000, 0.0258, 0.0000}, // float64 accumulation (jgrad before) 0.0104
            {"cancel", "column", 65537, 0.0250, 0.0000}, // float64 accumulation (jgrad before) 0.0022
            {"cancel", "column", 100000, 0.0159, 0.0000}, // float64 accumulation (jgrad before) 0.0019
            {"cancel", "column", 1000000, 0.0058, 0.0000}, // float64 accumulation (jgrad before) 0.0006
            {"ramp", "row", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 2, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 3, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 7, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 8, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 9, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 31, 1.5484, 1.5000}, // float64 accumulation (jgrad before) 0.5161
            {"ramp", "row", 100, 1.5999, 1.2500}, // float64 accumulation (jgrad before) 0.3200
            {"ramp", "row", 255, 0.0627, 0.0625}, // float64 accumulation (jgrad before) 0.0627
            {"ramp", "row", 256, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 257, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 1000, 0.7037, 0.6875}, // float64 accumulation (jgrad before) 0.3198
            {"ramp", "row", 4097, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 10000, 0.3949, 0.2422}, // float64 accumulation (jgrad before) 0.3949
            {"ramp", "row", 65537, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "row", 100000, 0.6768, 0.5410}, // float64 accumulation (jgrad before) 0.5742
            {"ramp", "row", 1000000, 0.7797, 0.5491}, // float64 accumulation (jgrad before) 0.6403
            {"ramp", "column", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 2, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 3, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 7, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 8, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 9, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 31, 0.5161, 0.5000}, // float64 accumulation (jgrad before) 0.5161
            {"ramp", "column", 100, 0.9600, 0.7500}, // float64 accumulation (jgrad before) 0.3200
            {"ramp", "column", 255, 0.0627, 0.0625}, // float64 accumulation (jgrad before) 0.0627
            {"ramp", "column", 256, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 257, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 1000, 0.3198, 0.3125}, // float64 accumulation (jgrad before) 0.3198
            {"ramp", "column", 4097, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 10000, 1.2357, 0.7578}, // float64 accumulation (jgrad before) 0.3949
            {"ramp", "column", 65537, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"ramp", "column", 100000, 0.5742, 0.4590}, // float64 accumulation (jgrad before) 0.5742
            {"ramp", "column", 1000000, 3.6198, 2.5491}, // float64 accumulation (jgrad before) 0.6403
            {"bigFirst", "row", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"bigFirst", "row", 2, 0.4315, 0.2158}, // float64 accumulation (jgrad before) 0.4315
            {"bigFirst", "row", 3, 0.4580, 0.2290}, // float64 accumulation (jgrad before) 0.4580
            {"bigFirst", "row", 7, 2.0364, 1.0182}, // float64 accumulation (jgrad before) 0.0364
            {"bigFirst", "row", 8, 2.8079, 1.4040}, // float64 accumulation (jgrad before) 0.8079
            {"bigFirst", "row", 9, 3.0536, 1.5268}, // float64 accumulation (jgrad before) 0.9464
            {"bigFirst", "row", 31, 1.1635, 0.5818}, // float64 accumulation (jgrad before) 0.8364
            {"bigFirst", "row", 100, 4.1974, 2.0987}, // float64 accumulation (jgrad before) 0.1974
            {"bigFirst", "row", 255, 0.7862, 0.3931}, // float64 accumulation (jgrad before) 0.7862
            {"bigFirst", "row", 256, 1.1391, 0.5695}, // float64 accumulation (jgrad before) 0.8609
            {"bigFirst", "row", 257, 1.9354, 0.9677}, // float64 accumulation (jgrad before) 0.0646
            {"bigFirst", "row", 1000, 7.5636, 3.7819}, // float64 accumulation (jgrad before) 0.4361
            {"bigFirst", "row", 4097, 6.9121, 3.4565}, // float64 accumulation (jgrad before) 0.9128
            {"bigFirst", "row", 10000, 10.4409, 5.2220}, // float64 accumulation (jgrad before) 0.4439
            {"bigFirst", "row", 65537, 8.5407, 4.2787}, // float64 accumulation (jgrad before) 0.5563
            {"bigFirst", "row", 100000, 6.1244, 3.0713}, // float64 accumulation (jgrad before) 0.1422
            {"bigFirst", "row", 1000000, 4.8272, 2.4855}, // float64 accumulation (jgrad before) 0.9430
            {"bigFirst", "column", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"bigFirst", "column", 2, 0.9897, 0.4949}, // float64 accumulation (jgrad before) 0.9897
            {"bigFirst", "column", 3, 1.7961, 0.8980}, // float64 accumulation (jgrad before) 0.9905
            {"bigFirst", "column", 7, 4.1646, 2.0823}, // float64 accumulation (jgrad before) 0.8702
            {"bigFirst", "column", 8, 3.0387, 1.5194}, // float64 accumulation (jgrad before) 0.9683
            {"bigFirst", "column", 9, 3.8484, 1.9242}, // float64 accumulation (jgrad before) 0.9464
            {"bigFirst", "column", 31, 7.1635, 3.5818}, // float64 accumulation (jgrad before) 0.9876
            {"bigFirst", "column", 100, 10.6460, 5.3230}, // float64 accumulation (jgrad before) 0.9460
            {"bigFirst", "column", 255, 10.8004, 5.4003}, // float64 accumulation (jgrad before) 0.8703
            {"bigFirst", "column", 256, 9.4510, 4.7255}, // float64 accumulation (jgrad before) 0.9036
            {"bigFirst", "column", 257, 10.3942, 5.1971}, // float64 accumulation (jgrad before) 0.9246
            {"bigFirst", "column", 1000, 12.2584, 6.1294}, // float64 accumulation (jgrad before) 0.9516
            {"bigFirst", "column", 4097, 11.5005, 5.7510}, // float64 accumulation (jgrad before) 0.9128
            {"bigFirst", "column", 10000, 14.4956, 7.2500}, // float64 accumulation (jgrad before) 0.9672
            {"bigFirst", "column", 65537, 13.8121, 6.9196}, // float64 accumulation (jgrad before) 0.9120
            {"bigFirst", "column", 100000, 14.3803, 7.2116}, // float64 accumulation (jgrad before) 0.8837
            {"bigFirst", "column", 1000000, 23.4842, 12.0917}, // float64 accumulation (jgrad before) 0.9430
            {"tenths", "row", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"tenths", "row", 2, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"tenths", "row", 3, 0.4167, 0.2500}, // float64 accumulation (jgrad before) 0.4167
            {"tenths", "row", 7, 0.8929, 0.6250}, // float64 accumulation (jgrad before) 0.5357
            {"tenths", "row", 8, 1.2500, 1.0000}, // float64 accumulation (jgrad before) 0.0000
            {"tenths", "row", 9, 1.5278, 1.3750}, // float64 accumulation (jgrad before) 0.4167
            {"tenths", "row", 31, 2.0565, 1.5938}, // float64 accumulation (jgrad before) 0.5242
            {"tenths", "row", 100, 1.8500, 1.1562}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "row", 255, 1.0049, 0.8008}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "row", 256, 2.5000, 2.0000}, // float64 accumulation (jgrad before) 0.0000
            {"tenths", "row", 257, 2.7383, 2.1992}, // float64 accumulation (jgrad before) 0.2481
            {"tenths", "row", 1000, 1.0300, 0.8047}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "row", 4097, 2.7493, 2.2000}, // float64 accumulation (jgrad before) 0.2499
            {"tenths", "row", 10000, 1.7980, 1.7559}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "row", 65537, 2.7500, 2.2000}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "row", 100000, 1.3884, 0.8474}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "row", 1000000, 1.0607, 0.8093}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "column", 1, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"tenths", "column", 2, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"tenths", "column", 3, 0.4167, 0.2500}, // float64 accumulation (jgrad before) 0.4167
            {"tenths", "column", 7, 0.8929, 0.6250}, // float64 accumulation (jgrad before) 0.5357
            {"tenths", "column", 8, 0.0000, 0.0000}, // float64 accumulation (jgrad before) 0.0000
            {"tenths", "column", 9, 0.6944, 0.6250}, // float64 accumulation (jgrad before) 0.4167
            {"tenths", "column", 31, 0.5242, 0.4062}, // float64 accumulation (jgrad before) 0.5242
            {"tenths", "column", 100, 2.9500, 1.8438}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "column", 255, 2.2598, 1.8008}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "column", 256, 2.5000, 2.0000}, // float64 accumulation (jgrad before) 0.0000
            {"tenths", "column", 257, 2.7383, 2.1992}, // float64 accumulation (jgrad before) 0.2481
            {"tenths", "column", 1000, 2.3100, 1.8047}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "column", 4097, 2.7493, 2.2000}, // float64 accumulation (jgrad before) 0.2499
            {"tenths", "column", 10000, 2.8220, 2.7559}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "column", 65537, 2.7500, 2.2000}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "column", 100000, 1.3884, 0.8474}, // float64 accumulation (jgrad before) 0.2500
            {"tenths", "column", 1000000, 9.4250, 7.1907}, // float64 accumulation (jgrad before) 0.2500
    };

    private static final int COLUMNS = 9;
    private static final List<String> POSITIVE = List.of("uniform", "ramp", "bigFirst", "tenths");

    private static long splitmix(long stream, long i) {
        long z = ((stream << 32) + i + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The family's n values of stream {@code stream}, as the script draws them. */
    static float[] family(String name, int stream, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            long z = splitmix(stream, i);
            double u = (z >>> 40) * 0x1p-24;
            x[i] = (float) switch (name) {
                case "uniform" -> u;
                case "mixed" -> ((z & 1) == 1 ? -1 : 1) * u * Math.pow(2, ((z >>> 8) % 41) - 20);
                case "cancel" -> u * 2 - 1;
                case "ramp" -> 1 + (i % (1 << 20)) * 0x1p-20;
                case "bigFirst" -> i == 0 ? 0x1p20 : u * 0x1p-4;
                default -> 0.1f;
            };
        }
        return x;
    }

    /** The exact sum to float64 precision (Neumaier's compensated sum in double), and sum(|x|). */
    private static double[] exact(float[] x, int off, int step, int n) {
        double s = 0, c = 0, abs = 0;
        for (int i = 0, j = off; i < n; i++, j += step) {
            double v = x[j], t = s + v;
            c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
            s = t;
            abs += Math.abs(v);
        }
        return new double[]{s + c, abs};
    }

    /** {error in u * sum(|x|), error in ulps of the result}. */
    private static double[] errors(float got, double[] exact) {
        double err = Math.abs(got - exact[0]);
        return new double[]{exact[1] > 0 ? err / (0x1p-24 * exact[1]) : 0, err / Math.ulp((float) Math.abs(exact[0]))};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("implementations")
    void atLeastAsAccurateAsPyTorch(FloatSimd s) {
        Map<String, double[]> worst = new LinkedHashMap<>(); // family/kind: jgrad u, jgrad ulps, PyTorch u, PyTorch ulps
        for (Object[] row : PYTORCH) {
            String name = (String) row[0], kind = (String) row[1];
            int n = (Integer) row[2];
            boolean positive = POSITIVE.contains(name);
            double rel = 0, ulps = 0;
            if (kind.equals("row")) {
                float[] x = family(name, 0, n);
                double[] e = errors((float) s.sum(x, 0, n), exact(x, 0, 1, n));
                rel = e[0];
                ulps = e[1];
            } else {
                float[] m = new float[n * COLUMNS];
                for (int c = 0; c < COLUMNS; c++) {
                    float[] col = family(name, c, n);
                    for (int r = 0; r < n; r++) m[r * COLUMNS + c] = col[r];
                }
                float[] out = new float[COLUMNS];
                s.columnSums(m, 0, n, COLUMNS, COLUMNS, out, 0, new float[2 * COLUMNS]);
                for (int c = 0; c < COLUMNS; c++) {
                    double[] e = errors(out[c], exact(m, c, COLUMNS, n));
                    rel = Math.max(rel, e[0]);
                    ulps = Math.max(ulps, e[1]);
                }
            }
            if (!positive) ulps = 0;
            assertTrue(rel <= 7, name + " " + kind + " " + n + ": " + rel + " u sum(|x|), beyond FloatSums' bound of 7");
            double[] w = worst.computeIfAbsent(name + " " + kind, k -> new double[4]);
            w[0] = Math.max(w[0], rel);
            w[1] = Math.max(w[1], ulps);
            w[2] = Math.max(w[2], ((Number) row[3]).doubleValue());
            w[3] = Math.max(w[3], ((Number) row[4]).doubleValue());
        }
        worst.forEach((k, w) -> {
            assertTrue(w[0] <= w[2], k + ": jgrad's worst " + w[0] + " u sum(|x|) against PyTorch's " + w[2]);
            assertTrue(w[1] <= w[3], k + ": jgrad's worst " + w[1] + " ulps against PyTorch's " + w[3]);
        });
    }
}
