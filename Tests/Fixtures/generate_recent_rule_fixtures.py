#!/usr/bin/env python3
"""Generate reference trajectories for the rules added after 2023 (issue 14).

Writes Tests/Fixtures/recent_rules.json next to this script, in the format of
rules.json (see README.md), with the same inputs: the gradient sets and the
Rosenbrock descent come from generate_rule_fixtures.py, imported, so both files
see the same numbers.  Schedule-Free cases also record "evaluation" (and
"evaluation32"): the parameters to evaluate after every step (schedulefree's
eval() mode, optax's schedule_free_eval_params), next to the training
parameters in "trajectory".

Every case's "reference" string is evaluated verbatim.  Run with a Python that
has numpy, torch, jax, optax, schedulefree, prodigyopt and pytorch-optimizer:

    python Tests/Fixtures/generate_recent_rule_fixtures.py
"""

import json
import os
import warnings
from importlib.metadata import version

import numpy as np
import torch

import generate_rule_fixtures as base
from generate_rule_fixtures import jax, jnp, optax, flat, rosenbrock_grad, make_inputs, check_finite

import prodigyopt  # noqa: F401  (used by the reference strings)
import pytorch_optimizer  # noqa: F401  (used by the reference strings)
import schedulefree  # noqa: F401  (used by the reference strings)

OUTPUT = os.path.join(base.HERE, "recent_rules.json")
SMALL, ROSEN = base.SMALL, base.ROSEN
EXTRA_NAMES = {}  # names other generators add to the reference strings' namespace


def run_torch(ref, shapes, initial, grads, steps, dtype, schedule_free=False):
    """A torch optimizer; with schedule_free, in train mode, recording after
    each step the training parameters and (switching to eval() and back) the
    evaluation parameters."""
    npdt = np.float64 if dtype == torch.float64 else np.float32
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        params = [torch.tensor(np.asarray(x, dtype=npdt).reshape(s), dtype=dtype, requires_grad=True)
                  for x, s in zip(initial, shapes)]
        ns = {"torch": torch, "schedulefree": schedulefree, "pytorch_optimizer": pytorch_optimizer,
              "prodigyopt": prodigyopt, "params": params, **EXTRA_NAMES}
        opt = eval(ref, ns)
        if schedule_free:
            opt.train()
        train, evaluation = [], []
        for t in range(steps):
            if grads is not None:
                g = [np.asarray(x, dtype=npdt) for x in grads[t]]
            else:
                g = rosenbrock_grad(params[0].detach().numpy(), npdt)
            for p, gi in zip(params, g):
                p.grad = torch.tensor(gi.reshape(p.shape), dtype=dtype)
            opt.step()
            train.append(flat(p.detach().numpy() for p in params))
            if schedule_free:
                opt.eval()
                evaluation.append(flat(p.detach().numpy() for p in params))
                opt.train()
        return train, (evaluation if schedule_free else None)
    finally:
        torch.set_default_dtype(previous)


def run_optax_schedule_free(ref, shapes, initial, grads, steps, dtype):
    npdt = np.float64 if dtype == jnp.float64 else np.float32
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        tx = eval(ref, {"optax": optax, "jnp": jnp})
    params = [jnp.asarray(np.asarray(x, dtype=npdt).reshape(s)) for x, s in zip(initial, shapes)]
    state = tx.init(params)

    @jax.jit
    def step(params, state, g):
        updates, state = tx.update(g, state, params)
        params = optax.apply_updates(params, updates)
        return params, state, optax.contrib.schedule_free_eval_params(state, params)

    train, evaluation = [], []
    for t in range(steps):
        if grads is not None:
            g = [jnp.asarray(np.asarray(x, dtype=npdt).reshape(s)) for x, s in zip(grads[t], shapes)]
        else:
            g = [jnp.asarray(rosenbrock_grad(np.asarray(params[0]), npdt)[0])]
        params, state, x = step(params, state, g)
        for p in params:
            assert p.dtype == npdt, (ref, p.dtype)
        train.append(flat(params))
        evaluation.append(flat(x))
    return train, evaluation


def run_optax(ref, shapes, initial, grads, steps, dtype):
    return base.run_optax(ref, shapes, initial, grads, steps, dtype), None


RUNNERS = {
    "schedulefree": (lambda *a: run_torch(*a, schedule_free=True), (torch.float64, torch.float32)),
    "optax-schedule-free": (run_optax_schedule_free, (jnp.float64, jnp.float32)),
    "torch": (run_torch, (torch.float64, torch.float32)),
    "optax": (run_optax, (jnp.float64, jnp.float32)),
}

CASES = []


def case(name, rule, lib, ref, hp, options=None, kind="gradients", shapes=None, into=None):
    (CASES if into is None else into).append(
        dict(name=name, rule=rule, lib=lib, ref=ref, hp=hp, options=options or {}, kind=kind,
             shapes=shapes or (ROSEN if kind == "rosenbrock" else SMALL)))


# Schedule-Free ----------------------------------------------------------------
SF = {"variant": "schedulefree"}
OX = {"variant": "optax"}


def sf_adamw_hp(lr=0.0025, b1=0.9, b2=0.999, eps=1e-8, wd=0.0, warmup=0, r=0.0, power=2.0):
    return {"learningRate": lr, "beta1": b1, "beta2": b2, "epsilon": eps, "weightDecay": wd,
            "warmupSteps": warmup, "stepPower": r, "weightLearningRatePower": power}


def sf_sgd_hp(lr=1.0, b=0.9, wd=0.0, warmup=0, r=0.0, power=2.0):
    return {"learningRate": lr, "momentum": b, "weightDecay": wd, "warmupSteps": warmup,
            "stepPower": r, "weightLearningRatePower": power}


case("ScheduleFreeAdamW/schedulefree/defaults", "ScheduleFreeAdamW", "schedulefree",
     "schedulefree.AdamWScheduleFree(params)", sf_adamw_hp(), SF)
case("ScheduleFreeAdamW/schedulefree/warmup-decay", "ScheduleFreeAdamW", "schedulefree",
     "schedulefree.AdamWScheduleFree(params, lr=0.01, betas=(0.95, 0.99), eps=1e-06, weight_decay=0.1, "
     "warmup_steps=10, r=0.5, weight_lr_power=1.5)",
     sf_adamw_hp(0.01, 0.95, 0.99, 1e-6, 0.1, 10, 0.5, 1.5), SF)
case("ScheduleFreeAdamW/schedulefree/small-beta", "ScheduleFreeAdamW", "schedulefree",
     "schedulefree.AdamWScheduleFree(params, lr=0.05, betas=(0.5, 0.999), warmup_steps=5)",
     sf_adamw_hp(0.05, 0.5, warmup=5), SF)
case("ScheduleFreeAdamW/schedulefree/rosenbrock", "ScheduleFreeAdamW", "schedulefree",
     "schedulefree.AdamWScheduleFree(params, lr=0.02, warmup_steps=20)",
     sf_adamw_hp(0.02, warmup=20), SF, kind="rosenbrock")
case("ScheduleFreeAdamW/optax/defaults", "ScheduleFreeAdamW", "optax-schedule-free",
     "optax.contrib.schedule_free_adamw()", sf_adamw_hp(), OX)
case("ScheduleFreeAdamW/optax/warmup-decay", "ScheduleFreeAdamW", "optax-schedule-free",
     "optax.contrib.schedule_free_adamw(learning_rate=0.01, warmup_steps=10, b1=0.95, b2=0.99, eps=1e-06, "
     "weight_decay=0.1, weight_lr_power=1.5)",
     sf_adamw_hp(0.01, 0.95, 0.99, 1e-6, 0.1, 10, 0.0, 1.5), OX)
case("ScheduleFreeAdamW/optax/rosenbrock", "ScheduleFreeAdamW", "optax-schedule-free",
     "optax.contrib.schedule_free_adamw(learning_rate=0.02, warmup_steps=20)",
     sf_adamw_hp(0.02, warmup=20), OX, kind="rosenbrock")

case("ScheduleFreeSGD/schedulefree/defaults", "ScheduleFreeSGD", "schedulefree",
     "schedulefree.SGDScheduleFree(params, lr=0.01)", sf_sgd_hp(0.01), SF)
case("ScheduleFreeSGD/schedulefree/warmup-decay", "ScheduleFreeSGD", "schedulefree",
     "schedulefree.SGDScheduleFree(params, lr=0.005, momentum=0.8, weight_decay=0.05, warmup_steps=8, r=1.0, "
     "weight_lr_power=1.0)", sf_sgd_hp(0.005, 0.8, 0.05, 8, 1.0, 1.0), SF)
case("ScheduleFreeSGD/schedulefree/rosenbrock", "ScheduleFreeSGD", "schedulefree",
     "schedulefree.SGDScheduleFree(params, lr=0.0005, warmup_steps=10)",
     sf_sgd_hp(0.0005, warmup=10), SF, kind="rosenbrock")
case("ScheduleFreeSGD/optax/defaults", "ScheduleFreeSGD", "optax-schedule-free",
     "optax.contrib.schedule_free_sgd(learning_rate=0.01)", sf_sgd_hp(0.01), OX)
case("ScheduleFreeSGD/optax/warmup-decay", "ScheduleFreeSGD", "optax-schedule-free",
     "optax.contrib.schedule_free_sgd(learning_rate=0.005, warmup_steps=8, b1=0.8, weight_decay=0.05, "
     "weight_lr_power=1.0)", sf_sgd_hp(0.005, 0.8, 0.05, 8, 0.0, 1.0), OX)
case("ScheduleFreeSGD/optax/rosenbrock", "ScheduleFreeSGD", "optax-schedule-free",
     "optax.contrib.schedule_free_sgd(learning_rate=0.0005, warmup_steps=10)",
     sf_sgd_hp(0.0005, warmup=10), OX, kind="rosenbrock")

# ADOPT ------------------------------------------------------------------------
def adopt_hp(lr=0.001, b1=0.9, b2=0.9999, eps=1e-6, clip=0.25, nesterov=False):
    return {"learningRate": lr, "beta1": b1, "beta2": b2, "epsilon": eps, "clipExponent": clip, "nesterov": nesterov}


PO = {"variant": "pytorch-optimizer"}
case("ADOPT/optax/defaults", "ADOPT", "optax", "optax.contrib.adopt(learning_rate=0.001)", adopt_hp(), OX)
case("ADOPT/optax/nesterov", "ADOPT", "optax",
     "optax.contrib.adopt(learning_rate=0.01, b1=0.8, b2=0.99, eps=1e-05, nesterov=True)",
     adopt_hp(0.01, 0.8, 0.99, 1e-5, nesterov=True), OX)
case("ADOPT/optax/no-clip", "ADOPT", "optax",
     "optax.contrib.adopt(learning_rate=0.01, use_clipping=False)", adopt_hp(0.01, clip=None), OX)
case("ADOPT/optax/rosenbrock", "ADOPT", "optax", "optax.contrib.adopt(learning_rate=0.01)",
     adopt_hp(0.01), OX, kind="rosenbrock")
case("ADOPT/pytorch-optimizer/defaults", "ADOPT", "torch", "pytorch_optimizer.ADOPT(params, foreach=False)",
     adopt_hp(), PO)
case("ADOPT/pytorch-optimizer/nondefault", "ADOPT", "torch",
     "pytorch_optimizer.ADOPT(params, lr=0.01, betas=(0.8, 0.99), eps=1e-05, foreach=False)",
     adopt_hp(0.01, 0.8, 0.99, 1e-5), PO)
case("ADOPT/pytorch-optimizer/rosenbrock", "ADOPT", "torch",
     "pytorch_optimizer.ADOPT(params, lr=0.01, foreach=False)", adopt_hp(0.01), PO, kind="rosenbrock")


# Adan -------------------------------------------------------------------------
def adan_hp(lr, b1=0.98, b2=0.92, b3=0.99, eps=1e-8, eps_root=1e-8, wd=0.0):
    return {"learningRate": lr, "beta1": b1, "beta2": b2, "beta3": b3, "epsilon": eps, "epsilonRoot": eps_root,
            "weightDecay": wd}


case("Adan/optax/defaults", "Adan", "optax", "optax.adan(learning_rate=0.001)", adan_hp(0.001))
case("Adan/optax/nondefault", "Adan", "optax",
     "optax.adan(learning_rate=0.01, b1=0.9, b2=0.8, b3=0.95, eps=1e-06, eps_root=0.0, weight_decay=0.1)",
     adan_hp(0.01, 0.9, 0.8, 0.95, 1e-6, 0.0, 0.1))
case("Adan/optax/rosenbrock", "Adan", "optax", "optax.adan(learning_rate=0.01)", adan_hp(0.01), kind="rosenbrock")


# AdEMAMix -----------------------------------------------------------------------
def ademamix_hp(lr=0.001, b1=0.9, b2=0.999, b3=0.9999, alpha=5.0, eps=1e-8, wd=0.0, warmup=None):
    return {"learningRate": lr, "beta1": b1, "beta2": b2, "beta3": b3, "alpha": alpha, "epsilon": eps,
            "weightDecay": wd, "warmupSteps": warmup}


case("AdEMAMix/pytorch-optimizer/defaults", "AdEMAMix", "torch", "pytorch_optimizer.AdEMAMix(params)", ademamix_hp())
case("AdEMAMix/pytorch-optimizer/warmup-decay", "AdEMAMix", "torch",
     "pytorch_optimizer.AdEMAMix(params, lr=0.01, betas=(0.8, 0.99, 0.999), alpha=8.0, t_alpha_beta3=10.0, "
     "eps=1e-06, weight_decay=0.1, weight_decouple=True)",
     ademamix_hp(0.01, 0.8, 0.99, 0.999, 8.0, 1e-6, 0.1, 10.0))
case("AdEMAMix/pytorch-optimizer/rosenbrock", "AdEMAMix", "torch",
     "pytorch_optimizer.AdEMAMix(params, lr=0.002, alpha=2.0, t_alpha_beta3=100.0)",
     ademamix_hp(0.002, alpha=2.0, warmup=100.0), kind="rosenbrock")
case("AdEMAMix/optax/defaults", "AdEMAMix", "optax", "optax.contrib.ademamix(learning_rate=0.001)", ademamix_hp())
case("AdEMAMix/optax/nondefault", "AdEMAMix", "optax",
     "optax.contrib.ademamix(learning_rate=0.01, b1=0.8, b2=0.99, b3=0.999, alpha=8.0, eps=1e-06, weight_decay=0.1)",
     ademamix_hp(0.01, 0.8, 0.99, 0.999, 8.0, 1e-6, 0.1))


# Cautious (over ADOPT and Lion; pytorch-optimizer's cautious=True) ----------------
case("Cautious/pytorch-optimizer/adopt", "Cautious", "torch",
     "pytorch_optimizer.ADOPT(params, lr=0.01, cautious=True, foreach=False)",
     adopt_hp(0.01), {"base": "ADOPT", "variant": "pytorch-optimizer"})
case("Cautious/pytorch-optimizer/adopt-rosenbrock", "Cautious", "torch",
     "pytorch_optimizer.ADOPT(params, lr=0.01, cautious=True, foreach=False)",
     adopt_hp(0.01), {"base": "ADOPT", "variant": "pytorch-optimizer"}, kind="rosenbrock")
case("Cautious/pytorch-optimizer/lion", "Cautious", "torch",
     "pytorch_optimizer.Lion(params, lr=0.001, betas=(0.9, 0.99), cautious=True, foreach=False)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.99, "weightDecay": 0.0}, {"base": "Lion"})


# Prodigy and D-Adaptation AdamW (learning-rate free) ------------------------------
def prodigy_hp(lr=1.0, b1=0.9, b2=0.999, b3=None, eps=1e-8, wd=0.0, decouple=True, bias=False, safeguard=False,
               d0=1e-6, coef=1.0, growth=None):
    return {"learningRate": lr, "beta1": b1, "beta2": b2, "beta3": b3, "epsilon": eps, "weightDecay": wd,
            "decoupledWeightDecay": decouple, "biasCorrection": bias, "safeguardWarmup": safeguard,
            "initialEstimate": d0, "estimateCoefficient": coef, "growthRate": growth}


PD = {"variant": "prodigyopt"}
case("Prodigy/prodigyopt/defaults", "Prodigy", "torch", "prodigyopt.Prodigy(params)", prodigy_hp(), PD)
case("Prodigy/prodigyopt/nondefault", "Prodigy", "torch",
     "prodigyopt.Prodigy(params, lr=0.5, betas=(0.8, 0.99), beta3=0.95, eps=1e-06, weight_decay=0.1, "
     "use_bias_correction=True, safeguard_warmup=True, d0=0.0001, d_coef=2.0, growth_rate=1.05)",
     prodigy_hp(0.5, 0.8, 0.99, 0.95, 1e-6, 0.1, True, True, True, 1e-4, 2.0, 1.05), PD)
case("Prodigy/prodigyopt/coupled-no-momentum", "Prodigy", "torch",
     "prodigyopt.Prodigy(params, betas=(0.0, 0.999), weight_decay=0.01, decouple=False)",
     prodigy_hp(1.0, 0.0, wd=0.01, decouple=False), PD)
case("Prodigy/prodigyopt/coupled-bias-corrected", "Prodigy", "torch",
     "prodigyopt.Prodigy(params, lr=0.8, weight_decay=0.05, decouple=False, use_bias_correction=True)",
     prodigy_hp(0.8, wd=0.05, decouple=False, bias=True), PD)
case("Prodigy/prodigyopt/rosenbrock", "Prodigy", "torch", "prodigyopt.Prodigy(params, lr=0.1)",
     prodigy_hp(0.1), PD, kind="rosenbrock")
# slice_p > 1: statistics on every slice_p-th element of each flattened leaf ("statisticsStride")
case("Prodigy/prodigyopt/slice-3", "Prodigy", "torch", "prodigyopt.Prodigy(params, slice_p=3)",
     dict(prodigy_hp(), statisticsStride=3), PD)
case("Prodigy/prodigyopt/slice-2-nondefault", "Prodigy", "torch",
     "prodigyopt.Prodigy(params, lr=0.5, betas=(0.8, 0.99), weight_decay=0.1, decouple=False, "
     "use_bias_correction=True, safeguard_warmup=True, slice_p=2)",
     dict(prodigy_hp(0.5, 0.8, 0.99, wd=0.1, decouple=False, bias=True, safeguard=True), statisticsStride=2), PD,
     shapes=[[3, 5], [5]])
case("Prodigy/prodigyopt/slice-11", "Prodigy", "torch", "prodigyopt.Prodigy(params, lr=0.8, slice_p=11)",
     dict(prodigy_hp(0.8), statisticsStride=11), PD, shapes=[[6, 7], [7]])
case("Prodigy/optax/defaults", "Prodigy", "optax", "optax.contrib.prodigy()", prodigy_hp(bias=True), OX)
case("Prodigy/optax/nondefault", "Prodigy", "optax",
     "optax.contrib.prodigy(learning_rate=0.5, betas=(0.8, 0.99), beta3=0.95, eps=1e-06, estim_lr0=0.0001, "
     "estim_lr_coef=2.0, weight_decay=0.1, safeguard_warmup=True)",
     prodigy_hp(0.5, 0.8, 0.99, 0.95, 1e-6, 0.1, True, True, True, 1e-4, 2.0), OX)
case("Prodigy/optax/rosenbrock", "Prodigy", "optax", "optax.contrib.prodigy(learning_rate=0.1)",
     prodigy_hp(0.1, bias=True), OX, kind="rosenbrock")


def dadapt_hp(lr=1.0, b1=0.9, b2=0.999, eps=1e-8, d0=1e-6, wd=0.0):
    return {"learningRate": lr, "beta1": b1, "beta2": b2, "epsilon": eps, "initialEstimate": d0, "weightDecay": wd}


case("DAdaptAdamW/optax/defaults", "DAdaptAdamW", "optax", "optax.contrib.dadapt_adamw()", dadapt_hp())
case("DAdaptAdamW/optax/nondefault", "DAdaptAdamW", "optax",
     "optax.contrib.dadapt_adamw(learning_rate=0.5, betas=(0.8, 0.99), eps=1e-06, estim_lr0=0.0001, weight_decay=0.1)",
     dadapt_hp(0.5, 0.8, 0.99, 1e-6, 1e-4, 0.1))
case("DAdaptAdamW/optax/rosenbrock", "DAdaptAdamW", "optax", "optax.contrib.dadapt_adamw(learning_rate=0.1)",
     dadapt_hp(0.1), kind="rosenbrock")


def main(cases=CASES, output=OUTPUT, generator="Tests/Fixtures/generate_recent_rule_fixtures.py"):
    """Runs `cases` and writes them to `output`; gradient cases draw their
    inputs from a fresh generator seeded with base.SEED for their shapes."""
    out_cases = []
    for c in cases:
        if c["kind"] == "rosenbrock":
            initial, grads, steps = [np.array([-1.2, 1.0])], None, base.ROSENBROCK_STEPS
        else:
            initial, grads = make_inputs(np.random.default_rng(base.SEED), c["shapes"])
            steps = base.STEPS
        runner, dts = RUNNERS[c["lib"]]
        traj, evaluation = runner(c["ref"], c["shapes"], initial, grads, steps, dts[0])
        biggest = check_finite(c["name"], traj)
        if c["kind"] == "rosenbrock" and biggest > 10.0:
            raise SystemExit(f"{c['name']}: Rosenbrock run left the basin (max |p| = {biggest})")
        traj32, evaluation32 = runner(c["ref"], c["shapes"], initial, grads, steps, dts[1])
        check_finite(c["name"] + " (float32)", traj32)
        entry = {"name": c["name"], "rule": c["rule"], "options": c["options"], "reference": c["ref"],
                 "hyperparameters": c["hp"], "kind": c["kind"], "shapes": c["shapes"], "initial": flat(initial)}
        if grads is not None:
            entry["gradients"] = [flat(step) for step in grads]
        entry["trajectory"], entry["trajectory32"] = traj, traj32
        if evaluation is not None:
            check_finite(c["name"] + " (evaluation)", evaluation)
            entry["evaluation"], entry["evaluation32"] = evaluation, evaluation32
        out_cases.append(entry)
        print(f"{c['name']:50s} steps={steps:3d} max|p|={biggest:.4g}")

    packages = ["torch", "jax", "optax", "numpy", "schedulefree", "prodigyopt", "pytorch-optimizer"]
    doc = {"generator": generator,
           "versions": {name: version(name) for name in packages},
           "cases": out_cases}
    with open(output, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(out_cases)} cases to {output}")


if __name__ == "__main__":
    main()
