package io.jgrad.cuda;

import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;

import io.jgrad.spi.Availability;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out once per process whether CUDA can run here, and if not exactly why. Never throws: a failed native load
 * leaves JCuda's classes unusable for the rest of the process, so the first answer is the only one.
 */
final class CudaProbe {
    private static final Logger LOG = LoggerFactory.getLogger(CudaProbe.class);

    /** The kernels are PTX ISA 8.0, which drivers from CUDA 12.0 on accept. */
    static final int MIN_DRIVER_VERSION = 12000;

    /** What the probe saw; the numbers are 0 when it stopped before reading them. */
    record Result(Availability availability, boolean nativesLoaded, int driverVersion, int deviceCount, String loadDetail) {
        Result(Availability availability, boolean nativesLoaded, int driverVersion, int deviceCount) {
            this(availability, nativesLoaded, driverVersion, deviceCount, null);
        }
    }

    private static volatile Result cached;

    private CudaProbe() {
    }

    static Result result() {
        Result r = cached;
        if (r == null) {
            synchronized (CudaProbe.class) {
                if (cached == null) cached = probe();
                r = cached;
            }
        }
        return r;
    }

    static Availability availability() {
        return result().availability();
    }

    private static Result probe() {
        try {
            JCudaDriver.setExceptionsEnabled(false); // loads JCuda's native library, which links libcuda.so.1
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("JCuda's native library did not load: {}", Cuda.linkFailure(e));
            return new Result(loadFailure(e), false, 0, 0, describeLoadFailure(e));
        }
        try {
            int r = cuInit(0);
            if (r != CUresult.CUDA_SUCCESS) {
                return new Result(Availability.no("cuInit failed: " + CUresult.stringFor(r) + hint(r)), true, 0, 0);
            }
            int[] version = new int[1];
            Cuda.check(cuDriverGetVersion(version), "cuDriverGetVersion");
            int[] count = new int[1];
            r = cuDeviceGetCount(count);
            if (r != CUresult.CUDA_SUCCESS) {
                return new Result(Availability.no("cuDeviceGetCount failed: " + CUresult.stringFor(r)), true, version[0], 0);
            }
            if (count[0] == 0) {
                return new Result(Availability.no("the CUDA driver (" + versionString(version[0]) + ") sees no device"), true, version[0], 0);
            }
            if (version[0] < MIN_DRIVER_VERSION) {
                return new Result(Availability.no("the NVIDIA driver supports CUDA " + versionString(version[0])
                        + ", but jgrad's kernels need CUDA 12.0 or newer: update the driver"), true, version[0], count[0]);
            }
            return new Result(Availability.yes(count[0] + " device(s), driver for CUDA " + versionString(version[0])),
                    true, version[0], count[0]);
        } catch (LinkageError | RuntimeException e) {
            return new Result(Availability.no("probing CUDA failed: " + e), true, 0, 0);
        }
    }

    /**
     * Why JCuda's natives did not load. No libcuda.so.1 at all is the normal state of a machine without an NVIDIA
     * driver, so that is {@link Availability#absent} with one short clause (the loader's message, which names a
     * temporary file, goes to DEBUG and to {@link Doctor}); anything else is a real failure.
     */
    static Availability loadFailure(Throwable e) {
        String detail = Cuda.linkFailure(e);
        if (isDriverMissing(detail)) return Availability.absent(NO_DRIVER);
        return Availability.no("JCuda's native library failed to load: " + detail);
    }

    static final String NO_DRIVER = "no NVIDIA driver (libcuda.so.1 not found)";

    /** The loader could not find the driver library itself, rather than failing to load one that is there. */
    static boolean isDriverMissing(String linkFailure) {
        return linkFailure.contains("libcuda.so") && linkFailure.contains("cannot open shared object file");
    }

    /** The long form, for Doctor and explicit requests: the loader's own words and what to do. */
    static String describeLoadFailure(Throwable e) {
        String detail = Cuda.linkFailure(e);
        if (isDriverMissing(detail)) {
            return "the NVIDIA driver library libcuda.so.1 was not found (" + detail + "); install the NVIDIA driver, "
                    + "or in a container run with the GPU enabled (e.g. docker --gpus all)";
        }
        return "JCuda's native library failed to load: " + detail;
    }

    private static String hint(int result) {
        if (result == CUresult.CUDA_ERROR_NO_DEVICE) return " (no CUDA-capable device is visible; check CUDA_VISIBLE_DEVICES and nvidia-smi)";
        if (result == CUresult.CUDA_ERROR_STUB_LIBRARY) return " (libcuda.so.1 is the toolkit's stub; put the driver's libcuda.so.1 first on the library path)";
        if (result == CUresult.CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE) {
            return " (a CUDA forward-compatibility libcuda is on the library path but this GPU does not support it)";
        }
        return "";
    }

    static String versionString(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }
}
