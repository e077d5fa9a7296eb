"""FaqIndex on the built-in FAQ and the Kaggle CSV, with embeddings and with the BM25 fallback."""

from __future__ import annotations

import numpy as np
import pytest

from mhqa.data import QAPair
from mhqa.errors import DataError
from mhqa.retrieval import MIN_SIMILARITY, FaqIndex

# Our own new phrasings (not the paraphrases shipped in the FAQ) and the entry that answers each.
NEW_PHRASINGS = {
    "I lie in bed for hours and my mind won't let me drift off": "sleep-",
    "what's the actual difference between feeling low and clinical depression": "depression-",
    "my chest pounds and I think I'm about to die but the doctor says my heart is fine": "panic-attacks-",
    "my mate has been really down lately, how can I be there for him": ("helping-others-", "warning-signs-"),
}


@pytest.fixture(scope="module")
def builtin_index():
    return FaqIndex.from_file(None)


@pytest.mark.parametrize("query", list(NEW_PHRASINGS))
def test_new_phrasings_find_the_right_builtin_entry(builtin_index, query):
    hits = builtin_index.search(query, k=3)
    assert builtin_index.method == "embedding"
    assert hits[0].entry_id.startswith(NEW_PHRASINGS[query])
    assert hits[0].score >= MIN_SIMILARITY
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_unrelated_questions_score_below_threshold(builtin_index):
    for query in ("who won the football match last night", "how do I write a python for loop", "best pizza in town"):
        assert builtin_index.search(query, k=1)[0].score < MIN_SIMILARITY


def test_kaggle_csv_returns_question_ids(kaggle_csv):
    index = FaqIndex.from_file(kaggle_csv)
    hits = index.search("what does it actually mean to be mentally ill", k=2)
    assert hits[0].source_id == "1590140"
    assert all(h.source_id.isdigit() for h in hits)


def test_bm25_fallback_ranks_by_words():
    index = FaqIndex.from_file(None, method="bm25")
    assert index.method == "bm25"
    hits = index.search("tips for sleeping better at night", k=3)
    assert hits and hits[0].entry_id.startswith("sleep-") and hits[0].score >= index.min_score
    assert index.search("zzqx", k=3) == []


def test_auto_falls_back_to_bm25_when_the_embedding_model_cannot_load(monkeypatch, tmp_path):
    from mhqa.safety import semantic

    monkeypatch.setattr(semantic, "_state", {})  # a fresh process-wide loader ...
    monkeypatch.setattr(semantic, "model_path", lambda: str(tmp_path / "missing-model"))  # ... that really fails
    index = FaqIndex.from_file(None, cache=False)
    assert index.method == "bm25"
    assert index.search("panic attack symptoms", k=1)[0].entry_id.startswith(("panic", "anxiety"))
    with pytest.raises(DataError):
        FaqIndex.from_file(None, method="embedding", cache=False)


def test_entry_embeddings_are_cached_on_disk(monkeypatch, tmp_path):
    monkeypatch.setenv("MHQA_CACHE_DIR", str(tmp_path))
    pairs = [QAPair("1", "How can I relax before an exam?", "Breathe slowly.", paraphrases=("exam nerves",), source_id="Q1"),
             QAPair("2", "What is grief?", "A response to loss.", source_id="Q2")]
    first = FaqIndex.build(pairs)
    files = list((tmp_path / "retrieval").glob("*.npy"))
    assert len(files) == 1
    assert np.load(files[0]).shape == (3, 384)  # one row per phrasing
    second = FaqIndex.build(pairs)
    assert len(list((tmp_path / "retrieval").glob("*.npy"))) == 1
    q = "nervous about my test tomorrow"
    assert first.search(q, 2) == second.search(q, 2)
    assert second.search(q, 1)[0].source_id == "Q1"
    # a changed FAQ gets its own cache entry
    FaqIndex.build(pairs[:1])
    assert len(list((tmp_path / "retrieval").glob("*.npy"))) == 2


def test_paraphrases_count_as_phrasings(monkeypatch, tmp_path):
    monkeypatch.setenv("MHQA_CACHE_DIR", str(tmp_path))
    pairs = [QAPair("a", "What is burnout?", "Exhaustion from long stress.", paraphrases=("i feel completely drained by my job",)),
             QAPair("b", "What is mindfulness?", "Paying attention on purpose.")]
    hit = FaqIndex.build(pairs).search("my work leaves me totally drained", 1)[0]
    assert hit.entry_id == "a" and hit.source_id == "a"


def test_empty_faq_is_an_error():
    with pytest.raises(DataError):
        FaqIndex.build([])
