#!/usr/bin/env python3
"""Generate SOAP reference trajectories (issue 14) from pytorch-optimizer's SOAP.

Writes Tests/Fixtures/soap.json next to this script, in the format of
rules.json (see README.md).  The inputs come from generate_rule_fixtures.py's
make_inputs and the runner is generate_recent_rule_fixtures.py's run_torch,
both imported.

pytorch-optimizer casts the matrix it orthogonalises to float32 before
torch.linalg.qr, whatever the parameters' dtype.  The Swift rule runs its QR
in the parameters' scalar type, so this script removes that one cast at run
time (the installed package is untouched; see
pytorch_optimizer_soap_no_float32_qr.patch).  For float32 parameters the cast
is a no-op, so the float32 trajectories are those of the unpatched package.
The first eigenbasis (torch.linalg.eigh) is defined only up to column signs,
which do not change the update; the leaf shapes are chosen so that every
Kronecker factor at the first step has rank at least its size minus one, so
no eigenvalue but possibly 0 repeats and the basis is otherwise unique.

    python Tests/Fixtures/generate_soap_fixtures.py
"""

import inspect
import json
import os
import textwrap
from importlib.metadata import version

import numpy as np
import torch
from pytorch_optimizer.optimizer import soap as soap_module

import generate_rule_fixtures as base
from generate_rule_fixtures import flat, make_inputs, check_finite
from generate_recent_rule_fixtures import run_torch

OUTPUT = os.path.join(base.HERE, "soap.json")
CAST = "q, _ = torch.linalg.qr(power_iter.to(torch.float32))"
NO_CAST = "q, _ = torch.linalg.qr(power_iter)"


def patch_qr_cast():
    """Run SOAP's power-iteration QR in the parameters' dtype."""
    method = soap_module.SOAP.get_orthogonal_matrix_qr
    source = textwrap.dedent(inspect.getsource(method))
    assert source.count(CAST) == 1, "pytorch-optimizer's SOAP source changed; update the patch"
    namespace = dict(vars(soap_module))
    exec(source.replace(CAST, NO_CAST), namespace)
    soap_module.SOAP.get_orthogonal_matrix_qr = namespace["get_orthogonal_matrix_qr"]


def hp(lr=3e-3, b1=0.95, b2=0.95, shampoo=None, wd=0.01, freq=10, max_dim=10000, vectors=False, bias=True,
       normalise=False, eps=1e-8):
    return {"learningRate": lr, "beta1": b1, "beta2": b2, "shampooBeta": shampoo, "weightDecay": wd,
            "preconditionFrequency": freq, "maximumPreconditionDimension": max_dim, "preconditionVectors": vectors,
            "biasCorrection": bias, "normaliseUpdate": normalise, "epsilon": eps}


SMALL = base.SMALL                       # [[2, 3], [3]]
SQUARE_AND_CUBE = [[4, 4], [2, 3, 2]]     # the runner takes two leaves
CASES = [
    ("SOAP/pytorch-optimizer/defaults", "pytorch_optimizer.SOAP(params)", hp(), SMALL, "gradients"),
    ("SOAP/pytorch-optimizer/nondefault",
     "pytorch_optimizer.SOAP(params, lr=0.01, betas=(0.9, 0.99), shampoo_beta=0.9, weight_decay=0.1, "
     "precondition_frequency=3, eps=1e-06, correct_bias=False)",
     hp(0.01, 0.9, 0.99, 0.9, 0.1, 3, eps=1e-6, bias=False), SQUARE_AND_CUBE, "gradients"),
    ("SOAP/pytorch-optimizer/normalised-small-max-dim",
     "pytorch_optimizer.SOAP(params, lr=0.005, max_precondition_dim=2, precondition_1d=True, "
     "normalize_gradient=True, precondition_frequency=4, weight_decay=0.0)",
     hp(0.005, wd=0.0, freq=4, max_dim=2, vectors=True, normalise=True), SMALL, "gradients"),
    ("SOAP/pytorch-optimizer/rosenbrock",
     "pytorch_optimizer.SOAP(params, lr=0.01, precondition_1d=True, precondition_frequency=5, weight_decay=0.0)",
     hp(0.01, wd=0.0, freq=5, vectors=True), base.ROSEN, "rosenbrock"),
]


def main():
    patch_qr_cast()
    out_cases = []
    for name, ref, hyper, shapes, kind in CASES:
        if kind == "rosenbrock":
            initial, grads, steps = [np.array([-1.2, 1.0])], None, base.ROSENBROCK_STEPS
        else:
            initial, grads = make_inputs(np.random.default_rng(base.SEED), shapes)
            steps = base.STEPS
        traj, _ = run_torch(ref, shapes, initial, grads, steps, torch.float64)
        biggest = check_finite(name, traj)
        if kind == "rosenbrock" and biggest > 10.0:
            raise SystemExit(f"{name}: Rosenbrock run left the basin (max |p| = {biggest})")
        traj32, _ = run_torch(ref, shapes, initial, grads, steps, torch.float32)
        check_finite(name + " (float32)", traj32)
        entry = {"name": name, "rule": "SOAP", "options": {}, "reference": ref, "hyperparameters": hyper,
                 "kind": kind, "shapes": shapes, "initial": flat(initial)}
        if grads is not None:
            entry["gradients"] = [flat(step) for step in grads]
        entry["trajectory"], entry["trajectory32"] = traj, traj32
        out_cases.append(entry)
        print(f"{name:50s} steps={steps:3d} max|p|={biggest:.4g}")

    packages = ["torch", "numpy", "pytorch-optimizer"]
    doc = {"generator": "Tests/Fixtures/generate_soap_fixtures.py",
           "versions": {name: version(name) for name in packages},
           "patches": {"pytorch_optimizer.optimizer.soap.SOAP.get_orthogonal_matrix_qr": {"from": CAST, "to": NO_CAST}},
           "cases": out_cases}
    with open(OUTPUT, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(out_cases)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
