package io.jgrad.bench;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.spi.Backend;
import io.jgrad.spi.Gemm;
import io.jgrad.spi.View;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A diagnostic, not a benchmark: the time of every backend call of {@link GptStepBenchmark}'s step, aggregated by
 * kernel and by kernel and shape, in the calling thread's CPU time (robust on a shared machine with one thread;
 * -Dprof.wall=true for wall time). It wraps the CPU backend in a proxy (through Backends' private instance map)
 * before the first tensor, so only the calls that engine-api makes are seen, not a kernel's own calls. Options:
 * -Dprof.callers=true adds the engine-api method that called each kernel to its key; -Dprof.isolated=true then times
 * the step's matrix products alone in the same JVM, -Dprof.isolatedFirst=true before the step, and
 * -Dprof.isolatedOnly=true only them (a product that is slower in the step's JVM than in a fresh one points at the
 * compiled code, as the spilled GEMM accumulator did).
 * <pre>
 * java -Djgrad.cpu.threads=1 --add-modules jdk.incubator.vector -cp benchmarks/target/benchmarks.jar \
 *     io.jgrad.bench.StepProfile [warm-up steps, 300] [measured steps, 300]
 * </pre>
 * benchmarks/scripts/torch_step_ops.py prints PyTorch's table for the same step.
 */
public final class StepProfile {
    static final class Stat {
        long calls;
        long nanos;
    }

    static final Map<String, Stat> STATS = new HashMap<>();
    static boolean on;
    static final boolean CALLERS = Boolean.getBoolean("prof.callers");
    static final StackWalker WALKER = StackWalker.getInstance();

    public static void main(String[] args) throws Exception {
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        if (System.getProperty("jgrad.cpu.warmup") == null) System.setProperty("jgrad.cpu.warmup", "off");
        Backend real = Backends.get(Device.CPU);
        Backend proxy = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                new Handler(real));
        Field f = Backends.class.getDeclaredField("INSTANCES");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<Device, Backend> map = (Map<Device, Backend>) f.get(null);
        map.put(Device.CPU, proxy);
        GptStepBenchmark b = new GptStepBenchmark();
        b.device = "cpu";
        b.setUp();
        if (Boolean.getBoolean("prof.isolatedOnly")) {
            isolated(steps);
            isolated(steps);
            return;
        }
        if (Boolean.getBoolean("prof.isolatedFirst")) isolated(steps);
        for (int i = 0; i < warm; i++) b.step();
        // plain timing, profiler off but proxy in place
        long[] times = new long[steps];
        for (int i = 0; i < steps; i++) {
            long t0 = System.nanoTime();
            b.step();
            times[i] = System.nanoTime() - t0;
        }
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        on = true;
        long t0 = now();
        for (int i = 0; i < steps; i++) b.step();
        long total = now() - t0;
        on = false;
        List<Map.Entry<String, Stat>> rows = new ArrayList<>(STATS.entrySet());
        rows.sort((x, y) -> Long.compare(y.getValue().nanos, x.getValue().nanos));
        long sum = 0;
        long calls = 0;
        Map<String, Stat> byMethod = new HashMap<>();
        for (var e : rows) {
            sum += e.getValue().nanos;
            calls += e.getValue().calls;
            Stat s = byMethod.computeIfAbsent(e.getKey().split(" ")[0], k -> new Stat());
            s.calls += e.getValue().calls;
            s.nanos += e.getValue().nanos;
        }
        System.out.printf("step (proxy, profiler off): median %.1f us, min %.1f us%n", sorted[steps / 2] / 1e3, sorted[0] / 1e3);
        System.out.printf("(%s) step (profiled): %.1f us; in backend calls %.1f us (%d calls/step); outside %.1f us%n",
                CPU_TIME ? "thread cpu time" : "wall time", total / 1e3 / steps, sum / 1e3 / steps, calls / steps, (total - sum) / 1e3 / steps);
        System.out.println("\n-- by kernel --");
        List<Map.Entry<String, Stat>> mrows = new ArrayList<>(byMethod.entrySet());
        mrows.sort((x, y) -> Long.compare(y.getValue().nanos, x.getValue().nanos));
        for (var e : mrows) {
            System.out.printf("%9.1f us/step %6.1f%% %5d calls/step  %s%n", e.getValue().nanos / 1e3 / steps,
                    100.0 * e.getValue().nanos / total, e.getValue().calls / steps, e.getKey());
        }
        printRows(rows, total, steps);
        if (Boolean.getBoolean("prof.isolated")) isolated(steps);
    }

    static void isolated(int steps) {
        STATS.clear();
        int[][] shapes = { // m, n, k, transA, transB
            {512, 192, 64, 0, 1}, {512, 64, 192, 0, 0}, {192, 64, 512, 1, 0},
            {512, 256, 64, 0, 1}, {512, 64, 256, 0, 0}, {256, 64, 512, 1, 0},
            {512, 64, 256, 0, 1}, {512, 256, 64, 0, 0}, {64, 256, 512, 1, 0},
            {512, 64, 64, 0, 1}, {512, 64, 64, 0, 0}, {64, 64, 512, 1, 0}};
        try (io.jgrad.Grad.Mode ignored = io.jgrad.Grad.disabled()) {
            for (int rep = 0; rep < 2; rep++) {
                STATS.clear();
                for (int[] s : shapes) {
                    io.jgrad.Tensor a = s[3] == 1 ? io.jgrad.Tensor.randn(s[2], s[0]).t() : io.jgrad.Tensor.randn(s[0], s[2]);
                    io.jgrad.Tensor b = s[4] == 1 ? io.jgrad.Tensor.randn(s[1], s[2]).t() : io.jgrad.Tensor.randn(s[2], s[1]);
                    on = false;
                    for (int i = 0; i < 200; i++) a.matmul(b).close();
                    on = true;
                    for (int i = 0; i < steps; i++) a.matmul(b).close();
                    on = false;
                }
            }
        }
        List<Map.Entry<String, Stat>> rows = new ArrayList<>(STATS.entrySet());
        rows.sort((x, y) -> Long.compare(y.getValue().nanos, x.getValue().nanos));
        System.out.println("\n-- isolated products --");
        long sum = 0;
        for (var e : rows) sum += e.getValue().nanos;
        printRows(rows, Math.max(1, sum), steps);
    }

    static void printRows(List<Map.Entry<String, Stat>> rows, long total, int steps) {
        System.out.println("\n-- by kernel and shape --");
        for (var e : rows) {
            Stat s = e.getValue();
            if (s.nanos / 1e3 / steps < 5) continue;
            System.out.printf("%9.1f us/step %5.1f%% %4d calls/step %8.2f us/call  %s%n", s.nanos / 1e3 / steps,
                    100.0 * s.nanos / total, s.calls / steps, s.nanos / 1e3 / s.calls, e.getKey());
        }
    }

    static final class Handler implements InvocationHandler {
        final Backend real;

        Handler(Backend real) {
            this.real = real;
        }

        @Override
        public Object invoke(Object p, Method m, Object[] args) throws Throwable {
            if (!on) {
                try {
                    return m.invoke(real, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
            String key = key(m, args);
            long t0 = now();
            Object r;
            try {
                r = m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            long dt = now() - t0;
            Stat s = STATS.computeIfAbsent(key, k -> new Stat());
            s.calls++;
            s.nanos += dt;
            return r;
        }
    }

    static String key(Method m, Object[] args) {
        StringBuilder sb = new StringBuilder(m.getName());
        if (args != null) {
            for (Object a : args) {
                sb.append(' ');
                if (a instanceof View v) {
                    sb.append(Arrays.toString(v.shape).replace(" ", ""));
                    if (!contiguous(v)) sb.append("s").append(Arrays.toString(v.strides).replace(" ", ""));
                } else if (a instanceof Gemm g) {
                    sb.append("b").append(g.batch()).append(" m").append(g.m()).append(" n").append(g.n()).append(" k")
                            .append(g.k()).append(g.transA() ? " tA" : "").append(g.transB() ? " tB" : "")
                            .append(g.beta() != 0 ? " beta" + g.beta() : "");
                } else if (a instanceof Enum<?> e) {
                    sb.append(e.name());
                } else if (a instanceof Number n) {
                    if (m.getName().equals("allocate")) sb.append(n);
                } else if (a != null && !(a instanceof io.jgrad.spi.Buffer)) {
                    sb.append(a.getClass().getSimpleName());
                }
            }
        }
        if (CALLERS) {
            Optional<String> caller = WALKER.walk(st -> st
                    .filter(fr -> fr.getClassName().startsWith("io.jgrad.") && !fr.getClassName().startsWith("io.jgrad.spi.")
                            && !fr.getClassName().startsWith("io.jgrad.bench.StepProfile")
                            && !fr.getClassName().equals("io.jgrad.Tensor") && !fr.getClassName().equals("io.jgrad.Storage")
                            && !fr.getClassName().equals("io.jgrad.Allocation"))
                    .findFirst().map(fr -> fr.getClassName().substring(9) + "." + fr.getMethodName()));
            sb.append("  <- ").append(caller.orElse("?"));
        }
        return sb.toString();
    }

    static final boolean CPU_TIME = !Boolean.getBoolean("prof.wall");
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    static long now() {
        return CPU_TIME ? MX.getCurrentThreadCpuTime() : System.nanoTime();
    }

    static boolean contiguous(View v) {
        long[] c = View.contiguousStrides(v.shape);
        for (int i = 0; i < c.length; i++) if (v.shape[i] != 1 && c[i] != v.strides[i]) return false;
        return true;
    }
}
