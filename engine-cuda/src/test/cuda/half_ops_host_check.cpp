// Runs the native float16/bfloat16 kernels of half_ops.cu on the host (scripts/check-half-host.sh builds and runs it,
// after half_host_check) against the float32 kernels they are instantiated from. For every kernel the half kernel's
// output must be, bit for bit, the float32 kernel's output on the widened inputs rounded once to the half type: what
// the backend computes through io.jgrad.spi.HalfOperands (widen with half.cu's copies, run the float32 kernel, round
// once). The widening and rounding are half.cuh's, which half_host_check proves equal to io.jgrad.HalfFloat over every
// pattern. Inputs: every bit pattern for the unary ops; random bit patterns (NaNs, infinities, subnormals), normal
// values and a small set of special values for the rest; dense, transposed and broadcast layouts; the reductions in
// each of their strategies (a thread or a block per output, split axes; CudaBackend.reduce's choice, replayed here)
// with real warp shuffles (host_shim.h). The fused GELU backward is also checked against the three float32 and float64
// kernels it replaces (Backend.geluBackward's default). This checks the kernels' source, not the GPU's arithmetic.
#include "host_shim.h"
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

inline float __uint_as_float(unsigned v) { float f; std::memcpy(&f, &v, 4); return f; }
inline unsigned __float_as_uint(float f) { unsigned v; std::memcpy(&v, &f, 4); return v; }
inline long long min(long long a, long long b) { return a < b ? a : b; }

#include "elementwise.cu"
#include "reduce.cu"
#include "half_ops.cu"

static int failures = 0;
static long long checked = 0;
static ErrorInfo errorSlot;

// ---- launching ----

// A single CUDA thread: its grid-stride loop visits every element (or output) in order.
template <typename Args>
static void run(void (*kernel)(const Args), const Args& A) {
    gridDim.x = blockDim.x = 1;
    blockIdx.x = 0;
    threadIdx.x = 0;
    kernel(A);
}

// Axes innermost first, as Layout stores them; strides[k] for operand k.
static Layout layout(std::vector<int> shape, std::vector<std::vector<i64>> strides) {
    Layout L;
    std::memset(&L, 0, sizeof L);
    L.rank = (int) shape.size();
    L.n = 1;
    for (int d = 0; d < L.rank; d++) {
        L.shape[d] = shape[d];
        L.n *= shape[d];
        for (size_t k = 0; k < strides.size(); k++) L.stride[k][d] = strides[k][d];
    }
    return L;
}

static Layout dense(i64 n, int operands) {
    return layout({(int) n}, std::vector<std::vector<i64>>(operands, {1}));
}

static u64 addr(const void* p) { return (u64) p; }

// ---- values ----

template <typename H>
static std::vector<float> widen(const std::vector<u16>& h) {
    std::vector<float> f(h.size());
    for (size_t i = 0; i < h.size(); i++) f[i] = H::widen(h[i]);
    return f;
}

template <typename H>
static std::vector<u16> narrow(const std::vector<float>& f) {
    std::vector<u16> h(f.size());
    for (size_t i = 0; i < f.size(); i++) h[i] = H::narrow(f[i]);
    return h;
}

enum Mix { BITS_AND_NORMALS, NORMALS, SPECIALS };

// n half values: random bit patterns (a quarter of them) and normal values of this scale; only normals; or a small
// set of specials (zeros of both signs, infinities, a quiet and a signalling NaN, small integers and halves), so that
// equal operands, 0/0, inf - inf and division by zero all occur.
template <typename H>
static std::vector<u16> values(size_t n, Mix mix, double scale, std::mt19937_64& rng) {
    static const float special[] = {0.0f, -0.0f, 1.0f, -1.0f, 2.0f, -2.0f, 0.5f, -0.5f, 3.0f, -3.0f, 1.5f, 7.0f,
                                    INFINITY, -INFINITY, NAN};
    std::normal_distribution<double> normal(0.0, scale);
    std::vector<u16> v(n);
    for (size_t i = 0; i < n; i++) {
        if (mix == SPECIALS) {
            size_t k = rng() % (sizeof special / sizeof special[0] + 1);
            // the extra slot is a signalling NaN's bits, which pass through float as a quiet NaN
            v[i] = k == sizeof special / sizeof special[0] ? (std::is_same<H, F16>::value ? 0x7c01 : 0x7f81)
                                                           : H::narrow(special[k]);
        } else if (mix == BITS_AND_NORMALS && rng() % 4 == 0) {
            v[i] = (u16) rng();
        } else {
            v[i] = H::narrow((float) normal(rng));
        }
    }
    return v;
}

// ---- comparing ----

static bool isNaN(float v) { return v != v; }
static bool isNaN(double v) { return v != v; }
template <typename H> static bool isNaN(u16 h) { return H::widen(h) != H::widen(h); }

// Bit for bit; with anyNaN, any NaN matches any NaN. That is for results of arithmetic on a NaN: x86 passes on an
// operand's sign and payload, and which operand is the compiler's choice (a * b or b * a), while the GPU writes its
// canonical NaN, so only the NaN itself is the kernels' to decide. Values that pass through (where, ReLU's backward,
// max, a NaN's negation) are compared bit for bit.
template <typename T, typename IsNaN>
static void expectSame(const std::string& what, const std::vector<T>& got, const std::vector<T>& want, IsNaN anyNaN) {
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < want.size(); i++) {
        if (std::memcmp(&got[i], &want[i], sizeof(T)) != 0 && !(anyNaN && anyNaN(got[i]) && anyNaN(want[i])) && bad++ == 0) {
            first = i;
        }
    }
    checked += (long long) want.size();
    if (bad == 0) return;
    failures++;
    unsigned long long g = 0, w = 0;
    std::memcpy(&g, &got[first], sizeof(T));
    std::memcpy(&w, &want[first], sizeof(T));
    std::printf("FAIL %s: %zu of %zu differ; first at %zu: got 0x%llx, want 0x%llx\n", what.c_str(), bad, want.size(), first,
                g, w);
}

template <typename T>
static void expectSame(const std::string& what, const std::vector<T>& got, const std::vector<T>& want) {
    expectSame(what, got, want, (bool (*)(T)) nullptr);
}

static int failuresBefore = 0;

static void report(const char* what, long long before) {
    std::printf("%s %-52s %lld values\n", failures > failuresBefore ? "FAIL" : "ok  ", what, checked - before);
    failuresBefore = failures;
}

// ---- the kernels of one half type ----

struct HalfKernels {
    const char* name;
    void (*unary)(const UnaryArgs);
    void (*binary)(const BinaryArgs);
    void (*binaryBool)(const BinaryArgs);
    void (*reluBackward)(const ReluBackwardArgs);
    void (*geluBackward)(const GeluBackwardArgs);
    void (*where)(const WhereArgs);
    void (*biasAct)(const BiasActArgs);
    void (*reduceBlock)(const ReduceArgs);
    void (*reduceThread)(const ReduceArgs);
    void (*reduceFinish)(const ReduceArgs);
    void (*softmax)(const SoftmaxArgs);
    int dtypeCode;
};

static const HalfKernels F16_KERNELS = {"float16", unary_f16, binary_f16_f16, binary_f16_bool, relu_backward_f16,
                                        gelu_backward_f16, where_f16, bias_act_f16, reduce_block_f16, reduce_thread_f16,
                                        reduce_finish_f16, softmax_f16, DT_F16};
static const HalfKernels BF16_KERNELS = {"bfloat16", unary_bf16, binary_bf16_bf16, binary_bf16_bool, relu_backward_bf16,
                                         gelu_backward_bf16, where_bf16, bias_act_bf16, reduce_block_bf16, reduce_thread_bf16,
                                         reduce_finish_bf16, softmax_bf16, DT_BF16};

static const u16 UNWRITTEN = 0x3555;  // what out holds before a kernel: a normal number in both types, exact in float

// ---- unary: every bit pattern, every op, dense and transposed ----

template <typename H>
static void checkUnary(const HalfKernels& K) {
    long long before = checked;
    std::vector<u16> in(65536);
    for (int i = 0; i < 65536; i++) in[i] = (u16) i;
    std::vector<float> inF = widen<H>(in);
    // dense, and a transposed read of a 256 x 256 matrix into a dense one
    std::vector<Layout> layouts = {dense(65536, 2), layout({256, 256}, {{1, 256}, {256, 1}})};
    for (int op = 0; op <= U_COSH; op++) {
        double a = op == U_POW ? 3 : op == U_CLAMP || op == U_HARDTANH ? -0.5 : op == U_SOFTPLUS || op == U_ELU ? 1
                 : op == U_LEAKY_RELU ? 0.01 : 1.5;
        double b = op == U_CLAMP || op == U_HARDTANH ? 0.75 : op == U_SOFTPLUS ? 20 : -0.25;
        for (const Layout& L : layouts) {
            std::vector<u16> out(65536, UNWRITTEN);
            std::vector<float> outF(65536, H::widen(UNWRITTEN));
            UnaryArgs A{L, addr(out.data()), addr(in.data()), a, b, op, 0};
            run(K.unary, A);
            A.out = addr(outF.data());
            A.in = addr(inF.data());
            run(unary_f32, A);
            expectSame(std::string("unary ") + K.name + " op " + std::to_string(op), out, narrow<H>(outF));
        }
    }
    report((std::string("unary ") + K.name + " (45 ops, every pattern)").c_str(), before);
}

// ---- binary: x transposed [r, c], y broadcast along the rows; half and bool outputs ----

template <typename H>
static void checkBinary(const HalfKernels& K, std::mt19937_64& rng) {
    long long before = checked;
    const int R = 257, C = 389;
    // (r, c) is the row-major element; innermost axis first: c then r
    Layout L = layout({C, R}, {{1, C}, {R, 1}, {1, 0}});  // out dense, x stored [c][r], y [c] broadcast
    for (Mix mix : {BITS_AND_NORMALS, SPECIALS}) {
        std::vector<u16> x = values<H>((size_t) R * C, mix, 2, rng), y = values<H>(C, mix, 2, rng);
        std::vector<float> xF = widen<H>(x), yF = widen<H>(y);
        for (int op = 0; op <= B_FMOD; op++) {
            std::vector<u16> out(R * C, UNWRITTEN);
            std::vector<float> outF(R * C);
            BinaryArgs A{L, addr(out.data()), addr(x.data()), addr(y.data()), addr(&errorSlot), op, 0};
            run(K.binary, A);
            BinaryArgs F{L, addr(outF.data()), addr(xF.data()), addr(yF.data()), addr(&errorSlot), op, 0};
            run(binary_f32_f32, F);
            expectSame(std::string("binary ") + K.name + " op " + std::to_string(op), out, narrow<H>(outF));
            std::vector<u8> outB(R * C, 7), outBF(R * C, 7);
            A.out = addr(outB.data());
            run(K.binaryBool, A);
            F.out = addr(outBF.data());
            run(binary_f32_bool, F);
            expectSame(std::string("binary to bool ") + K.name + " op " + std::to_string(op), outB, outBF);
        }
    }
    report((std::string("binary ") + K.name + " (19 ops, to half and bool)").c_str(), before);
}

// ---- ReLU backward, where, bias + activation ----

template <typename H>
static void checkReluWhereBias(const HalfKernels& K, std::mt19937_64& rng) {
    long long before = checked;
    const int R = 300, C = 211;
    for (Mix mix : {BITS_AND_NORMALS, SPECIALS}) {
        std::vector<u16> g = values<H>(R * C, mix, 1, rng), o = values<H>(R * C, mix, 1, rng);
        std::vector<float> gF = widen<H>(g), oF = widen<H>(o);
        // out dense, grad dense, output read transposed
        Layout L = layout({C, R}, {{1, C}, {1, C}, {R, 1}});
        std::vector<u16> out(R * C, UNWRITTEN);
        std::vector<float> outF(R * C);
        ReluBackwardArgs A{L, addr(out.data()), addr(g.data()), addr(o.data())};
        run(K.reluBackward, A);
        ReluBackwardArgs F{L, addr(outF.data()), addr(gF.data()), addr(oF.data())};
        run(relu_backward_f32, F);
        expectSame(std::string("reluBackward ") + K.name, out, narrow<H>(outF));

        // where: a bool condition, then a half one (zeros of both signs and NaN among its values) read as float32
        std::vector<u8> condB(R * C);
        for (auto& c : condB) c = (u8) (rng() & 1);
        std::vector<u16> condH = values<H>(R * C, SPECIALS, 1, rng);
        std::vector<float> condF = widen<H>(condH);
        Layout W = layout({C, R}, {{1, C}, {1, C}, {R, 1}, {1, 0}});  // y broadcast along the rows
        for (int halfCond = 0; halfCond < 2; halfCond++) {
            std::vector<u16> wOut(R * C, UNWRITTEN);
            std::vector<float> wOutF(R * C);
            WhereArgs WA{W, addr(wOut.data()), halfCond ? addr(condH.data()) : addr(condB.data()), addr(g.data()),
                         addr(o.data()), halfCond ? K.dtypeCode : DT_BOOL, 0};
            run(K.where, WA);
            WhereArgs WF{W, addr(wOutF.data()), halfCond ? addr(condF.data()) : addr(condB.data()), addr(gF.data()),
                         addr(oF.data()), halfCond ? DT_F32 : DT_BOOL, 0};
            run(where_f32, WF);
            expectSame(std::string("where ") + K.name + (halfCond ? " (half condition)" : ""), wOut, narrow<H>(wOutF));
        }

        // bias + activation: x [r, c], bias [c]
        std::vector<u16> bias = values<H>(C, mix, 1, rng);
        std::vector<float> biasF = widen<H>(bias);
        Layout B = layout({C, R}, {{1, C}, {1, C}, {1, 0}});
        for (int act : {(int) U_IDENTITY, (int) U_RELU, (int) U_GELU, (int) U_GELU_TANH, (int) U_TANH, (int) U_SIGMOID,
                        (int) U_SILU}) {
            std::vector<u16> bOut(R * C, UNWRITTEN);
            std::vector<float> bOutF(R * C);
            BiasActArgs BA{B, addr(bOut.data()), addr(g.data()), addr(bias.data()), act, 0};
            run(K.biasAct, BA);
            BiasActArgs BF{B, addr(bOutF.data()), addr(gF.data()), addr(biasF.data()), act, 0};
            run(bias_act_f32, BF);
            expectSame(std::string("biasActivation ") + K.name + " act " + std::to_string(act), bOut, narrow<H>(bOutF));
        }
    }
    report((std::string("reluBackward, where, biasActivation ") + K.name).c_str(), before);
}

// ---- GELU backward: the half kernel against the fused float32 one, and the fused kernels against the SPI default ----

// Backend.geluBackward's default on plain T buffers: gradX = x (+ bias); gradX = act'(gradX); gradX = gradX * grad.
template <typename T>
static std::vector<T> geluBackwardDefault(void (*binary)(const BinaryArgs), void (*unary)(const UnaryArgs), int R, int C,
                                          int act, const std::vector<T>& grad, const std::vector<T>& x, const T* bias) {
    std::vector<T> gx(R * C);
    Layout L = dense((i64) R * C, 3);
    if (bias) {
        BinaryArgs add{layout({C, R}, {{1, C}, {1, C}, {1, 0}}), addr(gx.data()), addr(x.data()), addr(bias), addr(&errorSlot),
                       B_ADD, 0};
        run(binary, add);
        UnaryArgs d{L, addr(gx.data()), addr(gx.data()), 0, 0, act, 0};
        run(unary, d);
    } else {
        UnaryArgs d{L, addr(gx.data()), addr(x.data()), 0, 0, act, 0};
        run(unary, d);
    }
    BinaryArgs mul{L, addr(gx.data()), addr(gx.data()), addr(grad.data()), addr(&errorSlot), B_MUL, 0};
    run(binary, mul);
    return gx;
}

template <typename T>
static std::vector<T> geluBackwardFused(void (*kernel)(const GeluBackwardArgs), int R, int C, int act, const std::vector<T>& grad,
                                        const std::vector<T>& x, const T* bias) {
    std::vector<T> gx(R * C);
    Layout L = layout({C, R}, {{1, C}, {1, C}, {1, C}, {1, bias ? 0 : C}});
    GeluBackwardArgs A{L, addr(gx.data()), addr(grad.data()), addr(x.data()), bias ? addr(bias) : addr(x.data()), act,
                       bias ? 1 : 0};
    run(kernel, A);
    return gx;
}

template <typename H>
static void checkGeluBackward(const HalfKernels& K, std::mt19937_64& rng) {
    long long before = checked;
    const int R = 150, C = 333;
    for (Mix mix : {BITS_AND_NORMALS, SPECIALS}) {
        std::vector<u16> g = values<H>(R * C, mix, 1, rng), x = values<H>(R * C, mix, 3, rng), b = values<H>(C, mix, 1, rng);
        std::vector<float> gF = widen<H>(g), xF = widen<H>(x), bF = widen<H>(b);
        std::vector<double> gD(gF.begin(), gF.end()), xD(xF.begin(), xF.end()), bD(bF.begin(), bF.end());
        for (int act : {(int) U_GELU_GRAD, (int) U_GELU_TANH_GRAD}) {
            for (int withBias = 0; withBias < 2; withBias++) {
                std::string what = std::string("geluBackward ") + (act == U_GELU_GRAD ? "erf" : "tanh") + (withBias ? " + bias" : "");
                std::vector<u16> got = geluBackwardFused<u16>(K.geluBackward, R, C, act, g, x, withBias ? b.data() : nullptr);
                std::vector<float> f = geluBackwardFused<float>(gelu_backward_f32, R, C, act, gF, xF, withBias ? bF.data() : nullptr);
                expectSame(what + " " + K.name, got, narrow<H>(f), isNaN<H>);
                expectSame(what + " float32 fused vs default", f,
                           geluBackwardDefault<float>(binary_f32_f32, unary_f32, R, C, act, gF, xF, withBias ? bF.data() : nullptr),
                           (bool (*)(float)) isNaN);
                std::vector<double> d = geluBackwardFused<double>(gelu_backward_f64, R, C, act, gD, xD, withBias ? bD.data() : nullptr);
                expectSame(what + " float64 fused vs default", d,
                           geluBackwardDefault<double>(binary_f64_f64, unary_f64, R, C, act, gD, xD, withBias ? bD.data() : nullptr),
                           (bool (*)(double)) isNaN);
            }
        }
    }
    report((std::string("geluBackward ") + K.name + " (and float32/64 vs default)").c_str(), before);
}

// ---- reductions over axis 1 of [outer, len, inner], with CudaBackend.reduce's choice of strategy ----

static i64 ceilDiv(i64 a, i64 b) { return (a + b - 1) / b; }

struct Strategy { bool threadPerOutput; i64 splits, chunk; int threads; };

// CudaBackend.reduce, for a GPU of `multiprocessors` SMs (132: an H100's)
static Strategy strategy(i64 outputs, i64 axisLength, i64 axisStride, i64 multiprocessors = 132) {
    Strategy s;
    s.threadPerOutput = axisLength <= 32 || (axisStride != 1 && outputs >= 2048);
    if (s.threadPerOutput) {
        i64 wanted = multiprocessors * 2048;
        s.splits = outputs < wanted && axisLength >= 256 ? min(ceilDiv(wanted, outputs), ceilDiv(axisLength, 64)) : 1;
        s.threads = 0;
    } else {
        i64 wanted = multiprocessors * 8;
        s.splits = outputs < wanted && axisLength >= 8192 ? min(ceilDiv(wanted, outputs), ceilDiv(axisLength, 4096)) : 1;
        s.threads = 256;
    }
    s.chunk = ceilDiv(axisLength, s.splits);
    s.splits = ceilDiv(axisLength, s.chunk);
    if (!s.threadPerOutput && s.chunk < 256) s.threads = (int) (ceilDiv(s.chunk, 32) * 32 < 32 ? 32 : ceilDiv(s.chunk, 32) * 32);
    return s;
}

static void reduceOnce(const Strategy& st, void (*block)(const ReduceArgs), void (*thread)(const ReduceArgs),
                       void (*finish)(const ReduceArgs), ReduceArgs R) {
    std::vector<Pair<double>> partial(st.splits > 1 ? R.L.n * st.splits : 1);
    R.partial = addr(partial.data());
    R.chunk = st.chunk;
    R.splits = (int) st.splits;
    if (st.threadPerOutput) run(thread, R);
    else host_launch(block, R, (int) min(R.L.n * st.splits, 3), st.threads);  // any grid: each block loops over outputs
    if (st.splits > 1) run(finish, R);
}

template <typename H>
static void checkReduce(const HalfKernels& K, std::mt19937_64& rng) {
    long long before = checked;
    struct Shape { int outer, len, inner; bool nans; const char* what; };
    const Shape shapes[] = {
        {5, 7, 3, false, "short strided axis: a thread per output"},
        {4, 300, 1, true, "a block of 256 per output"},
        {3, 100, 1, false, "a block of 128 per output"},
        {1, 20000, 1, false, "a long axis split over blocks, then finished"},
        {1, 1000, 50, false, "a strided axis, a block per output"},
        {2, 600, 2048, true, "a strided axis over many outputs, split over threads"},
    };
    for (const Shape& sh : shapes) {
        size_t n = (size_t) sh.outer * sh.len * sh.inner;
        std::vector<u16> in = values<H>(n, NORMALS, 1, rng);
        if (sh.nans) for (size_t i = 0; i < n; i += 997) in[i] = H::narrow(NAN);
        std::vector<float> inF = widen<H>(in);
        i64 outputs = (i64) sh.outer * sh.inner;
        Strategy st = strategy(outputs, sh.len, sh.inner);
        // over the outputs (inner, outer), innermost first: out dense [outer, inner], in strides (1, len * inner)
        Layout L = layout({sh.inner, sh.outer}, {{1, sh.inner}, {1, (i64) sh.len * sh.inner}});
        for (int op = 0; op <= R_ARGMIN; op++) {
            bool arg = op == R_ARGMAX || op == R_ARGMIN;
            std::vector<u16> out(outputs, UNWRITTEN);
            std::vector<float> outF(outputs);
            std::vector<i64> idx(outputs, -1), idxF(outputs, -1);
            ReduceArgs R{L, arg ? addr(idx.data()) : addr(out.data()), addr(in.data()), 0, sh.len, sh.inner, 0, op, 1};
            reduceOnce(st, K.reduceBlock, K.reduceThread, K.reduceFinish, R);
            ReduceArgs F{L, arg ? addr(idxF.data()) : addr(outF.data()), addr(inF.data()), 0, sh.len, sh.inner, 0, op, 1};
            reduceOnce(st, reduce_block_f32, reduce_thread_f32, reduce_finish_f32, F);
            std::string what = std::string("reduce ") + K.name + " op " + std::to_string(op) + ", " + sh.what;
            if (arg) expectSame(what, idx, idxF);
            else expectSame(what, out, narrow<H>(outF));
        }
    }
    // 4096 ones: a half accumulator would stop at 256 (bfloat16) or 2048 (float16)
    std::vector<u16> ones(4096, H::narrow(1.0f));
    u16 sum = 0;
    Strategy st = strategy(1, 4096, 1);
    ReduceArgs R{dense(1, 2), addr(&sum), addr(ones.data()), 0, 4096, 1, 0, R_SUM, 1};
    reduceOnce(st, K.reduceBlock, K.reduceThread, K.reduceFinish, R);
    expectSame(std::string("sum of 4096 ones ") + K.name, std::vector<u16>{sum}, std::vector<u16>{H::narrow(4096.0f)});
    report((std::string("reduce ") + K.name + " (5 ops, 6 shapes and strategies)").c_str(), before);
}

// ---- softmax and log-softmax: a warp per row ----

template <typename H>
static void checkSoftmax(const HalfKernels& K, std::mt19937_64& rng) {
    long long before = checked;
    struct Shape { int rows, len; bool transposed; };
    for (Shape sh : {Shape{37, 50, false}, Shape{5, 300, true}, Shape{64, 7, false}}) {
        size_t n = (size_t) sh.rows * sh.len;
        std::vector<u16> in = values<H>(n, NORMALS, 3, rng);
        in[3] = H::narrow(-INFINITY);
        if (sh.rows > 10) in[5 * sh.len + 1] = H::narrow(NAN), in[7 * sh.len + 2] = H::narrow(INFINITY);
        std::vector<float> inF = widen<H>(in);
        i64 inRow = sh.transposed ? 1 : sh.len, inAxis = sh.transposed ? sh.rows : 1;
        Layout L = layout({sh.rows}, {{sh.len}, {inRow}});
        for (int log = 0; log < 2; log++) {
            std::vector<u16> out(n, UNWRITTEN);
            std::vector<float> outF(n);
            SoftmaxArgs S{L, addr(out.data()), addr(in.data()), sh.len, 1, inAxis, log, 0};
            host_launch(K.softmax, S, 2, 64);
            SoftmaxArgs F{L, addr(outF.data()), addr(inF.data()), sh.len, 1, inAxis, log, 0};
            host_launch(softmax_f32, F, 2, 64);
            expectSame(std::string(log ? "logSoftmax " : "softmax ") + K.name, out, narrow<H>(outF));
        }
    }
    report((std::string("softmax, logSoftmax ") + K.name).c_str(), before);
}

template <typename H>
static void checkAll(const HalfKernels& K) {
    std::mt19937_64 rng(std::is_same<H, F16>::value ? 16 : 17);
    checkUnary<H>(K);
    checkBinary<H>(K, rng);
    checkReluWhereBias<H>(K, rng);
    checkGeluBackward<H>(K, rng);
    checkReduce<H>(K, rng);
    checkSoftmax<H>(K, rng);
}

int main() {
    checkAll<F16>(F16_KERNELS);
    checkAll<BF16>(BF16_KERNELS);
    if (failures) {
        std::printf("half_ops_host_check: %d FAILED\n", failures);
        return 1;
    }
    std::printf("half_ops_host_check: every half kernel is its float32 kernel rounded once (%lld values compared)\n", checked);
    return 0;
}
