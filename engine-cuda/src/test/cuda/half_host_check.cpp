// Runs the conversion kernels of half.cu on the host (scripts/check-half-host.sh builds and runs it) against the table
// HalfTable.java writes with io.jgrad.HalfFloat: every float16 and bfloat16 bit pattern widened to float32, to the
// other half type, int64, int32 and bool; a few million float32 values, 200,000 float64 and 100,000 int64/int32
// values narrowed to both half types; fill with the float64 values. Each kernel runs as one CUDA thread whose
// grid-stride loop covers all elements (host_shim.h), so this checks the device functions bit for bit and the
// kernels' indexing, not the GPU itself.
#include "host_shim.h"
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

inline float __uint_as_float(unsigned v) { float f; std::memcpy(&f, &v, 4); return f; }
inline unsigned __float_as_uint(float f) { unsigned v; std::memcpy(&v, &f, 4); return v; }

#include "half.cu"

static int failures = 0;
static FILE* table;

template <typename T>
static std::vector<T> read(size_t n) {
    std::vector<T> v(n);
    if (std::fread(v.data(), sizeof(T), n, table) != n) {
        std::printf("FAIL: the table ends early\n");
        std::exit(1);
    }
    return v;
}

static int readCount() { return read<int32_t>(1)[0]; }

// One launch: a single CUDA thread, so the grid-stride loop visits every element in order.
template <typename Args>
static void run(void (*kernel)(const Args), const Args& A) {
    gridDim.x = blockDim.x = 1;
    blockIdx.x = 0;
    threadIdx.x = 0;
    kernel(A);
}

static Layout dense(i64 n) {
    Layout L;
    std::memset(&L, 0, sizeof L);
    L.n = n;
    L.rank = 1;
    L.shape[0] = (int) n;
    for (int k = 0; k < JG_MAX_OPERANDS; k++) L.stride[k][0] = 1;
    return L;
}

template <typename TO, typename TI>
static std::vector<TO> copy(void (*kernel)(const CopyArgs), const std::vector<TI>& in) {
    std::vector<TO> out(in.size());
    CopyArgs A;
    A.L = dense((i64) in.size());
    A.out = (u64) out.data();
    A.in = (u64) in.data();
    run(kernel, A);
    return out;
}

template <typename T, typename I>
static void expectEqual(const char* what, const std::vector<T>& got, const std::vector<T>& want, const std::vector<I>& in) {
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < want.size(); i++) {
        if (std::memcmp(&got[i], &want[i], sizeof(T)) != 0 && bad++ == 0) first = i;
    }
    if (bad == 0) {
        std::printf("ok   %-34s %zu values\n", what, want.size());
        return;
    }
    failures++;
    unsigned long long g = 0, w = 0, x = 0;
    std::memcpy(&g, &got[first], sizeof(T));
    std::memcpy(&w, &want[first], sizeof(T));
    std::memcpy(&x, &in[first], sizeof(I));
    std::printf("FAIL %-34s %zu of %zu differ; first at %zu: input 0x%llx gives 0x%llx, HalfFloat 0x%llx\n", what, bad,
                want.size(), first, x, g, w);
}

typedef void (*CopyKernel)(const CopyArgs);

struct HalfKernels {
    const char* name;
    CopyKernel toF32, toF64, toI64, toI32, toBool, toOther, fromF32, fromF64, fromI64, fromI32, toSelf;
    void (*fill)(const FillArgs);
};

int main(int argc, char** argv) {
    if (argc != 2 || !(table = std::fopen(argv[1], "rb"))) {
        std::printf("usage: half_host_check <table from HalfTable.java>\n");
        return 2;
    }
    HalfKernels kinds[2] = {
        {"float16", copy_f32_f16, copy_f64_f16, copy_i64_f16, copy_i32_f16, copy_bool_f16, copy_bf16_f16,
         copy_f16_f32, copy_f16_f64, copy_f16_i64, copy_f16_i32, copy_f16_f16, fill_f16},
        {"bfloat16", copy_f32_bf16, copy_f64_bf16, copy_i64_bf16, copy_i32_bf16, copy_bool_bf16, copy_f16_bf16,
         copy_bf16_f32, copy_bf16_f64, copy_bf16_i64, copy_bf16_i32, copy_bf16_bf16, fill_bf16},
    };
    char what[80];

    // every bit pattern, widened
    std::vector<u16> patterns(65536);
    for (int h = 0; h < 65536; h++) patterns[h] = (u16) h;
    for (const HalfKernels& k : kinds) {
        std::vector<u32> f32 = read<u32>(65536);
        std::vector<u16> other = read<u16>(65536);
        std::vector<i64> i64s = read<i64>(65536);
        std::vector<int32_t> i32s = read<int32_t>(65536);
        std::vector<u8> bools = read<u8>(65536);
        std::snprintf(what, sizeof what, "%s -> float32", k.name);
        expectEqual(what, copy<u32>(k.toF32, patterns), f32, patterns);
        std::vector<double> f64(65536);
        for (int h = 0; h < 65536; h++) f64[h] = (double) __uint_as_float(f32[h]);
        std::snprintf(what, sizeof what, "%s -> float64", k.name);
        expectEqual(what, copy<double>(k.toF64, patterns), f64, patterns);
        std::snprintf(what, sizeof what, "%s -> %s", k.name, k.name[0] == 'f' ? "bfloat16" : "float16");
        expectEqual(what, copy<u16>(k.toOther, patterns), other, patterns);
        std::snprintf(what, sizeof what, "%s -> int64", k.name);
        expectEqual(what, copy<i64>(k.toI64, patterns), i64s, patterns);
        std::snprintf(what, sizeof what, "%s -> int32", k.name);
        expectEqual(what, copy<int32_t>(k.toI32, patterns), i32s, patterns);
        std::snprintf(what, sizeof what, "%s -> bool", k.name);
        expectEqual(what, copy<u8>(k.toBool, patterns), bools, patterns);
        std::snprintf(what, sizeof what, "%s -> %s (bits unchanged)", k.name, k.name);
        expectEqual(what, copy<u16>(k.toSelf, patterns), patterns, patterns);
    }

    // float32 values, narrowed
    size_t n = readCount();
    std::vector<u32> floats = read<u32>(n);
    std::vector<float> asFloat(n);
    std::memcpy(asFloat.data(), floats.data(), n * 4);
    for (const HalfKernels& k : kinds) {
        std::snprintf(what, sizeof what, "float32 -> %s", k.name);
        expectEqual(what, copy<u16>(k.fromF32, asFloat), read<u16>(n), floats);
    }

    // float64 values, narrowed through float32, by copy and by fill
    n = readCount();
    std::vector<double> doubles = read<double>(n);
    for (const HalfKernels& k : kinds) {
        std::vector<u16> want = read<u16>(n);
        std::snprintf(what, sizeof what, "float64 -> %s", k.name);
        expectEqual(what, copy<u16>(k.fromF64, doubles), want, doubles);
        std::vector<u16> filled(n);
        for (size_t i = 0; i < n; i++) {
            FillArgs A;
            A.L = dense(1);
            A.out = (u64) &filled[i];
            A.value = doubles[i];
            A.longValue = 0;
            run(k.fill, A);
        }
        std::snprintf(what, sizeof what, "fill %s with float64 values", k.name);
        expectEqual(what, filled, want, doubles);
    }

    // int64 values, and the same cast to int32
    n = readCount();
    std::vector<i64> longs = read<i64>(n);
    std::vector<int32_t> ints(n);
    for (size_t i = 0; i < n; i++) ints[i] = (int32_t) longs[i];
    std::vector<u16> wantFromLong[2], wantFromInt[2];
    for (auto& w : wantFromLong) w = read<u16>(n);
    for (auto& w : wantFromInt) w = read<u16>(n);
    for (int t = 0; t < 2; t++) {
        std::snprintf(what, sizeof what, "int64 -> %s", kinds[t].name);
        expectEqual(what, copy<u16>(kinds[t].fromI64, longs), wantFromLong[t], longs);
        std::snprintf(what, sizeof what, "int32 -> %s", kinds[t].name);
        expectEqual(what, copy<u16>(kinds[t].fromI32, ints), wantFromInt[t], ints);
    }

    // bool, and a strided layout: a 3 x 5 block read transposed out of a 5 x 7 float32 matrix into float16
    {
        std::vector<u8> b = {0, 1, 1, 0};
        std::vector<u16> want = {0x0000, 0x3c00, 0x3c00, 0x0000}, got = copy<u16>(copy_f16_bool, b);
        expectEqual("bool -> float16", got, want, b);
        want = {0x0000, 0x3f80, 0x3f80, 0x0000};
        expectEqual("bool -> bfloat16", copy<u16>(copy_bf16_bool, b), want, b);

        std::vector<float> m(35);
        for (int i = 0; i < 35; i++) m[i] = 0.1f * (float) i;
        std::vector<u16> out(15, 0xffff), expect(15);
        CopyArgs A;
        std::memset(&A.L, 0, sizeof A.L);
        A.L.n = 15;
        A.L.rank = 2;
        A.L.shape[0] = 5;  // innermost first: out [3][5] row-major, in [5][7] read as its transpose
        A.L.shape[1] = 3;
        A.L.stride[0][0] = 1; A.L.stride[0][1] = 5;
        A.L.stride[1][0] = 7; A.L.stride[1][1] = 1;
        A.out = (u64) out.data();
        A.in = (u64) m.data();
        run(copy_f16_f32, A);
        std::vector<float> picked(15);
        for (int r = 0; r < 3; r++) for (int c = 0; c < 5; c++) picked[r * 5 + c] = m[c * 7 + r];
        std::vector<u16> once = copy<u16>(copy_f16_f32, picked);
        expectEqual("float32 -> float16, strided", out, once, picked);
    }

    if (std::fgetc(table) != EOF) {
        std::printf("FAIL: the table has more data than this check reads\n");
        failures++;
    }
    std::fclose(table);
    if (failures) {
        std::printf("check-half-host: %d check(s) FAILED\n", failures);
        return 1;
    }
    std::printf("check-half-host: every conversion kernel agrees with io.jgrad.HalfFloat bit for bit\n");
    return 0;
}
