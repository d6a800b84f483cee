#!/usr/bin/env python3
"""Generate Tests/Fixtures/schedule-references.json: the references' own traces
for the schedules of issue 13 (periodic CosineAnnealingLR, torch's factor
schedulers, ChainedScheduler, SequentialLR and optax join_schedules of mixed
kinds, CyclicLR and OneCycleLR with their momentum cycling, optax's one-cycle
schedules).

Each case records
  * "reference": the exact Python call (evaluated verbatim by this script);
  * "swift": the schedule as AnySchedule JSON (a "kind" tag and the type's
    Codable fields), decoded by the Swift test without naming a type;
  * "values": the reference's value at steps 0...len-1;
  * "momentum" (CyclicLR / OneCycleLR only): {"swift", "values", "parameter"},
    the momentum (SGD "momentum" or Adam "betas"[0]) the scheduler sets.

Step mapping as in generate_schedule_fixtures.py: optax's value at step k is
schedule(k); torch's is optimizer.param_groups[0]["lr"] (and the momentum) after
k calls of scheduler.step(), i.e. get_last_lr() with last_epoch == k.

optax computes these schedules in float64 with jax_enable_x64 (no float32 cast
in piecewise_interpolate_schedule, join_schedules, linear_schedule,
constant_schedule or cosine_decay_schedule in optax 0.2.8), so the venv needs
no patch.

    python Tests/Fixtures/generate_schedule_reference_fixtures.py
"""

import json
import os
import warnings

import numpy as np
import torch
import jax

jax.config.update("jax_enable_x64", True)
import optax  # noqa: E402

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "schedule-references.json")
lr_scheduler = torch.optim.lr_scheduler


def optax_case(name, reference, swift, steps=301):
    schedule = eval(reference)  # noqa: S307 - the recorded call itself
    return dict(name=name, library="optax", reference=reference, swift=swift,
                values=[float(schedule(k)) for k in range(steps)])


def torch_case(name, reference, swift, steps=301, optimizer="SGD", momentum=None):
    """momentum: (parameter name, AnySchedule JSON) for a scheduler that cycles it."""
    param = torch.zeros(1, requires_grad=True)
    if optimizer == "SGD":
        optimizer_call = "torch.optim.SGD([param], lr=0.1, momentum=0.9)"
    else:
        optimizer_call = "torch.optim.Adam([param], lr=0.1, betas=(0.9, 0.999))"
    opt = eval(optimizer_call)  # noqa: S307
    read = (lambda g: g["momentum"]) if optimizer == "SGD" else (lambda g: g["betas"][0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scheduler = eval(reference)  # noqa: S307 - the recorded call itself
        values, momenta = [], []
        for _ in range(steps):
            values.append(float(opt.param_groups[0]["lr"]))
            momenta.append(float(read(opt.param_groups[0])))
            opt.step()
            scheduler.step()
    case = dict(name=name, library="torch", reference=reference, optimizer=optimizer_call,
                swift=swift, values=values)
    if momentum is not None:
        parameter, swift_momentum = momentum
        case["momentum"] = dict(parameter=parameter, swift=swift_momentum, values=momenta)
    return case


def cosine_annealing(T, eta):
    return dict(kind="cosineAnnealing", initial=0.1, maximumSteps=T, minimum=eta)


def cyclic(base, maximum, up, down, mode):
    return dict(kind="cyclic", base=base, maximum=maximum, stepSizeUp=up, stepSizeDown=down, mode=mode)


def one_cycle(peak, total, pct, annealing, div, final, three):
    return dict(kind="oneCycle", peak=peak, totalSteps=total, warmupFraction=pct, annealing=annealing,
                initialDivisor=div, finalDivisor=final, threePhase=three)


def cases():
    out = []
    # -------------------------------------------------------------- torch
    out.append(torch_case(
        "CosineAnnealingLR past T_max", "lr_scheduler.CosineAnnealingLR(opt, T_max=40, eta_min=0.001)",
        cosine_annealing(40, 0.001)))
    out.append(torch_case(
        "CosineAnnealingLR many periods", "lr_scheduler.CosineAnnealingLR(opt, T_max=7)",
        cosine_annealing(7, 0.0), steps=3001))
    out.append(torch_case(
        "LinearLR factor", "lr_scheduler.LinearLR(opt, start_factor=0.25, end_factor=0.9, total_iters=30)",
        dict(kind="linearSchedule", initial=0.1 * 0.25, end=0.1 * 0.9, transitionSteps=30, transitionBegin=0)))
    out.append(torch_case(
        "ConstantLR", "lr_scheduler.ConstantLR(opt, factor=0.3, total_iters=20)",
        dict(kind="piecewiseConstant", initial=0.1 * 0.3, boundaries=[20], scales=[1 / 0.3])))
    out.append(torch_case(
        "PolynomialLR", "lr_scheduler.PolynomialLR(opt, total_iters=50, power=1.5)",
        dict(kind="polynomialDecay", initial=0.1, end=0.0, exponent=1.5, transitionSteps=50,
             transitionBegin=0)))
    out.append(torch_case(
        "ChainedScheduler ConstantLR ExponentialLR",
        "lr_scheduler.ChainedScheduler([lr_scheduler.ConstantLR(opt, factor=0.5, total_iters=20),"
        " lr_scheduler.ExponentialLR(opt, gamma=0.99)])",
        dict(kind="chained", factors=[
            dict(kind="piecewiseConstant", initial=0.1 * 0.5, boundaries=[20], scales=[1 / 0.5]),
            dict(kind="exponentialDecay", initial=1.0, transitionSteps=1, decayRate=0.99,
                 transitionBegin=0, staircase=False)])))
    out.append(torch_case(
        "ChainedScheduler LinearLR PolynomialLR",
        "lr_scheduler.ChainedScheduler([lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=10),"
        " lr_scheduler.PolynomialLR(opt, total_iters=100, power=2.0)])",
        dict(kind="chained", factors=[
            dict(kind="linearSchedule", initial=0.1 * 0.1, end=0.1, transitionSteps=10, transitionBegin=0),
            dict(kind="polynomialDecay", initial=1.0, end=0.0, exponent=2.0, transitionSteps=100,
                 transitionBegin=0)])))
    out.append(torch_case(
        "SequentialLR warm-up, constant, cosine",
        "lr_scheduler.SequentialLR(opt, [lr_scheduler.LinearLR(opt, start_factor=0.01, total_iters=20),"
        " lr_scheduler.ConstantLR(opt, factor=1.0, total_iters=0),"
        " lr_scheduler.CosineAnnealingLR(opt, T_max=150, eta_min=0.0001)], milestones=[20, 50])",
        dict(kind="joined", boundaries=[20, 50], parts=[
            dict(kind="linearSchedule", initial=0.1 * 0.01, end=0.1, transitionSteps=20, transitionBegin=0),
            dict(kind="constant", value=0.1),
            cosine_annealing(150, 0.0001) | dict(initial=0.1)])))
    for mode, swift_mode in (("triangular2", dict(triangular2={})),
                             ("exp_range", dict(exponentialRange=dict(gamma=0.995)))):
        out.append(torch_case(
            f"CyclicLR {mode} with momentum",
            f"lr_scheduler.CyclicLR(opt, base_lr=0.001, max_lr=0.1, step_size_up=20, step_size_down=30,"
            f" mode='{mode}', gamma=0.995, cycle_momentum=True, base_momentum=0.8, max_momentum=0.9)",
            cyclic(0.001, 0.1, 20, 30, swift_mode),
            momentum=("momentum", cyclic(0.9, 0.8, 20, 30, swift_mode))))
    out.append(torch_case(
        "CyclicLR Adam beta1",
        "lr_scheduler.CyclicLR(opt, base_lr=0.001, max_lr=0.01, step_size_up=25,"
        " cycle_momentum=True, base_momentum=0.85, max_momentum=0.95)",
        cyclic(0.001, 0.01, 25, 25, dict(triangular={})), optimizer="Adam",
        momentum=("beta1", cyclic(0.95, 0.85, 25, 25, dict(triangular={})))))
    out.append(torch_case(
        "OneCycleLR cos with momentum",
        "lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=301, pct_start=0.3)",
        one_cycle(0.1, 301, 0.3, "cosine", 25.0, 1e4, False),
        momentum=("momentum", one_cycle(0.85, 301, 0.3, "cosine", 0.85 / 0.95, 1.0, False))))
    out.append(torch_case(
        "OneCycleLR Adam three_phase linear",
        "lr_scheduler.OneCycleLR(opt, max_lr=0.01, total_steps=320, pct_start=0.25,"
        " anneal_strategy='linear', three_phase=True, base_momentum=0.8, max_momentum=0.92)",
        one_cycle(0.01, 320, 0.25, "linear", 25.0, 1e4, True), optimizer="Adam",
        momentum=("beta1", one_cycle(0.8, 320, 0.25, "linear", 0.8 / 0.92, 1.0, True))))
    # -------------------------------------------------------------- optax
    out.append(optax_case(
        "cosine_onecycle_schedule",
        "optax.cosine_onecycle_schedule(transition_steps=250, peak_value=0.1, pct_start=0.25,"
        " div_factor=20.0, final_div_factor=1e3)",
        dict(kind="interpolated", steps=[0, 62, 250],
             values=[0.1 / 20.0, 0.1 / 20.0 * 20.0, 0.1 / 20.0 * 20.0 * (1.0 / (20.0 * 1e3))],
             interpolation="cosine")))
    out.append(optax_case(
        "linear_onecycle_schedule",
        "optax.linear_onecycle_schedule(transition_steps=250, peak_value=0.05, pct_start=0.3,"
        " pct_final=0.85, div_factor=25.0, final_div_factor=1e4)",
        dict(kind="interpolated", steps=[0, 75, 212, 250],
             values=[0.05 / 25.0, 0.05 / 25.0 * 25.0, 0.05 / 25.0 * 25.0 * (1.0 / 25.0),
                     0.05 / 25.0 * 25.0 * (1.0 / 25.0) * (1.0 / 1e4)],
             interpolation="linear")))
    out.append(optax_case(
        "join_schedules warm-up, constant, cosine",
        "optax.join_schedules([optax.linear_schedule(0.0, 0.1, 20), optax.constant_schedule(0.1),"
        " optax.cosine_decay_schedule(0.1, 150, alpha=0.001)], [20, 50])",
        dict(kind="joined", boundaries=[20, 50], parts=[
            dict(kind="linearSchedule", initial=0.0, end=0.1, transitionSteps=20, transitionBegin=0),
            dict(kind="constant", value=0.1),
            dict(kind="cosineDecay", initial=0.1, decaySteps=150, alpha=0.001, exponent=1.0)])))
    return out


def main():
    data = dict(versions=dict(torch=torch.__version__, jax=jax.__version__, optax=optax.__version__,
                              numpy=np.__version__),
                cases=cases())
    with open(OUTPUT, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {len(data['cases'])} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
