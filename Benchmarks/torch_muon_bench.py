#!/usr/bin/env python3
"""torch.optim.Muon's time per step on one square float32 matrix.

The counterpart of `swift run -c release optimisers-bench --muon`, which runs
this script right after its own measurement (same machine, same thread count)
and prints the ratio.  Prints one JSON object.

    python Benchmarks/torch_muon_bench.py --size 1024 --threads 2 --steps 5 --repeats 5

The step is torch's own, untouched: its Newton-Schulz iteration runs in
bfloat16 (the Swift rule runs it in float32), which the JSON records under
"newton_schulz_dtype".  With --float32 the bfloat16 cast is replaced by a copy
(the patch of Tests/Fixtures/torch_muon_no_bfloat16.patch), for a like-for-like
comparison.  Times are medians over --repeats runs of --steps steps each,
after one warm-up step.
"""

import argparse
import inspect
import json
import statistics
import time

import torch
import torch.optim._muon as torch_muon


def patch_float32():
    cast = "ortho_grad = grad.to(dtype=torch.bfloat16, copy=True)"
    source = inspect.getsource(torch_muon._zeropower_via_newtonschulz)
    assert source.count(cast) == 1
    namespace = dict(vars(torch_muon))
    exec(source.replace(cast, "ortho_grad = grad.clone()"), namespace)
    torch_muon._zeropower_via_newtonschulz = namespace["_zeropower_via_newtonschulz"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--float32", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.float32:
        patch_float32()
    generator = torch.Generator().manual_seed(7)
    p = torch.randn(args.size, args.size, generator=generator, dtype=torch.float32, requires_grad=True)
    p.grad = torch.randn(args.size, args.size, generator=generator, dtype=torch.float32)
    opt = torch.optim.Muon([p], lr=0.02)
    opt.step()
    samples = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.steps):
            opt.step()
        samples.append((time.perf_counter() - start) / args.steps)
    print(json.dumps({
        "torch": torch.__version__, "threads": args.threads, "size": args.size,
        "newton_schulz_dtype": "float32" if args.float32 else "bfloat16",
        "seconds_per_step_median": statistics.median(samples),
        "seconds_per_step_min": min(samples), "seconds_per_step_max": max(samples),
    }))


if __name__ == "__main__":
    main()
