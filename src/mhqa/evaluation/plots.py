"""Bar charts of the evaluation report (matplotlib, headless): one PNG per metric."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mhqa.plots import save_figure

COLORS = {"base": "#8C8C8C", "tuned": "#4C72B0", "retrieval": "#55A868", "tuned+retrieval": "#C44E52",
          "reference answers": "#CCB974"}


def bar_chart(values: dict[str, float], title: str, ylabel: str, path: Path, *, higher_is_better: bool | None,
              fmt: str = "{:.3f}") -> Path:
    """One bar per system, value printed on each bar; ``path`` is written atomically."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(values)
    fig, ax = plt.subplots(figsize=(5.2, 3.2), dpi=110)
    bars = ax.bar(range(len(names)), [values[n] for n in names], color=[COLORS.get(n, "#64B5CD") for n in names])
    for bar, name in zip(bars, names):
        ax.annotate(fmt.format(values[name]), (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(names)), [n.replace("+", "+\n") for n in names], fontsize=8)
    hint = {True: "  (higher is better)", False: "  (lower is better)", None: ""}[higher_is_better]
    ax.set_title(title + hint, fontsize=10)
    ax.set_ylabel(ylabel, fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    top = max([*values.values(), 0.0])
    bottom = min([*values.values(), 0.0])
    span = (top - bottom) or 1.0
    ax.set_ylim(bottom - 0.12 * span if bottom < 0 else 0, top + 0.15 * span)
    if bottom < 0:
        ax.axhline(0, color="#444", linewidth=0.8)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return save_figure(fig, path)


def metric_charts(report: dict[str, Any], metrics: list[dict[str, Any]], folder: Path) -> dict[str, Path]:
    """A chart for every metric that at least one system has; the reference row joins where it has the metric."""
    out = {}
    for m in metrics:
        values = {name: s[m["key"]] for name, s in report["systems"].items() if s.get(m["key"]) is not None}
        ref = report.get("reference", {}).get(m["key"])
        if ref is not None:
            values["reference answers"] = ref
        if not values or m.get("shared"):
            continue
        scale = 100.0 if m.get("percent") else 1.0
        shown = {k: v * scale for k, v in values.items()}
        fmt = m.get("chart_format") or ("{:.1f}%" if m.get("percent") else "{:.0f}" if m.get("integer") else "{:.3f}")
        out[m["key"]] = bar_chart(shown, m["label"], m.get("unit", ""), folder / f"{m['key']}.png",
                                  higher_is_better=m.get("higher_is_better"), fmt=fmt)
    return out
