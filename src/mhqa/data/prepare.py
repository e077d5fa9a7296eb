"""`mhqa prepare`: load -> repair -> dedupe -> group -> split -> augment train -> write.

The order matters: splitting happens on question groups *before* augmentation, and variants
inherit their original's split, so no answer seen in training is scored in val or test (the
notebook this replaces augmented first and leaked test answers into training).
"""

from __future__ import annotations

import json
import math
import shutil
import statistics
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from mhqa import __version__
from mhqa.config import DataConfig
from mhqa.data.augment import augment_question
from mhqa.data.clean import drop_duplicates
from mhqa.data.jsonl import write_jsonl
from mhqa.data.load import LoadInfo, QAPair, load_pairs
from mhqa.data.split import SPLITS, group_pairs, split_groups
from mhqa.errors import DataError

OUTPUT_FILES = ("train.jsonl", "val.jsonl", "test.jsonl", "prepare_report.json")
APPROX_TOKEN_COUNTER = "approx-words*1.3"


@dataclass
class PrepareReport:
    """What `prepare` read, changed and wrote; saved as ``prepare_report.json``.

    Rows add up: ``rows_in == pairs + duplicates_removed + len(skipped)`` and ``rows_out`` is the
    sum of the split rows (originals, plus paraphrase and augmented rows in train).
    """

    source: dict[str, Any]
    out_dir: str
    rows_in: int
    rows_out: int
    pairs: int
    groups: int
    repaired: dict[str, Any]
    whitespace_fixed: int
    duplicates_removed: int
    skipped: list[dict[str, Any]]
    splits: dict[str, dict[str, int]]
    token_counter: str
    token_lengths: dict[str, dict[str, float]]
    settings: dict[str, Any]
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=lambda: dict(zip([*SPLITS, "report"], OUTPUT_FILES, strict=True)))
    mhqa_version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def prepare(source: str | Path | None, out_dir: str | Path, cfg: DataConfig | None = None, *,
            count_tokens: Callable[[str], int] | None = None) -> PrepareReport:
    """Turn a FAQ file into leak-free train/val/test JSONL files plus a report.

    Args:
        source: CSV/JSONL/JSON FAQ file; ``None`` means the built-in FAQ.
        out_dir: folder to (re)create with train.jsonl, val.jsonl, test.jsonl, prepare_report.json.
        cfg: data settings (columns, strict, fractions, seed, augmentation).
        count_tokens: text -> token count (e.g. the trainer's tokenizer); without it lengths are
            approximated as ``ceil(words * 1.3)`` and the report says so.

    Returns:
        The :class:`PrepareReport` that was also written to ``out_dir``.

    Raises:
        DataError: unreadable or invalid input (names file, row, column), too few groups to split,
            or an ``out_dir`` that holds other files. Nothing is written then.
    """
    cfg = cfg or DataConfig()
    out_dir = Path(out_dir)
    _check_out_dir(out_dir)
    pairs, info = load_pairs(source, cfg)
    dedupe = drop_duplicates(pairs)
    pairs = dedupe.kept
    groups = group_pairs(pairs)
    try:
        assignment = split_groups(groups, cfg.val_fraction, cfg.test_fraction, cfg.seed)
    except DataError as exc:
        raise DataError(f"{info.path}: {exc}") from None
    rows = build_rows(pairs, groups, assignment, cfg, with_topic=info.schema.topic is not None)
    counter = count_tokens or approx_token_count
    counter_name = APPROX_TOKEN_COUNTER if count_tokens is None else _callable_name(count_tokens)
    report = _report(info, out_dir, pairs, dedupe.removed, rows, cfg, counter, counter_name)
    _write_atomic(out_dir, rows, report)
    return report


def build_rows(pairs: list[QAPair], groups: list[str], assignment: dict[str, str], cfg: DataConfig,
               *, with_topic: bool = False) -> dict[str, list[dict[str, Any]]]:
    """Rows per split; only train gets variants: `augment_variants` per question, taken first from
    the paraphrases the source ships (when `use_paraphrases`), then from rule-based rewrites.

    >>> pairs = [QAPair("1", "What is stress?", "A reaction.", paraphrases=("whats stress",))]
    >>> rows = build_rows(pairs, ["1"], {"1": "train"}, DataConfig(augment_variants=2, seed=0))
    >>> [(r["id"], r["variant"], r["question"]) for r in rows["train"]]  # doctest: +NORMALIZE_WHITESPACE
    [('1', 'original', 'What is stress?'), ('1#p1', 'paraphrase', 'whats stress'),
     ('1#a1', 'augmented', "What's stress?")]
    """
    rows: dict[str, list[dict[str, Any]]] = {split: [] for split in SPLITS}
    for pair, group in zip(pairs, groups, strict=True):
        split = assignment[group]
        rows[split].append(_row(pair, group, pair.id, pair.question, "original", with_topic))
        if split != "train":
            continue
        seen = {pair.question}
        shipped = [p for p in (pair.paraphrases if cfg.use_paraphrases else ()) if p not in seen]
        for k, text in enumerate(shipped[: cfg.augment_variants], start=1):
            rows[split].append(_row(pair, group, f"{pair.id}#p{k}", text, "paraphrase", with_topic))
            seen.add(text)
        missing = cfg.augment_variants - (len(seen) - 1)
        variants = [v for v in augment_question(pair.question, missing + len(seen), cfg.seed)
                    if v not in seen][: max(missing, 0)]
        for k, text in enumerate(variants, start=1):
            rows[split].append(_row(pair, group, f"{pair.id}#a{k}", text, "augmented", with_topic))
    return rows


def _row(pair: QAPair, group: str, row_id: str, question: str, variant: str, with_topic: bool) -> dict[str, Any]:
    row = {"id": row_id, "group": group, "question": question, "answer": pair.answer, "variant": variant,
           "source_id": pair.source_id}
    if with_topic:
        row["topic"] = pair.topic
    return row


def approx_token_count(text: str) -> int:
    """Cheap token estimate without a tokenizer: ``ceil(words * 1.3)``.

    English BPE tokenizers average about 1.3 tokens per word; use the real tokenizer (the
    ``count_tokens`` argument of :func:`prepare`) when lengths matter exactly.

    >>> approx_token_count("What is stress?")
    4
    """
    return math.ceil(len(text.split()) * 1.3)


def length_stats(lengths: list[int]) -> dict[str, float]:
    """min/mean/median/p95/max of a list of lengths (p95 by linear interpolation).

    >>> length_stats([1, 2, 3, 4, 100])
    {'min': 1, 'mean': 22.0, 'median': 3, 'p95': 80.8, 'max': 100}
    """
    if not lengths:
        return {"min": 0, "mean": 0.0, "median": 0, "p95": 0, "max": 0}
    ordered = sorted(lengths)
    pos = 0.95 * (len(ordered) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    p95 = ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
    return {"min": ordered[0], "mean": round(statistics.fmean(ordered), 1), "median": statistics.median(ordered),
            "p95": round(p95, 1), "max": ordered[-1]}


def _callable_name(fn: Callable[[str], int]) -> str:
    return str(getattr(fn, "name", None) or getattr(fn, "__qualname__", None) or type(fn).__name__)


def _report(info: LoadInfo, out_dir: Path, pairs: list[QAPair], removed: list[dict[str, Any]],
            rows: dict[str, list[dict[str, Any]]], cfg: DataConfig, counter: Callable[[str], int],
            counter_name: str) -> PrepareReport:
    splits = {}
    for split, split_rows in rows.items():
        counts = {"rows": len(split_rows), "groups": len({r["group"] for r in split_rows})}
        for variant in ("original", "paraphrase", "augmented"):
            counts[variant] = sum(r["variant"] == variant for r in split_rows)
        splits[split] = counts
    return PrepareReport(
        source=info.source_dict(),
        out_dir=str(out_dir),
        rows_in=info.rows_in,
        rows_out=sum(len(r) for r in rows.values()),
        pairs=len(pairs),
        groups=sum(s["groups"] for s in splits.values()),
        repaired={"count": info.repaired, "examples": info.repair_examples},
        whitespace_fixed=info.whitespace_fixed,
        duplicates_removed=len(removed),
        duplicates=removed[:20],
        skipped=info.skipped,
        splits=splits,
        token_counter=counter_name,
        token_lengths={"question": length_stats([counter(p.question) for p in pairs]),
                       "answer": length_stats([counter(p.answer) for p in pairs])},
        settings=asdict(cfg),
    )


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise DataError(f"{out_dir}: exists and is not a folder")
    if out_dir.is_dir():
        others = sorted(p.name for p in out_dir.iterdir() if p.name not in OUTPUT_FILES)
        if others:
            raise DataError(f"{out_dir}: folder already holds other files ({', '.join(others[:5])}); "
                            "choose a new or empty folder for prepared data")


def _write_atomic(out_dir: Path, rows: dict[str, list[dict[str, Any]]], report: PrepareReport) -> None:
    # Everything goes into a sibling temp folder that replaces out_dir in one rename, so a
    # failure at any point leaves either the old folder or nothing, never half the files.
    target = out_dir.resolve()
    tag = uuid.uuid4().hex[:8]
    tmp = target.parent / f".{target.name}.tmp-{tag}"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.mkdir()
        for split in SPLITS:
            write_jsonl(tmp / f"{split}.jsonl", rows[split])
        # ASCII escapes keep the "before" side of repair examples from putting mojibake back
        # into the output folder as raw text; json.load restores it exactly.
        text = json.dumps(report.to_dict(), indent=2, ensure_ascii=True) + "\n"
        (tmp / OUTPUT_FILES[-1]).write_text(text, encoding="utf-8")
        _swap_in(tmp, target, target.parent / f".{target.name}.old-{tag}")
    except OSError as exc:
        raise DataError(f"{out_dir}: cannot write prepared data ({exc.strerror or exc})") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _swap_in(tmp: Path, target: Path, old: Path) -> None:
    if not target.exists():
        tmp.rename(target)
        return
    target.rename(old)
    try:
        tmp.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
