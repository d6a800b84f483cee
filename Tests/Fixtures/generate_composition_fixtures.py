#!/usr/bin/env python3
"""Generate golden reference trajectories for the composition wrappers.

Writes Tests/Fixtures/composition.json next to this script.  Every case runs a
reference (optax or PyTorch, float64) on a fixed, seeded sequence of gradients
for a two-leaf model (weight [3, 2], bias [3]) and records the parameters
after every step.  The "reference" string of each case is evaluated verbatim
by this script, so it is exactly the call that produced the numbers; "swift"
names the Swift construction the test compares against.

Run with a Python that has numpy, torch, jax and optax installed:

    python Tests/Fixtures/generate_composition_fixtures.py
"""

import json
import os

import numpy as np
import torch
import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402

SEED = 20241125
STEPS = 12
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "composition.json")
SHAPES = [[3, 2], [3]]
NAMES = ["weight", "bias"]


def make_inputs(rng, scale):
    initial = [rng.standard_normal(s) for s in SHAPES]
    grads = [[scale * rng.standard_normal(s) for s in SHAPES] for _ in range(STEPS)]
    return initial, grads


def flat(leaves):
    return [np.asarray(l, dtype=np.float64).reshape(-1).tolist() for l in leaves]


def run_optax(reference, initial, grads, poison=None, lookahead=False):
    """Runs `reference` (an optax GradientTransformation expression) with
    params as a list of arrays.  `poison` = (step, leaf, index) puts a NaN
    into that gradient element."""
    tx = eval(reference, {"optax": optax, "jnp": jnp})
    params = [jnp.asarray(x, dtype=jnp.float64) for x in initial]
    if lookahead:
        params = optax.LookaheadParams.init_synced(params)
    state = tx.init(params)
    out, slow, extra = [], [], []
    for t in range(STEPS):
        g = [np.array(x, dtype=np.float64) for x in grads[t]]
        for step, leaf, index in poison or []:
            if step == t:
                g[leaf].reshape(-1)[index] = np.nan
        g = [jnp.asarray(x) for x in g]
        updates, state = tx.update(g, state, params)
        params = optax.apply_updates(params, updates)
        if lookahead:
            out.append(flat(params.fast))
            slow.append(flat(params.slow))
        else:
            out.append(flat(params))
        if hasattr(state, "total_notfinite"):
            extra.append([int(state.total_notfinite), int(state.notfinite_count)])
    return out, slow, extra


def run_optax_ema(rule, decay, initial, grads):
    """Trains with `rule` and keeps optax.ema(decay, debias=True) of the
    parameters after every step; returns parameters and the debiased average."""
    tx = eval(rule, {"optax": optax})
    ema = optax.ema(decay, debias=True)
    params = [jnp.asarray(x, dtype=jnp.float64) for x in initial]
    state = tx.init(params)
    ema_state = ema.init(params)
    out, averages = [], []
    for t in range(STEPS):
        g = [jnp.asarray(x, dtype=jnp.float64) for x in grads[t]]
        updates, state = tx.update(g, state, params)
        params = optax.apply_updates(params, updates)
        average, ema_state = ema.update(params, ema_state)
        out.append(flat(params))
        averages.append(flat(average))
    return out, averages


def run_torch(reference, initial, grads):
    params = [torch.tensor(np.asarray(x), dtype=torch.float64, requires_grad=True) for x in initial]
    weight, bias = params
    opt = eval(reference, {"torch": torch, "weight": weight, "bias": bias, "params": params})
    out = []
    for t in range(STEPS):
        for p, g in zip(params, grads[t]):
            p.grad = torch.tensor(np.asarray(g), dtype=torch.float64)
        opt.step()
        out.append(flat(p.detach().numpy() for p in params))
    return out


def main():
    rng = np.random.default_rng(SEED)
    cases = []

    def add(name, swift, reference, initial, grads, expected, **extra):
        case = {
            "name": name,
            "swift": swift,
            "reference": reference,
            "shapes": SHAPES,
            "names": NAMES,
            "initial": flat(initial),
            "gradients": [flat(g) for g in grads],
            "expected": expected,
        }
        case.update(extra)
        cases.append(case)

    # chain(clip, adam): gradients of scale 2 so that many elements clip.
    initial, grads = make_inputs(rng, 2.0)
    ref = "optax.chain(optax.clip(1.0), optax.adam(0.01))"
    add("chain(clip, adam)", "Chain(ClipValue(1.0), Adam(learningRate: 0.01))",
        ref, initial, grads, run_optax(ref, initial, grads)[0])

    # chain(clip_by_global_norm, sgd): norms around 2.5 against a bound of 2.
    initial, grads = make_inputs(rng, 1.0)
    ref = "optax.chain(optax.clip_by_global_norm(2.0), optax.sgd(0.1))"
    add("chain(clip_by_global_norm, sgd)", "Chain(ClipGlobalNorm(2.0), SGD(learningRate: 0.1))",
        ref, initial, grads, run_optax(ref, initial, grads)[0])

    # add_decayed_weights + sgd.
    initial, grads = make_inputs(rng, 1.0)
    ref = "optax.chain(optax.add_decayed_weights(0.05), optax.sgd(0.1))"
    add("chain(add_decayed_weights, sgd)", "Chain(WeightDecay(0.05), SGD(learningRate: 0.1))",
        ref, initial, grads, run_optax(ref, initial, grads)[0])

    # masked weight decay (weights only) + sgd.
    initial, grads = make_inputs(rng, 1.0)
    ref = "optax.chain(optax.masked(optax.add_decayed_weights(0.05), [True, False]), optax.sgd(0.1))"
    add("chain(masked(add_decayed_weights), sgd)",
        "Chain(WeightDecay(0.05).masked { $0 == \"weight\" }, SGD(learningRate: 0.1))",
        ref, initial, grads, run_optax(ref, initial, grads)[0])

    # The example: chain(clip_by_global_norm, add_decayed_weights, adam).
    initial, grads = make_inputs(rng, 1.0)
    ref = "optax.chain(optax.clip_by_global_norm(1.0), optax.add_decayed_weights(1e-2), optax.adam(1e-2))"
    add("chain(clip_by_global_norm, add_decayed_weights, adam)",
        "Chain(ClipGlobalNorm(1.0), WeightDecay(1e-2), Adam(learningRate: 1e-2))",
        ref, initial, grads, run_optax(ref, initial, grads)[0])

    # MultiSteps(every_k=3, adam), mean of gradients.
    initial, grads = make_inputs(rng, 1.0)
    ref = "optax.MultiSteps(optax.adam(0.05), every_k_schedule=3, accumulator_dtype=jnp.float64)"
    add("MultiSteps(every_k=3, adam)", "Accumulate(every: 3, Adam(learningRate: 0.05))",
        ref, initial, grads, run_optax(ref, initial, grads)[0])

    # apply_if_finite(adam) with a NaN at step 5 (index 4, zero based) and
    # another at step 6: two consecutive skipped steps, then recovery.
    initial, grads = make_inputs(rng, 1.0)
    ref = "optax.apply_if_finite(optax.adam(0.05), max_consecutive_errors=3)"
    poison = [(4, 0, 3), (5, 1, 0)]
    out, _, counts = run_optax(ref, initial, grads, poison=poison)
    add("apply_if_finite(adam) with a NaN step",
        "SkipNonFinite(Adam(learningRate: 0.05), maxConsecutive: 3)",
        ref, initial, grads, out,
        poison=[{"step": s, "leaf": l, "index": i} for s, l, i in poison],
        counts=counts)

    # lookahead(sgd): sync every 3 steps with alpha 0.5.
    initial, grads = make_inputs(rng, 1.0)
    ref = "optax.lookahead(optax.sgd(0.1), sync_period=3, slow_step_size=0.5)"
    out, slow, _ = run_optax(ref, initial, grads, lookahead=True)
    add("lookahead(sgd)", "Lookahead(SGD(learningRate: 0.1), syncPeriod: 3, slowStepSize: 0.5)",
        ref, initial, grads, out, slow=slow)

    # ema of the parameters of an sgd run, debiased.
    initial, grads = make_inputs(rng, 1.0)
    ref = "optax.sgd(0.1) with optax.ema(0.9, debias=True) of the parameters after each step"
    out, averages = run_optax_ema("optax.sgd(0.1)", 0.9, initial, grads)
    add("ema(0.9, debias) of sgd", "ExponentialMovingAverage(SGD(learningRate: 0.1), decay: 0.9)",
        ref, initial, grads, out, average=averages)

    # PyTorch param groups with two learning rates.
    initial, grads = make_inputs(rng, 1.0)
    ref = ("torch.optim.Adam([{'params': [weight]}, {'params': [bias], 'lr': 0.01}], "
           "lr=0.05, betas=(0.9, 0.999), eps=1e-8)")
    add("torch Adam param groups (two learning rates)",
        "Partition(Adam(learningRate: 0.01), for: \\.bias, otherwise: Adam(learningRate: 0.05))",
        ref, initial, grads, run_torch(ref, initial, grads))

    # PyTorch AdamW.
    initial, grads = make_inputs(rng, 1.0)
    ref = "torch.optim.AdamW(params, lr=0.05, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.1)"
    add("torch AdamW",
        "DecoupledWeightDecay(0.1, Adam(learningRate: 0.05), learningRate: \\.learningRate)",
        ref, initial, grads, run_torch(ref, initial, grads))

    document = {
        "generator": "Tests/Fixtures/generate_composition_fixtures.py",
        "versions": {
            "torch": torch.__version__,
            "jax": jax.__version__,
            "optax": optax.__version__,
            "numpy": np.__version__,
        },
        "cases": cases,
    }
    with open(OUTPUT, "w") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
