#!/usr/bin/env python3
"""torch.optim.Muon's time per step on one square float32 matrix.

The counterpart of `swift run -c release optimisers-bench --muon`, which runs
this script right after its own measurement (same machine, same thread count)
and prints the ratio.  Prints one JSON object.

    python Benchmarks/torch_muon_bench.py --size 1024 --threads 2 --steps 5 --repeats 5
    python Benchmarks/torch_muon_bench.py --rows 4096 --columns 1024 --threads 1
    python Benchmarks/torch_muon_bench.py --gemm 1024 1024 1024 --threads 2   # torch.mm alone

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


def time_gemm(args):
    """torch.mm's median seconds per product, same JSON key as a step."""
    m, k, n = args.gemm
    generator = torch.Generator().manual_seed(7)
    a = torch.randn(m, k, generator=generator, dtype=torch.float32)
    b = torch.randn(k, n, generator=generator, dtype=torch.float32)
    torch.mm(a, b)
    samples = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.steps):
            torch.mm(a, b)
        samples.append((time.perf_counter() - start) / args.steps)
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "gemm": [m, k, n],
                      "seconds_per_step_median": statistics.median(samples)}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--float32", action="store_true")
    parser.add_argument("--rows", type=int, help="the leaf's rows (default --size)")
    parser.add_argument("--columns", type=int, help="the leaf's columns (default --size)")
    parser.add_argument("--gemm", type=int, nargs=3, metavar=("M", "K", "N"),
                        help="instead, time torch.mm of float32 [M, K] x [K, N]")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.gemm:
        time_gemm(args)
        return
    rows, columns = args.rows or args.size, args.columns or args.size
    if args.float32:
        patch_float32()
    generator = torch.Generator().manual_seed(7)
    p = torch.randn(rows, columns, generator=generator, dtype=torch.float32, requires_grad=True)
    p.grad = torch.randn(rows, columns, generator=generator, dtype=torch.float32)
    opt = torch.optim.Muon([p], lr=0.02)
    opt.step()
    samples = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        for _ in range(args.steps):
            opt.step()
        samples.append((time.perf_counter() - start) / args.steps)
    print(json.dumps({
        "torch": torch.__version__, "threads": args.threads, "rows": rows, "columns": columns,
        "newton_schulz_dtype": "float32" if args.float32 else "bfloat16",
        "seconds_per_step_median": statistics.median(samples),
        "seconds_per_step_min": min(samples), "seconds_per_step_max": max(samples),
    }))


if __name__ == "__main__":
    main()
