"""Plots written into run folders (matplotlib, headless)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def plot_training_curves(results: dict[str, Any], path: Path) -> Path:
    """Train and val loss against optimizer step; the base model's val loss sits at step 0."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    history = results.get("log_history", [])
    train = [(h["step"], h["loss"]) for h in history if "loss" in h]
    val = [(h["step"], h["eval_loss"]) for h in history if "eval_loss" in h]
    if results.get("base_val_loss") is not None:
        val = [(0, results["base_val_loss"])] + val
    if results.get("final_val_loss") is not None and (not val or val[-1][0] != results.get("steps")):
        val.append((results.get("steps", 0), results["final_val_loss"]))

    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=120)
    if train:
        ax.plot(*zip(*train), label="train loss", color="#4C72B0", linewidth=1.6, alpha=0.9)
    if val:
        ax.plot(*zip(*val), label="val loss", color="#DD8452", marker="o", linewidth=2)
        ax.annotate(f"base {val[0][1]:.3f}", val[0], textcoords="offset points", xytext=(6, 6), fontsize=9)
        ax.annotate(f"{val[-1][1]:.3f}", val[-1], textcoords="offset points", xytext=(-10, 8), fontsize=9, ha="right")
    ax.set_title(f"LoRA fine-tuning of {results.get('base_model', 'model')}")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("optimizer step")
    ax.set_ylabel("cross-entropy loss (answer tokens)")
    ax.grid(alpha=0.3)
    ax.legend()
    return save_figure(fig, path)


def save_figure(fig, path: Path) -> Path:
    """Write a matplotlib figure atomically (temp file, then rename) and close it."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.stem + ".tmp.png")
    fig.savefig(tmp)
    plt.close(fig)
    tmp.replace(path)
    return path
