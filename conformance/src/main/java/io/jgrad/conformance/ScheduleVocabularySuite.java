package io.jgrad.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.Tensor;
import io.jgrad.optim.Adagrad;
import io.jgrad.optim.Adam;
import io.jgrad.optim.LrSchedule;
import io.jgrad.optim.OneCycle;
import io.jgrad.optim.Optimizer;
import io.jgrad.optim.ParamGroup;
import io.jgrad.optim.ReduceLROnPlateau;
import io.jgrad.optim.SGD;
import io.jgrad.optim.Schedule;
import io.jgrad.optim.Scheduler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Learning-rate schedules against PyTorch's torch.optim.lr_scheduler, step by step over 20 steps, on an optimizer
 * with two parameter groups of different initial rates (0.1 and 0.02): MultiStep, Step, Exponential, Linear, Cosine,
 * OneCycle (with its momentum or beta1), CosineAnnealingWarmRestarts, linear warm-ups composed with other schedules,
 * and ReduceLROnPlateau; resuming from a state dict; bad input.
 */
public abstract class ScheduleVocabularySuite extends DeviceSuite {
    private static final int STEPS = 20;
    private static final double TOL = 1e-13;

    private static List<Tensor> params() {
        double[][] p0 = OptimVocabularyReference.P0;
        return List.of(Tensor.of(p0[0].clone(), 2, 3).requiresGrad(true), Tensor.of(p0[1].clone(), 2).requiresGrad(true));
    }

    /** The reference script's optimizers: SGD (momentum 0.9) or Adam, groups with lr 0.1 and 0.02. */
    private static Optimizer twoGroups(boolean adam) {
        List<Tensor> ps = params();
        if (adam) return Adam.builder().lr(0.1).params(ps.subList(0, 1)).group(ps.subList(1, 2), g -> g.lr(0.02)).build();
        return SGD.builder().lr(0.1).momentum(0.9).params(ps.subList(0, 1)).group(ps.subList(1, 2), g -> g.lr(0.02)).build();
    }

    private record Case(Schedule schedule, String momentum) {
    }

    private static Map<String, Case> schedules() {
        Map<String, Case> c = new LinkedHashMap<>();
        c.put("multistep", new Case(Schedule.multiStep(0.5, 15, 7, 3, 7), null));
        c.put("step", new Case(Schedule.step(4, 0.7), null));
        c.put("exponential", new Case(Schedule.exponential(0.9), null));
        c.put("linear", new Case(Schedule.linear(0.2, 0.9, 12), null));
        c.put("cosine", new Case(Schedule.cosine(20, 0.001), null));
        c.put("onecycle", new Case(OneCycle.of(0.5, 20), Optimizer.MOMENTUM));
        c.put("onecycle_linear_three_phase", new Case(OneCycle.builder(new double[]{0.5, 0.1}, 20).pctStart(0.25)
                .anneal(OneCycle.Anneal.LINEAR).threePhase(true).divFactor(10).finalDivFactor(100).build(), Optimizer.MOMENTUM));
        c.put("onecycle_adam", new Case(OneCycle.builder(0.3, 20).momentum(0.8, 0.9).build(), Optimizer.BETA1));
        c.put("cosine_warm_restarts", new Case(Schedule.cosineWarmRestarts(3, 2, 0.001), null));
        c.put("cosine_warm_restarts_fixed", new Case(Schedule.cosineWarmRestarts(4, 1, 0), null));
        c.put("warmup_cosine_warm_restarts", new Case(Schedule.linearWarmup(4, 0.1, Schedule.cosineWarmRestarts(5, 1, 0.01)), null));
        c.put("warmup_multistep", new Case(Schedule.linearWarmup(3, 0.25, Schedule.multiStep(0.5, 2, 5)), null));
        c.put("warmup_exponential", new Case(Schedule.linearWarmup(5, Schedule.exponential(0.8)), null));
        return c;
    }

    private static Map<String, Function<Optimizer, ReduceLROnPlateau>> plateaus() {
        Map<String, Function<Optimizer, ReduceLROnPlateau>> c = new LinkedHashMap<>();
        c.put("plateau_min_rel", o -> ReduceLROnPlateau.builder(o).factor(0.5).patience(2).build());
        c.put("plateau_min_abs_cooldown", o -> ReduceLROnPlateau.builder(o).factor(0.3).patience(1)
                .threshold(0.02, ReduceLROnPlateau.ThresholdMode.ABS).cooldown(2).minLr(0.005, 0.001).build());
        c.put("plateau_max_rel", o -> ReduceLROnPlateau.builder(o).mode(ReduceLROnPlateau.Mode.MAX).factor(0.5).patience(0)
                .threshold(0.05, ReduceLROnPlateau.ThresholdMode.REL).minLr(0.02).build());
        c.put("plateau_eps", o -> ReduceLROnPlateau.builder(o).factor(0.5).patience(1).eps(0.02).build());
        return c;
    }

    /** Checks the groups' rates (and momenta) at step k against the reference. */
    private static void check(String name, Optimizer opt, String momentum, int k) {
        double[] ref = OptimVocabularyReference.SCHEDULES.get(name);
        int per = momentum == null ? 1 : 2;
        for (ParamGroup g : opt.paramGroups()) {
            int at = (k * 2 + g.index()) * per;
            // where PyTorch's linear OneCycle overshoots below 0 at its very last step, jgrad stops at 0
            double expected = Math.max(0, ref[at]);
            assertEquals(expected, g.lr(), TOL * expected, name + ": step " + k + ", group " + g.index() + " lr");
            if (momentum != null) {
                assertEquals(ref[at + 1], g.get(momentum), TOL, name + ": step " + k + ", group " + g.index() + " " + momentum);
            }
        }
    }

    @Test
    void everyReferenceHasAConfiguration() {
        assertEquals(OptimVocabularyReference.SCHEDULES.keySet(), schedules().keySet());
        assertEquals(OptimVocabularyReference.PLATEAUS.keySet(), plateaus().keySet());
    }

    @Test
    void schedulesFollowPyTorchForEachGroup() {
        schedules().forEach((name, c) -> {
            Optimizer opt = twoGroups(Optimizer.BETA1.equals(c.momentum()));
            Scheduler scheduler = new Scheduler(opt, c.schedule());
            check(name, opt, c.momentum(), 0);
            for (int k = 1; k <= STEPS; k++) {
                opt.step();
                scheduler.step();
                check(name, opt, c.momentum(), k);
            }
            assertEquals(STEPS, scheduler.stepCount());
        });
    }

    @Test
    void plateausFollowPyTorch() {
        plateaus().forEach((name, make) -> {
            Optimizer opt = twoGroups(false);
            ReduceLROnPlateau plateau = make.apply(opt);
            double[] ref = OptimVocabularyReference.PLATEAUS.get(name);
            double[] metrics = OptimVocabularyReference.METRICS;
            for (int k = 0; k < metrics.length; k++) {
                plateau.step(metrics[k]);
                for (ParamGroup g : opt.paramGroups()) {
                    double expected = ref[k * 2 + g.index()];
                    assertEquals(expected, g.lr(), TOL * expected, name + ": metric " + k + ", group " + g.index());
                }
            }
            assertEquals(List.of(ref[ref.length - 2], ref[ref.length - 1]), plateau.lastLrs());
        });
    }

    @Test
    void plateauStateRoundTrip() {
        Optimizer opt = twoGroups(false);
        ReduceLROnPlateau plateau = plateaus().get("plateau_min_abs_cooldown").apply(opt);
        double[] metrics = OptimVocabularyReference.METRICS;
        for (int k = 0; k < 8; k++) plateau.step(metrics[k]);
        Optimizer copy = twoGroups(false);
        copy.loadStateDict(opt.stateDict());
        ReduceLROnPlateau resumed = plateaus().get("plateau_min_abs_cooldown").apply(copy);
        resumed.loadStateDict(plateau.stateDict());
        double[] ref = OptimVocabularyReference.PLATEAUS.get("plateau_min_abs_cooldown");
        for (int k = 8; k < metrics.length; k++) {
            resumed.step(metrics[k]);
            assertEquals(ref[k * 2], copy.paramGroups().get(0).lr(), TOL * ref[k * 2], "metric " + k);
            assertEquals(ref[k * 2 + 1], copy.paramGroups().get(1).lr(), TOL * ref[k * 2 + 1], "metric " + k);
        }
    }

    @Test
    void aRestoredOptimizerResumesItsSchedule() {
        for (String name : List.of("warmup_cosine_warm_restarts", "onecycle_linear_three_phase", "multistep")) {
            Case c = schedules().get(name);
            Optimizer opt = twoGroups(false);
            Scheduler scheduler = new Scheduler(opt, c.schedule());
            for (int k = 1; k <= 9; k++) {
                opt.step();
                scheduler.step();
            }
            // a new optimizer built with other rates: the state dict brings back the rates and initial rates
            List<Tensor> ps = params();
            Optimizer restored = SGD.builder().lr(7).momentum(0.9).params(ps.subList(0, 1)).group(ps.subList(1, 2), g -> g.lr(3)).build();
            restored.loadStateDict(opt.stateDict());
            Scheduler resumed = new Scheduler(restored, c.schedule());
            assertEquals(9, resumed.stepCount());
            check(name, restored, c.momentum(), 9);
            for (int k = 10; k <= STEPS; k++) {
                restored.step();
                resumed.step();
                check(name, restored, c.momentum(), k);
            }
        }
    }

    @Test
    void absoluteSchedulesKeepEachGroupsRatio() {
        Optimizer opt = twoGroups(false);
        Scheduler scheduler = new Scheduler(opt, LrSchedule.cosine(1.0, 10, 0));
        assertEquals(1.0, scheduler.lastLrs().get(0));
        assertEquals(0.2, scheduler.lastLrs().get(1), 1e-16);
        for (int k = 0; k < 5; k++) scheduler.step();
        assertEquals(0.5, opt.paramGroups().get(0).lr(), 1e-15);
        assertEquals(0.1, opt.paramGroups().get(1).lr(), 1e-15);
    }

    @Test
    void oneCycleRefusesToRunPastItsEnd() {
        Optimizer opt = twoGroups(false);
        Scheduler scheduler = new Scheduler(opt, OneCycle.of(0.5, 3));
        for (int k = 0; k < 3; k++) scheduler.step();
        double lr = opt.lr();
        IllegalStateException e = assertThrows(IllegalStateException.class, scheduler::step);
        assertTrue(e.getMessage().contains("OneCycle") && e.getMessage().contains("3 steps"), e.getMessage());
        assertEquals(3, scheduler.stepCount(), "a failed step does not count");
        assertEquals(lr, opt.lr());
    }

    @Test
    void badInputIsRefusedClearly() {
        assertMessage(() -> Schedule.multiStep(0, 3), "multiStep", "gamma");
        assertMessage(() -> Schedule.multiStep(0.5, 0, 3), "multiStep", "milestones");
        assertMessage(() -> Schedule.exponential(-0.9), "exponential", "gamma");
        assertMessage(() -> Schedule.step(0, 0.5), "step", "stepSize");
        assertMessage(() -> Schedule.linear(0, 1, 5), "linear", "startFactor");
        assertMessage(() -> Schedule.cosineWarmRestarts(0, 1, 0), "cosineWarmRestarts", "t0");
        assertMessage(() -> Schedule.cosineWarmRestarts(5, 0, 0), "cosineWarmRestarts", "tMult");
        assertMessage(() -> Schedule.cosineWarmRestarts(5, 1, -1), "cosineWarmRestarts", "etaMin");
        assertMessage(() -> Schedule.linearWarmup(0, Schedule.constant()), "linearWarmup", "steps");
        assertMessage(() -> Schedule.linearWarmup(5, 1.5, Schedule.constant()), "linear", "startFactor");
        assertMessage(() -> Schedule.linearWarmup(5, OneCycle.of(0.1, 10)), "OneCycle warms up by itself");
        assertMessage(() -> Schedule.exponential(0.9).lr(-1, 0.1), "exponential", "-1");
        assertMessage(() -> OneCycle.builder(0.1, 0), "OneCycle", "totalSteps");
        assertMessage(() -> OneCycle.builder(-0.1, 10), "OneCycle", "maxLr");
        assertMessage(() -> OneCycle.builder(0.1, 10).pctStart(1.5), "OneCycle", "pctStart");
        assertMessage(() -> OneCycle.builder(0.1, 10).momentum(0.95, 1.0), "OneCycle", "momenta");
        assertMessage(() -> new Scheduler(twoGroups(false), OneCycle.builder(new double[]{0.1, 0.2, 0.3}, 10).build()),
                "OneCycle", "3 maximum rates", "2 parameter groups");
        assertMessage(() -> new Scheduler(new Adagrad(params(), 0.1), OneCycle.of(0.1, 10)), "Adagrad", "beta1 nor momentum", "cycleMomentum(false)");
        new Scheduler(new Adagrad(params(), 0.1), OneCycle.builder(0.1, 10).cycleMomentum(false).build()); // fine without momentum
        Optimizer opt = twoGroups(false);
        assertMessage(() -> ReduceLROnPlateau.builder(opt).factor(1.0), "ReduceLROnPlateau", "factor");
        assertMessage(() -> ReduceLROnPlateau.builder(opt).patience(-1), "ReduceLROnPlateau", "patience");
        assertMessage(() -> ReduceLROnPlateau.builder(opt).minLr(0.1, 0.2, 0.3).build(), "ReduceLROnPlateau", "minLr", "2 (one per group)");
        assertMessage(() -> ReduceLROnPlateau.builder(opt).build().step(Double.NaN), "ReduceLROnPlateau", "NaN");
    }

    private static void assertMessage(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts) assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention " + part);
    }

    @Test
    void oneCycleStopsAtItsBoundsOneStepAfterTheCycle() {
        // by hand: initial 1/4, minimum 1/8; phases end at steps 1 and 3; step 4 extrapolates the second phase
        OneCycle s = OneCycle.builder(1.0, 4).anneal(OneCycle.Anneal.LINEAR).pctStart(0.5).divFactor(4).finalDivFactor(2).build();
        double[] lrs = new double[5];
        double[] momenta = new double[5];
        for (int k = 0; k <= 4; k++) {
            lrs[k] = s.lr(k, 0, Double.NaN);
            momenta[k] = s.momentum(k);
        }
        // PyTorch gives -0.3125 and 1.0 at step 4, which no optimizer accepts
        assertArrayEquals(new double[]{0.25, 1.0, 0.5625, 0.125, 0}, lrs, 1e-15);
        assertArrayEquals(new double[]{0.95, 0.85, 0.9, 0.95, 0.95}, momenta, 1e-15);
    }

    @Test
    void warmupHandsOverAtItsEnd() {
        // by hand: 0.1 * (0.25 + 0.75 * k / 3) for k < 3, then multiStep(0.5 at 2 and 5) counted from 0
        Schedule s = Schedule.linearWarmup(3, 0.25, Schedule.multiStep(0.5, 2, 5));
        double[] expected = {0.025, 0.05, 0.075, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
        double[] actual = new double[expected.length];
        for (int k = 0; k < expected.length; k++) actual[k] = s.lr(k, 0.1);
        assertArrayEquals(expected, actual, 1e-16);
        assertTrue(s.toString().startsWith("linearWarmup(3, startFactor=0.25, "), s.toString());
    }
}
