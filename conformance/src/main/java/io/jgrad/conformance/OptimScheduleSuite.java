package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;



import io.jgrad.Tensor;
import io.jgrad.optim.LrSchedule;
import io.jgrad.optim.SGD;
import io.jgrad.optim.Scheduler;
import java.util.List;


import org.junit.jupiter.api.Test;

/** Learning-rate schedules at chosen steps, their compositions, and a Scheduler driving an optimizer. */
public abstract class OptimScheduleSuite extends DeviceSuite {
    private static final double TOL = 1e-15;

    @Test
    void constant() {
        LrSchedule s = LrSchedule.constant(0.5);
        assertEquals(0.5, s.lr(0));
        assertEquals(0.5, s.lr(1_000_000));
    }

    @Test
    void stepDecay() {
        LrSchedule s = LrSchedule.step(1.0, 10, 0.5);
        assertEquals(1.0, s.lr(0));
        assertEquals(1.0, s.lr(9));
        assertEquals(0.5, s.lr(10));
        assertEquals(0.5, s.lr(19));
        assertEquals(0.25, s.lr(25));
        assertEquals(0.125, s.lr(30));
    }

    @Test
    void cosineAnnealing() {
        LrSchedule s = LrSchedule.cosine(1.0, 100, 0.0);
        assertEquals(1.0, s.lr(0), TOL);
        assertEquals(0.5 + Math.sqrt(2) / 4, s.lr(25), TOL); // (1 + cos(pi/4)) / 2
        assertEquals(0.5, s.lr(50), TOL);
        assertEquals(0.5 - Math.sqrt(2) / 4, s.lr(75), TOL);
        assertEquals(0.0, s.lr(100), TOL);
        assertEquals(0.0, s.lr(150), TOL);
        LrSchedule floor = LrSchedule.cosine(1.0, 100, 0.1);
        assertEquals(0.55, floor.lr(50), TOL);
        assertEquals(0.1, floor.lr(100), TOL);
        assertEquals(0.1, floor.lr(1000), TOL);
    }

    @Test
    void linearDecayMatchesMicrogradsDemo() {
        LrSchedule s = LrSchedule.linearDecay(1.0, 0.1, 100);
        for (int k = 0; k < 100; k++) assertEquals(1.0 - 0.9 * k / 100, s.lr(k), 1e-15, "step " + k);
        assertEquals(0.55, s.lr(50), TOL);
        assertEquals(0.1, s.lr(100), TOL);
        assertEquals(0.1, s.lr(500), TOL);
        LrSchedule up = LrSchedule.linearDecay(0.0, 2.0, 4); // also rises
        assertEquals(1.5, up.lr(3), TOL);
    }

    @Test
    void linearWarmupRampsThenHandsOver() {
        LrSchedule s = LrSchedule.linearWarmup(4, LrSchedule.constant(0.8));
        assertEquals(0.2, s.lr(0), TOL);
        assertEquals(0.4, s.lr(1), TOL);
        assertEquals(0.6, s.lr(2), TOL);
        assertEquals(0.8, s.lr(3), TOL);
        assertEquals(0.8, s.lr(4), TOL);
        assertEquals(0.8, s.lr(100), TOL);
        // the wrapped schedule starts its own count after the warmup
        LrSchedule cos = LrSchedule.linearWarmup(10, LrSchedule.cosine(1.0, 100, 0));
        assertEquals(0.1, cos.lr(0), TOL);
        assertEquals(0.5, cos.lr(4), TOL);
        assertEquals(1.0, cos.lr(10), TOL);
        assertEquals(0.5, cos.lr(60), TOL);
        assertEquals(0.0, cos.lr(110), TOL);
    }

    @Test
    void thenAndSequentialCompose() {
        LrSchedule s = LrSchedule.constant(1.0).then(5, LrSchedule.step(0.5, 2, 0.1));
        assertEquals(1.0, s.lr(4));
        assertEquals(0.5, s.lr(5));
        assertEquals(0.5, s.lr(6));
        assertEquals(0.05, s.lr(7), TOL);
        assertEquals(0.005, s.lr(9), TOL);

        LrSchedule seq = LrSchedule.sequential(List.of(LrSchedule.constant(1.0), LrSchedule.constant(0.5),
                LrSchedule.linearDecay(0.4, 0.0, 10)), 3, 7);
        assertEquals(1.0, seq.lr(0));
        assertEquals(1.0, seq.lr(2));
        assertEquals(0.5, seq.lr(3));
        assertEquals(0.5, seq.lr(6));
        assertEquals(0.4, seq.lr(7), TOL);
        assertEquals(0.2, seq.lr(12), TOL);
        assertEquals(0.0, seq.lr(17), TOL);
        assertEquals(0.0, seq.lr(100), TOL);

        // a lambda is a schedule too, and composes the same way
        LrSchedule halving = k -> 1.0 / (1L << Math.min(k, 60));
        LrSchedule warm = LrSchedule.linearWarmup(2, halving);
        assertEquals(0.5, warm.lr(0), TOL);
        assertEquals(1.0, warm.lr(1), TOL);
        assertEquals(1.0, warm.lr(2), TOL);
        assertEquals(0.25, warm.lr(4), TOL);
        assertTrue(warm.toString().startsWith("linearWarmup(2, "), warm.toString());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.step(1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.linearWarmup(0, LrSchedule.constant(1)));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.sequential(List.of(LrSchedule.constant(1), LrSchedule.constant(2)), 0));
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.sequential(List.of(LrSchedule.constant(1), LrSchedule.constant(2))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.cosine(1, 10, 0).lr(-1));
        assertTrue(e.getMessage().contains("cosine") && e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void schedulerSetsTheRateOfEachOptimizerStep() {
        Tensor p = Tensor.of(new double[]{0}, 1).requiresGrad(true);
        SGD opt = new SGD(List.of(p), 123);
        LrSchedule schedule = LrSchedule.linearDecay(1.0, 0.1, 100);
        Scheduler scheduler = new Scheduler(opt, schedule);
        assertEquals(1.0, opt.lr(), "creating the scheduler sets the rate for the first step");
        double moved = 0;
        for (int k = 0; k < 3; k++) {
            assertEquals(schedule.lr(k), opt.lr(), TOL, "rate of step " + k);
            p.setGrad(Tensor.of(new double[]{1}, 1));
            opt.step();
            moved += schedule.lr(k);
            scheduler.step();
        }
        assertEquals(3, scheduler.stepCount());
        assertEquals(1 - 0.9 * 3 / 100.0, scheduler.lr(), TOL);
        // p moved by lr(0) + lr(1) + lr(2) = 1 + 0.991 + 0.982
        assertEquals(-2.973, p.item(), 1e-14);
        assertEquals(-moved, p.item(), 1e-14);

        // an optimizer restored from state resumes the schedule where it stopped
        SGD restored = new SGD(List.of(Tensor.of(new double[]{0}, 1).requiresGrad(true)), 5);
        restored.loadStateDict(opt.stateDict());
        Scheduler resumed = new Scheduler(restored, schedule);
        assertEquals(3, resumed.stepCount());
        assertEquals(schedule.lr(3), restored.lr(), TOL);
    }
}
