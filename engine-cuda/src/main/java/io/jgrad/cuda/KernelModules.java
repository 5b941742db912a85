package io.jgrad.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import jcuda.driver.CUcontext;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;

/** The PTX modules, JIT-compiled by the driver for this GPU, and a handle for every kernel, looked up once. */
final class KernelModules implements AutoCloseable {
    private final CUmodule[] modules = new CUmodule[Kernel.Module.values().length];
    private final CUfunction[] functions = new CUfunction[Kernel.values().length];

    private KernelModules() {
    }

    /**
     * Loads every module into the context, one thread per module: the driver JIT-compiles PTX on the calling
     * thread, so this turns the first start's compile time from the sum of the modules into the largest one.
     * On failure it unloads what it loaded and throws the first error, which names the module.
     */
    static KernelModules load(CUcontext context) {
        KernelModules km = new KernelModules();
        Kernel.Module[] all = Kernel.Module.values();
        RuntimeException[] failures = new RuntimeException[all.length];
        Thread[] threads = new Thread[all.length];
        for (int i = 0; i < all.length; i++) {
            int index = i;
            threads[i] = new Thread(() -> {
                try {
                    Cuda.check(cuCtxSetCurrent(context), "cuCtxSetCurrent", "loading " + all[index].fileName());
                    km.load(all[index]);
                } catch (RuntimeException e) {
                    failures[index] = e;
                }
            }, "jgrad-cuda-jit-" + all[i].fileName());
            threads[i].start();
        }
        try {
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading the CUDA kernels", e);
        }
        for (RuntimeException f : failures) {
            if (f != null) {
                km.close();
                throw f;
            }
        }
        return km;
    }

    private void load(Kernel.Module m) {
        byte[] ptx = ptx(m);
        byte[] text = Arrays.copyOf(ptx, ptx.length + 1); // the driver reads a NUL-terminated string
        CUmodule module = new CUmodule();
        Cuda.check(cuModuleLoadData(module, text), "cuModuleLoadData", m.fileName());
        modules[m.ordinal()] = module;
        for (Kernel k : Kernel.values()) {
            if (k.module != m) continue;
            CUfunction f = new CUfunction();
            Cuda.check(cuModuleGetFunction(f, module, k.entry), "cuModuleGetFunction", k.entry + " in " + m.fileName());
            functions[k.ordinal()] = f;
        }
    }

    CUfunction function(Kernel k) {
        return functions[k.ordinal()];
    }

    /** The committed PTX text of a module, from the class path. */
    static byte[] ptx(Kernel.Module m) {
        String path = "ptx/" + m.fileName();
        try (InputStream in = KernelModules.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing resource io/jgrad/cuda/" + path + " (engine-cuda jar is incomplete)");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading io/jgrad/cuda/" + path, e);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < modules.length; i++) {
            if (modules[i] != null) cuModuleUnload(modules[i]); // best effort while tearing down
            modules[i] = null;
        }
    }
}
