"""Answer metrics: pure functions over lists of strings and numbers.

Each takes the system's answers (and the reference answers where it compares) in the same
order and returns plain floats, so every number in a report can be recomputed by hand:

>>> distinct_n(["a b a b", "a c"], 1)  # unique words {a, b, c} / 6 words
0.5
>>> round(distinct_n(["a b a b", "a c"], 2), 4)  # {ab, ba, ac} / 4 bigrams
0.75
>>> length_stats(["one two three", "one"])
{'mean': 2.0, 'std': 1.0, 'median': 2.0, 'min': 1, 'max': 3}
>>> percentile([1.0, 2.0, 3.0, 4.0], 50)
2.5
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Sequence
from typing import Any

from mhqa.evaluation.lexicon import empathy_hits

_WORD = re.compile(r"[A-Za-z0-9]+(?:['\u2019][A-Za-z]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words: letters/digits with inner apostrophes ("don't" is one word).

    >>> words("Don't panic -- it's 2 AM.")
    ["don't", 'panic', "it's", '2', 'am']
    """
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text or "")]


def distinct_n(texts: Sequence[str], n: int) -> float:
    """Corpus-level distinct-n: unique n-grams over all answers / total n-grams (0 when none)."""
    grams: list[tuple[str, ...]] = []
    for text in texts:
        w = words(text)
        grams += [tuple(w[i:i + n]) for i in range(len(w) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


def length_stats(texts: Sequence[str]) -> dict[str, float]:
    """Answer length in words: mean, population standard deviation, median, min, max."""
    n = [len(words(t)) for t in texts]
    if not n:
        return {"mean": 0.0, "std": 0.0, "median": 0.0, "min": 0, "max": 0}
    return {"mean": statistics.fmean(n), "std": statistics.pstdev(n), "median": float(statistics.median(n)),
            "min": min(n), "max": max(n)}


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default method); 0.0 for no values."""
    xs = sorted(values)
    if not xs:
        return 0.0
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def rouge_l(predictions: Sequence[str], references: Sequence[str]) -> list[float]:
    """ROUGE-L F1 per answer (rouge-score, Porter stemming), in [0, 1]."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    return [scorer.score(ref, pred)["rougeL"].fmeasure for pred, ref in zip(predictions, references, strict=True)]


def cosine_similarity(predictions: Sequence[str], references: Sequence[str], embed: Callable[[list[str]], Any]) -> list[float]:
    """Cosine of sentence embeddings per answer pair; ``embed`` maps texts to (N, d) unit vectors
    (mhqa uses :func:`mhqa.safety.semantic.embed`, all-MiniLM-L6-v2)."""
    if not predictions:
        return []
    a, b = embed(list(predictions)), embed(list(references))
    return [float(x) for x in (a * b).sum(axis=1)]


def empathy(texts: Sequence[str]) -> dict[str, float]:
    """Share of answers with >= 1 lexicon entry, and mean distinct entries per answer."""
    hits = [len(empathy_hits(t)) for t in texts]
    if not hits:
        return {"rate": 0.0, "hits": 0.0}
    return {"rate": sum(h > 0 for h in hits) / len(hits), "hits": statistics.fmean(hits)}


def share(flags: Sequence[bool]) -> float:
    return sum(bool(f) for f in flags) / len(flags) if flags else 0.0


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None
