#!/usr/bin/env python3
"""Generate golden values for the schedules (Tests/Fixtures/schedules.json).

Every case evaluates a reference schedule from optax (float64, with
jax_enable_x64) or PyTorch (a torch.optim.lr_scheduler driving a float64 SGD
optimiser) at steps 0..200.  The "reference" string of each case is evaluated
verbatim by this script, so it is exactly the call that produced the numbers.
Each case also records the Swift schedule type ("swiftType") and its Swift
parameters ("swift", the schedule's Codable JSON), which the Swift test decodes.

Step mapping:
  * optax: value at step k = schedule(k) (optax's `count`, the number of
    updates applied so far).
  * PyTorch: value at step k = optimizer.param_groups[0]["lr"] after k calls of
    scheduler.step() (torch's `last_epoch` == k), i.e. the rate used by the
    (k+1)-th optimizer.step() when scheduler.step() follows every
    optimizer.step().
  * ReduceLROnPlateau: value at step k = lr after scheduler.step(metrics[i]) for
    i = 0..k-1; the metric sequence is recorded in the case.

Run with a Python that has numpy, torch, jax and optax installed:

    python Tests/Fixtures/generate_schedule_fixtures.py
"""

import json
import math
import os
import warnings

import numpy as np
import torch
import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402

STEPS = 200  # values at steps 0...STEPS
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "schedules.json")

lr_scheduler = torch.optim.lr_scheduler


def optax_case(name, reference, swift_type, swift):
    schedule = eval(reference)  # noqa: S307 - the recorded call itself
    values = [float(schedule(k)) for k in range(STEPS + 1)]
    return dict(name=name, library="optax", reference=reference, swiftType=swift_type,
                swift=swift, values=values)


def torch_case(name, reference, swift_type, swift, base_lr=0.1, metrics=None):
    optimizer_call = f"torch.optim.SGD([param], lr={base_lr!r})"
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([param], lr=base_lr)  # noqa: F841 - used by eval
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = eval(reference)  # noqa: S307 - the recorded call itself
        values = [float(opt.param_groups[0]["lr"])]
        for k in range(STEPS):
            opt.step()
            if metrics is None:
                scheduler.step()
            else:
                scheduler.step(metrics[k])
            values.append(float(opt.param_groups[0]["lr"]))
    case = dict(name=name, library="torch", reference=reference, optimizer=optimizer_call,
                swiftType=swift_type, swift=swift, values=values)
    if metrics is not None:
        case["metrics"] = metrics
    return case


def onecycle_knots(bounds, init_value, scales):
    """The knot values optax's piecewise_interpolate_schedule uses: a cumprod."""
    values = jnp.cumprod(jnp.stack((init_value,) + tuple(scales)))
    return [int(b) for b in (0,) + tuple(bounds)], [float(v) for v in values]


def cases():
    out = []
    # ---------------------------------------------------------------- optax
    out.append(optax_case(
        "exponential_decay smooth",
        "optax.exponential_decay(init_value=0.1, transition_steps=10, decay_rate=0.8)",
        "ExponentialDecay",
        dict(initial=0.1, transitionSteps=10, decayRate=0.8, transitionBegin=0, staircase=False)))
    out.append(optax_case(
        "exponential_decay staircase, transition_begin",
        "optax.exponential_decay(init_value=0.1, transition_steps=15, decay_rate=0.7,"
        " transition_begin=25, staircase=True)",
        "ExponentialDecay",
        dict(initial=0.1, transitionSteps=15, decayRate=0.7, transitionBegin=25, staircase=True)))
    out.append(optax_case(
        "exponential_decay end_value",
        "optax.exponential_decay(init_value=0.2, transition_steps=7, decay_rate=0.9,"
        " transition_begin=12, end_value=0.03)",
        "ExponentialDecay",
        dict(initial=0.2, transitionSteps=7, decayRate=0.9, transitionBegin=12, staircase=False,
             limit=0.03)))
    out.append(optax_case(
        "polynomial_schedule power 2",
        "optax.polynomial_schedule(init_value=0.1, end_value=0.001, power=2,"
        " transition_steps=150, transition_begin=20)",
        "PolynomialDecay",
        dict(initial=0.1, end=0.001, exponent=2.0, transitionSteps=150, transitionBegin=20)))
    out.append(optax_case(
        "polynomial_schedule power 0.5",
        "optax.polynomial_schedule(init_value=0.05, end_value=0.0005, power=0.5,"
        " transition_steps=180)",
        "PolynomialDecay",
        dict(initial=0.05, end=0.0005, exponent=0.5, transitionSteps=180, transitionBegin=0)))
    out.append(optax_case(
        "linear_schedule",
        "optax.linear_schedule(init_value=0.001, end_value=0.1, transition_steps=100,"
        " transition_begin=10)",
        "LinearSchedule",
        dict(initial=0.001, end=0.1, transitionSteps=100, transitionBegin=10)))
    out.append(optax_case(
        "cosine_decay_schedule alpha",
        "optax.cosine_decay_schedule(init_value=0.1, decay_steps=150, alpha=0.05)",
        "CosineDecay",
        dict(initial=0.1, decaySteps=150, alpha=0.05, exponent=1.0)))
    out.append(optax_case(
        "cosine_decay_schedule exponent",
        "optax.cosine_decay_schedule(init_value=0.1, decay_steps=190, alpha=0.01, exponent=2.0)",
        "CosineDecay",
        dict(initial=0.1, decaySteps=190, alpha=0.01, exponent=2.0)))
    out.append(optax_case(
        "warmup_cosine_decay_schedule",
        "optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=0.1, warmup_steps=20,"
        " decay_steps=180, end_value=0.001)",
        "WarmupCosine",
        dict(initial=0.0, peak=0.1, warmupSteps=20, decaySteps=180, end=0.001, exponent=1.0)))
    out.append(optax_case(
        "warmup_cosine_decay_schedule exponent",
        "optax.warmup_cosine_decay_schedule(init_value=0.01, peak_value=0.2, warmup_steps=35,"
        " decay_steps=200, end_value=0.002, exponent=1.5)",
        "WarmupCosine",
        dict(initial=0.01, peak=0.2, warmupSteps=35, decaySteps=200, end=0.002, exponent=1.5)))
    out.append(optax_case(
        "warmup_exponential_decay_schedule",
        "optax.warmup_exponential_decay_schedule(init_value=0.001, peak_value=0.1,"
        " warmup_steps=15, transition_steps=10, decay_rate=0.85, transition_begin=5,"
        " staircase=True, end_value=0.01)",
        "Warmup<ExponentialDecay>",
        dict(base=dict(initial=0.1, transitionSteps=10, decayRate=0.85, transitionBegin=5,
                       staircase=True, limit=0.01),
             steps=15, initial=0.001)))
    out.append(optax_case(
        "piecewise_constant_schedule",
        "optax.piecewise_constant_schedule(init_value=0.1,"
        " boundaries_and_scales={40: 0.5, 100: 0.2, 160: 0.1})",
        "PiecewiseConstant",
        dict(initial=0.1, boundaries=[40, 100, 160], scales=[0.5, 0.2, 0.1])))
    out.append(optax_case(
        "join_schedules of three kinds",
        "optax.join_schedules([optax.linear_schedule(0.0, 0.1, 30),"
        " optax.cosine_decay_schedule(0.1, 100, alpha=0.1), optax.constant_schedule(0.01)],"
        " [30, 130])",
        "Followed<LinearSchedule, Followed<CosineDecay, Constant>>",
        dict(first=dict(initial=0.0, end=0.1, transitionSteps=30, transitionBegin=0),
             second=dict(first=dict(initial=0.1, decaySteps=100, alpha=0.1, exponent=1.0),
                         second=dict(value=0.01), boundary=100),
             boundary=30)))
    out.append(optax_case(
        "join_schedules of cosines",
        "optax.join_schedules([optax.cosine_decay_schedule(0.1, 50),"
        " optax.cosine_decay_schedule(0.05, 60, alpha=0.2),"
        " optax.cosine_decay_schedule(0.02, 100)], [50, 110])",
        "Joined<CosineDecay>",
        dict(parts=[dict(initial=0.1, decaySteps=50, alpha=0.0, exponent=1.0),
                    dict(initial=0.05, decaySteps=60, alpha=0.2, exponent=1.0),
                    dict(initial=0.02, decaySteps=100, alpha=0.0, exponent=1.0)],
             boundaries=[50, 110])))
    steps, values = onecycle_knots([54, 180], 0.1 / 25.0, [25.0, 1.0 / (25.0 * 1e4)])
    out.append(optax_case(
        "cosine_onecycle_schedule",
        "optax.cosine_onecycle_schedule(transition_steps=180, peak_value=0.1, pct_start=0.3,"
        " div_factor=25.0, final_div_factor=1e4)",
        "Interpolated",
        dict(steps=steps, values=values, interpolation="cosine")))
    steps, values = onecycle_knots([45, 144, 180], 0.1 / 25.0, [25.0, 1.0 / 25.0, 1.0 / 1e4])
    out.append(optax_case(
        "linear_onecycle_schedule",
        "optax.linear_onecycle_schedule(transition_steps=180, peak_value=0.1, pct_start=0.25,"
        " pct_final=0.8, div_factor=25.0, final_div_factor=1e4)",
        "Interpolated",
        dict(steps=steps, values=values, interpolation="linear")))
    sgdr = [dict(init_value=0.0, peak_value=0.1, warmup_steps=10, decay_steps=50, end_value=0.001),
            dict(init_value=0.001, peak_value=0.05, warmup_steps=5, decay_steps=60, end_value=0.0005),
            dict(init_value=0.0005, peak_value=0.02, warmup_steps=8, decay_steps=91, end_value=0.0)]
    out.append(optax_case(
        "sgdr_schedule",
        f"optax.sgdr_schedule({sgdr!r})",
        "Joined<WarmupCosine>",
        dict(parts=[dict(initial=k["init_value"], peak=k["peak_value"], warmupSteps=k["warmup_steps"],
                         decaySteps=k["decay_steps"], end=k["end_value"], exponent=1.0) for k in sgdr],
             boundaries=[50, 110])))
    # ---------------------------------------------------------------- torch
    out.append(torch_case(
        "StepLR", "lr_scheduler.StepLR(opt, step_size=30, gamma=0.5)",
        "StepDecay", dict(initial=0.1, factor=0.5, stepSize=30)))
    out.append(torch_case(
        "MultiStepLR", "lr_scheduler.MultiStepLR(opt, milestones=[30, 80, 150], gamma=0.1)",
        "PiecewiseConstant", dict(initial=0.1, boundaries=[30, 80, 150], scales=[0.1, 0.1, 0.1])))
    out.append(torch_case(
        "ExponentialLR", "lr_scheduler.ExponentialLR(opt, gamma=0.97)",
        "ExponentialDecay",
        dict(initial=0.1, transitionSteps=1, decayRate=0.97, transitionBegin=0, staircase=False)))
    out.append(torch_case(
        "CosineAnnealingLR", "lr_scheduler.CosineAnnealingLR(opt, T_max=200, eta_min=0.001)",
        "CosineDecay", dict(initial=0.1, decaySteps=200, alpha=0.001 / 0.1, exponent=1.0)))
    out.append(torch_case(
        "CosineAnnealingWarmRestarts T_mult=2",
        "lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=20, T_mult=2, eta_min=0.0001)",
        "CosineAnnealingWarmRestarts",
        dict(initial=0.1, period=20, periodMultiplier=2, minimum=0.0001)))
    out.append(torch_case(
        "CosineAnnealingWarmRestarts T_mult=1",
        "lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=45)",
        "CosineAnnealingWarmRestarts",
        dict(initial=0.1, period=45, periodMultiplier=1, minimum=0.0)))
    out.append(torch_case(
        "CyclicLR triangular",
        "lr_scheduler.CyclicLR(opt, base_lr=0.001, max_lr=0.1, step_size_up=20,"
        " step_size_down=30, mode='triangular', cycle_momentum=False)",
        "Cyclic",
        dict(base=0.001, maximum=0.1, stepSizeUp=20, stepSizeDown=30, mode=dict(triangular={}))))
    out.append(torch_case(
        "CyclicLR triangular2",
        "lr_scheduler.CyclicLR(opt, base_lr=0.001, max_lr=0.1, step_size_up=15,"
        " mode='triangular2', cycle_momentum=False)",
        "Cyclic",
        dict(base=0.001, maximum=0.1, stepSizeUp=15, stepSizeDown=15, mode=dict(triangular2={}))))
    out.append(torch_case(
        "CyclicLR exp_range",
        "lr_scheduler.CyclicLR(opt, base_lr=0.001, max_lr=0.1, step_size_up=25,"
        " mode='exp_range', gamma=0.99, cycle_momentum=False)",
        "Cyclic",
        dict(base=0.001, maximum=0.1, stepSizeUp=25, stepSizeDown=25,
             mode=dict(exponentialRange=dict(gamma=0.99)))))
    for strategy, swift_annealing in (("cos", "cosine"), ("linear", "linear")):
        out.append(torch_case(
            f"OneCycleLR {strategy}",
            f"lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=201, pct_start=0.25,"
            f" anneal_strategy='{strategy}', cycle_momentum=False)",
            "OneCycle",
            dict(peak=0.1, totalSteps=201, warmupFraction=0.25, annealing=swift_annealing,
                 initialDivisor=25.0, finalDivisor=1e4, threePhase=False)))
    out.append(torch_case(
        "OneCycleLR three_phase",
        "lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=210, pct_start=0.3,"
        " anneal_strategy='cos', div_factor=10.0, final_div_factor=100.0, three_phase=True,"
        " cycle_momentum=False)",
        "OneCycle",
        dict(peak=0.1, totalSteps=210, warmupFraction=0.3, annealing="cosine",
             initialDivisor=10.0, finalDivisor=100.0, threePhase=True)))
    out.append(torch_case(
        "LinearLR", "lr_scheduler.LinearLR(opt, start_factor=0.25, end_factor=1.0, total_iters=40)",
        "LinearSchedule", dict(initial=0.1 * 0.25, end=0.1 * 1.0, transitionSteps=40, transitionBegin=0)))
    out.append(torch_case(
        "PolynomialLR", "lr_scheduler.PolynomialLR(opt, total_iters=150, power=2.0)",
        "PolynomialDecay", dict(initial=0.1, end=0.0, exponent=2.0, transitionSteps=150, transitionBegin=0)))
    out.append(torch_case(
        "SequentialLR",
        "lr_scheduler.SequentialLR(opt, [lr_scheduler.LinearLR(opt, start_factor=0.1,"
        " total_iters=10), lr_scheduler.ExponentialLR(opt, gamma=0.97)], milestones=[10])",
        "Followed<LinearSchedule, ExponentialDecay>",
        dict(first=dict(initial=0.1 * 0.1, end=0.1, transitionSteps=10, transitionBegin=0),
             second=dict(initial=0.1, transitionSteps=1, decayRate=0.97, transitionBegin=0,
                         staircase=False),
             boundary=10)))
    # A loss that falls, flattens and wanders: fixed, rounded to 6 digits.
    rng = np.random.default_rng(20240611)
    loss = [round(0.3 + 1.0 / (1.0 + 0.08 * k) + 0.01 * float(rng.standard_normal()), 6)
            for k in range(STEPS)]
    out.append(torch_case(
        "ReduceLROnPlateau min rel",
        "lr_scheduler.ReduceLROnPlateau(opt, mode='min', factor=0.5, patience=4,"
        " threshold=0.01, threshold_mode='rel', cooldown=3, min_lr=0.002)",
        "ReduceOnPlateau",
        dict(mode="minimise", factor=0.5, patience=4, threshold=0.01, thresholdMode="relative",
             cooldown=3, minimum=0.002, epsilon=1e-8, value=0.1, badMetrics=0, cooldownRemaining=0),
        metrics=loss))
    accuracy = [round(0.9 - 0.6 * math.exp(-k / 30.0) + 0.01 * float(rng.standard_normal()), 6)
                for k in range(STEPS)]
    out.append(torch_case(
        "ReduceLROnPlateau max abs",
        "lr_scheduler.ReduceLROnPlateau(opt, mode='max', factor=0.3, patience=6,"
        " threshold=0.005, threshold_mode='abs', cooldown=0, min_lr=0.0)",
        "ReduceOnPlateau",
        dict(mode="maximise", factor=0.3, patience=6, threshold=0.005, thresholdMode="absolute",
             cooldown=0, minimum=0.0, epsilon=1e-8, value=0.1, badMetrics=0, cooldownRemaining=0),
        metrics=accuracy))
    return out


def main():
    data = dict(
        steps=STEPS,
        versions=dict(torch=torch.__version__, jax=jax.__version__, optax=optax.__version__,
                      numpy=np.__version__),
        cases=cases(),
    )
    with open(OUTPUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {len(data['cases'])} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
