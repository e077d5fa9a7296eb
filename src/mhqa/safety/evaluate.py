"""Evaluate the detector on the labelled eval set, beside the four-keyword baseline.

Used by ``mhqa safety eval``, the regression test and ``benchmarks/safety_latency.py``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from mhqa.errors import DataError
from mhqa.safety.assess import CATEGORIES, assess
from mhqa.safety.patterns import keyword_baseline

EVAL_SET = Path(__file__).parent / "data" / "eval_set.jsonl"
_BASELINE_CATS = (("suicidal_ideation", ("suicide", "kill myself", "end it all")), ("self_harm", ("self-harm",)))


def load_eval_set(path: Path = EVAL_SET, split: str | None = "test") -> list[dict]:
    """Rows of the eval set (optionally one split). Raises DataError naming the bad line."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: eval set not found")
    rows = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["text"], row["crisis"], row["categories"] = str(row["text"]), bool(row["crisis"]), list(row["categories"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{path}:{i}: bad row ({exc})") from exc
        if split is None or row.get("split") == split:
            rows.append(row)
    if not rows:
        raise DataError(f"{path}: no rows in split {split!r}")
    return rows


def baseline_predict(text: str) -> tuple[bool, tuple[str, ...]]:
    """The notebook's four keywords; categories from which keyword matched."""
    low = text.lower()
    cats = tuple(c for c, words in _BASELINE_CATS if any(w in low for w in words))
    return keyword_baseline(text), cats


def ours_predict(text: str) -> tuple[bool, tuple[str, ...], str]:
    a = assess(text)
    return a.crisis, a.categories, a.level


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, truth: bool, pred: bool) -> None:
        if truth and pred:
            self.tp += 1
        elif pred:
            self.fp += 1
        elif truth:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def fpr(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else 0.0

    def to_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "fpr": round(self.fpr, 4),
                "support": self.tp + self.fn, "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}


@dataclass
class SystemReport:
    name: str
    by_category: dict[str, Scores] = field(default_factory=lambda: {c: Scores() for c in ("crisis", *CATEGORIES)})
    latencies_ms: list[float] = field(default_factory=list)
    level_correct: int = 0
    n: int = 0
    misses: list[dict] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        xs = sorted(self.latencies_ms)
        return xs[min(len(xs) - 1, int(round(q / 100 * (len(xs) - 1))))] if xs else 0.0

    def to_dict(self) -> dict:
        return {"name": self.name, "n": self.n,
                "metrics": {k: v.to_dict() for k, v in self.by_category.items()},
                "level_accuracy": round(self.level_correct / self.n, 4) if self.n else None,
                "latency_ms": {f"p{q}": round(self.percentile(q), 3) for q in (50, 95, 99)}}


def evaluate(rows: list[dict], predict: Callable[[str], tuple], name: str, *, warmup: bool = True) -> SystemReport:
    """Run one detector over ``rows``; time each call with ``perf_counter``."""
    report = SystemReport(name)
    if warmup and rows:
        predict(rows[0]["text"])  # loads the embedding model once; not timed
    for row in rows:
        start = time.perf_counter()
        out = predict(row["text"])
        report.latencies_ms.append((time.perf_counter() - start) * 1000)
        crisis, cats = out[0], out[1]
        report.n += 1
        report.by_category["crisis"].add(row["crisis"], crisis)
        for c in CATEGORIES:
            report.by_category[c].add(c in row["categories"], c in cats)
        if len(out) > 2 and out[2] == row.get("level"):
            report.level_correct += 1
        if row["crisis"] != crisis:
            report.misses.append({"id": row.get("id"), "truth": row["crisis"], "pred": crisis})
    return report


def run_eval(path: Path = EVAL_SET, split: str = "test") -> dict:
    """Evaluate ours and the keyword baseline on one split of the eval set."""
    rows = load_eval_set(path, split)
    ours = evaluate(rows, ours_predict, "mhqa.safety")
    base = evaluate(rows, baseline_predict, "keyword baseline")
    return {"split": split, "n": len(rows), "ours": ours, "baseline": base}
