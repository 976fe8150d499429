#!/usr/bin/python3
"""Writes the PyTorch reference tables that tests/optim/ compares kasf's optimizer and scheduler with.

Run with Debian's python3-torch (PyTorch 1.13, the version the official code used):
    /usr/bin/python3 scripts/make_optim_reference.py [--out tests/data/optim]

adamw_reference.txt: torch.optim.AdamW over a few small parameters for 20 steps, with the initial
values and every step's gradients in the table so the C++ test feeds identical inputs. One parameter
gets no gradient on some steps (its state must not advance) and one never gets any (it must keep its
value and get no state); the learning rate changes half-way, as a scheduler would change it.

reduce_lr_on_plateau_reference.txt: torch.optim.lr_scheduler.ReduceLROnPlateau stepped with metric
sequences that exercise the relative threshold (including its exact boundary), patience, cooldown,
min_lr and the eps that ignores tiny reductions; logs the lr and the scheduler state after each step.

Numbers are written with repr(), which reads back as exactly the same float64 (and float32 values,
widened to float64, read back as exactly the same float32).
"""
import argparse
import os
import random
import tempfile

import torch

ADAMW_STEPS = 20
# eps is large enough to matter next to sqrt(v), so the test sees where it enters the update.
ADAMW_OPTIONS = dict(lr=1e-2, betas=(0.9, 0.999), eps=1e-3, weight_decay=0.05)
ADAMW_LR_AFTER_HALF = 3e-3
# name -> (shape, steps without a gradient)
ADAMW_PARAMETERS = {
    "weight": ((4, 3), set()),
    "bias": ((3,), set()),
    "intermittent": ((5,), {1, 2, 7, 8, 9, 15}),
    "never_used": ((2,), set(range(1, ADAMW_STEPS + 1))),
}


def numbers(values):
    return " ".join(repr(float(v)) for v in values)


def write_atomically(path, lines):
    folder = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w") as f:
            f.write("\n".join(lines) + "\n")
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise


def adamw_table():
    generator = torch.Generator().manual_seed(20240601)
    params = {name: torch.randn(shape, generator=generator) for name, (shape, _) in ADAMW_PARAMETERS.items()}
    optimizer = torch.optim.AdamW(params.values(), **ADAMW_OPTIONS)
    o = ADAMW_OPTIONS
    lines = [
        f"# torch {torch.__version__} torch.optim.AdamW, written by scripts/make_optim_reference.py",
        "# options BETA1 BETA2 EPS WEIGHT_DECAY | param NAME INITIAL... | step N LR | grad NAME G... |",
        "# expect NAME VALUE_AFTER_STEP... | state NAME STEP_COUNT | exp_avg NAME M... | exp_avg_sq NAME V...",
        f"options {numbers([o['betas'][0], o['betas'][1], o['eps'], o['weight_decay']])}",
    ]
    lines += [f"param {name} {numbers(p.flatten())}" for name, p in params.items()]
    for step in range(1, ADAMW_STEPS + 1):
        if step == ADAMW_STEPS // 2 + 1:
            optimizer.param_groups[0]["lr"] = ADAMW_LR_AFTER_HALF
        lines.append(f"step {step} {numbers([optimizer.param_groups[0]['lr']])}")
        for name, p in params.items():
            if step in ADAMW_PARAMETERS[name][1]:
                p.grad = None
            else:
                p.grad = torch.randn(p.shape, generator=generator)
                lines.append(f"grad {name} {numbers(p.grad.flatten())}")
        optimizer.step()
        lines += [f"expect {name} {numbers(p.detach().flatten())}" for name, p in params.items()]
    for name, p in params.items():
        if p in optimizer.state:
            state = optimizer.state[p]
            lines.append(f"state {name} {int(state['step'].item())}")
            lines.append(f"exp_avg {name} {numbers(state['exp_avg'].flatten())}")
            lines.append(f"exp_avg_sq {name} {numbers(state['exp_avg_sq'].flatten())}")
    return lines


def plateau_metrics():
    """Hand-made edge cases first, then a seeded random walk of improvements, plateaus and setbacks."""
    threshold = 1e-4
    metrics = [10.0, 9.0, 9.0, 9.0, 9.0]  # plateau: reduction after patience
    metrics.append(9.0 * (1.0 - threshold))  # exactly the boundary: not an improvement
    metrics.append(9.0 * (1.0 - threshold) - 1e-9)  # just below it: an improvement
    metrics += [8.9999, 8.9998, 8.9997, 8.9996]  # tiny relative improvements count as bad epochs
    metrics += [5.0, 5.5, 6.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0]  # into min_lr
    rng = random.Random(7)
    value = 4.0
    for _ in range(40):
        value *= rng.choice([0.9, 0.99995, 1.0, 1.0, 1.02])
        metrics.append(value)
    return metrics


PLATEAU_SCENARIOS = {
    # The official schedule (spec section 8): factor 0.9, patience 2, PyTorch defaults otherwise.
    "official": dict(lr=5e-4, factor=0.9, patience=2, threshold=1e-4, cooldown=0, min_lr=0.0, eps=1e-8),
    "cooldown_min_lr": dict(lr=0.1, factor=0.5, patience=2, threshold=1e-4, cooldown=2, min_lr=0.02, eps=1e-8),
    # Halving 1.5e-8 would change the lr by less than eps, so the lr never changes.
    "below_eps": dict(lr=1.5e-8, factor=0.5, patience=1, threshold=1e-4, cooldown=0, min_lr=0.0, eps=1e-8),
}


def plateau_table():
    lines = [
        f"# torch {torch.__version__} ReduceLROnPlateau(mode='min', threshold_mode='rel'),"
        " written by scripts/make_optim_reference.py",
        "# scenario NAME | options INITIAL_LR FACTOR PATIENCE THRESHOLD COOLDOWN MIN_LR EPS |",
        "# epoch METRIC LR_AFTER BEST NUM_BAD_EPOCHS COOLDOWN_COUNTER LAST_EPOCH",
    ]
    for name, s in PLATEAU_SCENARIOS.items():
        optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=s["lr"])
        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(
            optimizer, mode="min", factor=s["factor"], patience=s["patience"], threshold=s["threshold"],
            threshold_mode="rel", cooldown=s["cooldown"], min_lr=s["min_lr"], eps=s["eps"])
        lines.append(f"scenario {name}")
        lines.append("options " + " ".join(repr(s[k]) for k in
                                           ["lr", "factor", "patience", "threshold", "cooldown", "min_lr", "eps"]))
        for metric in plateau_metrics():
            scheduler.step(metric)
            lines.append(f"epoch {repr(metric)} {repr(optimizer.param_groups[0]['lr'])} {repr(scheduler.best)} "
                         f"{scheduler.num_bad_epochs} {scheduler.cooldown_counter} {scheduler.last_epoch}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "tests", "data", "optim"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    write_atomically(os.path.join(args.out, "adamw_reference.txt"), adamw_table())
    write_atomically(os.path.join(args.out, "reduce_lr_on_plateau_reference.txt"), plateau_table())


if __name__ == "__main__":
    main()
