"""Evaluate the detector on the labelled eval set, beside the four-keyword baseline.

Two sources of labelled messages:

- our own eval set (``data/eval_set.jsonl``, written for mhqa, dev/test splits);
- real user questions from the public CounselChat dataset, labelled by us
  (``data/counsel_chat_labels.jsonl``: a hash of each question -> level, categories and split, no
  text; the text is read from the dataset's CSV at run time, see :func:`load_counsel_chat`).

Used by ``mhqa safety eval``, the regression tests and ``benchmarks/safety_latency.py``.
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from mhqa.errors import DataError
from mhqa.safety.assess import CATEGORIES, assess
from mhqa.safety.patterns import keyword_baseline

EVAL_SET = Path(__file__).parent / "data" / "eval_set.jsonl"
COUNSEL_CHAT_LABELS = Path(__file__).parent / "data" / "counsel_chat_labels.jsonl"
_LEVELS = ("none", "concern", "urgent", "emergency")
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


def counsel_chat_key(text: str) -> str:
    """How a CounselChat question is named in our labels: the first 16 hex digits of the SHA-256 of
    its ``title + "\\n" + text`` (question ids alone are ambiguous: 18 ids hold two different questions)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_counsel_chat(csv_path: Path, labels: Path = COUNSEL_CHAT_LABELS, split: str | None = "test") -> list[dict]:
    """CounselChat's distinct questions (title and text, as the asker wrote them) with our labels,
    optionally one split (``dev`` for error analysis, ``test`` for figures; fixed by each question's key).

    ``csv_path`` is the dataset's ``20200325_counsel_chat.csv`` (one row per therapist answer, so each
    question repeats). Raises DataError naming the file and line, or the question, when the CSV and
    the labels do not fit together.
    """
    csv_path, labels = Path(csv_path), Path(labels)
    questions: dict[str, tuple[str, str]] = {}  # key -> (question id, text)
    try:
        with csv_path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"questionID", "questionTitle", "questionText"} - set(reader.fieldnames or ())
            if missing:
                raise DataError(f"{csv_path}: not the CounselChat CSV (no column {sorted(missing)[0]!r})")
            for rec in reader:
                text = f"{(rec['questionTitle'] or '').strip()}\n{(rec['questionText'] or '').strip()}".strip()
                questions.setdefault(counsel_chat_key(text), (str(rec["questionID"]).strip(), text))
    except OSError as exc:
        raise DataError(f"{csv_path}: cannot read ({exc})") from exc
    except (csv.Error, UnicodeDecodeError) as exc:
        raise DataError(f"{csv_path}: not a readable CSV ({exc})") from exc
    try:
        label_lines = labels.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{labels}: cannot read ({exc})") from exc
    rows, seen = [], set()
    for i, line in enumerate(label_lines, 1):
        if not line.strip():
            continue
        try:
            lab = json.loads(line)
            key, level, cats, part = str(lab["key"]), str(lab["level"]), list(lab["categories"]), str(lab["split"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{labels}:{i}: bad row ({exc})") from exc
        if level not in _LEVELS or set(cats) - set(CATEGORIES) or (level == "none") != (not cats):
            raise DataError(f"{labels}:{i}: bad level or categories for question {lab.get('questionID')}")
        if key not in questions:
            raise DataError(f"{csv_path}: question {lab.get('questionID')} ({key}, labelled in {labels.name}) not found")
        seen.add(key)
        qid, text = questions[key]
        if split is None or part == split:
            rows.append({"id": f"cc{qid}-{key[:6]}", "text": text, "crisis": level != "none", "level": level,
                         "categories": cats, "split": part})
    if not rows:
        raise DataError(f"{labels}: no questions in split {split!r} (dev or test)")
    unlabelled = [qid for key, (qid, _) in questions.items() if key not in seen]
    if unlabelled:
        raise DataError(f"{csv_path}: {len(unlabelled)} questions have no label in {labels.name} "
                        f"(first: question {unlabelled[0]}); is this the 2020-03-25 CounselChat CSV?")
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


def run_eval(path: Path = EVAL_SET, split: str = "test", *, rows: list[dict] | None = None) -> dict:
    """Evaluate ours and the keyword baseline on one split of the eval set (or on ``rows``)."""
    rows = load_eval_set(path, split) if rows is None else rows
    ours = evaluate(rows, ours_predict, "mhqa.safety")
    base = evaluate(rows, baseline_predict, "keyword baseline")
    return {"split": rows[0].get("split", split) if rows else split, "n": len(rows), "ours": ours, "baseline": base}
