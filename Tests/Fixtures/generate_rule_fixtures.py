#!/usr/bin/env python3
"""Generate golden reference trajectories for the optimiser update rules.

Writes Tests/Fixtures/rules.json next to this script.  Every case is produced
by running a reference implementation (PyTorch or Optax, float64 and float32)
on either a fixed, seeded sequence of gradients or a closed-loop Rosenbrock
descent.  The "reference" string of each case is evaluated verbatim by this
script, so it is exactly the call that produced the numbers.

Run with a Python that has numpy, torch, jax and optax installed:

    python Tests/Fixtures/generate_rule_fixtures.py
"""

import json
import os
import warnings

import numpy as np
import torch
import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402

SEED = 20240601
STEPS = 25
ROSENBROCK_STEPS = 200
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "rules.json")

SMALL = [[2, 3], [3]]
FACTORED = [[4, 5], [5]]
ROSEN = [[2]]


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------

def make_inputs(rng, shapes):
    """Initial parameters and STEPS gradients for the given leaf shapes.

    Gradients are N(0, 1) with scattered exact zeros (~15 %), entries of
    magnitude 800..1200 (~6 %), and some whole-step zero leaves.
    """
    initial = [rng.standard_normal(s) for s in shapes]
    grads = []
    for _ in range(STEPS):
        step = []
        for s in shapes:
            g = rng.standard_normal(s)
            g[rng.random(s) < 0.15] = 0.0
            big = rng.random(s) < 0.06
            n = int(big.sum())
            g[big] = rng.choice([-1.0, 1.0], size=n) * rng.uniform(800.0, 1200.0, size=n)
            step.append(g)
        grads.append(step)
    # Deterministic features on top of the random ones.
    grads[0][0].flat[1] = 0.0             # a zero entry on the very first step
    grads[0][-1].flat[-1] = -1000.0       # a large entry on the very first step
    grads[3][-1][...] = 0.0               # step 4: last leaf entirely zero
    grads[9][0][...] = 0.0                # step 10: first leaf entirely zero
    for leaf in grads[16]:                # step 17: every leaf zero
        leaf[...] = 0.0
    grads[17][0].flat[0] = 1000.0         # step 18: large entry right after
    return initial, grads


def rosenbrock_grad(p, dt):
    """Analytic gradient of (1-x)^2 + 100 (y-x^2)^2, evaluated in dtype dt.

    Evaluation order (must be mirrored exactly by the Swift test):
        r  = y - x*x
        dx = -2*(1 - x) - 400*x*r      i.e. ((-2)*(1-x)) - ((400*x)*r)
        dy = 200*r
    """
    x, y = dt(p[0]), dt(p[1])
    r = y - x * x
    dx = dt(-2) * (dt(1) - x) - dt(400) * x * r
    dy = dt(200) * r
    return [np.array([dx, dy], dtype=dt)]


# --------------------------------------------------------------------------
# Runners
# --------------------------------------------------------------------------

def flat(leaves):
    return [np.asarray(l, dtype=np.float64).reshape(-1).tolist() for l in leaves]


def run_torch(ref, sched, shapes, initial, grads, steps, dtype):
    npdt = np.float64 if dtype == torch.float64 else np.float32
    previous = torch.get_default_dtype()
    # The default dtype decides the dtype of scalar state (step, mu_product).
    torch.set_default_dtype(dtype)
    try:
        params = [torch.tensor(np.asarray(x, dtype=npdt).reshape(s), dtype=dtype,
                               requires_grad=True) for x, s in zip(initial, shapes)]
        ns = {"torch": torch, "params": params}
        opt = eval(ref, ns)
        scheduler = None
        if sched is not None:
            scheduler = torch.optim.lr_scheduler.LambdaLR(opt, eval(sched, ns))
        out = []
        for t in range(steps):
            if grads is not None:
                g = [np.asarray(x, dtype=npdt) for x in grads[t]]
            else:
                g = rosenbrock_grad(params[0].detach().numpy(), npdt)
            for p, gi in zip(params, g):
                p.grad = torch.tensor(gi.reshape(p.shape), dtype=dtype)
            opt.step()
            if scheduler is not None:
                scheduler.step()
            out.append(flat(p.detach().numpy() for p in params))
        return out
    finally:
        torch.set_default_dtype(previous)


def run_optax(ref, shapes, initial, grads, steps, dtype):
    npdt = np.float64 if dtype == jnp.float64 else np.float32
    ns = {"optax": optax, "jnp": jnp}
    src = ref if dtype == jnp.float64 else ref.replace("jnp.float64", "jnp.float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        tx = eval(src, ns)
    params = [jnp.asarray(np.asarray(x, dtype=npdt).reshape(s)) for x, s in zip(initial, shapes)]
    state = tx.init(params)

    @jax.jit
    def step(params, state, g):
        updates, state = tx.update(g, state, params)
        return optax.apply_updates(params, updates), state

    out = []
    for t in range(steps):
        if grads is not None:
            g = [jnp.asarray(np.asarray(x, dtype=npdt).reshape(s)) for x, s in zip(grads[t], shapes)]
        else:
            g = [jnp.asarray(rosenbrock_grad(np.asarray(params[0]), npdt)[0])]
        params, state = step(params, state, g)
        for p in params:
            assert p.dtype == npdt, (ref, p.dtype)
        out.append(flat(params))
    return out


# --------------------------------------------------------------------------
# Case table
# --------------------------------------------------------------------------

CASES = []


def case(name, rule, lib, ref, hp, options=None, kind="gradients", shapes=None,
         sched=None, float32=True):
    CASES.append(dict(name=name, rule=rule, lib=lib, ref=ref, hp=hp,
                      options=options or {}, kind=kind,
                      shapes=shapes or (ROSEN if kind == "rosenbrock" else SMALL),
                      sched=sched, float32=float32))


def lambda_lr(decay):
    return f"lambda t: 1 / (1 + {decay!r} * t)"


# SGD / Momentum / Nesterov --------------------------------------------------
case("SGD/torch/defaults", "SGD", "torch", "torch.optim.SGD(params, lr=0.1)",
     {"learningRate": 0.1, "decay": 0.0})
case("SGD/torch/decay", "SGD", "torch", "torch.optim.SGD(params, lr=0.05)",
     {"learningRate": 0.05, "decay": 0.1}, sched=lambda_lr(0.1))
case("SGD/torch/rosenbrock", "SGD", "torch", "torch.optim.SGD(params, lr=0.0005)",
     {"learningRate": 0.0005, "decay": 0.0}, kind="rosenbrock")

for rule, nest in (("Momentum", ""), ("Nesterov", ", nesterov=True")):
    case(f"{rule}/torch/defaults", rule, "torch",
         f"torch.optim.SGD(params, lr=0.01, momentum=0.9{nest})",
         {"learningRate": 0.01, "momentum": 0.9, "decay": 0.0})
    case(f"{rule}/torch/nondefault", rule, "torch",
         f"torch.optim.SGD(params, lr=0.03, momentum=0.5{nest})",
         {"learningRate": 0.03, "momentum": 0.5, "decay": 0.0})
    case(f"{rule}/torch/decay", rule, "torch",
         f"torch.optim.SGD(params, lr=0.01, momentum=0.9{nest})",
         {"learningRate": 0.01, "momentum": 0.9, "decay": 0.05}, sched=lambda_lr(0.05))
    case(f"{rule}/torch/rosenbrock", rule, "torch",
         f"torch.optim.SGD(params, lr=0.0001, momentum=0.9{nest})",
         {"learningRate": 0.0001, "momentum": 0.9, "decay": 0.0}, kind="rosenbrock")

# Adam ---------------------------------------------------------------------
case("Adam/torch/defaults", "Adam", "torch",
     "torch.optim.Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "decay": 0.0})
case("Adam/torch/nondefault", "Adam", "torch",
     "torch.optim.Adam(params, lr=0.01, betas=(0.8, 0.99), eps=1e-06)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "decay": 0.0})
case("Adam/torch/decay", "Adam", "torch",
     "torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08)",
     {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "decay": 0.1},
     sched=lambda_lr(0.1))
case("Adam/torch/rosenbrock", "Adam", "torch",
     "torch.optim.Adam(params, lr=0.02, betas=(0.9, 0.999), eps=1e-08)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "decay": 0.0},
     kind="rosenbrock")

# RMSProp ------------------------------------------------------------------
OUT = {"epsilonPlacement": "outside"}
INS = {"epsilonPlacement": "inside"}
case("RMSProp/torch/defaults", "RMSProp", "torch",
     "torch.optim.RMSprop(params, lr=0.01, alpha=0.99, eps=1e-08, momentum=0, centered=False)",
     {"learningRate": 0.01, "rho": 0.99, "epsilon": 1e-8, "momentum": 0.0, "centred": False}, OUT)
case("RMSProp/torch/nondefault", "RMSProp", "torch",
     "torch.optim.RMSprop(params, lr=0.005, alpha=0.9, eps=1e-06, momentum=0.9, centered=False)",
     {"learningRate": 0.005, "rho": 0.9, "epsilon": 1e-6, "momentum": 0.9, "centred": False}, OUT)
case("RMSProp/torch/centred", "RMSProp", "torch",
     "torch.optim.RMSprop(params, lr=0.01, alpha=0.99, eps=1e-08, momentum=0, centered=True)",
     {"learningRate": 0.01, "rho": 0.99, "epsilon": 1e-8, "momentum": 0.0, "centred": True}, OUT)
case("RMSProp/torch/centred-momentum", "RMSProp", "torch",
     "torch.optim.RMSprop(params, lr=0.005, alpha=0.95, eps=1e-08, momentum=0.5, centered=True)",
     {"learningRate": 0.005, "rho": 0.95, "epsilon": 1e-8, "momentum": 0.5, "centred": True}, OUT)
case("RMSProp/torch/rosenbrock", "RMSProp", "torch",
     "torch.optim.RMSprop(params, lr=0.001, alpha=0.99, eps=1e-08, momentum=0, centered=False)",
     {"learningRate": 0.001, "rho": 0.99, "epsilon": 1e-8, "momentum": 0.0, "centred": False}, OUT,
     kind="rosenbrock")
case("RMSProp/optax/defaults", "RMSProp", "optax",
     "optax.rmsprop(learning_rate=0.01, decay=0.9, eps=1e-08, initial_scale=0.0, eps_in_sqrt=True, centered=False, momentum=None)",
     {"learningRate": 0.01, "rho": 0.9, "epsilon": 1e-8, "momentum": 0.0, "centred": False}, INS)
case("RMSProp/optax/nondefault", "RMSProp", "optax",
     "optax.rmsprop(learning_rate=0.005, decay=0.99, eps=1e-06, initial_scale=0.0, eps_in_sqrt=True, centered=False, momentum=0.9)",
     {"learningRate": 0.005, "rho": 0.99, "epsilon": 1e-6, "momentum": 0.9, "centred": False}, INS)
case("RMSProp/optax/centred-momentum", "RMSProp", "optax",
     "optax.rmsprop(learning_rate=0.005, decay=0.95, eps=1e-08, initial_scale=0.0, eps_in_sqrt=True, centered=True, momentum=0.5)",
     {"learningRate": 0.005, "rho": 0.95, "epsilon": 1e-8, "momentum": 0.5, "centred": True}, INS)
case("RMSProp/optax/rosenbrock", "RMSProp", "optax",
     "optax.rmsprop(learning_rate=0.001, decay=0.9, eps=1e-08, initial_scale=0.0, eps_in_sqrt=True, centered=False, momentum=None)",
     {"learningRate": 0.001, "rho": 0.9, "epsilon": 1e-8, "momentum": 0.0, "centred": False}, INS,
     kind="rosenbrock")

# AdaGrad / AdaDelta ---------------------------------------------------------
case("AdaGrad/torch/defaults", "AdaGrad", "torch",
     "torch.optim.Adagrad(params, lr=0.01, lr_decay=0, initial_accumulator_value=0, eps=1e-10)",
     {"learningRate": 0.01, "learningRateDecay": 0.0, "initialAccumulatorValue": 0.0, "epsilon": 1e-10})
case("AdaGrad/torch/nondefault", "AdaGrad", "torch",
     "torch.optim.Adagrad(params, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1, eps=1e-08)",
     {"learningRate": 0.1, "learningRateDecay": 0.01, "initialAccumulatorValue": 0.1, "epsilon": 1e-8})
case("AdaGrad/torch/rosenbrock", "AdaGrad", "torch",
     "torch.optim.Adagrad(params, lr=0.1, lr_decay=0, initial_accumulator_value=0, eps=1e-10)",
     {"learningRate": 0.1, "learningRateDecay": 0.0, "initialAccumulatorValue": 0.0, "epsilon": 1e-10},
     kind="rosenbrock")

case("AdaDelta/torch/defaults", "AdaDelta", "torch",
     "torch.optim.Adadelta(params, lr=1.0, rho=0.9, eps=1e-06)",
     {"learningRate": 1.0, "rho": 0.9, "epsilon": 1e-6})
case("AdaDelta/torch/nondefault", "AdaDelta", "torch",
     "torch.optim.Adadelta(params, lr=0.5, rho=0.95, eps=1e-05)",
     {"learningRate": 0.5, "rho": 0.95, "epsilon": 1e-5})
case("AdaDelta/torch/rosenbrock", "AdaDelta", "torch",
     "torch.optim.Adadelta(params, lr=1.0, rho=0.9, eps=1e-06)",
     {"learningRate": 1.0, "rho": 0.9, "epsilon": 1e-6}, kind="rosenbrock")

# AdaMax -------------------------------------------------------------------
# NB: optax 0.2.8 also puts eps inside the max (see README), so both are "insideMax".
IMAX = {"epsilonPlacement": "insideMax"}
case("AdaMax/torch/defaults", "AdaMax", "torch",
     "torch.optim.Adamax(params, lr=0.002, betas=(0.9, 0.999), eps=1e-08)",
     {"learningRate": 0.002, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, IMAX)
case("AdaMax/torch/nondefault", "AdaMax", "torch",
     "torch.optim.Adamax(params, lr=0.01, betas=(0.8, 0.99), eps=0.0001)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4}, IMAX)
case("AdaMax/torch/rosenbrock", "AdaMax", "torch",
     "torch.optim.Adamax(params, lr=0.02, betas=(0.9, 0.999), eps=1e-08)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, IMAX, kind="rosenbrock")
case("AdaMax/optax/defaults", "AdaMax", "optax",
     "optax.adamax(learning_rate=0.002, b1=0.9, b2=0.999, eps=1e-08)",
     {"learningRate": 0.002, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, IMAX)
case("AdaMax/optax/nondefault", "AdaMax", "optax",
     "optax.adamax(learning_rate=0.01, b1=0.8, b2=0.99, eps=0.0001)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4}, IMAX)
case("AdaMax/optax/rosenbrock", "AdaMax", "optax",
     "optax.adamax(learning_rate=0.02, b1=0.9, b2=0.999, eps=1e-08)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, IMAX, kind="rosenbrock")

# AMSGrad ------------------------------------------------------------------
PT = {"variant": "pytorch"}
OX = {"variant": "optax"}
case("AMSGrad/torch/defaults", "AMSGrad", "torch",
     "torch.optim.Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, amsgrad=True)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, PT)
case("AMSGrad/torch/nondefault", "AMSGrad", "torch",
     "torch.optim.Adam(params, lr=0.01, betas=(0.8, 0.99), eps=1e-06, amsgrad=True)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}, PT)
case("AMSGrad/torch/rosenbrock", "AMSGrad", "torch",
     "torch.optim.Adam(params, lr=0.02, betas=(0.9, 0.999), eps=1e-08, amsgrad=True)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, PT, kind="rosenbrock")
case("AMSGrad/optax/defaults", "AMSGrad", "optax",
     "optax.amsgrad(learning_rate=0.001, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, OX)
case("AMSGrad/optax/nondefault", "AMSGrad", "optax",
     "optax.amsgrad(learning_rate=0.01, b1=0.8, b2=0.99, eps=1e-06, eps_root=0.0)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6}, OX)
case("AMSGrad/optax/rosenbrock", "AMSGrad", "optax",
     "optax.amsgrad(learning_rate=0.02, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}, OX, kind="rosenbrock")

# NAdam --------------------------------------------------------------------
case("NAdam/torch/defaults", "NAdam", "torch",
     "torch.optim.NAdam(params, lr=0.002, betas=(0.9, 0.999), eps=1e-08, momentum_decay=0.004)",
     {"learningRate": 0.002, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "momentumDecay": 0.004}, PT)
case("NAdam/torch/nondefault", "NAdam", "torch",
     "torch.optim.NAdam(params, lr=0.01, betas=(0.8, 0.99), eps=1e-06, momentum_decay=0.01)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "momentumDecay": 0.01}, PT)
case("NAdam/torch/rosenbrock", "NAdam", "torch",
     "torch.optim.NAdam(params, lr=0.02, betas=(0.9, 0.999), eps=1e-08, momentum_decay=0.004)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "momentumDecay": 0.004}, PT,
     kind="rosenbrock")
case("NAdam/optax/defaults", "NAdam", "optax",
     "optax.nadam(learning_rate=0.002, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0)",
     {"learningRate": 0.002, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "momentumDecay": None}, OX)
case("NAdam/optax/nondefault", "NAdam", "optax",
     "optax.nadam(learning_rate=0.01, b1=0.8, b2=0.99, eps=1e-06, eps_root=0.0)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "momentumDecay": None}, OX)
case("NAdam/optax/rosenbrock", "NAdam", "optax",
     "optax.nadam(learning_rate=0.02, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "momentumDecay": None}, OX,
     kind="rosenbrock")

# AdamW --------------------------------------------------------------------
case("AdamW/torch/defaults", "AdamW", "torch",
     "torch.optim.AdamW(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": 0.01})
case("AdamW/torch/nondefault", "AdamW", "torch",
     "torch.optim.AdamW(params, lr=0.01, betas=(0.8, 0.99), eps=1e-06, weight_decay=0.1)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "weightDecay": 0.1})
case("AdamW/torch/rosenbrock", "AdamW", "torch",
     "torch.optim.AdamW(params, lr=0.02, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": 0.01},
     kind="rosenbrock")
case("AdamW/optax/defaults", "AdamW", "optax",
     "optax.adamw(learning_rate=0.001, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0, weight_decay=0.0001)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": 0.0001})
case("AdamW/optax/nondefault", "AdamW", "optax",
     "optax.adamw(learning_rate=0.01, b1=0.8, b2=0.99, eps=1e-06, eps_root=0.0, weight_decay=0.1)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "weightDecay": 0.1})
case("AdamW/optax/rosenbrock", "AdamW", "optax",
     "optax.adamw(learning_rate=0.02, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0, weight_decay=0.01)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "weightDecay": 0.01},
     kind="rosenbrock")

# RAdam --------------------------------------------------------------------
case("RAdam/torch/defaults", "RAdam", "torch",
     "torch.optim.RAdam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "threshold": 5.0}, PT)
case("RAdam/torch/nondefault", "RAdam", "torch",
     "torch.optim.RAdam(params, lr=0.01, betas=(0.8, 0.99), eps=1e-06)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "threshold": 5.0}, PT)
case("RAdam/torch/rosenbrock", "RAdam", "torch",
     "torch.optim.RAdam(params, lr=0.0005, betas=(0.9, 0.999), eps=1e-08)",
     {"learningRate": 0.0005, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "threshold": 5.0}, PT,
     kind="rosenbrock")
case("RAdam/optax/defaults", "RAdam", "optax",
     "optax.radam(learning_rate=0.001, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0, threshold=5.0)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "threshold": 5.0}, OX)
case("RAdam/optax/nondefault", "RAdam", "optax",
     "optax.radam(learning_rate=0.01, b1=0.8, b2=0.99, eps=1e-06, eps_root=0.0, threshold=6.0)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "threshold": 6.0}, OX)
case("RAdam/optax/rosenbrock", "RAdam", "optax",
     "optax.radam(learning_rate=0.0005, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0, threshold=5.0)",
     {"learningRate": 0.0005, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "threshold": 5.0}, OX,
     kind="rosenbrock")

# AdaBelief ----------------------------------------------------------------
case("AdaBelief/optax/defaults", "AdaBelief", "optax",
     "optax.adabelief(learning_rate=0.001, b1=0.9, b2=0.999, eps=1e-16, eps_root=1e-16)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-16, "epsilonRoot": 1e-16})
case("AdaBelief/optax/nondefault", "AdaBelief", "optax",
     "optax.adabelief(learning_rate=0.01, b1=0.8, b2=0.99, eps=1e-08, eps_root=1e-10)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-8, "epsilonRoot": 1e-10})
case("AdaBelief/optax/rosenbrock", "AdaBelief", "optax",
     "optax.adabelief(learning_rate=0.02, b1=0.9, b2=0.999, eps=1e-16, eps_root=1e-16)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-16, "epsilonRoot": 1e-16},
     kind="rosenbrock")

# Lion ---------------------------------------------------------------------
case("Lion/optax/defaults", "Lion", "optax",
     "optax.lion(learning_rate=0.0001, b1=0.9, b2=0.99, weight_decay=0.001)",
     {"learningRate": 1e-4, "beta1": 0.9, "beta2": 0.99, "weightDecay": 0.001})
case("Lion/optax/nondefault", "Lion", "optax",
     "optax.lion(learning_rate=0.0003, b1=0.8, b2=0.95, weight_decay=0.0)",
     {"learningRate": 3e-4, "beta1": 0.8, "beta2": 0.95, "weightDecay": 0.0})
case("Lion/optax/rosenbrock", "Lion", "optax",
     "optax.lion(learning_rate=0.001, b1=0.9, b2=0.99, weight_decay=0.0)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.99, "weightDecay": 0.0}, kind="rosenbrock")

# Rprop --------------------------------------------------------------------
case("Rprop/torch/defaults", "Rprop", "torch",
     "torch.optim.Rprop(params, lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-06, 50))",
     {"learningRate": 0.01, "etaMinus": 0.5, "etaPlus": 1.2, "minimumStep": 1e-6, "maximumStep": 50.0})
case("Rprop/torch/nondefault", "Rprop", "torch",
     "torch.optim.Rprop(params, lr=0.05, etas=(0.3, 1.5), step_sizes=(0.001, 0.2))",
     {"learningRate": 0.05, "etaMinus": 0.3, "etaPlus": 1.5, "minimumStep": 0.001, "maximumStep": 0.2})
case("Rprop/torch/rosenbrock", "Rprop", "torch",
     "torch.optim.Rprop(params, lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-06, 50))",
     {"learningRate": 0.01, "etaMinus": 0.5, "etaPlus": 1.2, "minimumStep": 1e-6, "maximumStep": 50.0},
     kind="rosenbrock")

# OAdam (optax.optimistic_adam, deprecated in favour of _v2 but kept) ---------
NEST = {"nesterov": "true"}
case("OAdam/optax/defaults", "OAdam", "optax",
     "optax.optimistic_adam(learning_rate=0.001, optimism=None, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0, nesterov=True)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "optimism": None}, NEST)
case("OAdam/optax/nondefault", "OAdam", "optax",
     "optax.optimistic_adam(learning_rate=0.01, optimism=0.005, b1=0.8, b2=0.99, eps=1e-06, eps_root=0.0, nesterov=True)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-6, "optimism": 0.005}, NEST)
case("OAdam/optax/no-nesterov", "OAdam", "optax",
     "optax.optimistic_adam(learning_rate=0.01, optimism=0.02, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0, nesterov=False)",
     {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "optimism": 0.02},
     {"nesterov": "false"})
case("OAdam/optax/rosenbrock", "OAdam", "optax",
     "optax.optimistic_adam(learning_rate=0.01, optimism=None, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0, nesterov=True)",
     {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "optimism": None}, NEST,
     kind="rosenbrock")

# Yogi ---------------------------------------------------------------------
case("Yogi/optax/defaults", "Yogi", "optax",
     "optax.yogi(learning_rate=0.01, b1=0.9, b2=0.999, eps=0.001)",
     {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-3, "initialAccumulator": 1e-6})
case("Yogi/optax/nondefault", "Yogi", "optax",
     "optax.yogi(learning_rate=0.05, b1=0.8, b2=0.99, eps=0.0001)",
     {"learningRate": 0.05, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4, "initialAccumulator": 1e-6})
case("Yogi/optax/initial-accumulator", "Yogi", "optax",
     "optax.chain(optax.scale_by_yogi(b1=0.9, b2=0.999, eps=0.001, eps_root=0.0, initial_accumulator_value=0.01), optax.scale_by_learning_rate(0.01))",
     {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-3, "initialAccumulator": 0.01})
case("Yogi/optax/rosenbrock", "Yogi", "optax",
     "optax.yogi(learning_rate=0.02, b1=0.9, b2=0.999, eps=0.001)",
     {"learningRate": 0.02, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-3, "initialAccumulator": 1e-6},
     kind="rosenbrock")

# LAMB ---------------------------------------------------------------------
case("LAMB/optax/defaults", "LAMB", "optax",
     "optax.lamb(learning_rate=0.001, b1=0.9, b2=0.999, eps=1e-06, eps_root=0.0, weight_decay=0.0)",
     {"learningRate": 0.001, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-6, "weightDecay": 0.0})
case("LAMB/optax/nondefault", "LAMB", "optax",
     "optax.lamb(learning_rate=0.01, b1=0.8, b2=0.99, eps=0.0001, eps_root=0.0, weight_decay=0.01)",
     {"learningRate": 0.01, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4, "weightDecay": 0.01})
case("LAMB/optax/rosenbrock", "LAMB", "optax",
     "optax.lamb(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-06, eps_root=0.0, weight_decay=0.0)",
     {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-6, "weightDecay": 0.0},
     kind="rosenbrock")

# LARS ---------------------------------------------------------------------
case("LARS/optax/defaults", "LARS", "optax",
     "optax.lars(learning_rate=0.1, weight_decay=0.0, weight_decay_mask=True, trust_coefficient=0.001, eps=0.0, trust_ratio_mask=True, momentum=0.9, nesterov=False)",
     {"learningRate": 0.1, "weightDecay": 0.0, "trustCoefficient": 0.001, "epsilon": 0.0,
      "momentum": 0.9, "nesterov": False})
case("LARS/optax/nondefault", "LARS", "optax",
     "optax.lars(learning_rate=1.0, weight_decay=0.01, weight_decay_mask=True, trust_coefficient=0.01, eps=1e-06, trust_ratio_mask=True, momentum=0.5, nesterov=True)",
     {"learningRate": 1.0, "weightDecay": 0.01, "trustCoefficient": 0.01, "epsilon": 1e-6,
      "momentum": 0.5, "nesterov": True})
case("LARS/optax/rosenbrock", "LARS", "optax",
     "optax.lars(learning_rate=1.0, weight_decay=0.0, weight_decay_mask=True, trust_coefficient=0.001, eps=0.0, trust_ratio_mask=True, momentum=0.9, nesterov=False)",
     {"learningRate": 1.0, "weightDecay": 0.0, "trustCoefficient": 0.001, "epsilon": 0.0,
      "momentum": 0.9, "nesterov": False}, kind="rosenbrock")

# Signum (optax.signum exists in optax 0.2.8) --------------------------------
case("Signum/optax/defaults", "Signum", "optax",
     "optax.signum(learning_rate=0.01, beta=0.9)",
     {"learningRate": 0.01, "momentum": 0.9})
case("Signum/optax/nondefault", "Signum", "optax",
     "optax.signum(learning_rate=0.003, beta=0.5)",
     {"learningRate": 0.003, "momentum": 0.5})
case("Signum/optax/rosenbrock", "Signum", "optax",
     "optax.signum(learning_rate=0.001, beta=0.9)",
     {"learningRate": 0.001, "momentum": 0.9}, kind="rosenbrock")

# Adafactor ----------------------------------------------------------------
def af_optax_hp(lr, mdsf, dr, off, mbps, clip, mom, wd, eps, fac):
    return {"learningRate": lr, "minDimSizeToFactor": mdsf, "decayRate": dr, "decayOffset": off,
            "multiplyByParameterScale": mbps, "clippingThreshold": clip, "momentum": mom,
            "weightDecayRate": wd, "epsilon": eps, "factored": fac}


case("Adafactor/optax/defaults", "Adafactor", "optax",
     "optax.adafactor(learning_rate=None, min_dim_size_to_factor=128, decay_rate=0.8, decay_offset=0, multiply_by_parameter_scale=True, clipping_threshold=1.0, momentum=None, weight_decay_rate=None, eps=1e-30, factored=True)",
     af_optax_hp(None, 128, 0.8, 0, True, 1.0, None, None, 1e-30, True), OX)
case("Adafactor/optax/factored", "Adafactor", "optax",
     "optax.adafactor(learning_rate=None, min_dim_size_to_factor=4, decay_rate=0.8, decay_offset=0, multiply_by_parameter_scale=True, clipping_threshold=1.0, momentum=None, weight_decay_rate=None, eps=1e-30, factored=True)",
     af_optax_hp(None, 4, 0.8, 0, True, 1.0, None, None, 1e-30, True), OX, shapes=FACTORED)
case("Adafactor/optax/nondefault", "Adafactor", "optax",
     "optax.adafactor(learning_rate=0.01, min_dim_size_to_factor=4, decay_rate=0.5, decay_offset=0, multiply_by_parameter_scale=False, clipping_threshold=0.5, momentum=0.9, dtype_momentum=jnp.float64, weight_decay_rate=0.001, eps=1e-20, factored=True)",
     af_optax_hp(0.01, 4, 0.5, 0, False, 0.5, 0.9, 0.001, 1e-20, True), OX, shapes=FACTORED)
case("Adafactor/optax/rosenbrock", "Adafactor", "optax",
     "optax.adafactor(learning_rate=0.01, min_dim_size_to_factor=128, decay_rate=0.8, decay_offset=0, multiply_by_parameter_scale=True, clipping_threshold=1.0, momentum=None, weight_decay_rate=None, eps=1e-30, factored=True)",
     af_optax_hp(0.01, 128, 0.8, 0, True, 1.0, None, None, 1e-30, True), OX, kind="rosenbrock")


def af_torch_hp(lr, b2d, e1, e2, d, wd):
    return {"learningRate": lr, "beta2Decay": b2d, "epsilon1": e1, "epsilon2": e2,
            "clippingThreshold": d, "weightDecay": wd}


case("Adafactor/torch/defaults", "Adafactor", "torch",
     "torch.optim.Adafactor(params, lr=0.01, beta2_decay=-0.8, eps=(None, 0.001), d=1.0, weight_decay=0.0)",
     af_torch_hp(0.01, -0.8, None, 1e-3, 1.0, 0.0), PT)
case("Adafactor/torch/factored", "Adafactor", "torch",
     "torch.optim.Adafactor(params, lr=0.01, beta2_decay=-0.8, eps=(None, 0.001), d=1.0, weight_decay=0.0)",
     af_torch_hp(0.01, -0.8, None, 1e-3, 1.0, 0.0), PT, shapes=FACTORED)
case("Adafactor/torch/nondefault", "Adafactor", "torch",
     "torch.optim.Adafactor(params, lr=0.05, beta2_decay=-0.5, eps=(1e-20, 0.01), d=2.0, weight_decay=0.01)",
     af_torch_hp(0.05, -0.5, 1e-20, 1e-2, 2.0, 0.01), PT, shapes=FACTORED)
case("Adafactor/torch/rosenbrock", "Adafactor", "torch",
     "torch.optim.Adafactor(params, lr=0.01, beta2_decay=-0.8, eps=(None, 0.001), d=1.0, weight_decay=0.0)",
     af_torch_hp(0.01, -0.8, None, 1e-3, 1.0, 0.0), PT, kind="rosenbrock")


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def reference_text(c):
    ref = c["ref"]
    if c["sched"] is not None:
        ref += (f"; scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, {c['sched']})"
                "; scheduler.step() after every optimizer.step()")
    return ref


def check_finite(name, traj):
    arr = np.array([np.concatenate([np.asarray(l) for l in step]) for step in traj])
    if not np.all(np.isfinite(arr)):
        raise SystemExit(f"{name}: non-finite values in trajectory")
    return float(np.max(np.abs(arr)))


def main():
    rng = np.random.default_rng(SEED)
    inputs = {
        "small": make_inputs(rng, SMALL),
        "factored": make_inputs(rng, FACTORED),
    }
    out_cases = []
    for c in CASES:
        kind = c["kind"]
        shapes = c["shapes"]
        if kind == "rosenbrock":
            initial = [np.array([-1.2, 1.0])]
            grads, steps = None, ROSENBROCK_STEPS
        else:
            initial, grads = inputs["small" if shapes == SMALL else "factored"]
            steps = STEPS
        if c["lib"] == "torch":
            run = lambda dt: run_torch(c["ref"], c["sched"], shapes, initial, grads, steps, dt)
            dts = (torch.float64, torch.float32)
        else:
            run = lambda dt: run_optax(c["ref"], shapes, initial, grads, steps, dt)
            dts = (jnp.float64, jnp.float32)
        traj = run(dts[0])
        biggest = check_finite(c["name"], traj)
        if kind == "rosenbrock" and biggest > 10.0:
            raise SystemExit(f"{c['name']}: Rosenbrock run left the basin (max |p| = {biggest})")
        entry = {
            "name": c["name"],
            "rule": c["rule"],
            "options": c["options"],
            "reference": reference_text(c),
            "hyperparameters": c["hp"],
            "kind": kind,
            "shapes": shapes,
            "initial": flat(initial),
        }
        if grads is not None:
            entry["gradients"] = [flat(step) for step in grads]
        entry["trajectory"] = traj
        if c["float32"]:
            traj32 = run(dts[1])
            check_finite(c["name"] + " (float32)", traj32)
            entry["trajectory32"] = traj32
        out_cases.append(entry)
        print(f"{c['name']:40s} steps={steps:3d} max|p|={biggest:.4g} final={traj[-1][0][:2]}")

    doc = {
        "generator": "Tests/Fixtures/generate_rule_fixtures.py",
        "versions": {"torch": torch.__version__, "jax": jax.__version__,
                     "optax": optax.__version__, "numpy": np.__version__},
        "cases": out_cases,
    }
    with open(OUTPUT, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(out_cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
