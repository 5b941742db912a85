package io.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.Backends;
import io.jgrad.Device;
import io.jgrad.Generator;
import io.jgrad.Tensor;
import io.jgrad.nn.Linear;
import io.jgrad.nn.Module;
import io.jgrad.nn.Sequential;
import io.jgrad.nn.Tanh;
import io.jgrad.optim.Adam;
import io.jgrad.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real checkpoint file (a small MLP and its Adam state) cut at every byte position: each cut file must be refused
 * with a {@link CheckpointException}, and restoring from it must leave the model and optimizer exactly as they were.
 */
class CheckpointTruncationTest {
    @TempDir
    Path dir;

    @BeforeEach
    void useCpu() {
        Backends.setDefaultDevice(Device.CPU);
    }

    @AfterEach
    void reset() {
        Backends.setDefaultDevice(null);
    }

    private static Module mlp(long seed) {
        Generator g = new Generator(seed);
        return new Sequential(new Linear(3, 4, g), new Tanh(), new Linear(4, 2, g));
    }

    private static void step(Module m, Optimizer opt) {
        opt.zeroGrad();
        m.forward(Tensor.of(new float[]{0.5f, -1, 2, 1, 0, -0.5f}, 2, 3)).square().mean().backward();
        opt.step();
    }

    private static Map<String, float[]> values(Map<String, Tensor> state) {
        Map<String, float[]> out = new LinkedHashMap<>();
        state.forEach((k, v) -> out.put(k, v.toFloatArray()));
        return out;
    }

    private static void assertSameValues(Map<String, float[]> expected, Map<String, float[]> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (String k : expected.keySet()) assertArrayEquals(expected.get(k), actual.get(k), what + " " + k);
    }

    @Test
    void everyTruncationIsRefusedAndTouchesNothing() throws IOException {
        Module trained = mlp(1);
        Optimizer trainedOpt = new Adam(trained.parameters(), 0.01);
        step(trained, trainedOpt);
        Path good = dir.resolve("good.ckpt");
        Checkpoint.save(good, trained, trainedOpt, Map.of("epoch", "1"));
        byte[] bytes = Files.readAllBytes(good);

        Module model = mlp(2);
        Optimizer opt = new Adam(model.parameters(), 0.01);
        step(model, opt);
        Map<String, float[]> modelBefore = values(model.stateDict());
        Map<String, float[]> optBefore = values(opt.stateDict());

        Path cut = dir.resolve("cut.ckpt");
        for (int len = 0; len < bytes.length; len++) {
            Files.write(cut, Arrays.copyOf(bytes, len));
            try {
                Checkpoint.restore(cut, model, opt);
                fail("a checkpoint cut to " + len + " of " + bytes.length + " bytes was accepted");
            } catch (CheckpointException expected) {
                assertTrue(expected.getMessage().startsWith(cut.toString()), "the message names the file: " + expected.getMessage());
            } catch (Throwable t) {
                throw new AssertionError("a checkpoint cut to " + len + " bytes raised " + t, t);
            }
        }
        assertSameValues(modelBefore, values(model.stateDict()), "model");
        assertSameValues(optBefore, values(opt.stateDict()), "optimizer");

        // the whole file restores, so the refusals above were about the cuts alone
        Checkpoint.restore(good, model, opt);
        assertSameValues(values(trained.stateDict()), values(model.stateDict()), "restored model");
        assertSameValues(values(trainedOpt.stateDict()), values(opt.stateDict()), "restored optimizer");
    }
}
