#!/usr/bin/env python3
"""Generate reference trajectories for SharpnessAware (optax.contrib.sam).

Writes Tests/Fixtures/sam.json next to this script: optax.contrib.sam in
opaque mode (one `update` = the ascent steps and the outer step) over sgd and
adam, with the adversarial optimiser of the SAM paper and of optax's
docstring, chain(normalize(), sgd(rho)), on Rosenbrock from (-1.2, 1) and on
the least-squares problem of generate_lbfgs_fixtures.py, in float64.  Each
case's "reference" string is evaluated verbatim, so it is exactly the call that
produced the numbers.  The runs are eager (not jitted), as optax's examples.

optax has no adaptive SAM (ASAM, Kwon et al. 2021); its cases use
optax.contrib.sam with the adversarial optimiser chain(asam_normalize(eta),
sgd(rho)), where asam_normalize (below) is normalize() with Kwon et al.'s
elementwise T = |x| + eta: the ascent is rho * T(Tg) / ||Tg||, T taken at the
point the adversarial step starts from (the perturbed point after the first).

    python Tests/Fixtures/generate_sam_fixtures.py
"""

import json
import os

import numpy as np
import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402
import optax.contrib  # noqa: E402

from generate_lbfgs_fixtures import PROBLEMS  # noqa: E402



def asam_normalize(eta):
    """optax.contrib.normalize() with ASAM's scaling: T(Tg) / ||Tg||, T = |x| + eta."""

    def init_fn(params):
        del params
        return optax.EmptyState()

    def update_fn(updates, state, params):
        t = jax.tree.map(lambda p: jnp.abs(p) + eta, params)
        scaled = jax.tree.map(lambda ti, g: ti * g, t, updates)
        norm = optax.tree.norm(scaled)
        return jax.tree.map(lambda ti, v: (ti * v) / norm, t, scaled), state

    return optax.GradientTransformation(init_fn, update_fn)


HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "sam.json")

CASES = [
    # (label, problem, reference, Swift parameters, steps)
    ("sgd", "rosenbrock",
     "optax.contrib.sam(optax.sgd(0.001), optax.chain(optax.contrib.normalize(), optax.sgd(0.05)), "
     "sync_period=2, opaque_mode=True)",
     {"rule": "SGD", "learningRate": 0.001, "radius": 0.05, "ascentSteps": 1}, 40),
    ("adam", "rosenbrock",
     "optax.contrib.sam(optax.adam(0.02), optax.chain(optax.contrib.normalize(), optax.sgd(0.05)), "
     "sync_period=2, opaque_mode=True)",
     {"rule": "Adam", "learningRate": 0.02, "radius": 0.05, "ascentSteps": 1}, 40),
    ("sgd-two-ascent-steps", "rosenbrock",
     "optax.contrib.sam(optax.sgd(0.001), optax.chain(optax.contrib.normalize(), optax.sgd(0.02)), "
     "sync_period=3, opaque_mode=True)",
     {"rule": "SGD", "learningRate": 0.001, "radius": 0.02, "ascentSteps": 2}, 40),
    ("sgd", "leastSquares",
     "optax.contrib.sam(optax.sgd(0.01), optax.chain(optax.contrib.normalize(), optax.sgd(0.1)), "
     "sync_period=2, opaque_mode=True)",
     {"rule": "SGD", "learningRate": 0.01, "radius": 0.1, "ascentSteps": 1}, 40),
    ("adam", "leastSquares",
     "optax.contrib.sam(optax.adam(0.05), optax.chain(optax.contrib.normalize(), optax.sgd(0.1)), "
     "sync_period=2, opaque_mode=True)",
     {"rule": "Adam", "learningRate": 0.05, "radius": 0.1, "ascentSteps": 1}, 40),
]

CASES += [
    ("adaptive-sgd", "rosenbrock",
     "optax.contrib.sam(optax.sgd(0.001), optax.chain(asam_normalize(0.01), optax.sgd(0.05)), "
     "sync_period=2, opaque_mode=True)",
     {"rule": "SGD", "learningRate": 0.001, "radius": 0.05, "ascentSteps": 1, "adaptiveOffset": 0.01}, 40),
    ("adaptive-adam", "rosenbrock",
     "optax.contrib.sam(optax.adam(0.02), optax.chain(asam_normalize(0.1), optax.sgd(0.05)), "
     "sync_period=2, opaque_mode=True)",
     {"rule": "Adam", "learningRate": 0.02, "radius": 0.05, "ascentSteps": 1, "adaptiveOffset": 0.1}, 40),
    ("adaptive-sgd-two-ascent-steps", "leastSquares",
     "optax.contrib.sam(optax.sgd(0.01), optax.chain(asam_normalize(0.01), optax.sgd(0.1)), "
     "sync_period=3, opaque_mode=True)",
     {"rule": "SGD", "learningRate": 0.01, "radius": 0.1, "ascentSteps": 2, "adaptiveOffset": 0.01}, 40),
    ("adaptive-adam", "leastSquares",
     "optax.contrib.sam(optax.adam(0.05), optax.chain(asam_normalize(0.01), optax.sgd(0.1)), "
     "sync_period=2, opaque_mode=True)",
     {"rule": "Adam", "learningRate": 0.05, "radius": 0.1, "ascentSteps": 1, "adaptiveOffset": 0.01}, 40),
]


def run(reference, problem, steps):
    fn, x0 = PROBLEMS[problem]

    def grad(p):
        return jnp.asarray(fn(np.asarray(p))[1], dtype=jnp.float64)

    opt = eval(reference, {"optax": optax, "asam_normalize": asam_normalize})
    params = jnp.asarray(x0, dtype=jnp.float64)
    state = opt.init(params)
    out = []
    for _ in range(steps):
        g = grad(params)
        updates, state = opt.update(g, state, params, grad_fn=lambda p, _: grad(p))
        params = optax.apply_updates(params, updates)
        out.append(np.asarray(params).tolist())
    return out


def main():
    cases = []
    for label, problem, reference, swift, steps in CASES:
        trajectory = run(reference, problem, steps)
        assert np.all(np.isfinite(trajectory)), label
        cases.append({"name": f"SharpnessAware/optax/{problem}/{label}", "problem": problem,
                      "reference": reference, "parameters": swift, "trajectory": trajectory})
    doc = {"generator": "Tests/Fixtures/generate_sam_fixtures.py",
           "versions": {"jax": jax.__version__, "optax": optax.__version__, "numpy": np.__version__},
           "cases": cases}
    with open(OUTPUT, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    for case in cases:
        print(case["name"], case["trajectory"][-1])


if __name__ == "__main__":
    main()
