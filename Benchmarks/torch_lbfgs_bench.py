#!/usr/bin/env python3
"""torch.optim.LBFGS's time per iteration on a large convex quadratic.

The counterpart of `swift run -c release lbfgs-bench`, which runs this script
right after its own measurement (same machine, same thread count) and prints
the ratio.  Prints one JSON object.

    python Benchmarks/torch_lbfgs_bench.py --size 1000000 --threads 2 --history 10 --iterations 30

The objective is f(x) = 1/2 sum_i a_i (x_i - 1)^2 with a_i = 1 + 999 u_i (u_i
uniform in [0, 1), seeded): its cost (measured separately and multiplied by
the number of evaluations) is subtracted, so the time left is L-BFGS's own
vector work.  The objective's time is measured inside the closure, call by
call, during the timed step itself (as the Swift side does), so a change of
machine load between a separate objective timing and the run cannot leak
into the difference.  L-BFGS runs without a line search (one evaluation per
iteration) after a warm-up that fills the history of m pairs; the timed step
makes --iterations iterations with tolerance_grad = tolerance_change = 0.
"""

import argparse
import json
import time

import numpy as np
import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--history", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(7)
    a = torch.tensor(1 + 999 * rng.random(args.size))

    def make():
        x = torch.zeros(args.size, requires_grad=True)
        return x

    spent = [0.0]  # seconds inside the objective since the last reset

    def closure_for(x):
        def closure():
            begin = time.perf_counter()
            with torch.no_grad():
                r = x - 1
                x.grad = a * r
                value = 0.5 * torch.dot(r, a * r)
            spent[0] += time.perf_counter() - begin
            return value
        return closure

    samples, objective = [], []
    for _ in range(args.repeats):
        x = make()
        closure = closure_for(x)
        opt = torch.optim.LBFGS([x], lr=1, max_iter=args.history + 2, max_eval=10**9,
                                tolerance_grad=0, tolerance_change=0, history_size=args.history)
        opt.step(closure)  # warm-up: fills the history
        state = opt.state[x]
        before_iter, before_evals = state["n_iter"], state["func_evals"]
        opt.param_groups[0]["max_iter"] = args.iterations
        spent[0] = 0.0
        start = time.perf_counter()
        opt.step(closure)
        elapsed = time.perf_counter() - start
        iterations = state["n_iter"] - before_iter
        evaluations = state["func_evals"] - before_evals
        samples.append((elapsed - spent[0]) / iterations)
        objective.append(spent[0] / evaluations)
        assert len(state["old_dirs"]) == args.history, "history not full"
    objective_seconds = sorted(objective)[len(objective) // 2]
    samples.sort()
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "size": args.size,
                      "history": args.history, "iterations": args.iterations,
                      "objectiveSeconds": objective_seconds,
                      "secondsPerIteration": samples[len(samples) // 2],
                      "samples": samples}))


if __name__ == "__main__":
    main()
