"""Writes OptimVocabularyReference.java: PyTorch trajectories of optimizers and learning-rate schedules, which
OptimVocabularySuite and ScheduleVocabularySuite follow step by step.

Run with the PyTorch interpreter from the repository root:
    /work/main/.venv-peers/bin/python conformance/scripts/optim_vocabulary_refs.py
"""
import math
import torch
from torch.optim import lr_scheduler as S

torch.set_default_dtype(torch.float64)
STEPS = 20

# ---------------------------------------------------------------- optimizers
# Two parameters, a 2x3 "weight" and a 2-element "bias"; at step k (1-based) parameter j's element i gets the gradient
# 0.5*p + sin(0.9*k + 1.3*i + 2.1*j): it depends on the parameter, so the trajectories feed back.
P0 = [[0.5, -1.2, 2.0, 0.3, -0.7, 1.1], [0.25, -0.4]]
SHAPES = [(2, 3), (2,)]


def params():
    return [torch.tensor(v).reshape(s).requires_grad_(True) for v, s in zip(P0, SHAPES)]


def set_grads(ps, k):
    for j, p in enumerate(ps):
        flat = p.detach().reshape(-1)
        g = [0.5 * flat[i].item() + math.sin(0.9 * k + 1.3 * i + 2.1 * j) for i in range(flat.numel())]
        p.grad = torch.tensor(g).reshape(p.shape)


O = torch.optim
OPTIMIZERS = {
    "adam_amsgrad": lambda w, b: O.Adam([w, b], lr=0.05, amsgrad=True),
    "adam_amsgrad_wd": lambda w, b: O.Adam([w, b], lr=0.03, betas=(0.8, 0.95), weight_decay=0.1, amsgrad=True),
    "adamw_amsgrad": lambda w, b: O.AdamW([w, b], lr=0.05, weight_decay=0.1, amsgrad=True),
    "adam_maximize": lambda w, b: O.Adam([w, b], lr=0.02, maximize=True),
    "adamw_groups": lambda w, b: O.AdamW([{"params": [w]}, {"params": [b], "weight_decay": 0.0, "lr": 0.01, "betas": (0.5, 0.9)}],
                                         lr=0.05, weight_decay=0.2),
    "sgd_groups_maximize": lambda w, b: O.SGD([{"params": [w], "momentum": 0.9, "nesterov": True},
                                               {"params": [b], "lr": 0.2, "momentum": 0.5, "dampening": 0.1}],
                                              lr=0.05, weight_decay=0.01, maximize=True),
    "rmsprop_groups": lambda w, b: O.RMSprop([{"params": [w], "centered": True}, {"params": [b], "momentum": 0.5, "alpha": 0.9}],
                                             lr=0.01, weight_decay=0.05),
    "adagrad": lambda w, b: O.Adagrad([w, b], lr=0.1),
    "adagrad_full": lambda w, b: O.Adagrad([w, b], lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-6),
    "adagrad_groups_maximize": lambda w, b: O.Adagrad([{"params": [w]}, {"params": [b], "lr": 0.3, "lr_decay": 0.1}],
                                                      lr=0.1, maximize=True),
    "nadam": lambda w, b: O.NAdam([w, b], lr=0.02),
    "nadam_wd": lambda w, b: O.NAdam([w, b], lr=0.02, weight_decay=0.1, momentum_decay=0.01),
    "nadam_decoupled": lambda w, b: O.NAdam([w, b], lr=0.02, betas=(0.8, 0.99), weight_decay=0.1, decoupled_weight_decay=True),
    "nadam_groups_maximize": lambda w, b: O.NAdam([{"params": [w]}, {"params": [b], "lr": 0.05, "betas": (0.5, 0.9)}],
                                                  lr=0.02, maximize=True),
    "radam": lambda w, b: O.RAdam([w, b], lr=0.05),
    "radam_wd": lambda w, b: O.RAdam([w, b], lr=0.05, weight_decay=0.1),
    "radam_decoupled": lambda w, b: O.RAdam([w, b], lr=0.05, betas=(0.8, 0.9), weight_decay=0.1, decoupled_weight_decay=True),
    "radam_groups_maximize": lambda w, b: O.RAdam([{"params": [w], "betas": (0.8, 0.9)}, {"params": [b], "lr": 0.1, "weight_decay": 0.1}],
                                                  lr=0.05, maximize=True),
}


def trajectory(make):
    w, b = params()
    opt = make(w, b)
    out = []
    for k in range(1, STEPS + 1):
        set_grads([w, b], k)
        opt.step()
        out += w.detach().reshape(-1).tolist() + b.detach().reshape(-1).tolist()
    return out


# ---------------------------------------------------------------- schedules
# An optimizer with two groups of initial rates 0.1 and 0.02; the rates of both groups (and, for OneCycle, the
# momentum or beta1 of both) after construction and after each of 20 scheduler steps, interleaved per step:
# [g0 step 0, g1 step 0, g0 step 1, ...].
def two_groups(kind="sgd"):
    w, b = params()
    if kind == "adam":
        return O.Adam([{"params": [w]}, {"params": [b], "lr": 0.02}], lr=0.1)
    return O.SGD([{"params": [w]}, {"params": [b], "lr": 0.02}], lr=0.1, momentum=0.9)


SCHEDULES = {
    "multistep": (None, lambda o: S.MultiStepLR(o, milestones=[3, 7, 7, 15], gamma=0.5)),
    "step": (None, lambda o: S.StepLR(o, step_size=4, gamma=0.7)),
    "exponential": (None, lambda o: S.ExponentialLR(o, gamma=0.9)),
    "linear": (None, lambda o: S.LinearLR(o, start_factor=0.2, end_factor=0.9, total_iters=12)),
    "cosine": (None, lambda o: S.CosineAnnealingLR(o, T_max=20, eta_min=0.001)),
    "onecycle": ("momentum", lambda o: S.OneCycleLR(o, max_lr=0.5, total_steps=20)),
    "onecycle_linear_three_phase": ("momentum", lambda o: S.OneCycleLR(o, max_lr=[0.5, 0.1], total_steps=20, pct_start=0.25,
                                                                       anneal_strategy="linear", three_phase=True,
                                                                       div_factor=10.0, final_div_factor=100.0)),
    "onecycle_adam": ("beta1", lambda o: S.OneCycleLR(o, max_lr=0.3, total_steps=20, base_momentum=0.8, max_momentum=0.9)),
    "cosine_warm_restarts": (None, lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001)),
    "cosine_warm_restarts_fixed": (None, lambda o: S.CosineAnnealingWarmRestarts(o, T_0=4)),
    "warmup_cosine_warm_restarts": (None, lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=4),
                                                                     S.CosineAnnealingWarmRestarts(o, T_0=5, eta_min=0.01)],
                                                                  milestones=[4])),
    "warmup_multistep": (None, lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.25, total_iters=3),
                                                          S.MultiStepLR(o, milestones=[2, 5], gamma=0.5)], milestones=[3])),
    "warmup_exponential": (None, lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=1 / 5, total_iters=5),
                                                            S.ExponentialLR(o, gamma=0.8)], milestones=[5])),
}


def schedule_trajectory(momentum, make):
    opt = two_groups("adam" if momentum == "beta1" else "sgd")
    sched = make(opt)
    out = []

    def record():
        for g in opt.param_groups:
            out.append(g["lr"])
            if momentum == "momentum":
                out.append(g["momentum"])
            elif momentum == "beta1":
                out.append(g["betas"][0])

    record()
    for _ in range(STEPS):
        opt.step()  # no gradients: only keeps PyTorch from warning about the call order
        sched.step()
        record()
    return out


METRICS = [1.0, 0.9, 0.95, 0.9, 0.91, 0.92, 0.85, 0.86, 0.87, 0.88, 0.89, 0.7, 0.71, 0.7, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77]
PLATEAUS = {
    "plateau_min_rel": lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=2),
    "plateau_min_abs_cooldown": lambda o: S.ReduceLROnPlateau(o, factor=0.3, patience=1, threshold=0.02, threshold_mode="abs",
                                                              cooldown=2, min_lr=[0.005, 0.001]),
    "plateau_max_rel": lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.5, patience=0, threshold=0.05, min_lr=0.02),
    "plateau_eps": lambda o: S.ReduceLROnPlateau(o, factor=0.5, patience=1, eps=0.02),
}


def plateau_trajectory(make):
    opt = two_groups()
    sched = make(opt)
    out = []
    for m in METRICS:
        opt.step()
        sched.step(m)
        out += [g["lr"] for g in opt.param_groups]
    return out


def java_array(values):
    lines, line = [], []
    for v in values:
        line.append(repr(float(v)))
        if len(line) == 6:
            lines.append(", ".join(line))
            line = []
    if line:
        lines.append(", ".join(line))
    return "new double[]{\n                " + ",\n                ".join(lines) + "}"


def java_map(name, table, doc):
    return "    /** %s */\n    static final Map<String, double[]> %s = Map.ofEntries(\n            %s);\n" % (
        doc, name, ",\n            ".join("Map.entry(\"%s\", %s)" % (k, java_array(v)) for k, v in table.items()))


if __name__ == "__main__":
    optim = {name: trajectory(make) for name, make in OPTIMIZERS.items()}
    sched = {name: schedule_trajectory(m, make) for name, (m, make) in SCHEDULES.items()}
    plateau = {name: plateau_trajectory(make) for name, make in PLATEAUS.items()}
    src = f"""package io.jgrad.conformance;

import java.util.Map;

/**
 * PyTorch {torch.__version__} reference trajectories for {{@link OptimVocabularySuite}} and {{@link ScheduleVocabularySuite}},
 * written by conformance/scripts/optim_vocabulary_refs.py (which documents the set-ups); do not edit by hand.
 */
final class OptimVocabularyReference {{
    private OptimVocabularyReference() {{
    }}

    /** Initial values of the 2x3 and the 2-element parameter. */
    static final double[][] P0 = {{{{{", ".join(map(repr, P0[0]))}}}, {{{", ".join(map(repr, P0[1]))}}}}};

{java_map("OPTIMIZERS", optim, f"The optimizers' trajectories: after each of {STEPS} steps, both parameters flattened (8 values a step).")}
{java_map("SCHEDULES", sched, f"Schedules: per step 0..{STEPS}, each group's lr (and, for OneCycle, its momentum or beta1 after it).")}
    /** The metrics given to ReduceLROnPlateau, one a step. */
    static final double[] METRICS = {{{", ".join(map(repr, METRICS))}}};

{java_map("PLATEAUS", plateau, "ReduceLROnPlateau: both groups' rates after each metric.")}}}
"""
    path = "conformance/src/main/java/io/jgrad/conformance/OptimVocabularyReference.java"
    with open(path, "w") as f:
        f.write(src)
    print("wrote", path, len(optim), "optimizers,", len(sched), "schedules,", len(plateau), "plateaus")
