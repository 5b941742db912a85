package io.jgrad.cpu.suites;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.conformance.DeterminismSuite;
import io.jgrad.conformance.DeterminismSuite.Config;
import io.jgrad.conformance.DeterminismSuite.Trace;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The CPU backend's promise that results do not depend on the thread count: every output element of every kernel is
 * computed by one thread in an order fixed by the data's shape, and work is split only at whole GEMM micro-tiles,
 * rows or column blocks. The thread count is fixed when the JVM starts (from availableProcessors), so this test trains
 * the wide model here and in child JVMs started with -XX:ActiveProcessorCount=1 and =3, and compares every bit.
 */
class CpuDeterminismThreadsTest {
    private static final long SEED = 23;
    private static final int STEPS = 25;

    @AfterEach
    void resetDefaultDevice() {
        Backends.setDefaultDevice(null);
    }

    /** The child process: trains and prints the trace, one line per step. */
    public static void main(String[] args) {
        Backends.setDefaultDevice(Device.CPU);
        Trace t = DeterminismSuite.train(Config.WIDE, SEED, STEPS);
        StringBuilder sb = new StringBuilder();
        sb.append("threads ").append(Runtime.getRuntime().availableProcessors()).append('\n');
        for (String line : t.lines()) sb.append("TRACE ").append(line).append('\n');
        System.out.print(sb);
        System.out.flush();
    }

    @Test
    void wideTrainingIsBitIdenticalOnOneTwoAndThreeThreads() throws Exception {
        Backends.setDefaultDevice(Device.CPU);
        List<String> here = DeterminismSuite.train(Config.WIDE, SEED, STEPS).lines();
        int hereThreads = Runtime.getRuntime().availableProcessors();
        for (int threads : new int[]{1, 3}) {
            List<String> child = ChildJvm.traceOnThreads(CpuDeterminismThreadsTest.class, threads);
            for (int i = 0; i < Math.min(here.size(), child.size()); i++) {
                assertEquals(here.get(i), child.get(i), "training on " + hereThreads + " threads (this JVM) and on "
                        + threads + " (a child JVM) first differs at line " + i);
            }
            assertEquals(here.size(), child.size(), "trace length on " + threads + " threads");
        }
    }
}
