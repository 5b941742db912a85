package io.jgrad.cuda;

import static jcuda.jcublas.JCublas2.cublasCreate;
import static jcuda.jcublas.JCublas2.cublasDestroy;
import static jcuda.jcublas.JCublas2.cublasDgemm;
import static jcuda.jcublas.JCublas2.cublasDgemmStridedBatched;
import static jcuda.jcublas.JCublas2.cublasGemmEx_new;
import static jcuda.jcublas.JCublas2.cublasGemmStridedBatchedEx_new;
import static jcuda.jcublas.JCublas2.cublasGetVersion;
import static jcuda.jcublas.JCublas2.cublasSetMathMode;
import static jcuda.jcublas.JCublas2.cublasSetStream;
import static jcuda.jcublas.JCublas2.cublasSgemm;
import static jcuda.jcublas.JCublas2.cublasSgemmStridedBatched;

import io.jgrad.DType;
import java.util.concurrent.atomic.AtomicBoolean;
import jcuda.Pointer;
import jcuda.cudaDataType;
import jcuda.driver.CUstream;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasComputeType;
import jcuda.jcublas.cublasGemmAlgo;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasMath;
import jcuda.jcublas.cublasOperation;
import jcuda.jcublas.cublasStatus;
import jcuda.runtime.cudaStream_t;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One cuBLAS handle bound to the backend's stream, for row-major strided batched GEMM. */
final class Cublas implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cublas.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static String loadFailure;
    private static boolean loadTried;

    static final String FIX = "install CUDA 12's cuBLAS (libcublas.so.12) on the library path, or on a CUDA 13-only "
            + "machine build the forwarding library with engine-cuda/scripts/cublas-shim/build.sh and put its output "
            + "folder on LD_LIBRARY_PATH (see engine-cuda/README.md)";

    private final cublasHandle handle;
    private final int version;
    private int mathMode = -1;

    private Cublas(cublasHandle handle, int version) {
        this.handle = handle;
        this.version = version;
    }

    /** Null when JCublas2 and libcublas.so.12 load, otherwise why they do not. Tried once per process. */
    static synchronized String loadFailure() {
        if (!loadTried) {
            loadTried = true;
            try {
                JCublas2.setExceptionsEnabled(false); // loads libJCublas2, which links libcublas.so.12
            } catch (LinkageError | RuntimeException e) {
                loadFailure = Cuda.linkFailure(e);
            }
        }
        return loadFailure;
    }

    /** A handle on the stream, or null (after one WARN per process) when cuBLAS cannot be used. */
    static Cublas tryCreate(CUstream stream, String device) {
        String failure = loadFailure();
        if (failure == null) {
            cublasHandle h = new cublasHandle();
            int s = cublasCreate(h);
            if (s == cublasStatus.CUBLAS_STATUS_SUCCESS) {
                s = cublasSetStream(h, new cudaStream_t(stream));
                if (s == cublasStatus.CUBLAS_STATUS_SUCCESS) {
                    int[] v = new int[1];
                    cublasGetVersion(h, v);
                    return new Cublas(h, v[0]);
                }
                cublasDestroy(h);
                failure = "cublasSetStream returned " + cublasStatus.stringFor(s);
            } else {
                failure = "cublasCreate returned " + cublasStatus.stringFor(s);
            }
        }
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("cuBLAS is not available on {} ({}); matrix products use jgrad's own CUDA kernels, which are "
                    + "several times slower. To fix: {}.", device, failure, FIX);
        }
        return null;
    }

    int version() {
        return version;
    }

    /**
     * Row-major C = alpha op(A) op(B) + beta C on device pointers. cuBLAS is column-major, and a row-major matrix
     * read column-major is its transpose, so C^T = op(B)^T op(A)^T is computed with the operands swapped.
     * <p>
     * float16 and bfloat16 go to GemmEx: half A, B and C, float32 accumulation (CUBLAS_COMPUTE_32F, float32 alpha and
     * beta), the default tensor-op algorithm, C rounded once; reduced-precision reductions in split-K kernels are
     * disallowed, so every partial sum stays float32.
     */
    synchronized void gemm(DType dtype, boolean transA, boolean transB, int batch, int m, int n, int k, double alpha,
                           Pointer a, int lda, long strideA, Pointer b, int ldb, long strideB, double beta,
                           Pointer c, int ldc, long strideC, boolean allowTf32) {
        int mode = allowTf32 && dtype == DType.FLOAT32 ? cublasMath.CUBLAS_TF32_TENSOR_OP_MATH
                : dtype.isHalf() ? cublasMath.CUBLAS_DEFAULT_MATH | cublasMath.CUBLAS_MATH_DISALLOW_REDUCED_PRECISION_REDUCTION
                : cublasMath.CUBLAS_DEFAULT_MATH;
        if (mode != mathMode) {
            check(cublasSetMathMode(handle, mode), "cublasSetMathMode");
            mathMode = mode;
        }
        int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
        // A single product goes to plain GEMM: cuBLAS picks its kernels by entry point, and the strided-batched
        // one measured slower for batch 1 (4096^3 TF32 on an H100: 0.42 ms against PyTorch's 0.37 ms).
        if (dtype.isHalf()) {
            int type = dtype == DType.FLOAT16 ? cudaDataType.CUDA_R_16F : cudaDataType.CUDA_R_16BF;
            int compute = cublasComputeType.CUBLAS_COMPUTE_32F, algo = cublasGemmAlgo.CUBLAS_GEMM_DEFAULT_TENSOR_OP;
            Pointer al = Pointer.to(new float[]{(float) alpha}), be = Pointer.to(new float[]{(float) beta});
            check(batch == 1
                    ? cublasGemmEx_new(handle, opB, opA, n, m, k, al, b, type, ldb, a, type, lda, be, c, type, ldc, compute, algo)
                    : cublasGemmStridedBatchedEx_new(handle, opB, opA, n, m, k, al, b, type, ldb, strideB, a, type, lda, strideA,
                            be, c, type, ldc, strideC, batch, compute, algo),
                    "cublasGemmEx (" + dtype + ")");
        } else if (dtype == DType.FLOAT32) {
            Pointer al = Pointer.to(new float[]{(float) alpha}), be = Pointer.to(new float[]{(float) beta});
            check(batch == 1
                    ? cublasSgemm(handle, opB, opA, n, m, k, al, b, ldb, a, lda, be, c, ldc)
                    : cublasSgemmStridedBatched(handle, opB, opA, n, m, k, al, b, ldb, strideB, a, lda, strideA, be, c, ldc, strideC, batch),
                    "cublasSgemm");
        } else {
            Pointer al = Pointer.to(new double[]{alpha}), be = Pointer.to(new double[]{beta});
            check(batch == 1
                    ? cublasDgemm(handle, opB, opA, n, m, k, al, b, ldb, a, lda, be, c, ldc)
                    : cublasDgemmStridedBatched(handle, opB, opA, n, m, k, al, b, ldb, strideB, a, lda, strideA, be, c, ldc, strideC, batch),
                    "cublasDgemm");
        }
    }

    private static void check(int status, String call) {
        if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) throw new CudaException(call + " failed: " + cublasStatus.stringFor(status));
    }

    @Override
    public synchronized void close() {
        cublasDestroy(handle);
    }
}
