"""mhqa's own mental-health FAQ (``faq.jsonl``): loading, lookup by id and BM25 search.

The file is written by us (never copied from a dataset); tests/data/test_builtin_faq.py checks
its schema, lengths, safety rules and originality. Nothing here imports torch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mhqa.data.jsonl import parse_jsonl_line
from mhqa.errors import DataError

BUILTIN_FAQ_PATH = Path(__file__).with_name("faq.jsonl")

FIELDS = ("id", "topic", "question", "paraphrases", "answer", "source")
_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOKEN_RE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class FaqEntry:
    """One question with its alternative phrasings, our answer and the guidance it follows."""

    id: str
    topic: str
    question: str
    paraphrases: tuple[str, ...]
    answer: str
    source: str


def parse_entry(line: str, path: Path | str, lineno: int) -> FaqEntry:
    """Parse one JSON Lines row into a :class:`FaqEntry`.

    Args:
        line: the raw text of the row.
        path: the file it came from (named in errors).
        lineno: its 1-based line number (named in errors).

    Raises:
        DataError: the row is not JSON, misses or misorders a field, or has a wrong type.
    """
    where = f"{path}:{lineno}"
    row = parse_jsonl_line(line, where)
    if tuple(row) != FIELDS:
        raise DataError(f"{where}: expected keys {list(FIELDS)} in that order")
    paraphrases = row["paraphrases"]
    if not isinstance(paraphrases, list) or not all(isinstance(p, str) for p in paraphrases):
        raise DataError(f"{where}: 'paraphrases' must be a list of strings")
    for field in ("id", "topic", "question", "answer", "source"):
        if not isinstance(row[field], str) or not row[field].strip():
            raise DataError(f"{where}: '{field}' must be a non-empty string")
    if not _ID_RE.match(row["id"]) or not row["id"].startswith(row["topic"] + "-"):
        raise DataError(f"{where}: id {row['id']!r} must be '<topic>-<slug>' in lowercase")
    return FaqEntry(**{**row, "paraphrases": tuple(paraphrases)})


def read_faq(path: Path | str) -> list[FaqEntry]:
    """Read and validate a FAQ JSON Lines file (blank lines are skipped).

    Raises:
        DataError: the file is missing, a row is malformed, or an id repeats.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: FAQ file not found")
    entries: list[FaqEntry] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if not line.strip():
            continue
        entry = parse_entry(line, path, lineno)
        if entry.id in seen:
            first = seen[entry.id]
            raise DataError(f"{path}:{lineno}: id {entry.id!r} already used on line {first}")
        seen[entry.id] = lineno
        entries.append(entry)
    return entries


@lru_cache(maxsize=1)
def _builtin_entries() -> tuple[FaqEntry, ...]:
    return tuple(read_faq(BUILTIN_FAQ_PATH))


def load_builtin_faq() -> list[FaqEntry]:
    """Return every entry of the built-in FAQ, in file order (topic, then id)."""
    return list(_builtin_entries())


def get_entry(entry_id: str) -> FaqEntry:
    """Return the built-in entry with this id.

    Raises:
        DataError: no entry has that id.
    """
    for entry in _builtin_entries():
        if entry.id == entry_id:
            return entry
    raise DataError(f"no built-in FAQ entry with id {entry_id!r} (see `mhqa faq list`)")


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer

    return Stemmer.Stemmer("english")


def _tokenize(text: str) -> list[str]:
    """Lowercase words without English stopwords, stemmed so "worrying" matches "worry"."""
    from bm25s.stopwords import STOPWORDS_EN

    words = [t for t in _TOKEN_RE.findall(text.lower()) if t not in STOPWORDS_EN]
    return _stemmer().stemWords(words)


@lru_cache(maxsize=1)
def _bm25_index():
    import bm25s

    corpus = [
        _tokenize(" ".join([e.question, *e.paraphrases, e.answer])) for e in _builtin_entries()
    ]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever, set(retriever.vocab_dict)


def search_faq(query: str, k: int = 5) -> list[tuple[FaqEntry, float]]:
    """Rank built-in entries for ``query`` by BM25 over question, paraphrases and answer.

    Args:
        query: free text, e.g. ``"can't sleep before exams"``.
        k: at most this many results.

    Returns:
        ``(entry, score)`` pairs, best first; only entries sharing a word with the query.
    """
    entries = _builtin_entries()
    retriever, vocab = _bm25_index()
    tokens = [t for t in _tokenize(query) if t in vocab]
    if not tokens or k <= 0:
        return []
    docs, scores = retriever.retrieve([tokens], k=min(k, len(entries)), show_progress=False)
    return [
        (entries[int(i)], float(s)) for i, s in zip(docs[0], scores[0], strict=True) if s > 0
    ]
