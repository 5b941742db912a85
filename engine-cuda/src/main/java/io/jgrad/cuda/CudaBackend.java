package io.jgrad.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemAllocHost;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemFreeHost;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoHAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD32Async;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import io.jgrad.DType;
import io.jgrad.Device;
import io.jgrad.spi.Availability;
import io.jgrad.spi.Backend;
import io.jgrad.spi.BinaryOp;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Contract;
import io.jgrad.spi.Distribution;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.HalfOperands;
import io.jgrad.spi.MemoryStats;
import io.jgrad.spi.ReduceOp;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import io.jgrad.spi.Views;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

/**
 * The CUDA backend: one device, one primary context, one non-blocking stream. Kernels and copies are queued
 * asynchronously; only {@link #download} and {@link #synchronize} wait. Every public method first makes the
 * context current on the calling thread (checked with a thread-local, so usually free).
 * <p>
 * Bad input (foreign or closed buffers, views that reach outside their buffer, unsupported dtypes) is rejected
 * before anything is queued, because an out-of-bounds access on a GPU poisons the whole context. Bad indices in
 * gather, scatter-add and cross-entropy can only be seen on the GPU: the kernel skips them and records the first
 * one, and the next download or synchronize throws.
 */
public final class CudaBackend implements Backend {
    private static final ThreadLocal<CUcontext> CURRENT = new ThreadLocal<>();
    private static final int THREADS = 256;
    private static final int WARPS_PER_BLOCK = 4;
    private static final int ERROR_INFO_BYTES = 24; // struct ErrorInfo in common.cuh
    // op names for messages, built once rather than on every call
    private static final String[] UNARY_NAMES = names("unary", UnaryOp.values());
    private static final String[] BINARY_NAMES = names("binary", BinaryOp.values());
    private static final String[] REDUCE_NAMES = names("reduce", ReduceOp.values());

    private final Device device;
    private final CUdevice cuDevice = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final String deviceName;
    private final int multiprocessors;
    private final int computeCapability;
    private final AtomicLong reclaimedByCleaner = new AtomicLong();
    private final CachingAllocator allocator;
    private KernelModules kernels;
    private Cublas cublas;
    private final DevicePointer errorInfo = new DevicePointer();
    private final Pointer errorInfoHost = new Pointer();
    private ByteBuffer errorInfoView;
    /** Deterministic mode: scatter-add, the one kernel that adds with atomics, runs in a fixed order instead. */
    private volatile boolean deterministic;
    /** Set when a kernel that can report a bad index was queued; a synchronisation reads the error slot only then. */
    private volatile boolean errorInfoPending;
    private boolean contextRetained;
    private boolean streamCreated;
    private volatile boolean closed;

    CudaBackend(int index) {
        Availability a = CudaProbe.availability();
        if (!a.available()) throw new IllegalStateException("the cuda backend is not available: " + a.reason());
        int count = CudaProbe.result().deviceCount();
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("no device cuda:" + index + ": the driver sees " + count + " device(s)");
        }
        this.device = Device.cuda(index);
        this.allocator = new CachingAllocator(device.toString(), this::synchronizeStream);
        try {
            Cuda.check(cuDeviceGet(cuDevice, index), "cuDeviceGet", device);
            Cuda.check(cuDevicePrimaryCtxRetain(context, cuDevice), "cuDevicePrimaryCtxRetain", device);
            contextRetained = true;
            ensureCurrent();
            Cuda.check(cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate", device);
            streamCreated = true;
            this.deviceName = readDeviceName();
            this.multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            this.computeCapability = 10 * attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
                    + attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            Cuda.check(cuMemAlloc(errorInfo, ERROR_INFO_BYTES), "cuMemAlloc", "error info on " + device);
            Cuda.check(cuMemsetD32Async(errorInfo, 0, ERROR_INFO_BYTES / 4, stream), "cuMemsetD32Async", device);
            Cuda.check(cuMemAllocHost(errorInfoHost, ERROR_INFO_BYTES), "cuMemAllocHost", device);
            errorInfoView = errorInfoHost.getByteBuffer(0, ERROR_INFO_BYTES).order(ByteOrder.nativeOrder());
            kernels = KernelModules.load(context);
            cublas = Cublas.tryCreate(stream, device.toString());
        } catch (RuntimeException e) {
            try {
                release();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private String readDeviceName() {
        byte[] name = new byte[256];
        Cuda.check(cuDeviceGetName(name, name.length, cuDevice), "cuDeviceGetName", device);
        int end = 0;
        while (end < name.length && name[end] != 0) end++;
        return new String(name, 0, end, StandardCharsets.US_ASCII);
    }

    private int attribute(int attribute) {
        int[] v = new int[1];
        Cuda.check(cuDeviceGetAttribute(v, attribute, cuDevice), "cuDeviceGetAttribute", device);
        return v[0];
    }

    // ---- information beyond the SPI ----

    /** The GPU's name, such as "NVIDIA H100 80GB HBM3". */
    public String deviceName() {
        return deviceName;
    }

    /** Compute capability as major * 10 + minor, e.g. 90. */
    public int computeCapability() {
        return computeCapability;
    }

    /** What runs {@link #gemm}: "cuBLAS &lt;version&gt;" or jgrad's own kernel when cuBLAS could not be loaded. */
    public String gemmImplementation() {
        return cublas != null ? "cuBLAS " + cublas.version() : "jgrad tiled GEMM kernel (cuBLAS unavailable)";
    }

    /** How many buffers were never closed and were returned to the cache by the garbage collector instead. */
    public long buffersReclaimedByCleaner() {
        return reclaimedByCleaner.get();
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Device device() {
        return device;
    }

    // ---- memory and transfers ----

    @Override
    public Buffer allocate(DType dtype, long length) {
        if (length < 0) throw new IllegalArgumentException("allocate: negative length " + length + " (" + dtype + ")");
        ensureCurrent();
        return new CudaBuffer(this, dtype, length, allocator, reclaimedByCleaner);
    }

    @Override
    public Buffer upload(float[] data) {
        return upload(DType.FLOAT32, Pointer.to(data), data.length);
    }

    @Override
    public Buffer upload(double[] data) {
        return upload(DType.FLOAT64, Pointer.to(data), data.length);
    }

    @Override
    public Buffer upload(long[] data) {
        return upload(DType.INT64, Pointer.to(data), data.length);
    }

    @Override
    public Buffer upload(int[] data) {
        return upload(DType.INT32, Pointer.to(data), data.length);
    }

    @Override
    public Buffer upload(boolean[] data) {
        byte[] bytes = new byte[data.length]; // a bool is one byte, 0 or 1
        for (int i = 0; i < data.length; i++) bytes[i] = (byte) (data[i] ? 1 : 0);
        return upload(DType.BOOL, Pointer.to(bytes), bytes.length);
    }

    @Override
    public Buffer upload(short[] bits, DType dtype) {
        if (!dtype.isHalf()) throw new IllegalArgumentException("upload: short[] holds float16 or bfloat16 bits, not " + dtype);
        return upload(dtype, Pointer.to(bits), bits.length);
    }

    private Buffer upload(DType dtype, Pointer host, int length) {
        CudaBuffer b = (CudaBuffer) allocate(dtype, length);
        if (length > 0) {
            // from pageable memory the driver stages the data before returning, so the array may change afterwards
            Cuda.check(cuMemcpyHtoDAsync(b.pointer(), host, (long) length * dtype.byteSize(), stream), "cuMemcpyHtoDAsync", b.describe());
        }
        return b;
    }

    @Override
    public void download(Buffer src, long srcOffset, float[] dst, int dstOffset, int length) {
        download(src, srcOffset, DType.FLOAT32, Pointer.to(dst), dst.length, dstOffset, length);
    }

    @Override
    public void download(Buffer src, long srcOffset, double[] dst, int dstOffset, int length) {
        download(src, srcOffset, DType.FLOAT64, Pointer.to(dst), dst.length, dstOffset, length);
    }

    @Override
    public void download(Buffer src, long srcOffset, long[] dst, int dstOffset, int length) {
        download(src, srcOffset, DType.INT64, Pointer.to(dst), dst.length, dstOffset, length);
    }

    @Override
    public void download(Buffer src, long srcOffset, int[] dst, int dstOffset, int length) {
        download(src, srcOffset, DType.INT32, Pointer.to(dst), dst.length, dstOffset, length);
    }

    @Override
    public void download(Buffer src, long srcOffset, boolean[] dst, int dstOffset, int length) {
        if (dstOffset < 0 || length < 0 || dstOffset + length > dst.length) {
            throw new IndexOutOfBoundsException("download: " + length + " elements into an array of " + dst.length + " at offset " + dstOffset);
        }
        byte[] bytes = new byte[length];
        download(src, srcOffset, DType.BOOL, Pointer.to(bytes), length, 0, length);
        for (int i = 0; i < length; i++) dst[dstOffset + i] = bytes[i] != 0;
    }

    @Override
    public void download(Buffer src, long srcOffset, short[] dst, int dstOffset, int length) {
        DType dt = src.dtype().isHalf() ? src.dtype() : DType.FLOAT16; // a non-half buffer fails the dtype check
        download(src, srcOffset, dt, Pointer.to(dst), dst.length, dstOffset, length);
    }

    private void download(Buffer src, long srcOffset, DType dtype, Pointer host, int hostLength, int dstOffset, int length) {
        ensureCurrent();
        CudaBuffer b = own("download", src);
        if (b.dtype() != dtype) {
            throw new IllegalArgumentException("download: the buffer holds " + b.dtype() + " but the array is " + dtype);
        }
        if (length < 0 || srcOffset < 0 || srcOffset + length > b.length() || dstOffset < 0 || dstOffset + length > hostLength) {
            throw new IndexOutOfBoundsException("download: " + length + " elements from offset " + srcOffset + " of a "
                    + b.describe() + " into an array of " + hostLength + " at offset " + dstOffset);
        }
        long es = dtype.byteSize();
        boolean errorsCopied = queueErrorInfoCopy();
        if (length > 0) {
            Cuda.check(cuMemcpyDtoHAsync(host.withByteOffset(dstOffset * es), b.pointer().withByteOffset(srcOffset * es),
                    length * es, stream), "cuMemcpyDtoHAsync", b.describe());
        }
        synchronizeStream();
        throwDeviceErrors(errorsCopied);
    }

    // ---- element-wise kernels ----

    @Override
    public void unary(UnaryOp op, View out, View in, double a, double b) {
        String name = UNARY_NAMES[op.ordinal()];
        ensureCurrent();
        Contract.unary(op, out, in); // one dtype: float16 and bfloat16 have native kernels (half_ops.cu)
        IterationSpace s = IterationSpace.of(name, out.shape, out.strides, in.strides);
        if (s.n == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(address(name, in)).f64(a).f64(b)
                .i32(OpCodes.unary(op)).i32(0);
        launch(Kernel.of("UNARY", out.dtype()), w, s.n);
    }

    @Override
    public void binary(BinaryOp op, View out, View x, View y) {
        String name = BINARY_NAMES[op.ordinal()];
        ensureCurrent();
        Contract.binary(op, out, x, y);
        // half operands have native kernels writing their own type or bool; other outputs go through float32
        if (HalfOperands.any(out, x, y) && !(x.dtype().isHalf() && (out.dtype() == x.dtype() || out.dtype() == DType.BOOL))) {
            HalfOperands.run(this, h -> binary(op, h.out(out), h.in(x), h.in(y)));
            return;
        }
        IterationSpace s = IterationSpace.of(name, out.shape, out.strides, x.strides, y.strides);
        if (s.n == 0) return;
        // integer floor division and remainder report a zero divisor through the error block (thrown at the next
        // synchronisation, as bad indices are); other ops never write it, so they do not ask for its copy-back
        boolean divides = (op == BinaryOp.FLOOR_DIVIDE || op == BinaryOp.REMAINDER) && !x.dtype().isFloating();
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(address(name, x)).i64(address(name, y))
                .i64(divides ? errorInfoAddress() : errorInfo.address()).i32(OpCodes.binary(op)).i32(0);
        launch(Kernel.of("BINARY", x.dtype(), out.dtype()), w, s.n);
    }

    @Override
    public void reluBackward(View out, View grad, View output) {
        String name = "reluBackward";
        ensureCurrent();
        Contract.reluBackward(out, grad, output); // one dtype, half ones included
        IterationSpace s = IterationSpace.of(name, out.shape, out.strides, grad.strides, output.strides);
        if (s.n == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(address(name, grad)).i64(address(name, output));
        launch(Kernel.of("RELU_BACKWARD", out.dtype()), w, s.n);
    }

    @Override
    public void where(View out, View condition, View x, View y) {
        String name = "where";
        ensureCurrent();
        Contract.where(out, condition, x, y); // native for every dtype, half conditions and values included
        IterationSpace s = IterationSpace.of(name, out.shape, out.strides, condition.strides, x.strides, y.strides);
        if (s.n == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(address(name, condition))
                .i64(address(name, x)).i64(address(name, y)).i32(OpCodes.dtype(condition.dtype())).i32(0);
        launch(Kernel.of("WHERE", out.dtype()), w, s.n);
    }

    @Override
    public void copy(View out, View in) {
        String name = "copy";
        ensureCurrent();
        Contract.copy(out, in);
        long n = out.numel();
        if (n == 0) return;
        long outAddress = address(name, out);
        long inAddress = address(name, in);
        if (out.dtype() == in.dtype() && out.buffer != in.buffer && out.isContiguous() && in.isContiguous()) {
            long es = out.dtype().byteSize();
            Cuda.check(cuMemcpyDtoDAsync(((CudaBuffer) out.buffer).pointer().withByteOffset(out.offset * es),
                    ((CudaBuffer) in.buffer).pointer().withByteOffset(in.offset * es), n * es, stream), "cuMemcpyDtoDAsync", device);
            return;
        }
        IterationSpace s = IterationSpace.of(name, out.shape, out.strides, in.strides);
        ArgWriter w = ArgWriter.start().layout(s).i64(outAddress).i64(inAddress);
        launch(Kernel.of("COPY", out.dtype(), in.dtype()), w, s.n);
    }

    @Override
    public void fill(View out, double value) {
        String name = "fill";
        ensureCurrent();
        IterationSpace s = IterationSpace.of(name, out.shape, out.strides);
        if (s.n == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).f64(value).i64((long) value);
        launch(Kernel.of("FILL", out.dtype()), w, s.n);
    }

    @Override
    public void random(View out, Distribution distribution, long seed, double a, double b) {
        String name = "random " + distribution;
        ensureCurrent();
        requireFloating(name, out);
        if (HalfOperands.any(out)) {
            HalfOperands.run(this, h -> random(h.out(out), distribution, seed, a, b));
            return;
        }
        IterationSpace s = IterationSpace.of(name, out.shape, out.strides);
        if (s.n == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(seed).f64(a).f64(b)
                .flag(distribution == Distribution.NORMAL).i32(0);
        launch(Kernel.of("RANDOM", out.dtype()), w, s.n);
    }

    // ---- reductions ----

    @Override
    public void reduce(ReduceOp op, View out, View in, int axis) {
        String name = REDUCE_NAMES[op.ordinal()];
        ensureCurrent();
        Contract.reduce(op, out, in, axis); // half input: native, accumulating as float32 does (in double)
        IterationSpace s = IterationSpace.of(name, without(in.shape, axis), without(out.strides, axis), without(in.strides, axis));
        if (s.n == 0) return;
        long outAddress = address(name, out);
        long inAddress = address(name, in);
        long axisLength = in.shape[axis];
        long axisStride = in.strides[axis];
        int code = OpCodes.reduce(op);
        boolean threadPerOutput = axisLength <= 32 || (axisStride != 1 && s.n >= 2048);
        long splits;
        int threads;
        if (threadPerOutput) {
            // a thread per output walks the axis (coalesced across outputs when the axis is not innermost); with too
            // few outputs to fill the GPU, the axis is split among several threads per output
            long wanted = multiprocessors * 2048L;
            splits = s.n < wanted && axisLength >= 256 ? Math.min(ceilDiv(wanted, s.n), ceilDiv(axisLength, 64)) : 1;
            threads = 0;
        } else {
            // a block per output; with few outputs a long axis is split among several blocks
            long wanted = multiprocessors * 8L;
            splits = s.n < wanted && axisLength >= 8192 ? Math.min(ceilDiv(wanted, s.n), ceilDiv(axisLength, 4096)) : 1;
            threads = THREADS;
        }
        long chunk = ceilDiv(axisLength, splits);
        splits = ceilDiv(axisLength, chunk);
        if (!threadPerOutput && chunk < THREADS) threads = (int) Math.max(32, ceilDiv(chunk, 32) * 32);
        Kernel first = Kernel.of(threadPerOutput ? "REDUCE_THREAD" : "REDUCE_BLOCK", in.dtype());
        CachingAllocator.Block partial = splits > 1 ? allocator.allocate(s.n * splits * 16) : null; // {value, index} pairs
        try {
            ArgWriter w = reduceArgs(s, outAddress, inAddress, partial == null ? 0 : partial.address, axisLength, axisStride,
                    chunk, code, (int) splits);
            if (threadPerOutput) launch(first, w, s.n * splits);
            else launch(first, w, (int) Math.min(s.n * splits, multiprocessors * 32L), 1, 1, threads);
            if (partial != null) {
                launch(Kernel.of("REDUCE_FINISH", in.dtype()), reduceArgs(s, outAddress, inAddress, partial.address, axisLength,
                        axisStride, chunk, code, (int) splits), s.n);
            }
        } finally {
            if (partial != null) allocator.release(partial); // safe at once: later users of the block queue behind these kernels
        }
    }

    private static ArgWriter reduceArgs(IterationSpace s, long out, long in, long partial, long axisLength, long axisStride,
                                        long chunk, int op, int splits) {
        return ArgWriter.start().layout(s).i64(out).i64(in).i64(partial).i64(axisLength).i64(axisStride).i64(chunk).i32(op).i32(splits);
    }

    // ---- matrix product ----

    @Override
    public void gemm(Gemm g) {
        gemm(g, cublas != null);
    }

    /** For tests: the same product with jgrad's own GEMM kernel, whether or not cuBLAS is loaded. */
    void gemmWithKernel(Gemm g) {
        gemm(g, false);
    }

    private void gemm(Gemm g, boolean useCublas) {
        String name = "gemm";
        ensureCurrent();
        Contract.gemm(g);
        DType t = g.a().dtype();
        if (g.batch() == 0 || g.m() == 0 || g.n() == 0) return;
        if (g.batch() > 1 && g.strideC() == 0) {
            throw new IllegalArgumentException(name + ": batch " + g.batch() + " with strideC 0 would have every batch write the same C");
        }
        CudaBuffer a = own(name, g.a());
        CudaBuffer b = own(name, g.b());
        CudaBuffer c = own(name, g.c());
        checkMatrix("A", a, g.offsetA(), g.lda(), g.strideA(), g.transA() ? g.k() : g.m(), g.transA() ? g.m() : g.k(), g.batch());
        checkMatrix("B", b, g.offsetB(), g.ldb(), g.strideB(), g.transB() ? g.n() : g.k(), g.transB() ? g.k() : g.n(), g.batch());
        checkMatrix("C", c, g.offsetC(), g.ldc(), g.strideC(), g.m(), g.n(), g.batch());
        if (t.isHalf() && !(useCublas && halfGemmEx(t))) {
            // no GemmEx for this type here: widen, multiply in float32 (cuBLAS or jgrad's kernel), round C once
            HalfOperands.run(this, h -> gemm(h.widen(g), useCublas));
            return;
        }
        long es = t.byteSize();
        if (useCublas) {
            cublas.gemm(t, g.transA(), g.transB(), g.batch(), g.m(), g.n(), g.k(), g.alpha(),
                    a.pointer().withByteOffset(g.offsetA() * es), g.lda(), g.strideA(),
                    b.pointer().withByteOffset(g.offsetB() * es), g.ldb(), g.strideB(), g.beta(),
                    c.pointer().withByteOffset(g.offsetC() * es), g.ldc(), g.strideC(), g.allowTf32());
            return;
        }
        ArgWriter w = ArgWriter.start()
                .i64(a.address() + g.offsetA() * es).i64(b.address() + g.offsetB() * es).i64(c.address() + g.offsetC() * es)
                .i64(g.strideA()).i64(g.strideB()).i64(g.strideC()).f64(g.alpha()).f64(g.beta())
                .i32(g.m()).i32(g.n()).i32(g.k()).i32(g.lda()).i32(g.ldb()).i32(g.ldc())
                .flag(g.transA()).flag(g.transB()).i32(g.batch()).i32(0);
        int tile = 64; // TILE_M = TILE_N in gemm.cu
        launch(Kernel.of("GEMM", t), w, (int) Math.min(ceilDiv(g.n(), tile), 65535), (int) Math.min(ceilDiv(g.m(), tile), 65535),
                Math.min(g.batch(), 65535), THREADS);
    }

    /**
     * Whether cuBLAS's GemmEx takes this half type here: float16 from Turing on (compute capability 7.5, this PTX's
     * minimum), bfloat16 from Ampere (8.0), which is the first with bfloat16 tensor cores.
     */
    private boolean halfGemmEx(DType t) {
        return t == DType.FLOAT16 || computeCapability >= 80;
    }

    private void checkMatrix(String which, CudaBuffer buf, long offset, int ld, long stride, int rows, int cols, int batch) {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) {
            throw new IllegalArgumentException("gemm: " + which + " is stored " + rows + " x " + cols + " but its row stride is " + ld);
        }
        long last = offset + (batch - 1) * stride + (long) (rows - 1) * ld + cols - 1;
        if (offset < 0 || stride < 0 || last >= buf.length()) {
            throw new IndexOutOfBoundsException("gemm: " + which + " (" + batch + " x " + rows + " x " + cols + ", offset " + offset
                    + ", row stride " + ld + ", batch stride " + stride + ") reaches element " + last + " of a " + buf.describe());
        }
    }

    // ---- indexing ----

    @Override
    public void gather(View out, View in, int dim, View index) {
        String name = "gather";
        ensureCurrent();
        Contract.gather(out, in, dim, index);
        if (HalfOperands.any(out, in)) {
            HalfOperands.run(this, h -> gather(h.out(out), h.in(in), dim, index));
            return;
        }
        long[] inStrides = in.strides.clone();
        inStrides[dim] = 0; // the position along dim comes from the index
        IterationSpace s = IterationSpace.of(name, out.shape, out.strides, index.strides, inStrides);
        if (s.n == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(address(name, index)).i64(address(name, in))
                .i64(errorInfoAddress()).i64(in.strides[dim]).i64(in.shape[dim]);
        launch(Kernel.of("GATHER", out.dtype()), w, s.n);
    }

    @Override
    public void scatterAdd(View out, int dim, View index, View src) {
        String name = "scatterAdd";
        ensureCurrent();
        Contract.scatterAdd(out, dim, index, src);
        if (HalfOperands.any(out, src)) {
            HalfOperands.run(this, h -> scatterAdd(h.inOut(out), dim, index, h.in(src)));
            return;
        }
        if (deterministic) {
            OrderedScatterAdd.run(this, out, dim, index, src);
            return;
        }
        long[] outStrides = out.strides.clone();
        outStrides[dim] = 0;
        IterationSpace s = IterationSpace.of(name, index.shape, index.strides, src.strides, outStrides);
        if (s.n == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(address(name, index)).i64(address(name, src))
                .i64(errorInfoAddress()).i64(out.strides[dim]).i64(out.shape[dim]);
        launch(Kernel.of("SCATTER_ADD", out.dtype()), w, s.n);
    }

    // ---- fused kernels ----

    @Override
    public void softmax(View out, View in, int axis, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        ensureCurrent();
        Contract.softmax(out, in, axis, log); // one dtype, half ones included
        IterationSpace s = IterationSpace.of(name, without(in.shape, axis), without(out.strides, axis), without(in.strides, axis));
        if (s.n == 0 || in.shape[axis] == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(address(name, in))
                .i64(in.shape[axis]).i64(out.strides[axis]).i64(in.strides[axis]).flag(log).i32(0);
        launchWarps(Kernel.of("SOFTMAX", in.dtype()), w, s.n);
    }

    @Override
    public void crossEntropyForward(View losses, View logProbs, View logits, View targets) {
        String name = "crossEntropyForward";
        ensureCurrent();
        Contract.crossEntropyForward(losses, logProbs, logits, targets);
        if (HalfOperands.any(losses, logProbs, logits)) {
            HalfOperands.run(this, h -> crossEntropyForward(h.out(losses), h.out(logProbs), h.in(logits), targets));
            return;
        }
        int n = logits.shape[0];
        int c = logits.shape[1];
        if (n == 0) return;
        if (c == 0) throw new IllegalArgumentException(name + ": logits " + logits + " have no classes");
        ArgWriter w = ArgWriter.start().i64(address(name, losses)).i64(address(name, logProbs)).i64(address(name, logits))
                .i64(address(name, targets)).i64(errorInfoAddress()).i64(n).i64(c)
                .i64(losses.strides[0]).i64(logProbs.strides[0]).i64(logProbs.strides[1])
                .i64(logits.strides[0]).i64(logits.strides[1]).i64(targets.strides[0]);
        launchWarps(Kernel.of("CROSS_ENTROPY", logits.dtype()), w, n);
    }

    @Override
    public void crossEntropyBackward(View gradLogits, View logProbs, View targets, View gradLosses) {
        String name = "crossEntropyBackward";
        ensureCurrent();
        Contract.crossEntropyBackward(gradLogits, logProbs, targets, gradLosses);
        if (HalfOperands.any(gradLogits, logProbs, gradLosses)) {
            HalfOperands.run(this, h -> crossEntropyBackward(h.out(gradLogits), h.in(logProbs), targets, h.in(gradLosses)));
            return;
        }
        int n = logProbs.shape[0];
        long count = (long) n * logProbs.shape[1];
        if (count == 0) return;
        ArgWriter w = ArgWriter.start().i64(address(name, gradLogits)).i64(address(name, logProbs)).i64(address(name, targets))
                .i64(address(name, gradLosses)).i64(errorInfoAddress()).i64(n).i64(logProbs.shape[1])
                .i64(gradLogits.strides[0]).i64(gradLogits.strides[1]).i64(logProbs.strides[0]).i64(logProbs.strides[1])
                .i64(targets.strides[0]).i64(gradLosses.strides[0]);
        launch(Kernel.of("CROSS_ENTROPY_GRAD", logProbs.dtype()), w, count);
    }

    @Override
    public void biasActivation(View out, View x, View bias, UnaryOp act) {
        String name = "biasActivation " + (act == null ? "identity" : act);
        ensureCurrent();
        Contract.biasActivation(out, x, bias, act); // one dtype, half ones included
        View b = Views.broadcast(bias, x.shape);
        IterationSpace s = IterationSpace.of(name, x.shape, out.strides, x.strides, b.strides);
        if (s.n == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(address(name, x)).i64(address(name, bias))
                .i32(act == null ? OpCodes.UNARY_IDENTITY : OpCodes.unary(act)).i32(0);
        launch(Kernel.of("BIAS_ACT", x.dtype()), w, s.n);
    }

    /**
     * One fused kernel (GELU_BACKWARD) for gradX = grad * act'(x + bias), rounding each step as the SPI's default
     * rounds it, then the default's column sums for gradBias. A half gradX with a gradBias goes through float32, so
     * that gradBias sums the unrounded gradient, as on the CPU.
     */
    @Override
    public void geluBackward(View gradX, View gradBias, View grad, View x, View bias, UnaryOp act) {
        String name = "geluBackward " + act;
        ensureCurrent();
        Contract.geluBackward(gradX, gradBias, grad, x, bias, act);
        if (gradBias != null && gradX.dtype().isHalf()) {
            HalfOperands.run(this, h -> geluBackward(h.out(gradX), h.out(gradBias), h.in(grad), h.in(x), h.in(bias), act));
            return;
        }
        View b = bias == null ? x : Views.broadcast(bias, x.shape); // without a bias, x stands in (the kernel skips it)
        IterationSpace s = IterationSpace.of(name, x.shape, gradX.strides, grad.strides, x.strides, b.strides);
        if (s.n > 0) {
            UnaryOp derivative = act == UnaryOp.GELU_TANH ? UnaryOp.GELU_TANH_GRAD : UnaryOp.GELU_GRAD;
            ArgWriter w = ArgWriter.start().layout(s).i64(address(name, gradX)).i64(address(name, grad)).i64(address(name, x))
                    .i64(address(name, bias == null ? x : bias)).i32(OpCodes.unary(derivative)).flag(bias != null);
            launch(Kernel.of("GELU_BACKWARD", x.dtype()), w, s.n);
        }
        if (gradBias != null) { // zeros for no rows, as the default's sum over an empty axis
            int c = gradBias.shape[0];
            int rows = (int) (gradX.numel() / Math.max(1, c));
            reduce(ReduceOp.SUM, Views.row(gradBias), new View(gradX.buffer, gradX.offset, new int[]{rows, c}, new long[]{c, 1}), 0);
        }
    }

    @Override
    public void adamUpdate(View param, View grad, View m, View v, double lr, double beta1, double beta2, double eps,
                           double weightDecay, boolean decoupled, long step) {
        Contract.adamUpdate(param, grad, m, v);
        if (HalfOperands.any(param, grad, m, v)) {
            HalfOperands.run(this, h -> adamUpdate(h.inOut(param), h.in(grad), h.inOut(m), h.inOut(v), lr, beta1, beta2, eps,
                    weightDecay, decoupled, step));
            return;
        }
        if (!fusable(param, grad, m, v)) {
            Backend.super.adamUpdate(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, step);
            return;
        }
        String name = "adamUpdate";
        ensureCurrent();
        long n = param.numel();
        if (n == 0) return;
        ArgWriter w = ArgWriter.start().i64(address(name, param)).i64(address(name, grad)).i64(address(name, m)).i64(address(name, v))
                .i64(n).f64(lr).f64(beta1).f64(beta2).f64(eps).f64(weightDecay)
                .f64(1 - Math.pow(beta1, step)).f64(1 - Math.pow(beta2, step)).flag(decoupled).i32(0);
        launch(Kernel.of("ADAM", param.dtype()), w, n);
    }

    @Override
    public void sgdUpdate(View param, View grad, View momentumBuf, double lr, double momentum, double dampening,
                          double weightDecay, boolean nesterov, boolean firstStep) {
        Contract.sgdUpdate(param, grad, momentumBuf, momentum);
        if (HalfOperands.any(param, grad, momentumBuf)) {
            HalfOperands.run(this, h -> sgdUpdate(h.inOut(param), h.in(grad), h.inOut(momentumBuf), lr, momentum, dampening,
                    weightDecay, nesterov, firstStep));
            return;
        }
        boolean withMomentum = momentum != 0;
        if (withMomentum ? !fusable(param, grad, momentumBuf) : !fusable(param, grad)) {
            Backend.super.sgdUpdate(param, grad, momentumBuf, lr, momentum, dampening, weightDecay, nesterov, firstStep);
            return;
        }
        String name = "sgdUpdate";
        ensureCurrent();
        long n = param.numel();
        if (n == 0) return;
        ArgWriter w = ArgWriter.start().i64(address(name, param)).i64(address(name, grad))
                .i64(withMomentum ? address(name, momentumBuf) : 0).i64(n)
                .f64(lr).f64(momentum).f64(dampening).f64(weightDecay).flag(nesterov).flag(firstStep);
        launch(Kernel.of("SGD", param.dtype()), w, n);
    }

    /** The fused optimizer kernels index all operands alike: same floating dtype, same shape, all dense. */
    private static boolean fusable(View param, View... others) {
        if (!param.dtype().isFloating() || !param.isContiguous()) return false;
        for (View o : others) {
            if (o == null || o.dtype() != param.dtype() || !o.isContiguous() || !Arrays.equals(o.shape, param.shape)) return false;
        }
        return true;
    }

    // ---- lifecycle ----

    @Override
    public void synchronize() {
        ensureCurrent();
        boolean errorsCopied = queueErrorInfoCopy();
        synchronizeStream();
        throwDeviceErrors(errorsCopied);
    }

    @Override
    public void setDeterministic(boolean on) {
        deterministic = on;
    }

    @Override
    public MemoryStats memoryStats() {
        return allocator.stats();
    }

    @Override
    public void resetPeakMemoryStats() {
        allocator.resetPeak();
    }

    @Override
    public void emptyCache() {
        ensureCurrent();
        allocator.emptyCache();
    }

    /**
     * Waits for queued work, returns cached memory and releases the stream, kernels, cuBLAS and the context.
     * Buffers still open become unusable; their memory goes with the context.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        ensureCurrent();
        closed = true;
        try {
            synchronizeStream();
        } finally {
            release();
        }
    }

    /** Frees everything this backend holds, step by step, so one failing step (say, a dead context) skips nothing. */
    private void release() {
        RuntimeException failure = null;
        Runnable[] steps = {
            allocator::close,
            () -> { if (cublas != null) cublas.close(); },
            () -> { if (kernels != null) kernels.close(); },
            () -> { if (errorInfoView != null) cuMemFreeHost(errorInfoHost); },
            () -> { if (errorInfo.address() != 0) cuMemFree(errorInfo); },
            () -> { if (streamCreated) cuStreamDestroy(stream); },
            () -> { if (contextRetained) cuDevicePrimaryCtxRelease(cuDevice); },
        };
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        CURRENT.remove();
        if (failure != null) throw failure;
    }

    @Override
    public String toString() {
        return "CudaBackend[" + device + ", " + deviceName + "]";
    }

    // ---- plumbing ----

    private void ensureCurrent() {
        if (closed) throw new IllegalStateException("the " + device + " backend is closed");
        if (CURRENT.get() != context) {
            Cuda.check(cuCtxSetCurrent(context), "cuCtxSetCurrent", device);
            CURRENT.set(context);
        }
    }

    private void synchronizeStream() {
        Cuda.check(cuStreamSynchronize(stream), "cuStreamSynchronize", device + " (an earlier kernel may have failed)");
    }

    private long errorInfoAddress() {
        errorInfoPending = true;
        return errorInfo.address();
    }

    /** Queues a read of the error slot if an index-checking kernel ran since the last one; says whether it did. */
    private boolean queueErrorInfoCopy() {
        if (!errorInfoPending) return false;
        errorInfoPending = false;
        Cuda.check(cuMemcpyDtoHAsync(errorInfoHost, errorInfo, ERROR_INFO_BYTES, stream), "cuMemcpyDtoHAsync", "error info");
        return true;
    }

    /** After a synchronisation that followed queueErrorInfoCopy: throws for the first bad index a kernel met. */
    private void throwDeviceErrors(boolean copied) {
        if (!copied) return;
        int code = errorInfoView.getInt(0);
        if (code == 0) return;
        long value = errorInfoView.getLong(8);
        long bound = errorInfoView.getLong(16);
        errorInfoView.putInt(0, 0);
        Cuda.check(cuMemsetD32Async(errorInfo, 0, ERROR_INFO_BYTES / 4, stream), "cuMemsetD32Async", "error info");
        if (code == 4) {
            throw new ArithmeticException("floor_divide, remainder or fmod on " + device + ": integer division by zero (dividend "
                    + value + "); the GPU wrote 0 there (found at this synchronisation, the error happened earlier)");
        }
        String op = code == 1 ? "gather" : code == 2 ? "scatterAdd" : code == 3 ? "cross-entropy target" : "kernel error " + code;
        throw new IndexOutOfBoundsException(op + " on " + device + ": index " + value + " is outside [0, " + bound
                + "); the GPU skipped it, so that result is wrong (found at this synchronisation, the error happened earlier)");
    }

    /** One thread per element, grid-stride beyond a few waves. */
    private void launch(Kernel k, ArgWriter w, long threads) {
        int grid = (int) Math.min(ceilDiv(threads, THREADS), multiprocessors * 8L);
        launch(k, w, grid, 1, 1, THREADS);
    }

    /** One warp per row. */
    private void launchWarps(Kernel k, ArgWriter w, long rows) {
        int grid = (int) Math.min(ceilDiv(rows, WARPS_PER_BLOCK), multiprocessors * 16L);
        launch(k, w, grid, 1, 1, WARPS_PER_BLOCK * 32);
    }

    private void launch(Kernel k, ArgWriter w, int gridX, int gridY, int gridZ, int threads) {
        if (w.structSize() != k.argBytes) {
            throw new IllegalStateException("internal error: " + k.entry + " takes " + k.argBytes + " bytes of arguments, got " + w.structSize());
        }
        int r = cuLaunchKernel(kernels.function(k), gridX, gridY, gridZ, threads, 1, 1, 0, stream, w.kernelParams, null);
        if (r != 0) Cuda.check(r, "cuLaunchKernel", k.entry + " on " + device);
    }

    private CudaBuffer own(String op, Buffer b) {
        if (b instanceof CudaBuffer cb && cb.backend == this) return cb;
        throw new IllegalArgumentException(op + ": expected a buffer on " + device + ", got "
                + (b == null ? "null" : "one on " + b.device() + " (" + b.getClass().getSimpleName() + ")"));
    }

    /** The device address of the view's first element, after checking that every element it reaches is inside the buffer. */
    private long address(String op, View v) {
        CudaBuffer b = own(op, v.buffer);
        long first = v.offset;
        long last = v.offset;
        for (int d = 0; d < v.rank(); d++) {
            if (v.shape[d] == 0) return b.address(); // empty: nothing is read or written
            long span = v.strides[d] * (v.shape[d] - 1);
            if (span > 0) last += span;
            else first += span;
        }
        if (first < 0 || last >= b.length()) {
            throw new IndexOutOfBoundsException(op + ": " + v + " reaches elements " + first + ".." + last + " of a " + b.describe());
        }
        return b.address() + v.offset * b.dtype().byteSize();
    }

    private void requireFloating(String op, View v) {
        if (!v.dtype().isFloating()) throw new IllegalArgumentException(op + ": needs a floating dtype on " + device + ", got " + v);
    }

    private static int[] without(int[] a, int axis) {
        int[] r = new int[a.length - 1];
        for (int i = 0, j = 0; i < a.length; i++) if (i != axis) r[j++] = a[i];
        return r;
    }

    private static long[] without(long[] a, int axis) {
        long[] r = new long[a.length - 1];
        for (int i = 0, j = 0; i < a.length; i++) if (i != axis) r[j++] = a[i];
        return r;
    }

    private static String[] names(String family, Enum<?>[] ops) {
        String[] names = new String[ops.length];
        for (Enum<?> op : ops) names[op.ordinal()] = family + " " + op;
        return names;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    // ---- reductions, scans and sorting ----

    @Override
    public void scan(io.jgrad.spi.ScanOp op, View out, View in, int axis) {
        String name = "scan " + op;
        ensureCurrent();
        Contract.scan(op, out, in, axis);
        if (HalfOperands.any(out, in)) {
            HalfOperands.run(this, h -> scan(op, h.out(out), h.in(in), axis));
            return;
        }
        IterationSpace s = IterationSpace.of(name, without(in.shape, axis), without(out.strides, axis), without(in.strides, axis));
        long len = in.shape[axis];
        if (s.n == 0 || len == 0) return;
        ArgWriter w = ArgWriter.start().layout(s).i64(address(name, out)).i64(address(name, in))
                .i64(len).i64(out.strides[axis]).i64(in.strides[axis]).i32(op.ordinal()).i32(0);
        launch(Kernel.of("SCAN", in.dtype()), w, s.n);
    }

    @Override
    public void sort(View values, View indices, View in, int axis, boolean descending) {
        String name = "sort";
        ensureCurrent();
        Contract.sort(values, indices, in, axis);
        if (HalfOperands.any(values, in)) {
            HalfOperands.run(this, h -> sort(h.out(values), indices, h.in(in), axis, descending));
            return;
        }
        IterationSpace s = IterationSpace.of(name, without(in.shape, axis), without(values.strides, axis),
                without(indices.strides, axis), without(in.strides, axis));
        long len = in.shape[axis];
        if (s.n == 0 || len == 0) return;
        CachingAllocator.Block scratch = allocator.allocate(s.n * len * 16); // two int64 position arrays per row
        try {
            ArgWriter w = ArgWriter.start().layout(s).i64(address(name, values)).i64(address(name, indices))
                    .i64(address(name, in)).i64(scratch.address).i64(len).i64(values.strides[axis])
                    .i64(indices.strides[axis]).i64(in.strides[axis]).flag(descending).i32(0);
            launch(Kernel.of("SORT", in.dtype()), w, s.n);
        } finally {
            allocator.release(scratch); // safe at once: later users of the block queue behind this kernel
        }
    }

    // ---- attention ----

    /** The largest head dimension (q's and v's last) the fused attention kernels take: ATT_MAX_DIM in attention.cu. */
    static final int ATTENTION_MAX_DIM = 128;
    /** Threads per block of the attention kernels: ATT_THREADS in attention.cu (each owns fixed output elements). */
    private static final int ATTENTION_THREADS = 128;

    /**
     * The fused kernels of attention.cu: one block per (slice, block of query rows) with an online softmax over key
     * tiles, so memory grows with l, not l * s. Head dimensions above {@link #ATTENTION_MAX_DIM} and calls without
     * keys go to the SPI's composed default.
     */
    @Override
    public void attentionForward(View out, View lse, View q, View k, View v, View mask, boolean causal, double scale) {
        String name = "attentionForward";
        ensureCurrent();
        Contract.attention(name, out, lse, q, k, v, mask);
        int b = q.shape[0], l = q.shape[1], s = k.shape[1];
        if (b == 0 || l == 0) return;
        if (HalfOperands.any(out, lse, q, k, v, mask)) {
            HalfOperands.run(this, h -> attentionForward(h.out(out), h.out(lse), h.in(q), h.in(k), h.in(v), h.in(mask), causal,
                    scale));
            return;
        }
        if (s == 0 || !attentionFits(q, v)) {
            Backend.super.attentionForward(out, lse, q, k, v, mask, causal, scale);
            return;
        }
        ArgWriter w = attentionArgs(name, out, lse, q, k, v, mask, null, null, null, null, null, causal, scale);
        long units = (long) b * ceilDiv(l, q.dtype() == DType.FLOAT32 ? 32 : 16); // AttTiles FWD_ROWS
        launchAttention(Kernel.of("ATTENTION_FORWARD", q.dtype()), w, units);
    }

    /**
     * dq, dk and dv (each may be null) by the kernels of attention.cu, which recompute the probabilities tile by tile
     * from lse: D = rowsum(dOut * out) first, then one kernel that gives each block a tile of keys (dk, dv) and one
     * that gives each block a block of query rows (dq); every element is summed by one thread in a fixed order.
     */
    @Override
    public void attentionBackward(View dq, View dk, View dv, View dOut, View q, View k, View v, View out, View lse,
                                  View mask, boolean causal, double scale) {
        String name = "attentionBackward";
        ensureCurrent();
        Contract.attention(name, out, lse, q, k, v, mask);
        Contract.attentionGradients(dq, dk, dv, dOut, q, k, v, out);
        if (HalfOperands.any(dq, dk, dv, dOut, q, k, v, out, lse, mask)) {
            HalfOperands.run(this, h -> attentionBackward(h.out(dq), h.out(dk), h.out(dv), h.in(dOut), h.in(q), h.in(k), h.in(v),
                    h.in(out), h.in(lse), h.in(mask), causal, scale));
            return;
        }
        int b = q.shape[0], l = q.shape[1], s = k.shape[1];
        if (b == 0 || l == 0 || s == 0 || !attentionFits(q, v)) {
            Backend.super.attentionBackward(dq, dk, dv, dOut, q, k, v, out, lse, mask, causal, scale);
            return;
        }
        if (dq == null && dk == null && dv == null) return;
        DType dt = q.dtype();
        int tile = dt == DType.FLOAT32 ? 16 : 8; // AttTiles BWD_ROWS and BWD_KEYS
        try (Buffer rowDot = dq != null || dk != null ? allocate(dt, (long) b * l) : null) {
            View d = rowDot == null ? null : View.contiguous(rowDot, b, l);
            if (d != null) {
                ArgWriter w = attentionArgs(name, out, lse, q, k, v, mask, null, null, null, dOut, d, causal, scale);
                launch(Kernel.of("ATTENTION_ROWDOT", dt), w, (long) b * l);
            }
            if (dk != null || dv != null) {
                ArgWriter w = attentionArgs(name, out, lse, q, k, v, mask, null, dk, dv, dOut, d, causal, scale);
                launchAttention(Kernel.of("ATTENTION_DKDV", dt), w, (long) b * ceilDiv(s, tile));
            }
            if (dq != null) {
                ArgWriter w = attentionArgs(name, out, lse, q, k, v, mask, dq, null, null, dOut, d, causal, scale);
                launchAttention(Kernel.of("ATTENTION_DQ", dt), w, (long) b * ceilDiv(l, tile));
            }
        }
    }

    /** Whether the kernels take these head dimensions: their accumulators are sized for ATTENTION_MAX_DIM. */
    private static boolean attentionFits(View q, View v) {
        return q.shape[2] <= ATTENTION_MAX_DIM && v.shape[2] <= ATTENTION_MAX_DIM;
    }

    /** The AttentionArgs struct of attention.cu; null views are passed as 0 (the mask: none; a gradient: not wanted). */
    private ArgWriter attentionArgs(String name, View out, View lse, View q, View k, View v, View mask, View dq, View dk,
                                    View dv, View dOut, View rowDot, boolean causal, double scale) {
        long[] addresses = new long[11];
        View[] views = {out, lse, q, k, v, mask, dq, dk, dv, dOut, rowDot};
        for (int i = 0; i < views.length; i++) addresses[i] = views[i] == null ? 0 : address(name, views[i]);
        ArgWriter w = ArgWriter.start();
        for (long a : addresses) w.i64(a);
        for (int d = 0; d < 3; d++) w.i64(mask == null ? 0 : mask.strides[d]);
        return w.f64(scale).flag(causal).i32(q.shape[0]).i32(q.shape[1]).i32(k.shape[1]).i32(q.shape[2]).i32(v.shape[2]);
    }

    /** One block of ATTENTION_THREADS per unit of work; the kernels loop over units beyond the grid. */
    private void launchAttention(Kernel k, ArgWriter w, long units) {
        launch(k, w, (int) Math.min(units, multiprocessors * 32L), 1, 1, ATTENTION_THREADS);
    }

    // ---- the SPI's composed kernels with half operands: in float32 (HalfOperands), rounded once ----

    @Override
    public void biasActivationBackward(View gradX, View gradBias, View grad, View y, UnaryOp act) {
        Contract.biasActivationBackward(gradX, gradBias, grad, y);
        if (HalfOperands.any(gradX, gradBias, grad, y)) {
            HalfOperands.run(this, h -> biasActivationBackward(h.out(gradX), h.out(gradBias), h.in(grad), h.in(y), act));
            return;
        }
        Backend.super.biasActivationBackward(gradX, gradBias, grad, y, act);
    }

    @Override
    public void batchNormForward(View out, View mean, View var, View x, View weight, View bias, double eps) {
        Contract.batchNorm("batchNormForward", x, out, mean, var, weight, bias);
        if (HalfOperands.any(out, mean, var, x, weight, bias)) {
            HalfOperands.run(this, h -> batchNormForward(h.out(out), h.out(mean), h.out(var), h.in(x), h.in(weight), h.in(bias),
                    eps));
            return;
        }
        Backend.super.batchNormForward(out, mean, var, x, weight, bias, eps);
    }

    @Override
    public void batchNormBackward(View gradX, View gradWeight, View gradBias, View gradOut, View x, View mean, View var,
                                  View weight, double eps) {
        Contract.batchNorm("batchNormBackward", x, gradOut, mean, var, weight, gradX, gradWeight, gradBias);
        if (HalfOperands.any(gradX, gradWeight, gradBias, gradOut, x, mean, var, weight)) {
            HalfOperands.run(this, h -> batchNormBackward(h.out(gradX), h.out(gradWeight), h.out(gradBias), h.in(gradOut),
                    h.in(x), h.in(mean), h.in(var), h.in(weight), eps));
            return;
        }
        Backend.super.batchNormBackward(gradX, gradWeight, gradBias, gradOut, x, mean, var, weight, eps);
    }

    @Override
    public void conv2dForward(View out, View x, View weight, View bias, io.jgrad.spi.ConvGeometry g) {
        Contract.conv("conv2dForward", g, x, weight, out, bias);
        if (HalfOperands.any(out, x, weight, bias)) {
            HalfOperands.run(this, h -> conv2dForward(h.out(out), h.in(x), h.in(weight), h.in(bias), g));
            return;
        }
        Backend.super.conv2dForward(out, x, weight, bias, g);
    }

    @Override
    public void conv2dBackwardInput(View gradX, View gradOut, View weight, io.jgrad.spi.ConvGeometry g) {
        Contract.conv("conv2dBackwardInput", g, gradX, weight, gradOut, null);
        if (HalfOperands.any(gradX, gradOut, weight)) {
            HalfOperands.run(this, h -> conv2dBackwardInput(h.out(gradX), h.in(gradOut), h.in(weight), g));
            return;
        }
        Backend.super.conv2dBackwardInput(gradX, gradOut, weight, g);
    }

    @Override
    public void conv2dBackwardWeight(View gradWeight, View gradBias, View gradOut, View x, io.jgrad.spi.ConvGeometry g) {
        Contract.conv("conv2dBackwardWeight", g, x, gradWeight, gradOut, gradBias);
        if (HalfOperands.any(gradWeight, gradBias, gradOut, x)) {
            HalfOperands.run(this, h -> conv2dBackwardWeight(h.out(gradWeight), h.out(gradBias), h.in(gradOut), h.in(x), g));
            return;
        }
        Backend.super.conv2dBackwardWeight(gradWeight, gradBias, gradOut, x, g);
    }

    @Override
    public void pool2d(View out, View indices, View in, io.jgrad.spi.Pool2d p) {
        Contract.pool2d(out, indices, in, p);
        if (HalfOperands.any(out, in)) {
            HalfOperands.run(this, h -> pool2d(h.out(out), indices, h.in(in), p));
            return;
        }
        Backend.super.pool2d(out, indices, in, p);
    }

    @Override
    public void pool2dBackward(View gradIn, View grad, View indices, io.jgrad.spi.Pool2d p) {
        Contract.pool2dBackward(gradIn, grad, indices, p);
        if (HalfOperands.any(gradIn, grad)) {
            HalfOperands.run(this, h -> pool2dBackward(h.out(gradIn), h.in(grad), indices, p));
            return;
        }
        Backend.super.pool2dBackward(gradIn, grad, indices, p);
    }
}
