package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;



import io.jgrad.Generator;
import io.jgrad.Grad;
import io.jgrad.Scope;
import io.jgrad.Tensor;
import io.jgrad.conformance.DeterminismSuite.Config;
import io.jgrad.conformance.DeterminismSuite.Trace;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.Tanh;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;


import org.junit.jupiter.api.Test;

/**
 * The threading contract of Tensor, Grad and Scope: independent graphs (separate models, data and optimizers) may be
 * built and backpropagated on several threads at once and give exactly the results they give one after another;
 * grad mode, anomaly mode and scopes belong to the thread that set them; a model that no thread trains may serve
 * inference (no-grad forward passes) to several threads at once. What is not supported: two threads using one graph
 * or one tensor that a backward pass writes (for example one model's parameters trained from two threads).
 */
public abstract class ConcurrencySuite extends DeviceSuite {

    private static final int THREADS = 4;

    /** Runs the tasks at once, each on its own thread, started together; returns their results in order. */
    private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CyclicBarrier start = new CyclicBarrier(tasks.size());
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get(120, TimeUnit.SECONDS));
                } catch (ExecutionException e) {
                    // report what went wrong on the thread (an assertion stays an assertion failure)
                    if (e.getCause() instanceof Error err) throw err;
                    if (e.getCause() instanceof RuntimeException re) throw re;
                    throw e;
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private void trainsLikeSerially(Config config, int steps) throws Exception {
        List<Trace> serial = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) serial.add(DeterminismSuite.train(config, 100 + t, steps));
        List<Callable<Trace>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 100 + t;
            tasks.add(() -> DeterminismSuite.train(config, seed, steps));
        }
        List<Trace> parallel = concurrently(tasks);
        for (int t = 0; t < THREADS; t++) {
            DeterminismSuite.assertBitIdentical(serial.get(t), parallel.get(t), "model " + t + " trained on its own thread while "
                    + (THREADS - 1) + " others trained, against the same model trained alone");
        }
    }

    @Test
    void fourThreadsTrainingSeparateModelsMatchSerialTrainingBitForBit() throws Exception {
        trainsLikeSerially(Config.SMALL, 200);
    }

    @Test
    void concurrentTrainingOfWideModelsSharesTheKernelThreadsSafely() throws Exception {
        // every thread's GEMMs and element-wise kernels split across the backend's worker threads at the same time
        trainsLikeSerially(Config.WIDE, 8);
    }

    @Test
    void gradModeAnomalyModeAndScopesArePerThread() throws Exception {
        CountDownLatch modesSet = new CountDownLatch(1);
        CountDownLatch otherChecked = new CountDownLatch(1);
        List<Callable<String>> tasks = new ArrayList<>();
        tasks.add(() -> {
            // thread A: no-grad, anomaly mode and an open scope, held while thread B works
            try (Grad.Mode noGrad = Grad.disabled(); Grad.Mode anomaly = Grad.detectAnomaly(); Scope scope = Scope.open()) {
                Tensor a = Tensor.ones(3).requiresGrad(true).mul(2);
                modesSet.countDown();
                assertTrue(otherChecked.await(60, TimeUnit.SECONDS));
                assertFalse(a.requiresGrad(), "no-grad mode on this thread records nothing");
                assertTrue(Grad.isAnomalyDetectionEnabled());
                return "A";
            }
        });
        tasks.add(() -> {
            assertTrue(modesSet.await(60, TimeUnit.SECONDS));
            try {
                assertTrue(Grad.isEnabled(), "another thread's Grad.disabled() must not turn grad off here");
                assertFalse(Grad.isAnomalyDetectionEnabled(), "another thread's anomaly mode must not apply here");
                Tensor x = Tensor.ones(3).requiresGrad(true);
                Tensor y = x.mul(x).sum();
                assertTrue(y.requiresGrad(), "ops on this thread are recorded");
                y.backward();
                assertEquals(2.0, x.grad().toDoubleArray()[0], 0.0);
                // x was created outside any scope of this thread, so A's scope cannot close it
                return "B";
            } finally {
                otherChecked.countDown();
            }
        });
        assertEquals(List.of("A", "B"), concurrently(tasks));
    }

    @Test
    void tensorsMadeOnAnotherThreadOutliveThatThreadsScope() throws Exception {
        // a scope closes what its own thread made inside it, never what other threads made meanwhile
        CountDownLatch scopeOpen = new CountDownLatch(1);
        CountDownLatch made = new CountDownLatch(1);
        Tensor[] fromB = new Tensor[1];
        List<Callable<Boolean>> tasks = new ArrayList<>();
        tasks.add(() -> {
            try (Scope ignored = Scope.open()) {
                scopeOpen.countDown();
                assertTrue(made.await(60, TimeUnit.SECONDS));
            }
            return true;
        });
        tasks.add(() -> {
            assertTrue(scopeOpen.await(60, TimeUnit.SECONDS));
            fromB[0] = Tensor.full(5, 4);
            made.countDown();
            return true;
        });
        concurrently(tasks);
        assertFalse(fromB[0].isClosed(), "thread A's scope closed a tensor that thread B made");
        assertEquals(20.0, fromB[0].sum().item(), 0.0);
    }

    @Test
    void oneModelServesNoGradInferenceToFourThreadsAtOnce() throws Exception {
        Generator gen = new Generator(5);
        Sequential model = new Sequential(new Linear(48, 96, gen), new Tanh(), new Linear(96, 7, gen));
        model.eval();
        List<float[]> serial = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) serial.add(infer(model, t));
        List<Callable<float[]>> tasks = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int id = t;
            tasks.add(() -> infer(model, id));
        }
        List<float[]> parallel = concurrently(tasks);
        for (int t = 0; t < THREADS; t++) {
            float[] a = serial.get(t), b = parallel.get(t);
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                    throw new AssertionError("thread " + t + ", output element " + i + ": " + b[i] + " concurrently, "
                            + a[i] + " alone");
                }
            }
        }
        for (var p : model.parameters()) assertNull(p.grad(), "inference must not touch parameter gradients");
    }

    /** 50 no-grad batches through a shared model; returns all outputs. */
    private static float[] infer(Sequential model, int thread) {
        float[] out = new float[50 * 16 * 7];
        for (int i = 0; i < 50; i++) {
            try (Grad.Mode ignored = Grad.disabled(); Scope scope = Scope.open()) {
                float[] y = model.forward(Tensor.randn(new Generator(1000L * thread + i), 16, 48)).toFloatArray();
                System.arraycopy(y, 0, out, i * y.length, y.length);
            }
        }
        return out;
    }
}
