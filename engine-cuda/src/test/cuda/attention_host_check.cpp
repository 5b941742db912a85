// Runs the kernels of attention.cu on the host, where there is no GPU (scripts/check-attention-host.sh builds and
// runs it): each block's threads are std::threads (host_shim.h), and the results are compared with a float64
// reference computed here the way the SPI's default composes attention. It checks the kernels' indexing, tiling,
// online softmax and synchronisation logic, not the GPU's arithmetic or its memory model.
#include "host_shim.h"
#include "attention.cu"
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

static int failures = 0;

struct Case { int b, l, s, e, ev; int maskKind; bool causal; };

static bool closeTo(double want, double got, double rel, double abs) {
    if (std::isnan(want)) return std::isnan(got);
    if (std::isinf(want)) return got == want;
    return std::fabs(got - want) <= abs + rel * std::fabs(want);
}

template <typename T>
static void compare(const char* what, const Case& c, const std::vector<double>& want, const std::vector<T>& got, double tol) {
    for (size_t i = 0; i < want.size(); i++) {
        if (!closeTo(want[i], (double) got[i], tol, tol)) {
            std::printf("FAIL %s %s b%d l%d s%d e%d ev%d mask%d causal%d at %zu: got %.9g want %.9g\n", what,
                        sizeof(T) == 4 ? "f32" : "f64", c.b, c.l, c.s, c.e, c.ev, c.maskKind, c.causal, i, (double) got[i], want[i]);
            failures++;
            return;
        }
    }
}

template <typename T>
static void run(const Case& c, int grid, void (*fwd)(const AttentionArgs), void (*rowdot)(const AttentionArgs),
                void (*dkdv)(const AttentionArgs), void (*dq)(const AttentionArgs), double tol) {
    std::mt19937_64 rng(c.b * 1000003 + c.l * 1009 + c.s * 31 + c.e * 7 + c.ev + c.maskKind * 13 + c.causal);
    std::normal_distribution<double> nd;
    int b = c.b, l = c.l, s = c.s, e = c.e, ev = c.ev;
    auto fill = [&](size_t n) { std::vector<T> v(n); for (auto& x : v) x = (T) nd(rng); return v; };
    std::vector<T> q = fill((size_t) b * l * e), k = fill((size_t) b * s * e), v = fill((size_t) b * s * ev), g = fill((size_t) b * l * ev);
    // mask kinds: 0 none, 1 dense [b, l, s] with some -inf (and, without causal, a fully masked row), 2 key padding
    // (strides st0, 0, 1), 3 shared across slices and transposed (strides 0, 1, l)
    std::vector<T> maskStore;
    i64 st0 = 0, st1 = 0, st2 = 0;
    if (c.maskKind == 1) {
        maskStore = fill((size_t) b * l * s);
        for (size_t i = 0; i < maskStore.size(); i++) if (rng() % 5 == 0) maskStore[i] = (T) -INFINITY;
        for (int sl = 0; sl < b; sl++) for (int j = 0; j < s; j++) maskStore[((size_t) sl * l) * s + j] = 0;  // row 0 sees all
        if (!c.causal && l > 1) for (int j = 0; j < s; j++) maskStore[((size_t) (b - 1) * l + l - 1) * s + j] = (T) -INFINITY;
        st0 = (i64) l * s; st1 = s; st2 = 1;
    } else if (c.maskKind == 2) {
        maskStore.assign((size_t) b * s, 0);
        for (int sl = 0; sl < b; sl++) for (int j = 0; j < s; j++) if (j >= std::max(1, s - 3 * sl)) maskStore[(size_t) sl * s + j] = (T) -INFINITY;
        st0 = s; st1 = 0; st2 = 1;
    } else if (c.maskKind == 3) {
        maskStore = fill((size_t) s * l);
        st0 = 0; st1 = 1; st2 = l;
    }
    double scale = 1 / std::sqrt((double) std::max(e, 1)) * 1.3;
    auto maskAt = [&](int sl, int i, int j) -> double { return maskStore.empty() ? 0.0 : (double) maskStore[sl * st0 + i * st1 + j * st2]; };
    // reference, in double, the way the SPI default composes it
    size_t nl = (size_t) b * l;
    std::vector<double> P((size_t) b * l * s), lseR(nl), outR(nl * ev), D(nl), dqR((size_t) b * l * e, 0), dkR((size_t) b * s * e, 0), dvR((size_t) b * s * ev, 0);
    for (int sl = 0; sl < b; sl++) for (int i = 0; i < l; i++) {
        double* p = &P[((size_t) sl * l + i) * s];
        double m = -INFINITY;
        for (int j = 0; j < s; j++) {
            double dot = 0;
            for (int x = 0; x < e; x++) dot += (double) q[((size_t) sl * l + i) * e + x] * (double) k[((size_t) sl * s + j) * e + x];
            p[j] = dot * scale + maskAt(sl, i, j) + (c.causal && j > i ? -INFINITY : 0.0);
            m = std::isnan(m) || m > p[j] ? m : p[j];
        }
        double sum = 0;
        for (int j = 0; j < s; j++) sum += std::exp(p[j] - m);
        double ls = m + std::log(sum);
        lseR[sl * l + i] = ls;
        for (int j = 0; j < s; j++) p[j] = std::exp(p[j] - ls);
        for (int x = 0; x < ev; x++) {
            double o = 0;
            for (int j = 0; j < s; j++) o += p[j] * (double) v[((size_t) sl * s + j) * ev + x];
            outR[((size_t) sl * l + i) * ev + x] = o;
        }
    }
    // the backward takes out and lse as the forward wrote them (rounded to T), as the SPI does
    std::vector<T> out(nl * ev, (T) 7), lse(nl, (T) 7);
    AttentionArgs A{};
    A.out = (u64) out.data(); A.lse = (u64) lse.data(); A.q = (u64) q.data(); A.k = (u64) k.data(); A.v = (u64) v.data();
    A.mask = maskStore.empty() ? 0 : (u64) maskStore.data();
    A.maskStride0 = st0; A.maskStride1 = st1; A.maskStride2 = st2; A.scale = scale;
    A.b = b; A.l = l; A.s = s; A.e = e; A.ev = ev; A.causal = c.causal;
    host_launch(fwd, A, grid, ATT_THREADS);
    compare("out", c, outR, out, tol);
    compare("lse", c, lseR, lse, tol);
    for (size_t r = 0; r < nl; r++) {
        double d = 0;
        for (int x = 0; x < ev; x++) d += (double) g[r * ev + x] * (double) out[r * ev + x];
        D[r] = d;
    }
    for (int sl = 0; sl < b; sl++) for (int i = 0; i < l; i++) for (int j = 0; j < s; j++) {
        size_t r = (size_t) sl * l + i;
        double p = P[r * s + j];
        double dp = 0;
        for (int x = 0; x < ev; x++) dp += (double) g[r * ev + x] * (double) v[((size_t) sl * s + j) * ev + x];
        double ds = p * (dp - D[r]);
        for (int x = 0; x < ev; x++) dvR[((size_t) sl * s + j) * ev + x] += p * (double) g[r * ev + x];
        for (int x = 0; x < e; x++) {
            dqR[r * e + x] += scale * ds * (double) k[((size_t) sl * s + j) * e + x];
            dkR[((size_t) sl * s + j) * e + x] += scale * ds * (double) q[r * e + x];
        }
    }
    std::vector<T> dRow(nl, (T) 7), gq((size_t) b * l * e, (T) 7), gk((size_t) b * s * e, (T) 7), gv((size_t) b * s * ev, (T) 7);
    A.dout = (u64) g.data(); A.rowdot = (u64) dRow.data();
    host_launch(rowdot, A, 2, ATT_THREADS);
    A.dk = (u64) gk.data(); A.dv = (u64) gv.data();
    host_launch(dkdv, A, grid, ATT_THREADS);
    A.dk = A.dv = 0; A.dq = (u64) gq.data();
    host_launch(dq, A, grid, ATT_THREADS);
    compare("dq", c, dqR, gq, tol * 4);
    compare("dk", c, dkR, gk, tol * 4);
    compare("dv", c, dvR, gv, tol * 4);
    // dv alone (no D, no dS) and dk alone
    std::vector<T> gv2((size_t) b * s * ev, (T) 7), gk2((size_t) b * s * e, (T) 7);
    A.dq = 0; A.rowdot = 0; A.dv = (u64) gv2.data();
    host_launch(dkdv, A, grid, ATT_THREADS);
    compare("dv alone", c, dvR, gv2, tol * 4);
    A.dv = 0; A.dk = (u64) gk2.data(); A.rowdot = (u64) dRow.data();
    host_launch(dkdv, A, grid, ATT_THREADS);
    compare("dk alone", c, dkR, gk2, tol * 4);
}

int main() {
    std::vector<Case> cases;
    int shapes[][5] = {{1, 1, 1, 1, 1}, {2, 5, 7, 4, 3}, {2, 33, 47, 16, 8}, {1, 70, 65, 128, 128}, {2, 17, 40, 100, 36}, {1, 9, 3, 5, 128}};
    for (auto& sh : shapes) for (int mk = 0; mk < 4; mk++) for (int causal = 0; causal < 2; causal++)
        cases.push_back({sh[0], sh[1], sh[2], sh[3], sh[4], mk, (bool) causal});
    int n = 0;
    for (auto& c : cases) {
        run<float>(c, 3, attention_forward_f32, attention_rowdot_f32, attention_dkdv_f32, attention_dq_f32, 2e-5);
        run<double>(c, 2, attention_forward_f64, attention_rowdot_f64, attention_dkdv_f64, attention_dq_f64, 1e-11);
        n++;
    }
    std::printf("%d cases x 2 dtypes, %d failures\n", n, failures);
    return failures != 0;
}
