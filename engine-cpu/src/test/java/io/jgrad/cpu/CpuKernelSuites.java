package io.jgrad.cpu;

/**
 * The backend the kernel conformance suites ({@code Cpu*KernelConformanceTest}, one per SPI family) run on. The
 * engine-cpu build runs them twice: with the Vector API module and without it (the scalar FloatSimd, plain SGEMM).
 */
final class CpuKernelSuites {
    static final CpuBackend CPU = new CpuBackend();

    private CpuKernelSuites() {
    }
}
