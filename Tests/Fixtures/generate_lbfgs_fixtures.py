#!/usr/bin/env python3
"""Generate reference trajectories for the objective-driven optimisers.

Writes Tests/Fixtures/lbfgs.json next to this script: iterate-by-iterate runs
of torch.optim.LBFGS (line_search_fn=None and "strong_wolfe") and optax.lbfgs
(zoom and backtracking line searches) on Rosenbrock from (-1.2, 1) and on a
seeded linear least-squares problem, all in float64, and optax.contrib.sam
runs over sgd and adam.  Every case's "reference" string is evaluated verbatim
by this script, so it is exactly the call that produced the numbers.

Both problems are evaluated by hand-written formulas (the same operations in
the same order as the Swift tests), given to torch as .grad and to jax through
jax.custom_vjp, so that the references and the Swift code see the same
values and gradients.

    python Tests/Fixtures/generate_lbfgs_fixtures.py
"""

import json
import os

import numpy as np
import torch
import jax

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402
import optax  # noqa: E402
import optax.contrib  # noqa: E402

torch.set_default_dtype(torch.float64)
SEED = 20261130
HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "lbfgs.json")

rng = np.random.default_rng(SEED)
LS_ROWS, LS_COLS = 12, 4
LS_A = rng.standard_normal((LS_ROWS, LS_COLS)) * np.array([1.0, 3.0, 0.5, 2.0])
LS_B = rng.standard_normal(LS_ROWS)
LS_X0 = rng.standard_normal(LS_COLS)
# A wider problem (20 unknowns) exercises the references' summation orders
# beyond a handful of scalars: MKL's eight partial sums, XLA's long fma chain.
WIDE_ROWS, WIDE_COLS = 40, 20
WIDE_A = rng.standard_normal((WIDE_ROWS, WIDE_COLS)) * np.linspace(0.2, 4.0, WIDE_COLS)
WIDE_B = rng.standard_normal(WIDE_ROWS)
WIDE_X0 = rng.standard_normal(WIDE_COLS)


# --------------------------------------------------------------------------
# Problems: value and gradient by explicit formulas, in a fixed order.
# --------------------------------------------------------------------------

def rosenbrock(p):
    """f = (1 - x)^2 + 100 r^2 with r = y - x^2; the Swift tests mirror it."""
    x, y = float(p[0]), float(p[1])
    r = y - x * x
    a = 1.0 - x
    value = a * a + 100.0 * (r * r)
    grad = [-2.0 * a - 400.0 * x * r, 200.0 * r]
    return value, grad


def least_squares_of(A, b):
    """f = 1/2 sum_i (A_i . x - b_i)^2, each dot product summed left to right."""
    rows, cols = A.shape

    def fn(p):
        residual = []
        for i in range(rows):
            s = 0.0
            for j in range(cols):
                s += float(A[i, j]) * float(p[j])
            residual.append(s - float(b[i]))
        value = 0.0
        for r in residual:
            value += r * r
        value *= 0.5
        grad = []
        for j in range(cols):
            g = 0.0
            for i in range(rows):
                g += float(A[i, j]) * residual[i]
            grad.append(g)
        return value, grad
    return fn


least_squares = least_squares_of(LS_A, LS_B)


PROBLEMS = {
    "rosenbrock": (rosenbrock, [-1.2, 1.0]),
    "leastSquares": (least_squares, LS_X0.tolist()),
    "leastSquaresWide": (least_squares_of(WIDE_A, WIDE_B), WIDE_X0.tolist()),
}


def jax_objective(fn, n):
    """A jax function whose value and gradient are fn's, via pure_callback."""
    shape = (jax.ShapeDtypeStruct((), jnp.float64), jax.ShapeDtypeStruct((n,), jnp.float64))

    def host(p):
        v, g = fn(np.asarray(p))
        return np.float64(v), np.asarray(g, dtype=np.float64)

    @jax.custom_vjp
    def f(p):
        return jax.pure_callback(host, shape, p)[0]

    def fwd(p):
        v, g = jax.pure_callback(host, shape, p)
        return v, g

    def bwd(g, ct):
        return (ct * g,)

    f.defvjp(fwd, bwd)
    return f


# --------------------------------------------------------------------------
# Runners
# --------------------------------------------------------------------------

def nudged(x0):
    """x0 with its first coordinate moved by one unit in the last place."""
    x = list(x0)
    x[0] = float(np.nextafter(x[0], np.inf))
    return x


def run_torch(reference, problem, steps, nudge=False):
    fn, x0 = PROBLEMS[problem]
    x0 = nudged(x0) if nudge else x0
    params = [torch.tensor(x0, dtype=torch.float64, requires_grad=True)]
    opt = eval(reference, {"torch": torch, "params": params})
    p = params[0]

    def closure():
        value, grad = fn(p.detach().numpy())
        p.grad = torch.tensor(grad, dtype=torch.float64)
        return torch.tensor(value, dtype=torch.float64)

    out = []
    for _ in range(steps):
        before = opt.state[p].get("n_iter", 0)
        loss = float(opt.step(closure))
        st = opt.state[p]
        out.append({"params": p.detach().numpy().tolist(), "evaluations": int(st["func_evals"]),
                    "iterations": int(st["n_iter"]), "value": loss})
        if st["n_iter"] == before:
            break  # the step stopped before iterating: converged
    return out


def run_optax(reference, problem, steps, stop_gradient, nudge=False):
    fn, x0 = PROBLEMS[problem]
    x0 = nudged(x0) if nudge else x0
    f = jax_objective(fn, len(x0))
    opt = eval(reference, {"optax": optax})
    params = jnp.asarray(x0, dtype=jnp.float64)
    state = opt.init(params)
    value_and_grad = jax.jit(optax.value_and_grad_from_state(f))
    update = jax.jit(lambda grad, state, params, value: opt.update(
        grad, state, params, value=value, grad=grad, value_fn=f))
    evaluations = 0
    out = []
    for _ in range(steps):
        value = optax.tree.get(state, "value")
        if not np.isfinite(value):
            evaluations += 1  # value_and_grad_from_state evaluates
        value, grad = value_and_grad(params, state=state)
        if np.max(np.abs(np.asarray(grad))) <= stop_gradient:
            break
        updates, state = update(grad, state, params, value)
        params = optax.apply_updates(params, updates)
        evaluations += int(optax.tree.get(state, "num_linesearch_steps"))
        out.append({"params": np.asarray(params).tolist(), "evaluations": evaluations,
                    "iterations": len(out) + 1, "value": float(value)})
    return out


TORCH_CASES = [
    # (label, problem, reference, Swift hyperparameters, steps)
    ("strong-wolfe-per-iteration", "rosenbrock",
     "torch.optim.LBFGS(params, lr=1, max_iter=1, max_eval=26, history_size=10, line_search_fn='strong_wolfe')",
     {"learningRate": 1, "maximumIterations": 1, "maximumEvaluations": 26, "historySize": 10,
      "lineSearch": "strongWolfe"}, 200),
    # max_eval = 1 leaves the line search no trial beyond its first (max_ls = max_eval - 1 = 0):
    # torch then keeps t = 0 and the parameters never move.
    ("strong-wolfe-no-budget", "rosenbrock",
     "torch.optim.LBFGS(params, max_iter=1, line_search_fn='strong_wolfe')",
     {"maximumIterations": 1, "lineSearch": "strongWolfe"}, 4),
    ("strong-wolfe-defaults", "rosenbrock",
     "torch.optim.LBFGS(params, line_search_fn='strong_wolfe')",
     {"lineSearch": "strongWolfe"}, 30),
    ("strong-wolfe-tolerance", "rosenbrock",
     "torch.optim.LBFGS(params, lr=1, max_iter=1000, max_eval=2000, tolerance_grad=1e-12, "
     "tolerance_change=1e-14, history_size=10, line_search_fn='strong_wolfe')",
     {"maximumIterations": 1000, "maximumEvaluations": 2000, "gradientTolerance": 1e-12,
      "changeTolerance": 1e-14, "historySize": 10, "lineSearch": "strongWolfe"}, 3),
    ("fixed-step-per-iteration", "rosenbrock",
     "torch.optim.LBFGS(params, lr=0.25, max_iter=1, history_size=5)",
     {"learningRate": 0.25, "maximumIterations": 1, "historySize": 5, "lineSearch": "fixedStep"}, 100),
    ("fixed-step-defaults", "rosenbrock",
     "torch.optim.LBFGS(params, lr=0.25)",
     {"learningRate": 0.25, "lineSearch": "fixedStep"}, 20),
    ("strong-wolfe-per-iteration", "leastSquares",
     "torch.optim.LBFGS(params, lr=1, max_iter=1, max_eval=10, history_size=3, line_search_fn='strong_wolfe')",
     {"learningRate": 1, "maximumIterations": 1, "maximumEvaluations": 10, "historySize": 3,
      "lineSearch": "strongWolfe"}, 100),
    ("strong-wolfe-defaults", "leastSquares",
     "torch.optim.LBFGS(params, line_search_fn='strong_wolfe')",
     {"lineSearch": "strongWolfe"}, 5),
    ("fixed-step-per-iteration", "leastSquares",
     "torch.optim.LBFGS(params, lr=0.5, max_iter=1, history_size=3)",
     {"learningRate": 0.5, "maximumIterations": 1, "historySize": 3, "lineSearch": "fixedStep"}, 80),
    ("fixed-step-defaults", "leastSquares",
     "torch.optim.LBFGS(params, lr=0.5, max_iter=7, history_size=4)",
     {"learningRate": 0.5, "maximumIterations": 7, "historySize": 4, "lineSearch": "fixedStep"}, 12),
]

TORCH_CASES += [
    ("strong-wolfe-per-iteration", "leastSquaresWide",
     "torch.optim.LBFGS(params, lr=1, max_iter=1, max_eval=10, history_size=5, line_search_fn='strong_wolfe')",
     {"learningRate": 1, "maximumIterations": 1, "maximumEvaluations": 10, "historySize": 5,
      "lineSearch": "strongWolfe"}, 100),
    ("strong-wolfe-defaults", "leastSquaresWide",
     "torch.optim.LBFGS(params, line_search_fn='strong_wolfe')",
     {"lineSearch": "strongWolfe"}, 10),
    ("fixed-step-per-iteration", "leastSquaresWide",
     "torch.optim.LBFGS(params, lr=0.5, max_iter=1, history_size=4)",
     {"learningRate": 0.5, "maximumIterations": 1, "historySize": 4, "lineSearch": "fixedStep"}, 100),
]

OPTAX_CASES = [
    ("zoom-defaults", "rosenbrock", "optax.lbfgs()", {"historySize": 10, "lineSearch": "zoom"}, 200),
    ("zoom-memory-3", "rosenbrock", "optax.lbfgs(memory_size=3)", {"historySize": 3, "lineSearch": "zoom"}, 200),
    ("zoom-keep", "rosenbrock",
     "optax.lbfgs(linesearch=optax.scale_by_zoom_linesearch(max_linesearch_steps=20, initial_guess_strategy='keep'))",
     {"historySize": 10, "lineSearch": "zoom", "initialGuess": "keep"}, 200),
    # From its 8th iteration every backtracking search on Rosenbrock fails
    # (16 trials, none with sufficient decrease), so the run creeps.
    ("backtracking", "rosenbrock",
     "optax.lbfgs(linesearch=optax.scale_by_backtracking_linesearch(max_backtracking_steps=15, store_grad=True))",
     {"historySize": 10, "lineSearch": "backtracking"}, 100),
    ("zoom-defaults", "leastSquares", "optax.lbfgs()", {"historySize": 10, "lineSearch": "zoom"}, 60),
    ("zoom-memory-2", "leastSquares", "optax.lbfgs(memory_size=2)", {"historySize": 2, "lineSearch": "zoom"}, 60),
    ("backtracking", "leastSquares",
     "optax.lbfgs(linesearch=optax.scale_by_backtracking_linesearch(max_backtracking_steps=15, store_grad=True))",
     {"historySize": 10, "lineSearch": "backtracking"}, 60),
    ("zoom-defaults", "leastSquaresWide", "optax.lbfgs()", {"historySize": 10, "lineSearch": "zoom"}, 100),
    ("backtracking", "leastSquaresWide",
     "optax.lbfgs(linesearch=optax.scale_by_backtracking_linesearch(max_backtracking_steps=15, store_grad=True))",
     {"historySize": 10, "lineSearch": "backtracking"}, 100),
]

# optax has no stopping test: the runs stop once max |g| is this small.
STOP_GRADIENT = {"rosenbrock": 1e-9, "leastSquares": 1e-7, "leastSquaresWide": 1e-7}
# Every run is kept in full: the Swift code rounds every operation as its
# reference does (torch: MKL's dot order, ATen's cascade for abs().sum(); optax:
# the fused multiply-adds and reduction orders of XLA's CPU kernels, read from
# its optimised code), bit for bit. first_departure() below measures how a
# run started one unit in the last place away departs from the reference: on
# these problems such a difference grows past 1e-10 within 30-50 iterations,
# so only a bit-exact port can match them to the end. Its result is recorded
# per case as "sensitivity" (the first step past 1e-10, or null).
SENSITIVITY = 1e-10


def first_departure(steps, nudged_steps):
    """The first step (1-based) at which a run started 1 ulp away differs by more
    than SENSITIVITY or makes other evaluations; None if it never does."""
    for index, (a, b) in enumerate(zip(steps, nudged_steps)):
        gap = max(abs(x - y) / max(abs(x), abs(y), 1e-300) for x, y in zip(a["params"], b["params"]))
        if a["evaluations"] != b["evaluations"] or gap > SENSITIVITY:
            return index + 1
    return None


TOLERANCE_RUNS = [
    # (label, reference): step until f <= 1e-10 from (-1.2, 1)
    # With torch's defaults the run stalls near f = 3e-10 (tolerance_change stops
    # every step at once), so the defaults are not among these runs.
    ("per-iteration", "torch.optim.LBFGS(params, max_iter=1, max_eval=26, history_size=10, line_search_fn='strong_wolfe')"),
    ("tight-tolerances", "torch.optim.LBFGS(params, max_iter=100, tolerance_grad=1e-12, tolerance_change=1e-14, "
                         "line_search_fn='strong_wolfe')"),
]


def torch_iterations_to(reference, tolerance):
    """Iterations (n_iter) and evaluations of torch's run when f first is <= tolerance."""
    params = [torch.tensor([-1.2, 1.0], dtype=torch.float64, requires_grad=True)]
    opt = eval(reference, {"torch": torch, "params": params})
    p = params[0]

    def closure():
        value, grad = rosenbrock(p.detach().numpy())
        p.grad = torch.tensor(grad, dtype=torch.float64)
        return torch.tensor(value, dtype=torch.float64)

    for _ in range(1000):
        opt.step(closure)
        if rosenbrock(p.detach().numpy())[0] <= tolerance:
            st = opt.state[p]
            return {"reference": reference, "iterations": int(st["n_iter"]), "evaluations": int(st["func_evals"])}
    raise RuntimeError(reference + " did not reach the tolerance")


def main():
    cases = []
    for label, problem, reference, hyper, steps in TORCH_CASES:
        run = run_torch(reference, problem, steps)
        cases.append({"name": f"LBFGS/torch/{problem}/{label}", "convention": "torch", "problem": problem,
                      "reference": reference, "hyperparameters": hyper, "steps": run,
                      "sensitivity": first_departure(run, run_torch(reference, problem, steps, nudge=True))})
    for label, problem, reference, hyper, steps in OPTAX_CASES:
        stop = STOP_GRADIENT[problem]
        run = run_optax(reference, problem, steps, stop)
        cases.append({"name": f"LBFGS/optax/{problem}/{label}", "convention": "optax", "problem": problem,
                      "reference": reference, "hyperparameters": hyper, "stopGradient": stop, "steps": run,
                      "sensitivity": first_departure(run, run_optax(reference, problem, steps, stop, nudge=True))})
    for case in cases:
        for step in case["steps"]:
            assert all(np.isfinite(step["params"])) and np.isfinite(step["value"]), case["name"]
    doc = {
        "generator": "Tests/Fixtures/generate_lbfgs_fixtures.py",
        "versions": {"torch": torch.__version__, "jax": jax.__version__, "optax": optax.__version__,
                     "numpy": np.__version__},
        "seed": SEED,
        "problems": {
            "rosenbrock": {"initial": PROBLEMS["rosenbrock"][1]},
            "leastSquares": {"rows": LS_ROWS, "columns": LS_COLS, "matrix": LS_A.reshape(-1).tolist(),
                             "target": LS_B.tolist(), "initial": LS_X0.tolist()},
            "leastSquaresWide": {"rows": WIDE_ROWS, "columns": WIDE_COLS, "matrix": WIDE_A.reshape(-1).tolist(),
                                 "target": WIDE_B.tolist(), "initial": WIDE_X0.tolist()},
        },
        "cases": cases,
        "rosenbrockToTolerance": {"tolerance": 1e-10, "runs": {
            label: torch_iterations_to(reference, 1e-10) for label, reference in TOLERANCE_RUNS}},
    }
    with open(OUTPUT, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    for case in cases:
        last = case["steps"][-1]
        print(f"{case['name']}: {len(case['steps'])} steps, {last['iterations']} iterations, "
              f"{last['evaluations']} evaluations, 1-ulp start departs at {case['sensitivity']}")


if __name__ == "__main__":
    main()
