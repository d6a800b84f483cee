#!/usr/bin/env python3
"""pytorch-optimizer's SOAP: time per step on one square float32 matrix.

The counterpart of `swift run -c release optimisers-bench --only soap`, which
runs this script right after its own measurement (same machine, same thread
count) and prints the ratio.  Prints one JSON object.

    python Benchmarks/torch_soap_bench.py --size 1024 --threads 2 --repeats 3

The optimiser is pytorch_optimizer.SOAP(params, lr=0.003) with its defaults
(precondition_frequency=10), untouched.  The first step (statistics and
torch.linalg.eigh) and the second are warm-up; then each repeat times
--frequency consecutive steps, one of which refreshes the bases (power
iteration and QR), and reports their mean: the steady-state cost per step.
"""

import argparse
import json
import statistics
import time
from importlib.metadata import version

import torch
import pytorch_optimizer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--frequency", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    generator = torch.Generator().manual_seed(7)
    p = torch.randn(args.size, args.size, generator=generator, dtype=torch.float32, requires_grad=True)
    gradients = [torch.randn(args.size, args.size, generator=generator, dtype=torch.float32) for _ in range(2)]
    opt = pytorch_optimizer.SOAP([p], lr=0.003, precondition_frequency=args.frequency)
    start = time.perf_counter()
    p.grad = gradients[0]
    opt.step()
    first = time.perf_counter() - start
    p.grad = gradients[1]
    opt.step()
    samples = []
    for r in range(args.repeats):
        start = time.perf_counter()
        for i in range(args.frequency):
            p.grad = gradients[i % 2]
            opt.step()
        samples.append((time.perf_counter() - start) / args.frequency)
    print(json.dumps({
        "torch": torch.__version__, "pytorch_optimizer": version("pytorch-optimizer"), "threads": args.threads,
        "size": args.size, "first_step_seconds": first,
        "seconds_per_step_median": statistics.median(samples),
        "seconds_per_step_min": min(samples), "seconds_per_step_max": max(samples),
    }))


if __name__ == "__main__":
    main()
