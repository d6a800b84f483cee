#!/usr/bin/env python3
"""Generate reference trajectories for the options and rules of issue 13.

Writes Tests/Fixtures/options.json next to this script, in the format of
rules.json (see README.md): every case runs the exact call in its "reference"
string (PyTorch or optax, float64 and float32) on the seeded gradients of
rules.json's small leaves, or on the closed-loop Rosenbrock descent.  The
inputs, the runners and the checks are those of generate_rule_fixtures.py.

Two centred, bias-corrected RMSProp cases have no float32 run ("trajectory32"
absent): their v/c - (m/c)^2 cancels, and float32 rounding of the
coefficients alone moves them past 1e-4.

One case family needs non-finite gradients (optax.apply_if_finite): JSON has
no infinities, so such gradient entries are written as the strings "inf" and
"-inf" (the Swift test decodes them with that convention).

    python Tests/Fixtures/generate_option_fixtures.py
"""

import copy
import json
import os

import numpy as np
import torch
import jax
import optax

import generate_rule_fixtures as base

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(HERE, "options.json")

CASES = []


def case(name, rule, lib, ref, hp, options=None, kind="gradients", nonfinite=False, float32=True):
    CASES.append(dict(name=name, rule=rule, lib=lib, ref=ref, hp=hp, options=options or {},
                      kind=kind, nonfinite=nonfinite, float32=float32))


ROSEN = "rosenbrock"

# SGD with dampening (torch; the first step keeps the undamped gradient) ------
for label, lr, mu, d, kind in (("dampening", 0.01, 0.9, 0.5, "gradients"),
                               ("dampening-nondefault", 0.03, 0.5, 0.9, "gradients"),
                               ("dampening-rosenbrock", 0.0001, 0.9, 0.3, ROSEN)):
    case(f"Momentum/torch/{label}", "Momentum", "torch",
         f"torch.optim.SGD(params, lr={lr}, momentum={mu}, dampening={d})",
         {"learningRate": lr, "momentum": mu, "dampening": d}, kind=kind)

# eps_root on the Adam family (optax) ----------------------------------------
ADAMISH = {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8, "epsilonRoot": 1e-4}
case("Adam/optax/eps-root", "Adam", "optax",
     "optax.adam(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0001)", ADAMISH)
case("Adam/optax/eps-root-rosenbrock", "Adam", "optax",
     "optax.adam(learning_rate=0.02, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.01)",
     dict(ADAMISH, learningRate=0.02, epsilonRoot=0.01), kind=ROSEN)
case("AdamW/optax/eps-root", "AdamW", "optax",
     "optax.adamw(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0001, weight_decay=0.1)",
     dict(ADAMISH, weightDecay=0.1))
case("AMSGrad/optax/eps-root", "AMSGrad", "optax",
     "optax.amsgrad(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0001)", ADAMISH,
     {"variant": "optax"})
case("NAdam/optax/eps-root", "NAdam", "optax",
     "optax.nadam(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0001)", ADAMISH,
     {"variant": "optax"})
case("RAdam/optax/eps-root", "RAdam", "optax",
     "optax.radam(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0001, threshold=5.0)",
     dict(ADAMISH, threshold=5.0), {"variant": "optax"})
case("LAMB/optax/eps-root", "LAMB", "optax",
     "optax.lamb(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-06, eps_root=0.0001, weight_decay=0.01)",
     dict(ADAMISH, epsilon=1e-6, weightDecay=0.01))

# AdaGrad with eps inside the square root (optax) -----------------------------
case("AdaGrad/optax/defaults", "AdaGrad", "optax",
     "optax.adagrad(learning_rate=0.1, initial_accumulator_value=0.1, eps=1e-07)",
     {"learningRate": 0.1, "initialAccumulatorValue": 0.1, "epsilon": 1e-7}, {"epsilonPlacement": "inside"})
case("AdaGrad/optax/zero-start", "AdaGrad", "optax",
     "optax.adagrad(learning_rate=0.05, initial_accumulator_value=0.0, eps=1e-05)",
     {"learningRate": 0.05, "initialAccumulatorValue": 0.0, "epsilon": 1e-5}, {"epsilonPlacement": "inside"})
case("AdaGrad/optax/rosenbrock", "AdaGrad", "optax",
     "optax.adagrad(learning_rate=0.1, initial_accumulator_value=0.1, eps=1e-07)",
     {"learningRate": 0.1, "initialAccumulatorValue": 0.1, "epsilon": 1e-7}, {"epsilonPlacement": "inside"},
     kind=ROSEN)

# RMSProp: initial_scale, bias_correction, nesterov (optax) -------------------
def rms(label, lr, decay, eps, scale, inside, centred, momentum, nesterov, bias, kind="gradients"):
    # Centred and bias-corrected, v/c - (m/c)^2 cancels: in float32 the references' own rounding of
    # 1 - decay**t (float32 in optax) is amplified past 1e-4, so these cases carry no float32 run.
    mom = "None" if momentum == 0 else repr(momentum)
    case(f"RMSProp/optax/{label}", "RMSProp", "optax",
         f"optax.rmsprop(learning_rate={lr}, decay={decay}, eps={eps}, initial_scale={scale}, "
         f"eps_in_sqrt={inside}, centered={centred}, momentum={mom}, nesterov={nesterov}, bias_correction={bias})",
         {"learningRate": lr, "rho": decay, "epsilon": eps, "momentum": momentum, "centred": centred,
          "initialScale": scale, "biasCorrection": bias, "nesterov": nesterov},
         {"epsilonPlacement": "inside" if inside else "outside"}, kind=kind, float32=not (centred and bias))


rms("initial-scale", 0.01, 0.9, 1e-08, 0.5, True, False, 0.0, False, False)
rms("bias-correction", 0.01, 0.9, 1e-08, 0.0, True, False, 0.0, False, True)
rms("bias-correction-outside", 0.01, 0.99, 1e-06, 0.0, False, False, 0.0, False, True)
rms("centred-bias-correction", 0.005, 0.95, 1e-08, 1.0, True, True, 0.5, False, True)
rms("nesterov", 0.005, 0.9, 1e-08, 0.0, True, False, 0.9, True, False)
rms("everything", 0.005, 0.95, 1e-06, 0.1, False, True, 0.8, True, True)
rms("nesterov-rosenbrock", 0.001, 0.9, 1e-08, 0.0, True, False, 0.9, True, True, kind=ROSEN)

# Plain optimistic gradient descent (optax) -----------------------------------
for label, lr, a, b, kind in (("defaults", 0.01, 1.0, 1.0, "gradients"), ("nondefault", 0.05, 0.5, 2.0, "gradients"),
                              ("rosenbrock", 0.0005, 1.0, 1.0, ROSEN)):
    case(f"OptimisticGradientDescent/optax/{label}", "OptimisticGradientDescent", "optax",
         f"optax.optimistic_gradient_descent(learning_rate={lr}, alpha={a}, beta={b})",
         {"learningRate": lr, "alpha": a, "beta": b}, kind=kind)

# NovoGrad (optax) -------------------------------------------------------------
for label, lr, b1, b2, eps, er, wd, kind in (
        ("defaults", 0.01, 0.9, 0.25, 1e-06, 0.0, 0.0, "gradients"),
        ("nondefault", 0.05, 0.8, 0.5, 1e-08, 1e-06, 0.01, "gradients"),
        ("rosenbrock", 0.01, 0.9, 0.25, 1e-06, 0.0, 0.0, ROSEN)):
    case(f"NovoGrad/optax/{label}", "NovoGrad", "optax",
         f"optax.novograd(learning_rate={lr}, b1={b1}, b2={b2}, eps={eps}, eps_root={er}, weight_decay={wd})",
         {"learningRate": lr, "beta1": b1, "beta2": b2, "epsilon": eps, "epsilonRoot": er, "weightDecay": wd},
         kind=kind)

# ASGD (torch) -------------------------------------------------------------------
for label, lr, lam, alpha, t0, wd, kind in (
        ("defaults", 0.01, 0.0001, 0.75, 1000000.0, 0, "gradients"),
        ("nondefault", 0.05, 0.01, 0.5, 5.0, 0.01, "gradients"),
        ("rosenbrock", 0.0005, 0.0001, 0.75, 1000000.0, 0, ROSEN)):
    case(f"ASGD/torch/{label}", "ASGD", "torch",
         f"torch.optim.ASGD(params, lr={lr}, lambd={lam}, alpha={alpha}, t0={t0}, weight_decay={wd})",
         {"learningRate": lr, "lambda": lam, "alpha": alpha, "t0": t0, "weightDecay": float(wd)}, kind=kind)

# clip_by_block_rms (optax) ---------------------------------------------------------
case("ClipBlockRMS/optax/sgd", "ClipBlockRMS", "optax",
     "optax.chain(optax.clip_by_block_rms(0.5), optax.sgd(learning_rate=0.01))",
     {"threshold": 0.5, "learningRate": 0.01})
case("ClipBlockRMS/optax/adam", "ClipBlockRMS", "optax",
     "optax.chain(optax.clip_by_block_rms(2.0), optax.adam(learning_rate=0.01))",
     {"threshold": 2.0, "learningRate": 0.01})

# apply_if_finite: skip up to the limit, then apply (optax) -------------------------
case("SkipNonFinite/optax/apply-past-limit", "SkipNonFinite", "optax",
     "optax.apply_if_finite(optax.chain(optax.clip(1.0), optax.sgd(learning_rate=0.01)), max_consecutive_errors=2)",
     {"maxConsecutive": 2.0, "clip": 1.0, "learningRate": 0.01}, nonfinite=True)


# Porting: torch's weight_decay= with torch's meaning, decoupled_weight_decay=True, maximize=True,
# and the optax aliases spelt through existing rules and wrappers ----------------------------------
# The Swift rule is "rule" with the hyperparameters given (Swift labels); the option "maximise" puts
# Maximise() first, the hyperparameter "decoupledWeightDecay" wraps the rule in
# DecoupledWeightDecay(λ, rule, learningRate: \.learningRate) (see PortingRuleFactory).
def port(name, rule, lib, ref, hp, maximise=False, **options):
    opts = dict(options, family="porting")
    if maximise:
        opts["maximise"] = "true"
    case(name, rule, lib, ref, hp, opts)


ADAM_HP = {"learningRate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-08}
port("SGD/torch/weight-decay", "SGD", "torch", "torch.optim.SGD(params, lr=0.05, weight_decay=0.1)",
     {"learningRate": 0.05, "weightDecay": 0.1})
port("Momentum/torch/weight-decay", "Momentum", "torch",
     "torch.optim.SGD(params, lr=0.02, momentum=0.9, dampening=0.2, weight_decay=0.05)",
     {"learningRate": 0.02, "momentum": 0.9, "dampening": 0.2, "weightDecay": 0.05})
port("Nesterov/torch/weight-decay", "Nesterov", "torch",
     "torch.optim.SGD(params, lr=0.02, momentum=0.8, nesterov=True, weight_decay=0.05)",
     {"learningRate": 0.02, "momentum": 0.8, "weightDecay": 0.05})
port("Momentum/torch/maximize", "Momentum", "torch",
     "torch.optim.SGD(params, lr=0.02, momentum=0.9, weight_decay=0.05, maximize=True)",
     {"learningRate": 0.02, "momentum": 0.9, "dampening": 0.0, "weightDecay": 0.05}, maximise=True)
port("Adam/torch/weight-decay", "Adam", "torch",
     "torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1)",
     dict(ADAM_HP, weightDecay=0.1))
port("Adam/torch/maximize", "Adam", "torch",
     "torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1, maximize=True)",
     dict(ADAM_HP, weightDecay=0.1), maximise=True)
port("Adam/torch/decoupled-weight-decay", "AdamW", "torch",
     "torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1, decoupled_weight_decay=True)",
     dict(ADAM_HP, weightDecay=0.1))
port("AdamW/torch/weight-decay", "AdamW", "torch",
     "torch.optim.AdamW(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1)",
     dict(ADAM_HP, weightDecay=0.1))
port("AdamW/torch/maximize", "AdamW", "torch",
     "torch.optim.AdamW(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1, maximize=True)",
     dict(ADAM_HP, weightDecay=0.1), maximise=True)
port("AMSGrad/torch/weight-decay", "AMSGrad", "torch",
     "torch.optim.Adam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1, amsgrad=True)",
     dict(ADAM_HP, weightDecay=0.1), variant="pytorch")
port("AMSGrad/torch/adamw-amsgrad", "AMSGrad", "torch",
     "torch.optim.AdamW(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1, amsgrad=True)",
     dict(ADAM_HP, weightDecay=0.0, decoupledWeightDecay=0.1), variant="pytorch")
port("NAdam/torch/weight-decay", "NAdam", "torch",
     "torch.optim.NAdam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1, momentum_decay=0.004)",
     dict(ADAM_HP, weightDecay=0.1, momentumDecay=0.004), variant="pytorch")
port("NAdam/torch/decoupled-weight-decay", "NAdam", "torch",
     "torch.optim.NAdam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1, momentum_decay=0.004, "
     "decoupled_weight_decay=True)",
     dict(ADAM_HP, weightDecay=0.0, momentumDecay=0.004, decoupledWeightDecay=0.1), variant="pytorch")
port("RAdam/torch/weight-decay", "RAdam", "torch",
     "torch.optim.RAdam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1)",
     dict(ADAM_HP, weightDecay=0.1), variant="pytorch")
port("RAdam/torch/decoupled-weight-decay", "RAdam", "torch",
     "torch.optim.RAdam(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1, decoupled_weight_decay=True)",
     dict(ADAM_HP, weightDecay=0.0, decoupledWeightDecay=0.1), variant="pytorch")
port("AdaGrad/torch/weight-decay", "AdaGrad", "torch",
     "torch.optim.Adagrad(params, lr=0.05, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.2, eps=1e-10)",
     {"learningRate": 0.05, "learningRateDecay": 0.01, "weightDecay": 0.1, "initialAccumulatorValue": 0.2,
      "epsilon": 1e-10})
port("RMSProp/torch/weight-decay", "RMSProp", "torch",
     "torch.optim.RMSprop(params, lr=0.005, alpha=0.95, eps=1e-08, weight_decay=0.1, momentum=0.5, centered=True)",
     {"learningRate": 0.005, "rho": 0.95, "epsilon": 1e-08, "weightDecay": 0.1, "momentum": 0.5, "centred": True})
port("AdaDelta/torch/weight-decay", "AdaDelta", "torch",
     "torch.optim.Adadelta(params, lr=1.0, rho=0.9, eps=1e-06, weight_decay=0.1)",
     {"learningRate": 1.0, "rho": 0.9, "epsilon": 1e-06, "weightDecay": 0.1})
port("AdaMax/torch/weight-decay", "AdaMax", "torch",
     "torch.optim.Adamax(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1)",
     dict(ADAM_HP, weightDecay=0.1), epsilonPlacement="insideMax")
port("AdaMax/torch/maximize", "AdaMax", "torch",
     "torch.optim.Adamax(params, lr=0.01, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.1, maximize=True)",
     dict(ADAM_HP, weightDecay=0.1), maximise=True, epsilonPlacement="insideMax")
# optax aliases that are an existing rule under another name, or a rule inside DecoupledWeightDecay.
port("NAdam/optax/adam-nesterov", "NAdam", "optax",
     "optax.adam(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-08, nesterov=True)",
     dict(ADAM_HP, weightDecay=0.0, momentumDecay=0.004), variant="optax")
port("NAdam/optax/nadamw", "NAdam", "optax",
     "optax.nadamw(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-08, weight_decay=0.1)",
     dict(ADAM_HP, weightDecay=0.0, momentumDecay=0.004, decoupledWeightDecay=0.1), variant="optax")
port("AdaMax/optax/adamaxw", "AdaMax", "optax",
     "optax.adamaxw(learning_rate=0.01, b1=0.9, b2=0.999, eps=1e-08, weight_decay=0.1)",
     dict(ADAM_HP, weightDecay=0.0, decoupledWeightDecay=0.1), epsilonPlacement="insideMax")
port("Signum/optax/sign-sgd", "Signum", "optax", "optax.sign_sgd(learning_rate=0.01)",
     {"learningRate": 0.01, "momentum": 0.0})
port("OAdam/optax/eps-root", "OAdam", "optax",
     "optax.optimistic_adam(learning_rate=0.01, optimism=0.005, b1=0.9, b2=0.999, eps=1e-08, eps_root=0.0001)",
     {"learningRate": 0.01, "optimism": 0.005, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-08, "epsilonRoot": 0.0001})
port("Adam/optax/eps-zero-eps-root", "Adam", "optax",
     "optax.adam(learning_rate=0.01, b1=0.9, b2=0.999, eps=0.0, eps_root=1e-08)",
     dict(ADAM_HP, epsilon=0.0, epsilonRoot=1e-08))
port("AMSGrad/optax/eps-zero-eps-root", "AMSGrad", "optax",
     "optax.amsgrad(learning_rate=0.01, b1=0.9, b2=0.999, eps=0.0, eps_root=1e-08)",
     dict(ADAM_HP, epsilon=0.0, epsilonRoot=1e-08, weightDecay=0.0), variant="optax")

def with_nonfinite(grads):
    """Five consecutive steps (6 to 10) with a +inf entry, then step 14 with -inf."""
    grads = copy.deepcopy(grads)
    for t in range(5, 10):
        grads[t][0].flat[2] = np.inf
    grads[13][1].flat[0] = -np.inf
    return grads


def json_number(x):
    return "inf" if x == np.inf else "-inf" if x == -np.inf else x


def main():
    rng = np.random.default_rng(base.SEED)
    initial_small, grads_small = base.make_inputs(rng, base.SMALL)
    out = []
    for c in CASES:
        if c["kind"] == ROSEN:
            shapes, initial, grads, steps = base.ROSEN, [np.array([-1.2, 1.0])], None, base.ROSENBROCK_STEPS
        else:
            shapes, initial, steps = base.SMALL, initial_small, base.STEPS
            grads = with_nonfinite(grads_small) if c["nonfinite"] else grads_small
        if c["lib"] == "torch":
            run = lambda dt: base.run_torch(c["ref"], None, shapes, initial, grads, steps, dt)
            dts = (torch.float64, torch.float32)
        else:
            run = lambda dt: base.run_optax(c["ref"], shapes, initial, grads, steps, dt)
            dts = (jax.numpy.float64, jax.numpy.float32)
        traj = run(dts[0])
        biggest = base.check_finite(c["name"], traj)
        if c["kind"] == ROSEN and biggest > 10.0:
            raise SystemExit(f"{c['name']}: Rosenbrock run left the basin (max |p| = {biggest})")
        traj32 = run(dts[1]) if c["float32"] else None
        if traj32 is not None:
            base.check_finite(c["name"] + " (float32)", traj32)
        entry = {"name": c["name"], "rule": c["rule"], "options": c["options"], "reference": c["ref"],
                 "hyperparameters": c["hp"], "kind": c["kind"], "shapes": shapes, "initial": base.flat(initial)}
        if grads is not None:
            entry["gradients"] = [[[json_number(x) for x in leaf] for leaf in base.flat(step)] for step in grads]
        entry["trajectory"] = traj
        if traj32 is not None:
            entry["trajectory32"] = traj32
        out.append(entry)
        print(f"{c['name']:45s} max|p|={biggest:.4g} final={traj[-1][0][:2]}")
    doc = {"generator": "Tests/Fixtures/generate_option_fixtures.py",
           "versions": {"torch": torch.__version__, "jax": jax.__version__, "optax": optax.__version__,
                        "numpy": np.__version__},
           "cases": out}
    with open(OUTPUT, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(out)} cases to {OUTPUT}")


if __name__ == "__main__":
    main()
