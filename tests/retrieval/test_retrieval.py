"""FaqIndex on the built-in FAQ and the Kaggle CSV, with embeddings and with the BM25 fallback."""

from __future__ import annotations

import numpy as np
import pytest

from mhqa.data import QAPair
from mhqa.errors import DataError
from mhqa.retrieval import MIN_SIMILARITY, FaqIndex, select_sentences, split_sentences

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
    assert np.load(files[0]).shape == (3 + 2, 384)  # one row per phrasing and per answer sentence
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


def test_doctests():
    import doctest

    import mhqa.retrieval

    assert doctest.testmod(mhqa.retrieval).failed == 0


def test_excerpt_keeps_the_sentences_that_answer_the_question(monkeypatch, tmp_path):
    monkeypatch.setenv("MHQA_CACHE_DIR", str(tmp_path))
    answer = ("Exam season is stressful for most students. Plan revision in short blocks with breaks. "
              "Sleep matters more than late-night cramming, so keep a steady bedtime. "
              "On the day, slow breathing can settle a racing heart. Results do not define you.")
    index = FaqIndex.build([QAPair("e", "How do I cope with exams?", answer), QAPair("g", "What is grief?", "A response to loss.")])
    hit = index.search("is it ok to stay up all night cramming before a test", 1)[0]
    excerpt = index.excerpt("is it ok to stay up all night cramming before a test", hit, words=20)
    assert "cramming" in excerpt and len(excerpt.split()) <= 20
    sentences = split_sentences(answer)
    kept = split_sentences(excerpt)
    assert set(kept) <= set(sentences)
    assert [sentences.index(s) for s in kept] == sorted(sentences.index(s) for s in kept)  # original order
    breathing = index.excerpt("how can I calm my racing heart on the morning of the exam", hit, words=12)
    assert "breathing" in breathing
    assert index.excerpt("anything", hit, words=200) == " ".join(sentences)  # a big budget keeps it all


def test_excerpt_with_bm25_keeps_the_opening_sentences():
    index = FaqIndex.build([QAPair("a", "Sleep tips?", "Keep regular hours. Avoid screens late. Get daylight.")], method="bm25")
    hit = index.search("sleep tips", 1)[0]
    assert index.excerpt("sleep tips", hit, words=7) == "Keep regular hours. Avoid screens late."
    assert index.excerpt("sleep tips", hit, words=0) == ""


def test_select_sentences_always_uses_the_best_sentence():
    sentences = ["One two three four five six.", "Seven eight.", "Nine."]
    assert select_sentences(sentences, [0, 1, 2], 3) == "One two three…"
    assert select_sentences(sentences, [2, 1, 0], 3) == "Seven eight. Nine."
    assert select_sentences(sentences, [], 10) == ""
