"""The PyTorch side of `swift run -c release digits --benchmark`.

Times one training step of the same network on the same data: a batch of
images gathered from the UCI digits (Data/digits.csv), Linear(64, 64) -> GELU
(erf form) -> Linear(64, 10), mean cross-entropy, backward, Adam(lr=1e-3).
Also times the forward pass with the backward pass alone, the Adam step alone
(on fixed gradients) and the step's six matrix products alone. Prints the
median of five repetitions, in microseconds per step.

Usage (from the package root, with the same thread count as the Swift run):

    python3 Benchmarks/digits_step_torch.py --threads 1 [--batch-size 32] [--steps 2000] [--float32]
"""
import argparse
import os
import statistics
import time

import numpy as np
import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--float32", action="store_true", help="float32 instead of float64")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    dtype = torch.float32 if args.float32 else torch.float64
    torch.set_default_dtype(dtype)
    torch.manual_seed(1)
    here = os.path.dirname(os.path.abspath(__file__))
    table = np.loadtxt(os.path.join(here, "..", "Data", "digits.csv"), delimiter=",", skiprows=1)
    images = torch.tensor(table[:, :64] / 16.0, dtype=dtype)
    labels = torch.tensor(table[:, 64], dtype=torch.long)
    b = args.batch_size
    order = torch.randperm(len(labels))
    batches = [order[i:i + b] for i in range(0, len(labels) - b + 1, b)]
    inputs = [images[i] for i in batches]
    targets = [labels[i] for i in batches]

    model = torch.nn.Sequential(torch.nn.Linear(64, args.hidden), torch.nn.GELU(), torch.nn.Linear(args.hidden, 10))
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    steps = args.steps

    def median(body):
        times = []
        for _ in range(5):
            start = time.perf_counter()
            body()
            times.append((time.perf_counter() - start) / steps * 1e6)
        return statistics.median(times)

    def whole():
        for step in range(steps):
            k = step % len(batches)
            x = images[batches[k]]
            optimiser.zero_grad(set_to_none=True)
            loss = torch.nn.functional.cross_entropy(model(x), targets[k])
            loss.backward()
            optimiser.step()

    def gradient_only():
        for step in range(steps):
            k = step % len(batches)
            model.zero_grad(set_to_none=True)
            torch.nn.functional.cross_entropy(model(inputs[k]), targets[k]).backward()

    def update_only():
        model.zero_grad(set_to_none=True)
        torch.nn.functional.cross_entropy(model(inputs[0]), targets[0]).backward()
        for _ in range(steps):
            optimiser.step()

    w1, w2 = model[0].weight.detach(), model[2].weight.detach()

    def products():
        with torch.no_grad():
            for step in range(steps):
                x = inputs[step % len(inputs)]
                h = x @ w1.t()
                logits = h @ w2.t()
                dh = logits @ w2
                dw2 = logits.t() @ h
                dx = dh @ w1
                dw1 = dh.t() @ x

    whole()  # warm-up
    results = [("whole step", median(whole)), ("forward + pullback", median(gradient_only)),
               ("Adam update", median(update_only)), ("matrix products", median(products))]
    print(f"torch {torch.__version__}, numpy {np.__version__}, {dtype}, 64 -> {args.hidden} -> 10 GELU, "
          f"batch {b}, Adam, threads {torch.get_num_threads()}")
    print(f"median of 5 x {steps} steps, us per step:")
    for name, value in results:
        print(f"  {name:<20} {value:9.2f} us   {100 * value / results[0][1]:5.1f}% of the step")


if __name__ == "__main__":
    main()
