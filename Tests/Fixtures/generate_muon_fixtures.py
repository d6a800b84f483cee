#!/usr/bin/env python3
"""Generate reference trajectories for Muon (torch.optim.Muon, optax.contrib.muon).

Writes Tests/Fixtures/muon.json next to this script.  Each case runs 10 steps
from fixed parameters with a fixed sequence of gradients (numpy seed 20261130)
in float64 ("trajectory") and in float32 ("trajectory32").  Each case's
"reference" string is evaluated verbatim, so it is exactly the call that
produced the numbers.

torch.optim.Muon runs its Newton-Schulz iteration in bfloat16
(`grad.to(dtype=torch.bfloat16, copy=True)` in `_zeropower_via_newtonschulz`).
The Swift rule runs it in the parameters' scalar type, so this script patches
that one line at run time to `grad.clone()` (see torch_muon_no_bfloat16.patch
next to this script; the installed torch is not modified) and records the
patch in the output under "patches".  optax.contrib.muon needs no patch.

    python Tests/Fixtures/generate_muon_fixtures.py
"""

import inspect
import json
import os

import numpy as np
import torch
import torch.optim._muon as torch_muon
import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402
import optax.contrib  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "muon.json")
STEPS = 10

CAST = "ortho_grad = grad.to(dtype=torch.bfloat16, copy=True)"
NO_CAST = "ortho_grad = grad.clone()"


def patch_torch():
    """Replace the bfloat16 cast in torch's Newton-Schulz by a plain copy."""
    source = inspect.getsource(torch_muon._zeropower_via_newtonschulz)
    assert source.count(CAST) == 1, "torch's Muon source changed; update the patch"
    namespace = dict(vars(torch_muon))
    exec(source.replace(CAST, NO_CAST), namespace)
    torch_muon._zeropower_via_newtonschulz = namespace["_zeropower_via_newtonschulz"]


# (label, reference, Swift options, Swift hyperparameters, shapes)
MATRICES = [[3, 5], [6, 4]]
WITH_BIAS = [[3, 5], [5]]
CASES = [
    ("torch", "defaults", "torch.optim.Muon(params)", {},
     {"learningRate": 0.001, "momentum": 0.95, "nesterov": True, "weightDecay": 0.1}, MATRICES),
    ("torch", "large-rate", "torch.optim.Muon(params, lr=0.05)", {},
     {"learningRate": 0.05, "momentum": 0.95, "nesterov": True, "weightDecay": 0.1}, MATRICES),
    ("torch", "plain-momentum-match-rms",
     "torch.optim.Muon(params, lr=0.03, momentum=0.9, nesterov=False, weight_decay=0.05, "
     "adjust_lr_fn='match_rms_adamw', ns_steps=4)",
     {"adjustment": "matchRMSAdamW"},
     {"learningRate": 0.03, "momentum": 0.9, "nesterov": False, "weightDecay": 0.05, "steps": 4}, MATRICES),
    ("torch", "original", "torch.optim.Muon(params, lr=0.02, adjust_lr_fn='original', eps=1e-6)",
     {"adjustment": "original"},
     {"learningRate": 0.02, "momentum": 0.95, "nesterov": True, "weightDecay": 0.1, "epsilon": 1e-6}, MATRICES),
    ("optax", "defaults", "optax.contrib.muon(0.05)", {"variant": "optax"},
     {"learningRate": 0.05, "momentum": 0.95, "nesterov": True, "weightDecay": 0.0}, MATRICES),
    ("optax", "plain-momentum-consistent-rms",
     "optax.contrib.muon(0.03, beta=0.9, nesterov=False, weight_decay=0.1, consistent_rms=0.2, ns_steps=3)",
     {"variant": "optax", "adjustment": "matchRMSAdamW"},
     {"learningRate": 0.03, "momentum": 0.9, "nesterov": False, "weightDecay": 0.1, "steps": 3}, MATRICES),
    # The bias goes to optax's AdamW with Nesterov momentum: NAdam(variant: .optax) in Swift.
    ("optax", "with-bias", "optax.contrib.muon(0.02, eps=1e-7)", {"variant": "optax", "partition": "nadam-optax"},
     {"learningRate": 0.02, "momentum": 0.95, "nesterov": True, "weightDecay": 0.0, "epsilon": 1e-7}, WITH_BIAS),
]


def inputs(shapes, rng):
    initial = [rng.standard_normal(s) for s in shapes]
    gradients = [[rng.standard_normal(s) for s in shapes] for _ in range(STEPS)]
    return initial, gradients


def run_torch(reference, initial, gradients, dtype):
    params = [torch.tensor(x, dtype=dtype, requires_grad=True) for x in initial]
    opt = eval(reference, {"torch": torch, "params": params})
    out = []
    for step in gradients:
        for p, g in zip(params, step):
            p.grad = torch.tensor(g, dtype=dtype)
        opt.step()
        out.append([p.detach().double().numpy().ravel().tolist() for p in params])
    return out


def run_optax(reference, initial, gradients, dtype):
    opt = eval(reference, {"optax": optax})
    params = [jnp.asarray(x, dtype=dtype) for x in initial]
    state = opt.init(params)
    out = []
    for step in gradients:
        g = [jnp.asarray(x, dtype=dtype) for x in step]
        updates, state = opt.update(g, state, params)
        params = optax.apply_updates(params, updates)
        out.append([np.asarray(p, dtype=np.float64).ravel().tolist() for p in params])
    return out


def main():
    patch_torch()
    rng = np.random.default_rng(20261130)
    data = {tuple(map(tuple, s)): inputs(s, rng) for s in (MATRICES, WITH_BIAS)}
    cases = []
    for reference_name, label, reference, options, hyper, shapes in CASES:
        initial, gradients = data[tuple(map(tuple, shapes))]
        run = run_torch if reference_name == "torch" else run_optax
        t64 = run(reference, initial, gradients, torch.float64 if reference_name == "torch" else jnp.float64)
        t32 = run(reference, initial, gradients, torch.float32 if reference_name == "torch" else jnp.float32)
        flat = [v for run_ in (t64, t32) for step in run_ for leaf in step for v in leaf]
        assert np.all(np.isfinite(flat)), label
        cases.append({
            "name": f"Muon/{reference_name}/{label}", "rule": "Muon",
            "options": {"variant": "pytorch" if reference_name == "torch" else "optax", "adjustment": "original",
                        **options},
            "reference": reference, "hyperparameters": {"epsilon": None, "steps": 5, **hyper},
            "kind": "gradients", "shapes": shapes,
            "initial": [x.ravel().tolist() for x in initial],
            "gradients": [[x.ravel().tolist() for x in step] for step in gradients],
            "trajectory": t64, "trajectory32": t32,
        })
    result = {
        "generator": "Tests/Fixtures/generate_muon_fixtures.py",
        "versions": {"torch": torch.__version__, "jax": jax.__version__, "optax": optax.__version__,
                     "numpy": np.__version__},
        "patches": {"torch.optim._muon._zeropower_via_newtonschulz": {"from": CAST, "to": NO_CAST}},
        "cases": cases,
    }
    with open(OUTPUT, "w") as f:
        json.dump(result, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
