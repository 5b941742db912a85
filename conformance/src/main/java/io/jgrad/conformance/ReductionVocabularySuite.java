package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.DType;
import io.jgrad.Generator;
import io.jgrad.GradCheck;
import io.jgrad.Tensor;
import io.jgrad.Tensor.ValuesIndices;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The reduction, scan and sorting vocabulary against PyTorch: sum/mean/amax/amin over several dims, var/std with a
 * correction, prod, norm, cumsum/cumprod/logcumsumexp, sort/argsort/topk, max/min with indices, any/all and
 * countNonzero. Each op runs in float32 and float64 on {@link #X} (ties, zeros) or {@link #XN} (NaN); values and the
 * gradient of sum(out * w), w[i] = ((7 i) mod 11 - 5) / 4 over out's elements in row-major order, are PyTorch 2.13's
 * (float64). Then float64 GradCheck for every differentiable op, and the refusals of bad input.
 */
public abstract class ReductionVocabularySuite extends DeviceSuite {
    private static final double NAN = Double.NaN, INF = Double.POSITIVE_INFINITY;

    private static final int[] XS = {2, 3, 4};
    private static final double[] X = {
            1.0, -2.0, 3.0, 3.0, 0.5, 0.0, -1.0, 2.0, -3.0, 4.0, 4.0, -0.5,
            2.0, 2.0, -1.5, 1.0, 0.0, 3.5, 0.0, -2.5, 1.5, -1.0, 2.5, 4.0};
    private static final int[] XNS = {2, 4};
    private static final double[] XN = {1.0, NAN, 3.0, 3.0, 2.0, -1.0, NAN, 0.0};

    // ---- PyTorch 2.13 (float64) values and gradients; topk's expectations are the prefix of a stable sort (PyTorch
    // returns the same values, but its order among equal values is unspecified)
    private static final double[] SUM_D02_KEEP = {8.5, 2.5, 11.5}; // shape [1, 3, 1]
    private static final double[] SUM_D02_KEEP_GRAD = {-1.25, -1.25, -1.25, -1.25, 0.5, 0.5, 0.5, 0.5, -0.5, -0.5, -0.5, -0.5, -1.25, -1.25, -1.25, -1.25, 0.5, 0.5, 0.5, 0.5, -0.5, -0.5, -0.5, -0.5};
    private static final double[] SUM_DM1_D0 = {8.5, 2.5, 11.5}; // shape [3]
    private static final double[] SUM_DM1_D0_GRAD = {-1.25, -1.25, -1.25, -1.25, 0.5, 0.5, 0.5, 0.5, -0.5, -0.5, -0.5, -0.5, -1.25, -1.25, -1.25, -1.25, 0.5, 0.5, 0.5, 0.5, -0.5, -0.5, -0.5, -0.5};
    private static final double[] SUM_ALL_DIMS = {22.5}; // shape []
    private static final double[] SUM_ALL_DIMS_GRAD = {-1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25, -1.25};
    private static final double[] MEAN_D12 = {0.9166666666666666, 0.9583333333333334}; // shape [2]
    private static final double[] MEAN_D12_GRAD = {-0.10416666666666667, -0.10416666666666667, -0.10416666666666667, -0.10416666666666667, -0.10416666666666667, -0.10416666666666667, -0.10416666666666667, -0.10416666666666667, -0.10416666666666667, -0.10416666666666667, -0.10416666666666667, -0.10416666666666667, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664, 0.041666666666666664};
    private static final double[] AMAX_D02 = {3.0, 3.5, 4.0}; // shape [3]
    private static final double[] AMAX_D02_GRAD = {-0.0, -0.0, -0.625, -0.625, 0.0, 0.0, 0.0, 0.0, -0.0, -0.16666666666666666, -0.16666666666666666, -0.0, -0.0, -0.0, -0.0, -0.0, 0.0, 0.5, 0.0, 0.0, -0.0, -0.0, -0.0, -0.16666666666666666};
    private static final double[] AMAX_DM1_KEEP = {3.0, 2.0, 4.0, 2.0, 3.5, 4.0}; // shape [2, 3, 1]
    private static final double[] AMAX_DM1_KEEP_GRAD = {-0.0, -0.0, -0.625, -0.625, 0.0, 0.0, 0.0, 0.5, -0.0, -0.25, -0.25, -0.0, 0.625, 0.625, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, -0.0, -0.0, -0.0, -0.75};
    private static final double[] AMAX_ALL = {4.0}; // shape []
    private static final double[] AMAX_ALL_GRAD = {-0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.4166666666666667, -0.4166666666666667, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.4166666666666667};
    private static final double[] AMIN_D1 = {-3.0, -2.0, -1.0, -0.5, 0.0, -1.0, -1.5, -2.5}; // shape [2, 4]
    private static final double[] AMIN_D1_GRAD = {-0.0, 0.5, -0.0, 0.0, -0.0, 0.0, -0.5, 0.0, -1.25, 0.0, -0.0, 1.25, 0.0, -0.0, 1.0, 0.0, 0.25, -0.0, 0.0, 0.0, 0.0, -0.75, 0.0, 0.0};
    private static final double[] AMIN_D12 = {-3.0, -2.5}; // shape [2]
    private static final double[] AMIN_D12_GRAD = {-0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -0.0, -1.25, -0.0, -0.0, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0, 0.0, 0.0};
    private static final double[] VAR_D12_C0 = {4.951388888888888, 3.6857638888888893}; // shape [2]
    private static final double[] VAR_D12_C0_GRAD = {-0.01736111111111112, 0.6076388888888888, -0.4340277777777778, -0.4340277777777778, 0.08680555555555554, 0.1909722222222222, 0.39930555555555547, -0.22569444444444445, 0.8159722222222221, -0.642361111111111, -0.642361111111111, 0.29513888888888884, 0.08680555555555554, 0.08680555555555554, -0.2048611111111111, 0.003472222222222219, -0.0798611111111111, 0.21180555555555552, -0.0798611111111111, -0.2881944444444444, 0.04513888888888888, -0.16319444444444445, 0.1284722222222222, 0.2534722222222222};
    private static final double[] VAR_D12_C1 = {5.401515151515151, 4.020833333333334}; // shape [2]
    private static final double[] VAR_D12_C1_GRAD = {-0.01893939393939395, 0.662878787878788, -0.47348484848484856, -0.47348484848484856, 0.0946969696969697, 0.20833333333333334, 0.4356060606060606, -0.24621212121212127, 0.8901515151515152, -0.7007575757575758, -0.7007575757575758, 0.32196969696969696, 0.09469696969696968, 0.09469696969696968, -0.2234848484848485, 0.0037878787878787845, -0.08712121212121213, 0.23106060606060605, -0.08712121212121213, -0.3143939393939394, 0.04924242424242424, -0.17803030303030304, 0.14015151515151514, 0.2765151515151515};
    private static final double[] VAR_D2_C2_KEEP = {8.375, 2.34375, 18.09375, 4.09375, 9.125, 6.625}; // shape [2, 3, 1]
    private static final double[] VAR_D2_C2_KEEP_GRAD = {0.3125, 4.0625, -2.1875, -2.1875, 0.0625, -0.1875, -0.6875, 0.8125, 2.0625, -1.4375, -1.4375, 0.8125, 1.40625, 1.40625, -2.96875, 0.15625, -0.0625, 0.8125, -0.0625, -0.6875, 0.1875, 2.0625, -0.5625, -1.6875};
    private static final double[] VAR_ALL_C1 = {4.506793478260869}; // shape []
    private static final double[] VAR_ALL_C1_GRAD = {-0.006793478260869565, 0.31929347826086957, -0.22418478260869565, -0.22418478260869565, 0.04755434782608695, 0.10190217391304347, 0.2105978260869565, -0.11548913043478261, 0.4279891304347826, -0.3328804347826087, -0.3328804347826087, 0.15625, -0.11548913043478261, -0.11548913043478261, 0.264945652173913, -0.006793478260869565, 0.10190217391304347, -0.27853260869565216, 0.10190217391304347, 0.37364130434782605, -0.06114130434782609, 0.2105978260869565, -0.16983695652173914, -0.3328804347826087};
    private static final double[] STD_D0_C1 = {0.7071067811865476, 2.8284271247461903, 3.181980515339464, 1.4142135623730951, 0.3535533905932738, 2.4748737341529163, 0.7071067811865476, 3.181980515339464, 3.181980515339464, 3.5355339059327378, 1.0606601717798212, 3.181980515339464}; // shape [3, 4]
    private static final double[] STD_D0_C1_GRAD = {0.8838834764831843, -0.35355339059327373, -0.35355339059327373, 0.8838834764831843, 0.17677669529663687, 0.5303300858899107, -0.7071067811865475, 0.0, 0.7071067811865475, 0.5303300858899106, -0.1767766952966369, 0.8838834764831844, -0.8838834764831843, 0.35355339059327373, 0.35355339059327373, -0.8838834764831843, -0.17677669529663687, -0.5303300858899107, 0.7071067811865475, -0.0, -0.7071067811865475, -0.5303300858899106, 0.1767766952966369, -0.8838834764831844};
    private static final double[] STD_D12_C0_KEEP = {2.2251716538031148, 1.9198343389180457}; // shape [2, 1, 1]
    private static final double[] STD_D12_C0_KEEP_GRAD = {-0.0039010723243392627, 0.13653753135187413, -0.09752680810848154, -0.09752680810848154, 0.019505361621696304, 0.04291179556773187, 0.089724663459803, -0.0507139402164104, 0.18335039924394528, -0.14433967600055267, -0.14433967600055267, 0.06631822951376744, 0.022607564047551168, 0.022607564047551168, -0.053353851152220765, 0.000904302561902046, -0.020798958923747078, 0.055162456276024854, -0.020798958923747078, -0.07505711263786989, 0.011755933304726608, -0.042502220409396205, 0.03345919479037573, 0.06601408701884941};
    private static final double[] VAR_D0_C2 = {INF, INF, INF, INF, INF, INF, INF, INF, INF, INF, INF, INF}; // shape [3, 4]
    private static final double[] PROD_D2 = {-18.0, -0.0, 24.0, -6.0, -0.0, -15.0}; // shape [2, 3]
    private static final double[] PROD_D2_GRAD = {22.5, -11.25, 7.5, 7.5, -0.0, -0.5, 0.0, -0.0, 4.0, -3.0, -3.0, 24.0, -3.75, -3.75, 5.0, -7.5, -0.0, -0.0, -0.0, 0.0, 7.5, -11.25, 4.5, 2.8125};
    private static final double[] PROD_D1_KEEP = {-1.5, -0.0, -12.0, -3.0, 0.0, -7.0, -0.0, -10.0}; // shape [2, 1, 4]
    private static final double[] PROD_D1_KEEP_GRAD = {1.875, 0.0, 2.0, -1.25, 3.75, -4.0, -6.0, -1.875, -0.625, -0.0, 1.5, 7.5, 0.0, 2.625, 0.0, -0.0, 0.75, 1.5, -3.75, 0.0, 0.0, -5.25, -0.0, -0.0};
    private static final double[] PROD_D0 = {2.0, -4.0, -4.5, 3.0, 0.0, 0.0, -0.0, -5.0, -4.5, -4.0, 10.0, -2.0}; // shape [3, 4]
    private static final double[] PROD_D0_GRAD = {-2.5, 1.0, 0.75, 1.25, 0.0, -2.625, 0.0, -0.0, -1.5, -0.75, -0.625, -5.0, -1.25, -1.0, -1.5, 3.75, 0.125, -0.0, -1.0, 0.0, 3.0, 3.0, -1.0, 0.625};
    private static final double[] PROD_ALL = {-0.0}; // shape []
    private static final double[] PROD_ALL_GRAD = {0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0};
    private static final double[] CUMSUM_D1 = {1.0, -2.0, 3.0, 3.0, 1.5, -2.0, 2.0, 5.0, -1.5, 2.0, 6.0, 4.5, 2.0, 2.0, -1.5, 1.0, 2.0, 5.5, -1.5, -1.5, 3.5, 4.5, 1.0, 2.5}; // shape [2, 3, 4]
    private static final double[] CUMSUM_D1_GRAD = {-2.0, 0.5, 0.25, 0.0, -0.75, 0.0, 0.75, -1.25, -1.0, 0.75, -0.25, -1.25, 0.5, 0.25, 0.0, -0.25, 0.0, 0.75, -1.25, -0.5, 0.75, -0.25, -1.25, 0.5};
    private static final double[] CUMSUM_DM1 = {1.0, -1.0, 2.0, 5.0, 0.5, 0.5, -0.5, 1.5, -3.0, 1.0, 5.0, 4.5, 2.0, 4.0, 2.5, 3.5, 0.0, 3.5, 3.5, 1.0, 1.5, 0.5, 3.0, 7.0}; // shape [2, 3, 4]
    private static final double[] CUMSUM_DM1_GRAD = {0.0, 1.25, 0.75, 1.25, 0.5, 0.25, 1.0, 0.0, -1.75, -0.75, -1.5, -1.25, 1.5, 1.0, 1.5, 0.25, -0.75, 0.0, -1.0, -1.0, -0.25, -1.0, -0.75, 0.5};
    private static final double[] CUMPROD_D2 = {1.0, -2.0, -6.0, -18.0, 0.5, 0.0, -0.0, -0.0, -3.0, -12.0, -48.0, 24.0, 2.0, 4.0, -6.0, -6.0, 0.0, 0.0, 0.0, -0.0, 1.5, -1.5, -3.75, -15.0}; // shape [2, 3, 4]
    private static final double[] CUMPROD_D2_GRAD = {-21.75, 10.25, -6.5, -7.5, 0.25, -0.875, 0.0, 0.0, 8.0, -6.75, -4.5, 60.0, -5.0, -5.5, 6.0, -1.5, 2.75, 0.0, 0.0, 0.0, -0.875, 2.4375, -1.125, -1.875};
    private static final double[] CUMPROD_D1 = {1.0, -2.0, 3.0, 3.0, 0.5, -0.0, -3.0, 6.0, -1.5, -0.0, -12.0, -3.0, 2.0, 2.0, -1.5, 1.0, 0.0, 7.0, -0.0, -2.5, 0.0, -7.0, -0.0, -10.0}; // shape [2, 3, 4]
    private static final double[] CUMPROD_D1_GRAD = {0.375, 0.5, -0.5, 2.5, 3.25, -4.5, -0.0, 1.875, -0.5, 0.0, 0.75, -7.5, 0.5, 3.875, 1.25, -2.25, 0.75, 2.5, 4.6875, 1.0, 0.0, -1.75, 0.0, -1.25};
    private static final double[] LOGCUMSUMEXP_D2 = {1.0, 1.048587351573742, 3.1328452337275756, 3.761774159226275, 0.5, 0.9740769841801067, 1.1041306053367284, 2.342349582389822, -3.0, 4.000911466453775, 4.693603017633216, 4.699139629173611, 2.0, 2.6931471805599454, 2.7081330215398185, 2.8746670930370053, 0.0, 3.5297504182726205, 3.558641260343827, 3.5609761073523236, 1.5, 1.5788897342925496, 2.8350975955161672, 4.271516947330841}; // shape [2, 3, 4]
    private static final double[] LOGCUMSUMEXP_D2_GRAD = {-0.753988291061466, 0.02469496886418381, 0.14574651233286912, 0.5835468098644129, 0.32970488886478877, 0.048343458825482466, 0.12195165230972885, 0.0, -0.9999971660903243, 0.0031077593186497054, -0.7462089522855496, -0.006901640942776469, 0.9699538847134495, 0.4699538847134496, 0.021740723503079727, 0.03835150707002075, -0.7490988481605769, 0.029842050445899604, -0.02841107891193332, -0.0023321233733895265, 0.22133243886196907, -0.043395676028515205, -0.8090479456954398, 0.381111182861986};
    private static final double[] LOGCUMSUMEXP_D0 = {1.0, -2.0, 3.0, 3.0, 0.5, 0.0, -1.0, 2.0, -3.0, 4.0, 4.0, -0.5, 2.313261687518223, 2.01814992791781, 3.011047744848594, 3.1269280110429727, 0.9740769841801067, 3.5297504182726205, 0.31326168751822286, 2.011047744848594, 1.5110477448485937, 4.006715348489118, 4.201413277982752, 4.011047744848594}; // shape [2, 3, 4]
    private static final double[] LOGCUMSUMEXP_D0_GRAD = {-1.1155292893150024, 0.49100689501895417, 0.7362663217117582, 1.4701992694944706, -0.21684449840139086, -0.7206877692486436, 1.0, -0.9890130573694067, -0.9917597930270551, 0.5016732127310715, -1.2719680952420551, -1.2445065286847035, 0.36552928931500234, -0.4910068950189541, 0.013733678288241473, 0.02980073050552939, -0.283155501598609, 0.9706877692486438, 0.0, -0.010986942630593178, 0.7417597930270551, -0.0016732127310712132, -0.22803190475794552, 0.4945065286847033};
    private static final double[] NORM1_D2 = {9.0, 3.5, 11.5, 6.5, 6.0, 9.0}; // shape [2, 3]
    private static final double[] NORM1_D2_GRAD = {-1.25, 1.25, -1.25, -1.25, 0.5, 0.0, -0.5, 0.5, 0.5, -0.5, -0.5, 0.5, 1.25, 1.25, -1.25, 1.25, 0.0, 0.25, 0.0, -0.25, -0.75, 0.75, -0.75, -0.75};
    private static final double[] NORM2_D12 = {8.336666000266533, 7.433034373659253}; // shape [2]
    private static final double[] NORM2_D12_GRAD = {-0.1499400359760168, 0.2998800719520336, -0.4498201079280504, -0.4498201079280504, -0.0749700179880084, -0.0, 0.1499400359760168, -0.2998800719520336, 0.4498201079280504, -0.5997601439040672, -0.5997601439040672, 0.0749700179880084, 0.1345345587992625, 0.1345345587992625, -0.10090091909944687, 0.06726727939963124, 0.0, 0.23543547789870936, 0.0, -0.1681681984990781, 0.10090091909944687, -0.06726727939963124, 0.1681681984990781, 0.269069117598525};
    private static final double[] NORMINF_D2 = {3.0, 2.0, 4.0, 2.0, 3.5, 4.0}; // shape [2, 3]
    private static final double[] NORMINF_D2_GRAD = {-0.0, 0.0, -0.625, -0.625, 0.0, 0.0, -0.0, 0.5, 0.0, -0.25, -0.25, 0.0, 0.625, 0.625, -0.0, 0.0, 0.0, 0.25, 0.0, -0.0, -0.0, 0.0, -0.0, -0.75};
    private static final double[] NORMNEGINF_D1 = {0.5, 0.0, 1.0, 0.5, 0.0, 1.0, 0.0, 1.0}; // shape [2, 4]
    private static final double[] NORMNEGINF_D1_GRAD = {-0.0, -0.0, -0.0, 0.0, -1.25, 0.0, 0.5, 0.0, 0.0, 0.0, -0.0, -1.25, 0.0, -0.0, -0.0, 0.0, 0.0, -0.0, 0.0, -0.0, 0.0, 0.75, 0.0, 0.0};
    private static final double[] NORMFRO_ALL = {11.169153951844338}; // shape []
    private static final double[] NORMFRO_ALL_GRAD = {-0.11191537025896131, 0.22383074051792262, -0.33574611077688393, -0.33574611077688393, -0.055957685129480655, -0.0, 0.11191537025896131, -0.22383074051792262, 0.33574611077688393, -0.44766148103584524, -0.44766148103584524, 0.055957685129480655, -0.22383074051792262, -0.22383074051792262, 0.16787305538844197, -0.11191537025896131, -0.0, -0.39170379590636456, -0.0, 0.27978842564740325, -0.16787305538844197, 0.11191537025896131, -0.27978842564740325, -0.44766148103584524};
    private static final double[] SORT_D2_VALUES = {-2.0, 1.0, 3.0, 3.0, -1.0, 0.0, 0.5, 2.0, -3.0, -0.5, 4.0, 4.0, -1.5, 1.0, 2.0, 2.0, -2.5, 0.0, 0.0, 3.5, -1.0, 1.5, 2.5, 4.0};
    private static final double[] SORT_D2_INDICES = {1, 0, 2, 3, 2, 1, 0, 3, 0, 3, 1, 2, 2, 3, 0, 1, 3, 0, 2, 1, 1, 0, 2, 3};
    private static final double[] SORT_D2_GRAD = {0.5, -1.25, -0.5, 1.25, 1.0, -0.75, 0.25, 0.0, -1.0, -0.25, -1.25, 0.75, 1.25, 0.25, 0.5, -0.5, 1.0, -1.0, 0.0, -0.75, -0.25, 0.75, -1.25, 0.5};
    private static final double[] SORT_D1_DESC_VALUES = {1.0, 4.0, 4.0, 3.0, 0.5, 0.0, 3.0, 2.0, -3.0, -2.0, -1.0, -0.5, 2.0, 3.5, 2.5, 4.0, 1.5, 2.0, 0.0, 1.0, 0.0, -1.0, -1.5, -2.5};
    private static final double[] SORT_D1_DESC_INDICES = {0, 2, 2, 0, 1, 1, 0, 1, 2, 0, 1, 2, 0, 1, 2, 2, 2, 0, 1, 0, 1, 2, 0, 1};
    private static final double[] SORT_D1_DESC_GRAD = {-1.25, 0.75, 1.0, 1.25, 0.25, -0.75, -0.25, 0.0, -1.0, 0.5, -0.5, -1.25, 0.5, 1.0, -1.25, -1.0, 0.75, -0.5, 0.0, 0.5, -0.75, -0.25, 1.25, 0.25};
    private static final double[] ARGSORT_D0_DESC = {1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0}; // shape [2, 3, 4]
    private static final double[] TOPK2_D2_VALUES = {3.0, 3.0, 2.0, 0.5, 4.0, 4.0, 2.0, 2.0, 3.5, 0.0, 4.0, 2.5};
    private static final double[] TOPK2_D2_INDICES = {2, 3, 3, 0, 1, 2, 0, 1, 1, 0, 3, 2};
    private static final double[] TOPK2_D2_GRAD = {0.0, 0.0, -1.25, 0.5, 1.25, 0.0, 0.0, -0.5, 0.0, 0.25, -0.75, 0.0, 1.0, 0.0, 0.0, 0.0, 0.75, -1.0, 0.0, 0.0, 0.0, 0.0, -1.25, -0.25};
    private static final double[] TOPK3_D1_SMALLEST_VALUES = {-3.0, -2.0, -1.0, -0.5, 0.5, 0.0, 3.0, 2.0, 1.0, 4.0, 4.0, 3.0, 0.0, -1.0, -1.5, -2.5, 1.5, 2.0, 0.0, 1.0, 2.0, 3.5, 2.5, 4.0};
    private static final double[] TOPK3_D1_SMALLEST_INDICES = {2, 0, 1, 2, 1, 1, 0, 1, 0, 2, 2, 0, 1, 2, 0, 1, 2, 0, 1, 0, 0, 1, 2, 2};
    private static final double[] TOPK3_D1_SMALLEST_GRAD = {-1.0, 0.5, 1.0, -1.25, 0.25, -0.75, -0.5, 0.0, -1.25, 0.75, -0.25, 1.25, 0.75, 1.0, 1.25, -1.0, 0.5, -0.25, 0.0, 0.25, -0.75, -0.5, -1.25, 0.5};
    private static final double[] TOPK_CHECK = {3.0, 3.0, 2.0, 0.5, 4.0, 4.0, 2.0, 2.0, 3.5, 0.0, 4.0, 2.5, -3.0, -2.0, -1.0, -0.5, 0.5, 0.0, 3.0, 2.0, 1.0, 4.0, 4.0, 3.0, 0.0, -1.0, -1.5, -2.5, 1.5, 2.0, 0.0, 1.0, 2.0, 3.5, 2.5, 4.0}; // shape [36]
    private static final double[] MAX_D2_VALUES = {3.0, 2.0, 4.0, 2.0, 3.5, 4.0};
    private static final double[] MAX_D2_INDICES = {2, 3, 1, 0, 1, 3};
    private static final double[] MAX_D2_GRAD = {0.0, 0.0, -1.25, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, -0.5, 0.0, 0.0, 1.25, 0.0, 0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, 0.0, -0.75};
    private static final double[] MIN_D1_KEEP_VALUES = {-3.0, -2.0, -1.0, -0.5, 0.0, -1.0, -1.5, -2.5};
    private static final double[] MIN_D1_KEEP_INDICES = {2, 0, 1, 2, 1, 2, 0, 1};
    private static final double[] MIN_D1_KEEP_GRAD = {0.0, 0.5, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, -1.25, 0.0, 0.0, 1.25, 0.0, 0.0, 1.0, 0.0, 0.25, 0.0, 0.0, 0.0, 0.0, -0.75, 0.0, 0.0};
    private static final double[] COUNT_NONZERO = {21}; // shape []
    private static final double[] COUNT_NONZERO_D2 = {4, 3, 4, 4, 2, 4}; // shape [2, 3]
    private static final double[] COUNT_NONZERO_D02 = {8, 5, 8}; // shape [3]
    private static final double[] ALL_D2 = {1, 0, 1, 1, 0, 1}; // shape [2, 3]
    private static final double[] ANY_D1_KEEP = {0, 1, 1, 1, 0, 1, 1, 1}; // shape [2, 1, 4]
    private static final double[] NAN_SORT_D1_VALUES = {1.0, 3.0, 3.0, NAN, -1.0, 0.0, 2.0, NAN};
    private static final double[] NAN_SORT_D1_INDICES = {0, 2, 3, 1, 1, 3, 0, 2};
    private static final double[] NAN_SORT_D1_GRAD = {-1.25, 1.25, 0.5, -0.5, 1.0, 0.25, 0.0, -0.75};
    private static final double[] NAN_SORT_D1_DESC_VALUES = {NAN, 3.0, 3.0, 1.0, NAN, 2.0, 0.0, -1.0};
    private static final double[] NAN_SORT_D1_DESC_INDICES = {1, 2, 3, 0, 2, 0, 3, 1};
    private static final double[] NAN_SORT_D1_DESC_GRAD = {1.25, -1.25, 0.5, -0.5, -0.75, 0.0, 0.25, 1.0};
    private static final double[] NAN_TOPK2_VALUES = {NAN, 3.0, NAN, 2.0};
    private static final double[] NAN_TOPK2_INDICES = {1, 2, 2, 0};
    private static final double[] NAN_TOPK2_GRAD = {0.0, -1.25, 0.5, 0.0, 1.25, 0.0, -0.5, 0.0};
    private static final double[] NAN_TOPK2_SMALLEST_VALUES = {1.0, 3.0, -1.0, 0.0};
    private static final double[] NAN_TOPK2_SMALLEST_INDICES = {0, 2, 1, 3};
    private static final double[] NAN_TOPK2_SMALLEST_GRAD = {-1.25, 0.0, 0.5, 0.0, 0.0, -0.5, 0.0, 1.25};
    private static final double[] NAN_AMAX_D1 = {NAN, NAN}; // shape [2]
    private static final double[] NAN_AMAX_D1_GRAD = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
    private static final double[] NAN_AMAX_D0 = {2.0, NAN, NAN, 3.0}; // shape [4]
    private static final double[] NAN_AMAX_D0_GRAD = {-0.0, NAN, NAN, 1.25, -1.25, NAN, NAN, 0.0};
    private static final double[] NAN_MAX_D1_VALUES = {NAN, NAN};
    private static final double[] NAN_MAX_D1_INDICES = {1, 2};
    private static final double[] NAN_MAX_D1_GRAD = {0.0, -1.25, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0};

    // ---------------------------------------------------------------- helpers

    private static Tensor leaf(double[] values, DType dt, int... shape) {
        Tensor t = Tensor.of(values, shape);
        if (dt != DType.FLOAT64) t = t.to(dt);
        return t.requiresGrad(true);
    }

    private static Tensor weights(Tensor out) {
        int n = (int) out.numel();
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = ((i * 7) % 11 - 5) / 4.0;
        return Tensor.of(w, n).to(out.dtype());
    }

    private static void backwardWeighted(Tensor out) {
        out.reshape(-1).mul(weights(out)).sum().backward();
    }

    private static void assertValues(double[] want, double[] got, DType dt, String what) {
        double rel = dt == DType.FLOAT32 ? 2e-6 : 1e-12, abs = dt == DType.FLOAT32 ? 2e-6 : 1e-12;
        assertEquals(want.length, got.length, what + ": element count; got " + Arrays.toString(got));
        for (int i = 0; i < want.length; i++) {
            boolean ok = Double.isNaN(want[i]) ? Double.isNaN(got[i])
                    : Double.isInfinite(want[i]) ? got[i] == want[i]
                    : Math.abs(got[i] - want[i]) <= abs + rel * Math.abs(want[i]);
            if (!ok) throw new AssertionError(what + " (" + dt + "): element " + i + " is " + got[i] + ", want " + want[i]
                    + "\n got  " + Arrays.toString(got) + "\n want " + Arrays.toString(want));
        }
    }

    /** op on x in float32 and float64: its values, shape and dtype, and (unless null) the weighted gradient. */
    private static void check(String what, Function<Tensor, Tensor> op, double[] x, int[] shape, int[] outShape,
                              double[] want, double[] wantGrad) {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor in = leaf(x, dt, shape);
            Tensor out = op.apply(in);
            assertEquals(dt, out.dtype(), what);
            if (outShape != null) assertArrayEquals(outShape, out.shape().toArray(), what + ": shape " + out.shape());
            assertValues(want, out.toDoubleArray(), dt, what);
            if (wantGrad != null) {
                backwardWeighted(out);
                assertValues(wantGrad, in.grad().toDoubleArray(), dt, what + " gradient");
            }
        }
    }

    /** As {@link #check} for ops returning values and int64 indices. */
    private static void checkPair(String what, Function<Tensor, ValuesIndices> op, double[] x, int[] shape,
                                  double[] values, double[] indices, double[] grad) {
        for (DType dt : new DType[]{DType.FLOAT32, DType.FLOAT64}) {
            Tensor in = leaf(x, dt, shape);
            ValuesIndices r = op.apply(in);
            assertEquals(dt, r.values().dtype(), what);
            assertEquals(DType.INT64, r.indices().dtype(), what);
            assertEquals(r.values().shape(), r.indices().shape(), what);
            assertValues(values, r.values().toDoubleArray(), dt, what + " values");
            assertArrayEquals(indices, r.indices().toDoubleArray(), 0, what + " indices");
            backwardWeighted(r.values());
            assertValues(grad, in.grad().toDoubleArray(), dt, what + " gradient");
        }
    }

    private static Tensor random64(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64).requiresGrad(true);
    }

    private static void gradCheck(Function<Tensor, Tensor> f, Tensor x) {
        GradCheck.check(in -> f.apply(in[0]), x).assertPassed();
    }

    private static void assertRefused(Executable code, String... parts) {
        Exception e = assertThrows(RuntimeException.class, code);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message \"" + e.getMessage() + "\" should mention " + p);
    }

    // ---------------------------------------------------------------- over several dims

    @Test
    void sumAndMeanOverSeveralDims() {
        check("sum [0, 2] keepDim", x -> x.sum(new int[]{0, 2}, true), X, XS, new int[]{1, 3, 1}, SUM_D02_KEEP, SUM_D02_KEEP_GRAD);
        check("sum [-1, 0]", x -> x.sum(new int[]{-1, 0}, false), X, XS, new int[]{3}, SUM_DM1_D0, SUM_DM1_D0_GRAD);
        check("sum [] (all)", x -> x.sum(new int[0], false), X, XS, new int[0], SUM_ALL_DIMS, SUM_ALL_DIMS_GRAD);
        check("mean [1, 2]", x -> x.mean(new int[]{1, 2}, false), X, XS, new int[]{2}, MEAN_D12, MEAN_D12_GRAD);
        // an empty dim: sums are 0 and means NaN (0 / 0), as in PyTorch
        Tensor empty = Tensor.zeros(DType.FLOAT64, 2, 0, 3);
        assertArrayEquals(new double[]{0, 0, 0, 0, 0, 0}, empty.sum(new int[]{1}, false).toDoubleArray());
        assertArrayEquals(new double[]{0, 0}, empty.sum(new int[]{1, 2}, false).toDoubleArray());
        assertArrayEquals(new double[]{NAN, NAN}, empty.mean(new int[]{2, 1}, false).toDoubleArray());
        // a rank-0 tensor reduces over dim 0 or -1 to itself
        assertEquals(2.5, Tensor.scalar(2.5).sum(new int[]{-1}, false).item());
        assertEquals(0, Tensor.scalar(2.5).amax(new int[]{0}, true).dim());
    }

    @Test
    void amaxAndAminShareTheGradientAmongTies() {
        check("amax [0, 2]", x -> x.amax(new int[]{0, 2}, false), X, XS, new int[]{3}, AMAX_D02, AMAX_D02_GRAD);
        check("amax [-1] keepDim", x -> x.amax(new int[]{-1}, true), X, XS, new int[]{2, 3, 1}, AMAX_DM1_KEEP, AMAX_DM1_KEEP_GRAD);
        check("amax", Tensor::amax, X, XS, new int[0], AMAX_ALL, AMAX_ALL_GRAD);
        check("amin [1]", x -> x.amin(new int[]{1}, false), X, XS, new int[]{2, 4}, AMIN_D1, AMIN_D1_GRAD);
        check("amin [1, 2]", x -> x.amin(new int[]{1, 2}, false), X, XS, new int[]{2}, AMIN_D12, AMIN_D12_GRAD);
        // NaN wins, and then no element equals the result: PyTorch's gradient is NaN along that reduction
        check("amax [1] with NaN", x -> x.amax(new int[]{1}, false), XN, XNS, new int[]{2}, NAN_AMAX_D1, NAN_AMAX_D1_GRAD);
        check("amax [0] with NaN", x -> x.amax(new int[]{0}, false), XN, XNS, new int[]{4}, NAN_AMAX_D0, NAN_AMAX_D0_GRAD);
        // integers reduce too, keeping their dtype
        Tensor ints = Tensor.of(new long[]{3, -1, 7, 7}, 2, 2);
        assertArrayEquals(new long[]{3, 7}, ints.amax(new int[]{1}, false).toLongArray());
        assertArrayEquals(new long[]{-1}, ints.amin(new int[]{0, 1}, true).reshape(-1).toLongArray());
        assertEquals(DType.INT64, ints.amax().dtype());
    }

    @Test
    void varAndStdWithACorrection() {
        check("var [1, 2] correction 0", x -> x.var(new int[]{1, 2}, 0, false), X, XS, new int[]{2}, VAR_D12_C0, VAR_D12_C0_GRAD);
        check("var [1, 2] correction 1", x -> x.var(new int[]{1, 2}, 1, false), X, XS, new int[]{2}, VAR_D12_C1, VAR_D12_C1_GRAD);
        check("var [2] correction 2 keepDim", x -> x.var(new int[]{2}, 2, true), X, XS, new int[]{2, 3, 1}, VAR_D2_C2_KEEP, VAR_D2_C2_KEEP_GRAD);
        check("var (all) correction 1", x -> x.var(null, 1, false), X, XS, new int[0], VAR_ALL_C1, VAR_ALL_C1_GRAD);
        check("std [0]", x -> x.std(new int[]{0}, 1, false), X, XS, new int[]{3, 4}, STD_D0_C1, STD_D0_C1_GRAD);
        check("std [1, 2] correction 0 keepDim", x -> x.std(new int[]{1, 2}, 0, true), X, XS, new int[]{2, 1, 1}, STD_D12_C0_KEEP, STD_D12_C0_KEEP_GRAD);
        // no degrees of freedom left: inf, as PyTorch (which warns); NaN where every deviation is 0
        check("var [0] correction 2 (n = 2)", x -> x.var(new int[]{0}, 2, false), X, XS, new int[]{3, 4}, VAR_D0_C2, null);
        assertTrue(Double.isNaN(Tensor.ones(DType.FLOAT64, 3).var(null, 3, false).item()));
        Tensor v = Tensor.of(new double[]{1, 2, 4}, 3);
        assertEquals(v.var().item(), v.var(null, 1, false).item(), 1e-15);
        assertEquals(Math.sqrt(v.var().item()), v.std().item(), 1e-15);
        assertEquals(Math.sqrt(v.var().item()), v.std(0, false).item(), 1e-15);
    }

    // ---------------------------------------------------------------- prod and norm

    @Test
    void prodWithZerosInTheInput() {
        // rows along dim 2 hold no zero, one zero and two zeros
        check("prod dim 2", x -> x.prod(2, false), X, XS, new int[]{2, 3}, PROD_D2, PROD_D2_GRAD);
        check("prod dim 1 keepDim", x -> x.prod(1, true), X, XS, new int[]{2, 1, 4}, PROD_D1_KEEP, PROD_D1_KEEP_GRAD);
        check("prod dim 0", x -> x.prod(0, false), X, XS, new int[]{3, 4}, PROD_D0, PROD_D0_GRAD);
        check("prod", Tensor::prod, X, XS, new int[0], PROD_ALL, PROD_ALL_GRAD);
        assertEquals(1.0, Tensor.zeros(DType.FLOAT64, 0).prod().item());
        assertArrayEquals(new double[]{1, 1}, Tensor.zeros(2, 0).prod(1, false).toDoubleArray());
        Tensor ints = Tensor.of(new int[]{2, 3, -4}, 3);
        assertEquals(DType.INT64, ints.prod().dtype(), "int32 multiplies as int64, as in PyTorch");
        assertEquals(-24, ints.prod().toLongArray()[0]);
    }

    @Test
    void normsWithSubgradientZeroAtZero() {
        check("norm 1 [2]", x -> x.norm(1, new int[]{2}, false), X, XS, new int[]{2, 3}, NORM1_D2, NORM1_D2_GRAD);
        check("norm 2 [1, 2]", x -> x.norm(2, new int[]{1, 2}, false), X, XS, new int[]{2}, NORM2_D12, NORM2_D12_GRAD);
        check("norm inf [2]", x -> x.norm(Double.POSITIVE_INFINITY, new int[]{2}, false), X, XS, new int[]{2, 3}, NORMINF_D2, NORMINF_D2_GRAD);
        check("norm -inf [1]", x -> x.norm(Double.NEGATIVE_INFINITY, new int[]{1}, false), X, XS, new int[]{2, 4}, NORMNEGINF_D1, NORMNEGINF_D1_GRAD);
        check("norm fro", x -> x.norm("fro", null, false), X, XS, new int[0], NORMFRO_ALL, NORMFRO_ALL_GRAD);
        check("norm()", Tensor::norm, X, XS, new int[0], NORMFRO_ALL, NORMFRO_ALL_GRAD);
        // PyTorch: the gradient of every norm of a zero vector is 0, not NaN
        for (double p : new double[]{1, 2, Double.POSITIVE_INFINITY}) {
            Tensor z = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
            z.norm(p).backward();
            assertArrayEquals(new double[]{0, 0, 0}, z.grad().toDoubleArray(), 0, "norm " + p + " at 0");
        }
        Tensor z = Tensor.zeros(DType.FLOAT64, 2, 2).requiresGrad(true);
        z.norm(2, new int[]{1}, true).sum().backward();
        assertArrayEquals(new double[]{0, 0, 0, 0}, z.grad().toDoubleArray(), 0);
    }

    // ---------------------------------------------------------------- scans

    @Test
    void cumulativeSumsProductsAndLogSumExps() {
        check("cumsum 1", x -> x.cumsum(1), X, XS, XS, CUMSUM_D1, CUMSUM_D1_GRAD);
        check("cumsum -1", x -> x.cumsum(-1), X, XS, XS, CUMSUM_DM1, CUMSUM_DM1_GRAD);
        check("cumprod 2 (zeros)", x -> x.cumprod(2), X, XS, XS, CUMPROD_D2, CUMPROD_D2_GRAD);
        check("cumprod 1 (zeros)", x -> x.cumprod(1), X, XS, XS, CUMPROD_D1, CUMPROD_D1_GRAD);
        check("logcumsumexp 2", x -> x.logcumsumexp(2), X, XS, XS, LOGCUMSUMEXP_D2, LOGCUMSUMEXP_D2_GRAD);
        check("logcumsumexp 0", x -> x.logcumsumexp(0), X, XS, XS, LOGCUMSUMEXP_D0, LOGCUMSUMEXP_D0_GRAD);
        // integers scan as int64 (int32 and bool widen, as in PyTorch)
        Tensor ints = Tensor.of(new int[]{1, 2, 3, 4}, 4);
        assertEquals(DType.INT64, ints.cumsum(0).dtype());
        assertArrayEquals(new long[]{1, 3, 6, 10}, ints.cumsum(0).toLongArray());
        assertArrayEquals(new long[]{1, 2, 6, 24}, ints.cumprod(0).toLongArray());
        assertArrayEquals(new long[]{1, 1, 2}, Tensor.of(new boolean[]{true, false, true}, 3).cumsum(0).toLongArray());
        // large inputs do not overflow
        double[] big = Tensor.of(new double[]{1000, 1000, -1000}, 3).logcumsumexp(0).toDoubleArray();
        assertArrayEquals(new double[]{1000, 1000 + Math.log(2), 1000 + Math.log(2)}, big, 1e-12);
        // a rank-0 tensor scans to itself; an empty dim stays empty
        assertEquals(2.5, Tensor.scalar(2.5).cumsum(0).item());
        assertArrayEquals(new int[]{2, 0}, Tensor.zeros(2, 0).cumprod(1).shape().toArray());
    }

    // ---------------------------------------------------------------- sorting

    @Test
    void sortIsStableAndPutsNaNLast() {
        checkPair("sort 2", x -> x.sort(2, false, true), X, XS, SORT_D2_VALUES, SORT_D2_INDICES, SORT_D2_GRAD);
        checkPair("sort 1 descending", x -> x.sort(1, true, true), X, XS, SORT_D1_DESC_VALUES, SORT_D1_DESC_INDICES, SORT_D1_DESC_GRAD);
        checkPair("sort with NaN", x -> x.sort(1, false, true), XN, XNS, NAN_SORT_D1_VALUES, NAN_SORT_D1_INDICES, NAN_SORT_D1_GRAD);
        checkPair("sort with NaN descending", x -> x.sort(1, true, true), XN, XNS, NAN_SORT_D1_DESC_VALUES, NAN_SORT_D1_DESC_INDICES, NAN_SORT_D1_DESC_GRAD);
        Tensor x = Tensor.of(X, XS);
        assertArrayEquals(ARGSORT_D0_DESC, x.argsort(0, true, true).toDoubleArray(), 0);
        assertArrayEquals(SORT_D2_INDICES, x.argsort().toDoubleArray(), 0);
        assertArrayEquals(SORT_D2_VALUES, x.sort().values().toDoubleArray(), 0);
        // integers and bools keep their dtype
        Tensor ints = Tensor.of(new int[]{3, -1, 3, 0}, 4);
        ValuesIndices r = ints.sort(0, true, true);
        assertEquals(DType.INT32, r.values().dtype());
        assertArrayEquals(new long[]{3, 3, 0, -1}, r.values().toLongArray());
        assertArrayEquals(new long[]{0, 2, 3, 1}, r.indices().toLongArray());
        Tensor bools = Tensor.of(new boolean[]{true, false, true}, 3);
        assertArrayEquals(new boolean[]{false, true, true}, bools.sort().values().toBooleanArray());
        assertArrayEquals(new long[]{1, 0, 2}, bools.argsort().toLongArray());
        // empty and rank-0 inputs
        ValuesIndices none = Tensor.zeros(2, 0).sort(1, false, true);
        assertArrayEquals(new int[]{2, 0}, none.values().shape().toArray());
        assertArrayEquals(new int[]{2, 0}, none.indices().shape().toArray());
        ValuesIndices one = Tensor.scalar(3.0).sort(0, true, true);
        assertEquals(3.0, one.values().item());
        assertEquals(0, one.indices().toLongArray()[0]);
        assertEquals(0, one.indices().dim());
    }

    @Test
    void topkTakesTheLargestOrSmallest() {
        checkPair("topk 2 dim 2", x -> x.topk(2, 2, true, true), X, XS, TOPK2_D2_VALUES, TOPK2_D2_INDICES, TOPK2_D2_GRAD);
        checkPair("topk 3 dim 1 smallest", x -> x.topk(3, 1, false, true), X, XS, TOPK3_D1_SMALLEST_VALUES, TOPK3_D1_SMALLEST_INDICES, TOPK3_D1_SMALLEST_GRAD);
        checkPair("topk with NaN", x -> x.topk(2), XN, XNS, NAN_TOPK2_VALUES, NAN_TOPK2_INDICES, NAN_TOPK2_GRAD);
        checkPair("topk smallest with NaN", x -> x.topk(2, -1, false, false), XN, XNS, NAN_TOPK2_SMALLEST_VALUES, NAN_TOPK2_SMALLEST_INDICES, NAN_TOPK2_SMALLEST_GRAD);
        // PyTorch's topk values (its own kernel, not a sort) are the same numbers
        Tensor x = Tensor.of(X, XS);
        double[] both = new double[TOPK_CHECK.length];
        System.arraycopy(x.topk(2, 2, true, true).values().toDoubleArray(), 0, both, 0, 12);
        System.arraycopy(x.topk(3, 1, false, true).values().toDoubleArray(), 0, both, 12, 24);
        assertArrayEquals(TOPK_CHECK, both, 0);
        assertArrayEquals(new int[]{2, 3, 0}, x.topk(0, 2, true, true).values().shape().toArray());
        ValuesIndices ints = Tensor.of(new int[]{3, 1, 2, 3}, 4).topk(3);
        assertEquals(DType.INT32, ints.values().dtype());
        assertArrayEquals(new long[]{3, 3, 2}, ints.values().toLongArray());
        assertArrayEquals(new long[]{0, 3, 2}, ints.indices().toLongArray());
    }

    @Test
    void maxAndMinAlongADimReturnIndices() {
        checkPair("max dim 2", x -> x.maxWithIndices(2, false), X, XS, MAX_D2_VALUES, MAX_D2_INDICES, MAX_D2_GRAD);
        checkPair("min dim 1 keepDim", x -> x.minWithIndices(1, true), X, XS, MIN_D1_KEEP_VALUES, MIN_D1_KEEP_INDICES, MIN_D1_KEEP_GRAD);
        checkPair("max with NaN", x -> x.maxWithIndices(1, false), XN, XNS, NAN_MAX_D1_VALUES, NAN_MAX_D1_INDICES, NAN_MAX_D1_GRAD);
        assertArrayEquals(new int[]{2, 1, 4}, Tensor.of(X, XS).minWithIndices(1, true).indices().shape().toArray());
    }

    // ---------------------------------------------------------------- any, all, countNonzero

    @Test
    void anyAllAndCountNonzero() {
        Tensor x = Tensor.of(X, XS);
        assertEquals(DType.INT64, x.countNonzero().dtype());
        assertArrayEquals(COUNT_NONZERO, x.countNonzero().reshape(-1).toDoubleArray(), 0);
        assertArrayEquals(COUNT_NONZERO_D2, x.countNonzero(2).toDoubleArray(), 0);
        assertArrayEquals(COUNT_NONZERO_D02, x.countNonzero(0, 2).toDoubleArray(), 0);
        Tensor all = x.all(2, false);
        assertEquals(DType.BOOL, all.dtype());
        assertArrayEquals(ALL_D2, all.toDoubleArray(), 0);
        Tensor any = x.mul(x.gt(2.0)).any(1, true);
        assertEquals(DType.BOOL, any.dtype());
        assertArrayEquals(new int[]{2, 1, 4}, any.shape().toArray());
        assertArrayEquals(ANY_D1_KEEP, any.toDoubleArray(), 0);
        // NaN is non-zero; nothing along a dim: any is false, all is true (as PyTorch)
        Tensor nan = Tensor.of(new double[]{0, NAN}, 2);
        assertTrue(nan.any().toBooleanArray()[0]);
        assertEquals(false, nan.all().toBooleanArray()[0]);
        assertArrayEquals(new boolean[]{false, false}, Tensor.zeros(2, 0).any(1, false).toBooleanArray());
        assertArrayEquals(new boolean[]{true, true}, Tensor.zeros(2, 0).all(1, false).toBooleanArray());
        assertTrue(Tensor.zeros(0).all().toBooleanArray()[0]);
        // integers and bools
        assertArrayEquals(new long[]{1, 2}, Tensor.of(new long[]{0, 5, 7, -1}, 2, 2).countNonzero(1).toLongArray());
        assertArrayEquals(new boolean[]{false, true}, Tensor.of(new boolean[]{true, false, true, true}, 2, 2).all(1, false).toBooleanArray());
    }

    // ---------------------------------------------------------------- float64 GradCheck

    @Test
    void gradCheckEveryDifferentiableOp() {
        gradCheck(x -> x.sum(new int[]{0, 2}, false), random64(1, 2, 3, 4));
        gradCheck(x -> x.mean(new int[]{-1, 1}, true), random64(2, 2, 3, 4));
        gradCheck(x -> x.amax(new int[]{1, 2}, false), random64(3, 2, 3, 4));
        gradCheck(x -> x.amin(new int[]{0}, true), random64(4, 2, 3, 4));
        gradCheck(x -> x.var(new int[]{0, 2}, 1, false), random64(5, 2, 3, 4));
        gradCheck(x -> x.var(null, 0, false), random64(6, 3, 4));
        gradCheck(x -> x.std(new int[]{1}, 2, true), random64(7, 2, 5));
        gradCheck(x -> x.prod(1, false), random64(8, 3, 4));
        gradCheck(Tensor::prod, random64(9, 2, 3));
        gradCheck(x -> x.norm(1, new int[]{1}, false), random64(10, 3, 4));
        gradCheck(x -> x.norm(2, new int[]{0, 1}, true), random64(11, 3, 4));
        gradCheck(x -> x.norm(Double.POSITIVE_INFINITY, new int[]{1}, false), random64(12, 3, 4));
        gradCheck(x -> x.norm("fro", null, false), random64(13, 3, 4));
        gradCheck(x -> x.cumsum(1), random64(14, 3, 4));
        gradCheck(x -> x.cumprod(0), random64(15, 4, 3));
        gradCheck(x -> x.logcumsumexp(1), random64(16, 3, 5));
        gradCheck(x -> x.sort(1, true, true).values(), random64(17, 3, 5));
        gradCheck(x -> x.topk(2, 0, false, true).values(), random64(18, 4, 3));
        gradCheck(x -> x.maxWithIndices(1, false).values(), random64(19, 3, 4));
        gradCheck(x -> x.minWithIndices(0, true).values(), random64(20, 3, 4));
        // products and cumulative products with exact zeros (one and two per row): the analytic gradients hold there
        double[] zeros = {0, 1.5, -2, 0.7, 0, 3, 0, 1.1, 2, -0.5, 1.3, 0};
        gradCheck(x -> x.prod(1, false), Tensor.of(zeros, 3, 4).requiresGrad(true));
        gradCheck(x -> x.cumprod(1), Tensor.of(zeros, 3, 4).requiresGrad(true));
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void badInputIsRefusedNamingTheOp() {
        Tensor x = Tensor.of(X, XS);
        assertRefused(() -> x.sum(new int[]{0, 3}, false), "sum", "3", "[2, 3, 4]");
        assertRefused(() -> x.sum(new int[]{1, -2}, false), "sum", "more than once", "[2, 3, 4]");
        assertRefused(() -> x.amax(new int[]{-4}, false), "amax", "-4");
        assertRefused(() -> Tensor.zeros(2, 0).amax(new int[]{1}, false), "amax", "[2, 0]", "empty");
        assertRefused(() -> Tensor.of(new long[]{1, 2}, 2).mean(new int[]{0}, false), "mean", "int64");
        assertRefused(() -> Tensor.of(new long[]{1, 2}, 2).var(null, 1, false), "var", "int64");
        assertRefused(() -> x.var(null, -1, false), "var", "correction");
        assertRefused(() -> Tensor.of(new long[]{1, 2}, 2).std(), "std", "int64");
        assertRefused(() -> x.prod(3, false), "prod", "3");
        assertRefused(() -> x.norm(3), "norm", "p = 3", "[2, 3, 4]");
        assertRefused(() -> x.norm("nuc", null, false), "norm", "nuc");
        assertRefused(() -> Tensor.of(new long[]{1, 2}, 2).norm(), "norm", "int64");
        assertRefused(() -> x.cumsum(3), "cumsum", "3", "[2, 3, 4]");
        assertRefused(() -> x.cumprod(-4), "cumprod", "-4");
        assertRefused(() -> Tensor.of(new long[]{1, 2}, 2).logcumsumexp(0), "logcumsumexp", "int64");
        assertRefused(() -> x.sort(3, false, true), "sort", "3");
        assertRefused(() -> x.argsort(-4, false, true), "sort", "-4");
        assertRefused(() -> x.topk(5, 2, true, true), "topk", "k = 5", "size 4", "[2, 3, 4]");
        assertRefused(() -> x.topk(-1, 2, true, true), "topk", "k = -1");
        assertRefused(() -> x.topk(1, 3, true, true), "topk", "3");
        assertRefused(() -> x.maxWithIndices(3, false), "max", "3");
        assertRefused(() -> Tensor.zeros(2, 0).minWithIndices(1, false), "min", "empty");
        assertRefused(() -> x.any(3, false), "any", "3");
        assertRefused(() -> x.all(-4, true), "all", "-4");
        assertRefused(() -> x.countNonzero(0, 0), "sum", "more than once");
    }
}
