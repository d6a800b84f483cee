#!/usr/bin/env python3
"""Generate reference trajectories for MARS, adaptive gradient clipping and
gradient centralisation (issue 14, part C).

Writes Tests/Fixtures/mars_transforms.json next to this script, in the format
of recent_rules.json, with that file's runner and inputs
(generate_recent_rule_fixtures.py, imported).  Every case's "reference" string
is evaluated verbatim:

- MARS: `pytorch_optimizer.MARS` (its default foreach path and the per-tensor
  path; `mars_type='shampoo'` with its Newton-Schulz iteration run in the
  parameters' dtype instead of bfloat16, see
  pytorch_optimizer_mars_no_bfloat16.patch and `patch_mars_shampoo` below), and the authors' `MARS` from github.com/AGI-Arena/MARS at commit
  4831e28eba863a4e69d7e9474ff8e73bc1b410fe, file MARS/optimizers/mars.py,
  imported as `authors_mars` from the path in the environment variable
  MARS_AUTHORS_FILE (the file needs only torch; it is not on PyPI).
- AGC: `optax.adaptive_grad_clip` chained before `optax.sgd`.
- Gradient centralisation: `pytorch_optimizer.centralize_gradient` applied to
  every gradient before `torch.optim.SGD` (`CentralisedSGD` below).
- Stochastic weight averaging: `torch.optim.SGD` driven by
  `torch.optim.swa_utils.SWALR`, with `AveragedModel.update_parameters` after
  every k-th step from step s (`SWATraining` below); "evaluation" holds the
  averaged parameters after every step.  swalr.json holds SWALR's learning
  rates (`get_last_lr()`) for 40 steps.

    MARS_AUTHORS_FILE=/path/to/MARS/optimizers/mars.py \\
        python Tests/Fixtures/generate_mars_transform_fixtures.py
"""

import importlib.util
import json
import os
from importlib.metadata import version

import torch

import generate_recent_rule_fixtures as recent
import pytorch_optimizer
from generate_recent_rule_fixtures import base, case

OUTPUT = os.path.join(base.HERE, "mars_transforms.json")
CONV = [[2, 2, 2, 3], [3]]       # an HWIO convolution kernel and its bias (optax's layout)
HEADS = [[3, 2, 4], [2, 4]]      # a multi-head linear layer and a matrix bias
CASES = []


NS5_CALL = "zero_power_via_newton_schulz_5(update.mul_(1.0 / (1.0 - beta1)), eps=eps)"


def patch_mars_shampoo():
    """Make pytorch_optimizer.MARS's `mars_type='shampoo'` run its Newton-Schulz iteration in the parameters' dtype
    (the function's default is bfloat16), by rebinding the name its module calls; the installed file is unchanged."""
    import inspect
    from pytorch_optimizer.optimizer import mars
    assert inspect.getsource(mars).count(NS5_CALL) == 1, "pytorch_optimizer's MARS changed; update the patch"
    original = mars.zero_power_via_newton_schulz_5
    mars.zero_power_via_newton_schulz_5 = lambda g, **kwargs: original(g, dtype=g.dtype, **kwargs)


def load_authors():
    spec = importlib.util.spec_from_file_location("authors_mars", os.environ["MARS_AUTHORS_FILE"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CentralisedSGD(torch.optim.SGD):
    """torch.optim.SGD after pytorch_optimizer.centralize_gradient(grad, gc_conv_only) on every gradient."""

    def __init__(self, params, lr, gc_conv_only=False):
        super().__init__(params, lr=lr)
        self.gc_conv_only = gc_conv_only

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                pytorch_optimizer.centralize_gradient(p.grad, gc_conv_only=self.gc_conv_only)
        return super().step(closure)


class SWATraining:
    """torch.optim.SGD(params, lr) with SWALR(swa_lr, anneal_epochs, anneal_strategy) stepped after every step,
    and AveragedModel.update_parameters after steps swa_start, swa_start + every, ...; eval() swaps the averaged
    parameters in (as schedulefree's eval() does, so the runner records them) and train() swaps them back."""

    def __init__(self, params, lr, swa_lr, anneal_epochs, anneal_strategy, swa_start, every):
        self.params, self.sgd = params, torch.optim.SGD(params, lr=lr)
        self.scheduler = torch.optim.swa_utils.SWALR(self.sgd, swa_lr=swa_lr, anneal_epochs=anneal_epochs,
                                                     anneal_strategy=anneal_strategy)
        self.averaged = torch.optim.swa_utils.AveragedModel(torch.nn.ParameterList(params))
        self.start, self.every, self.t, self.saved = swa_start, every, 0, None

    def step(self):
        self.sgd.step()
        self.t += 1
        if self.t >= self.start and (self.t - self.start) % self.every == 0:
            self.averaged.update_parameters(torch.nn.ParameterList(self.params))
        self.scheduler.step()

    @torch.no_grad()
    def eval(self):
        self.saved = [p.detach().clone() for p in self.params]
        for p, a in zip(self.params, self.averaged.module.parameters()):
            p.copy_(a)

    @torch.no_grad()
    def train(self):
        if self.saved is not None:
            for p, s in zip(self.params, self.saved):
                p.copy_(s)


def swalr_traces():
    traces = []
    for swa_lr, epochs, strategy in ((0.05, 3, "cos"), (0.02, 7, "linear"), (0.05, 0, "cos"), (0.3, 10, "cos")):
        sgd = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
        scheduler = torch.optim.swa_utils.SWALR(sgd, swa_lr=swa_lr, anneal_epochs=epochs, anneal_strategy=strategy)
        rates = []
        for _ in range(40):
            rates.append(scheduler.get_last_lr()[0])
            sgd.step()
            scheduler.step()
        traces.append({"reference": f"SWALR(SGD(lr=0.1), swa_lr={swa_lr}, anneal_epochs={epochs}, "
                                    f"anneal_strategy='{strategy}')",
                       "initial": 0.1, "swaRate": swa_lr, "annealSteps": epochs,
                       "annealing": "cosine" if strategy == "cos" else "linear", "rates": rates})
    return traces


# MARS -------------------------------------------------------------------------
def mars_hp(lr=0.003, b1=0.95, b2=0.99, gamma=0.025, eps=1e-8, wd=0.0, lr1=0.003, b11=0.9, b12=0.95, wd1=0.1,
            all_leaves=False):
    return {"learningRate": lr, "beta1": b1, "beta2": b2, "gamma": gamma, "epsilon": eps, "weightDecay": wd,
            "adamWLearningRate": lr1, "adamWBeta1": b11, "adamWBeta2": b12, "adamWWeightDecay": wd1,
            "optimiseAllLeaves": all_leaves}


PO_ADAMW = {"variant": "pytorch-optimizer", "form": "adamW"}
PO_LION = {"variant": "pytorch-optimizer", "form": "lion"}
AU_ADAMW = {"variant": "authors", "form": "adamW"}
AU_LION = {"variant": "authors", "form": "lion"}
PO_SHAMPOO = {"variant": "pytorch-optimizer", "form": "shampoo"}
TALL = [[5, 2], [5]]             # a tall matrix (transposed inside Newton-Schulz; factor sqrt(5/2))

case("MARS/pytorch-optimizer/defaults", "MARS", "torch", "pytorch_optimizer.MARS(params)", mars_hp(), PO_ADAMW,
     into=CASES)
case("MARS/pytorch-optimizer/per-tensor", "MARS", "torch", "pytorch_optimizer.MARS(params, foreach=False)",
     mars_hp(), PO_ADAMW, into=CASES)
case("MARS/pytorch-optimizer/nondefault", "MARS", "torch",
     "pytorch_optimizer.MARS(params, lr=0.01, betas=(0.9, 0.999), gamma=0.05, lr_1d=0.02, betas_1d=(0.8, 0.99), "
     "weight_decay=0.1, weight_decay_1d=0.05, eps=1e-06)",
     mars_hp(0.01, 0.9, 0.999, 0.05, 1e-6, 0.1, 0.02, 0.8, 0.99, 0.05), PO_ADAMW, into=CASES)
case("MARS/pytorch-optimizer/all-leaves", "MARS", "torch",
     "pytorch_optimizer.MARS(params, lr=0.01, optimize_1d=True, weight_decay=0.1)",
     mars_hp(0.01, wd=0.1, all_leaves=True), PO_ADAMW, into=CASES)
case("MARS/pytorch-optimizer/lion", "MARS", "torch",
     "pytorch_optimizer.MARS(params, lr=0.001, mars_type='lion', weight_decay=0.1)",
     mars_hp(0.001, wd=0.1), PO_LION, into=CASES)
case("MARS/pytorch-optimizer/conv", "MARS", "torch", "pytorch_optimizer.MARS(params, lr=0.01)",
     mars_hp(0.01), PO_ADAMW, shapes=CONV, into=CASES)
case("MARS/pytorch-optimizer/rosenbrock", "MARS", "torch",
     "pytorch_optimizer.MARS(params, lr=0.01, optimize_1d=True)", mars_hp(0.01, all_leaves=True), PO_ADAMW,
     kind="rosenbrock", into=CASES)
case("MARS/pytorch-optimizer/shampoo", "MARS", "torch", "pytorch_optimizer.MARS(params, mars_type='shampoo')",
     mars_hp(), PO_SHAMPOO, into=CASES)
case("MARS/pytorch-optimizer/shampoo-nondefault", "MARS", "torch",
     "pytorch_optimizer.MARS(params, lr=0.01, betas=(0.9, 0.999), gamma=0.05, mars_type='shampoo', lr_1d=0.02, "
     "betas_1d=(0.8, 0.99), weight_decay=0.1, weight_decay_1d=0.05, eps=1e-06)",
     mars_hp(0.01, 0.9, 0.999, 0.05, 1e-6, 0.1, 0.02, 0.8, 0.99, 0.05), PO_SHAMPOO, into=CASES)
case("MARS/pytorch-optimizer/shampoo-all-leaves", "MARS", "torch",
     "pytorch_optimizer.MARS(params, lr=0.01, mars_type='shampoo', optimize_1d=True, weight_decay=0.1)",
     mars_hp(0.01, wd=0.1, all_leaves=True), PO_SHAMPOO, into=CASES)
for shapes, label in ((TALL, "tall"), (CONV, "conv"), (HEADS, "heads")):
    case(f"MARS/pytorch-optimizer/shampoo-{label}", "MARS", "torch",
         "pytorch_optimizer.MARS(params, lr=0.01, mars_type='shampoo')", mars_hp(0.01), PO_SHAMPOO, shapes=shapes,
         into=CASES)
# Cautious over MARS: pytorch-optimizer's cautious=True masks m (before the denominator) with the gradient's sign
case("Cautious/pytorch-optimizer/mars", "Cautious", "torch",
     "pytorch_optimizer.MARS(params, lr=0.01, weight_decay=0.1, cautious=True)",
     mars_hp(0.01, wd=0.1), dict(PO_ADAMW, base="MARS"), into=CASES)
case("Cautious/pytorch-optimizer/mars-all-leaves-per-tensor", "Cautious", "torch",
     "pytorch_optimizer.MARS(params, lr=0.01, optimize_1d=True, cautious=True, foreach=False)",
     mars_hp(0.01, all_leaves=True), dict(PO_ADAMW, base="MARS"), shapes=CONV, into=CASES)
case("MARS/authors/defaults", "MARS", "torch", "authors_mars.MARS(params)", mars_hp(), AU_ADAMW, into=CASES)
case("MARS/authors/nondefault", "MARS", "torch",
     "authors_mars.MARS(params, lr=0.01, betas=(0.9, 0.999), eps=1e-06, weight_decay=0.1, gamma=0.05, lr_1d=0.02, "
     "betas_1d=(0.8, 0.99), weight_decay_1d=0.05)",
     mars_hp(0.01, 0.9, 0.999, 0.05, 1e-6, 0.1, 0.02, 0.8, 0.99, 0.05), AU_ADAMW, into=CASES)
case("MARS/authors/lion", "MARS", "torch",
     "authors_mars.MARS(params, lr=0.001, weight_decay=0.1, mars_type='mars-lion', optimize_1d=True)",
     mars_hp(0.001, wd=0.1, all_leaves=True), AU_LION, into=CASES)
case("MARS/authors/conv", "MARS", "torch", "authors_mars.MARS(params, lr=0.01)", mars_hp(0.01), AU_ADAMW,
     shapes=CONV, into=CASES)


# Adaptive gradient clipping (optax) -------------------------------------------------
def agc_hp(clipping, eps, lr):
    return {"clipping": clipping, "epsilon": eps, "learningRate": lr}


for shapes, label in ((None, "linear"), (CONV, "conv"), (HEADS, "heads")):
    case(f"AdaptiveGradientClip/optax/{label}", "AdaptiveGradientClip", "optax",
         "optax.chain(optax.adaptive_grad_clip(0.5, eps=0.001), optax.sgd(0.01))", agc_hp(0.5, 1e-3, 0.01),
         shapes=shapes, into=CASES)
case("AdaptiveGradientClip/optax/tight", "AdaptiveGradientClip", "optax",
     "optax.chain(optax.adaptive_grad_clip(0.01, eps=0.1), optax.sgd(0.1))", agc_hp(0.01, 0.1, 0.1), into=CASES)


# Gradient centralisation (pytorch-optimizer) ------------------------------------------
for shapes, label in ((None, "linear"), (CONV, "conv"), (HEADS, "heads")):
    for conv_only in (False, True):
        case(f"GradientCentralisation/pytorch-optimizer/{label}{'-conv-only' if conv_only else ''}",
             "GradientCentralisation", "torch", f"CentralisedSGD(params, lr=0.01, gc_conv_only={conv_only})",
             {"learningRate": 0.01, "convolutionsOnly": conv_only}, shapes=shapes, into=CASES)


# Stochastic weight averaging (torch) -------------------------------------------------
for (swa_lr, epochs, strategy, start, every) in ((0.05, 3, "cos", 5, 2), (0.02, 6, "linear", 1, 1)):
    case(f"StochasticWeightAveraging/torch/{strategy}-from-{start}-every-{every}", "StochasticWeightAveraging",
         "schedulefree",
         f"SWATraining(params, lr=0.1, swa_lr={swa_lr}, anneal_epochs={epochs}, anneal_strategy='{strategy}', "
         f"swa_start={start}, every={every})",
         {"learningRate": 0.1, "swaRate": swa_lr, "annealSteps": epochs, "start": start, "every": every},
         {"annealing": "cosine" if strategy == "cos" else "linear"}, into=CASES)


if __name__ == "__main__":
    patch_mars_shampoo()
    recent.EXTRA_NAMES.update(authors_mars=load_authors(), CentralisedSGD=CentralisedSGD, SWATraining=SWATraining)
    recent.main(CASES, OUTPUT, "Tests/Fixtures/generate_mars_transform_fixtures.py")
    with open(os.path.join(base.HERE, "swalr.json"), "w") as f:
        json.dump({"generator": "Tests/Fixtures/generate_mars_transform_fixtures.py",
                   "versions": {"torch": version("torch")}, "traces": swalr_traces()}, f, indent=1)
        f.write("\n")
