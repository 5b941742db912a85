package io.jgrad.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;

import io.jgrad.DType;
import io.jgrad.spi.Buffer;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.ScalarMath;
import io.jgrad.spi.UnaryOp;
import io.jgrad.spi.View;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;

/**
 * Prints what CUDA support this machine has and what is missing, ending with a one-line verdict.
 * Run: {@code java -cp <engine-cuda and its dependencies> io.jgrad.cuda.Doctor}. Exit status 0 when the backend works.
 */
public final class Doctor {
    private Doctor() {
    }

    public static void main(String[] args) {
        System.exit(run(System.out) ? 0 : 1);
    }

    /** Prints the report; true when the cuda backend works here. */
    static boolean run(PrintStream out) {
        out.println("jgrad CUDA doctor");
        line(out, "java", System.getProperty("java.version") + " (" + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        CudaProbe.Result probe = CudaProbe.result();
        if (!probe.nativesLoaded()) {
            line(out, "JCuda natives", "NOT loaded: " + probe.loadDetail());
            out.println("VERDICT: the cuda backend cannot run: " + probe.availability().reason());
            return false;
        }
        line(out, "JCuda natives", "loaded");
        line(out, "driver", probe.driverVersion() == 0 ? "not usable" : "supports CUDA " + CudaProbe.versionString(probe.driverVersion()));
        line(out, "devices", String.valueOf(probe.deviceCount()));
        for (int i = 0; i < probe.deviceCount(); i++) line(out, "  cuda:" + i, describeDevice(i));
        if (!probe.availability().available()) {
            out.println("VERDICT: the cuda backend cannot run: " + probe.availability().reason());
            return false;
        }

        String cublasFailure = Cublas.loadFailure();
        line(out, "cuBLAS", cublasFailure == null ? "loaded: " + cublasLibraries() : "NOT loaded: " + cublasFailure);

        CudaBackend backend;
        long start = System.nanoTime();
        try {
            backend = new CudaBackend(0);
        } catch (RuntimeException e) {
            line(out, "PTX modules", "FAILED: " + e.getMessage());
            out.println("VERDICT: the cuda backend cannot start on cuda:0: " + e.getMessage());
            return false;
        }
        try (backend) {
            line(out, "PTX modules", Kernel.Module.values().length + " loaded, " + Kernel.values().length + " kernels ("
                    + (System.nanoTime() - start) / 1_000_000 + " ms including the driver's JIT compile)");
            line(out, "GEMM", backend.gemmImplementation());
            String smoke = smokeTest(backend);
            line(out, "smoke test", smoke == null ? "passed (exp and a 2x2 GEMM)" : "FAILED: " + smoke);
            if (smoke != null) {
                out.println("VERDICT: the cuda backend starts but computes wrong results: " + smoke);
                return false;
            }
            if (cublasFailure != null || backend.gemmImplementation().startsWith("jgrad")) {
                out.println("VERDICT: usable on cuda:0 (" + backend.deviceName() + "), but matrix products use the slower fallback kernel; to fix: "
                        + Cublas.FIX);
            } else {
                out.println("VERDICT: ready: cuda:0 (" + backend.deviceName() + ") with " + backend.gemmImplementation());
            }
            return true;
        }
    }

    private static void line(PrintStream out, String what, String value) {
        out.printf("  %-14s %s%n", what, value);
    }

    private static String describeDevice(int index) {
        CUdevice d = new CUdevice();
        if (cuDeviceGet(d, index) != 0) return "cannot be opened";
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, d);
        int[] major = new int[1];
        int[] minor = new int[1];
        cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, d);
        cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, d);
        long[] bytes = new long[1];
        cuDeviceTotalMem(bytes, d);
        String text = new String(name, StandardCharsets.US_ASCII).trim().replace("\0", "");
        return text + ", compute capability " + major[0] + "." + minor[0] + ", " + CachingAllocator.human(bytes[0])
                + (major[0] * 10 + minor[0] < 60 ? " (TOO OLD: float64 atomics need 6.0+)" : "");
    }

    /** Which libcublas files this process mapped, and whether libcublas.so.12 is jgrad's forwarding shim. */
    private static String cublasLibraries() {
        Set<String> paths = new LinkedHashSet<>();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = l.indexOf('/');
                if (slash >= 0 && l.contains("libcublas")) paths.add(l.substring(slash));
            }
        } catch (IOException | RuntimeException e) {
            return "(cannot read /proc/self/maps: " + e + ")";
        }
        StringBuilder sb = new StringBuilder();
        for (String p : paths) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(p);
            if (p.contains("libcublas.so.12") && isShim(Path.of(p))) sb.append(" (jgrad shim)");
        }
        return sb.length() == 0 ? "(no libcublas mapped)" : sb.toString();
    }

    private static boolean isShim(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains("jgrad-cublas-shim");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A tiny end-to-end check against the float64 reference; null when it passes. */
    private static String smokeTest(CudaBackend b) {
        try (Buffer x = b.upload(new double[]{-1.5, 0, 2}); Buffer y = b.allocate(DType.FLOAT64, 3);
             Buffer m = b.upload(new float[]{1, 2, 3, 4}); Buffer p = b.allocate(DType.FLOAT32, 4)) {
            b.unary(UnaryOp.EXP, View.contiguous(y, 3), View.contiguous(x, 3), 0, 0);
            double[] got = new double[3];
            b.download(y, 0, got, 0, 3);
            double[] in = {-1.5, 0, 2};
            for (int i = 0; i < 3; i++) {
                double want = ScalarMath.unary(UnaryOp.EXP, in[i], 0, 0);
                if (Math.abs(got[i] - want) > 1e-14 * Math.abs(want)) return "exp(" + in[i] + ") gave " + got[i] + ", expected " + want;
            }
            b.gemm(new Gemm(false, false, 1, 2, 2, 2, 1, m, 0, 2, 0, m, 0, 2, 0, 0, p, 0, 2, 0, false));
            float[] prod = new float[4];
            b.download(p, 0, prod, 0, 4);
            float[] want = {7, 10, 15, 22}; // [[1,2],[3,4]] squared
            for (int i = 0; i < 4; i++) if (prod[i] != want[i]) return "GEMM gave " + java.util.Arrays.toString(prod) + ", expected [7, 10, 15, 22]";
            return null;
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}
