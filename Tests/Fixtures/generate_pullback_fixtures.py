"""Reference values and gradients of the model pullbacks, from PyTorch.

Writes Tests/Fixtures/pullbacks.json: for each primitive (log_softmax, nll_loss,
mse_loss, gelu, leaky_relu, layer_norm, embedding) the inputs, a cotangent,
the value and the vector-Jacobian products torch.autograd computes; and one
loss-and-gradient evaluation of the digits network (Linear(64, 64) -> GELU ->
Linear(64, 10) -> cross-entropy) on a batch of the shipped data set. Each
case's "reference" string is the torch call evaluated, verbatim. float64;
deterministic (numpy seed 20261130); runs in a second on the CPU.

    /path/to/venv/bin/python Tests/Fixtures/generate_pullback_fixtures.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20261130)
here = os.path.dirname(os.path.abspath(__file__))


def tensor(shape, scale=1.0):
    return torch.tensor(rng.normal(0, scale, size=shape), requires_grad=True)


def encode(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def case(name, reference, inputs, extra=None):
    """Evaluates `reference` with the tensors of `inputs` in scope, pulls back a
    random cotangent (or 1 for a scalar) and records everything."""
    scope = dict(inputs)
    scope.update(extra or {})
    scope.update({"F": F, "torch": torch})
    value = eval(reference, scope)
    cotangent = torch.tensor(1.0) if value.dim() == 0 else torch.tensor(rng.normal(size=tuple(value.shape)))
    differentiable = {k: v for k, v in inputs.items() if isinstance(v, torch.Tensor) and v.requires_grad}
    grads = torch.autograd.grad(value, list(differentiable.values()), cotangent)
    for v in value.reshape(-1).tolist():
        assert np.isfinite(v)
    return {
        "name": name, "reference": reference,
        "inputs": {k: encode(v) for k, v in inputs.items() if isinstance(v, torch.Tensor)},
        "extra": extra_json(extra),
        "cotangent": encode(cotangent), "value": encode(value),
        "gradients": {k: encode(g) for k, g in zip(differentiable.keys(), grads)},
    }


def extra_json(extra):
    out = {}
    for k, v in (extra or {}).items():
        if k == "images":
            continue  # the Swift test reads them from Data/digits.csv
        out[k] = v.tolist() if isinstance(v, torch.Tensor) else v
    return out


cases = []
x = tensor((4, 5), 3.0)
cases.append(case("logSoftmax", "F.log_softmax(x, dim=-1)", {"x": x}))
logp = tensor((4, 5))
cases.append(case("negativeLogLikelihood", "F.nll_loss(x, labels)", {"x": logp},
                  {"labels": torch.tensor([0, 4, 2, 2])}))
a, b = tensor((3, 4)), tensor((3, 4))
cases.append(case("meanSquaredError", "F.mse_loss(a, b)", {"a": a, "b": b}))
cases.append(case("gelu", "F.gelu(x)", {"x": tensor((3, 6), 2.0)}))
cases.append(case("leakyReLU", "F.leaky_relu(x, negative_slope=0.2)", {"x": tensor((3, 6), 2.0)}))
cases.append(case("layerNormalisation", "F.layer_norm(x, (6,), scale, offset, eps=1e-5)",
                  {"x": tensor((3, 6), 2.0), "scale": tensor((6,)), "offset": tensor((6,))}))
cases.append(case("embedding", "F.embedding(indices, table)", {"table": tensor((5, 3))},
                  {"indices": torch.tensor([4, 0, 4, 2])}))

# The digits network on the first 16 images of Data/digits.csv.
table = np.loadtxt(os.path.join(here, "..", "..", "Data", "digits.csv"), delimiter=",", skiprows=1)
images = torch.tensor(table[:16, :64] / 16.0)
labels = torch.tensor(table[:16, 64], dtype=torch.long)
w1, b1 = tensor((64, 64), 0.125), tensor((64,), 0.125)
w2, b2 = tensor((10, 64), 0.125), tensor((10,), 0.125)
cases.append(case("digitsNetwork", "F.cross_entropy(F.linear(F.gelu(F.linear(images, w1, b1)), w2, b2), labels)",
                  {"w1": w1, "b1": b1, "w2": w2, "b2": b2},
                  {"images": images, "labels": labels}))

document = {
    "generator": "Tests/Fixtures/generate_pullback_fixtures.py",
    "versions": {"torch": torch.__version__, "numpy": np.__version__},
    "cases": cases,
}
with open(os.path.join(here, "pullbacks.json"), "w") as f:
    json.dump(document, f, indent=1)
    f.write("\n")
