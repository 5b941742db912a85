package io.jgrad.bench;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.Tensor;

/** What every benchmark shares: the JVM flags of its forks and the device it runs on. */
final class BenchSupport {
    private BenchSupport() {
    }

    static {
        // The benchmarks measure the steady state of a long run: the CPU backend's Vector API kernels from the first
        // call, not the scalar twins a run starts on (JMH's warm-up is shorter than the twins' threshold). Set before
        // any benchmark touches a tensor: every one calls useDevice in its setup. -Djgrad.cpu.warmup=on keeps the twins.
        if (System.getProperty("jgrad.cpu.warmup") == null) System.setProperty("jgrad.cpu.warmup", "off");
    }

    /** Added to every fork by default: the CPU backend's SIMD kernels need the incubating Vector API module. */
    static final String VECTOR_MODULE = "--add-modules=jdk.incubator.vector";

    /**
     * Marks a fork that deliberately runs without the Vector API module (so the CPU backend takes its plain-Java
     * path). The property itself changes nothing; it only makes the choice visible in JMH's "VM options" line.
     */
    static final String NO_VECTOR_MODULE = "-Djgrad.bench.vectorModule=absent";

    /** Makes {@code spec} ("cpu", "cuda", "cuda:1") the default device of the fork and returns it. */
    static Device useDevice(String spec) {
        Device device = Device.parse(spec);
        Backends.setDefaultDevice(device);
        return device;
    }

    /**
     * Waits for the kernels that produced {@code result}, then frees it: device backends run asynchronously, so
     * without the wait a benchmark would time only the launches; without the close, device memory would pile up
     * until the garbage collector ran.
     */
    static Tensor finish(Device device, Tensor result) {
        Backends.get(device).synchronize();
        result.close();
        return result;
    }
}
