// Fused optimizer steps on contiguous parameters. Each follows the unfused default in io.jgrad.spi.Backend step
// by step, but keeps intermediates in double and rounds only what it stores (param, m, v, momentum buffer).
#include "common.cuh"

struct AdamArgs {
    u64 param, grad, m, v;
    i64 n;
    double lr, beta1, beta2, eps, weightDecay, biasCorrection1, biasCorrection2;
    int decoupled, pad;
};
static_assert(sizeof(AdamArgs) == 104, "see Kernel.java");

template <typename T>
__device__ void adam_impl(const AdamArgs& A) {
    T* param = (T*) A.param;
    const T* grad = (const T*) A.grad;
    T* m = (T*) A.m;
    T* v = (T*) A.v;
    GRID_STRIDE_LOOP(i, A.n) {
        double p = (double) param[i];
        double g = (double) grad[i];
        if (A.weightDecay != 0.0 && !A.decoupled) g = g + A.weightDecay * p;
        T mi = (T) (A.beta1 * (double) m[i] + (1.0 - A.beta1) * g);
        T vi = (T) (A.beta2 * (double) v[i] + (1.0 - A.beta2) * (g * g));
        m[i] = mi;
        v[i] = vi;
        if (A.weightDecay != 0.0 && A.decoupled) p = (1.0 - A.lr * A.weightDecay) * p;
        double denom = sqrt((1.0 / A.biasCorrection2) * (double) vi) + A.eps;
        param[i] = (T) (p - ((A.lr / A.biasCorrection1) * (double) mi) / denom);
    }
}

extern "C" __global__ void adam_f32(const AdamArgs A) { adam_impl<float>(A); }
extern "C" __global__ void adam_f64(const AdamArgs A) { adam_impl<double>(A); }

struct SgdArgs {
    u64 param, grad, buf;  // buf is 0 when momentum is 0
    i64 n;
    double lr, momentum, dampening, weightDecay;
    int nesterov, firstStep;
};
static_assert(sizeof(SgdArgs) == 72, "see Kernel.java");

template <typename T>
__device__ void sgd_impl(const SgdArgs& S) {
    T* param = (T*) S.param;
    const T* grad = (const T*) S.grad;
    T* buf = (T*) S.buf;
    GRID_STRIDE_LOOP(i, S.n) {
        double p = (double) param[i];
        double g = (double) grad[i];
        if (S.weightDecay != 0.0) g = g + S.weightDecay * p;
        if (S.momentum != 0.0) {
            T b = S.firstStep ? (T) g : (T) (S.momentum * (double) buf[i] + (1.0 - S.dampening) * g);
            buf[i] = b;
            g = S.nesterov ? g + S.momentum * (double) b : (double) b;
        }
        param[i] = (T) (p - S.lr * g);
    }
}

extern "C" __global__ void sgd_f32(const SgdArgs S) { sgd_impl<float>(S); }
extern "C" __global__ void sgd_f64(const SgdArgs S) { sgd_impl<double>(S); }
