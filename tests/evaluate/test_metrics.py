"""Metrics on fixed small inputs, checked against values computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from mhqa.evaluation import metrics as M
from mhqa.evaluation.lexicon import LEXICON, describe, empathy_hits
from mhqa.evaluation.runner import answer_body


def test_words_keep_contractions_and_drop_punctuation():
    assert M.words("I'm fine -- really, I am!") == ["i'm", "fine", "really", "i", "am"]
    assert M.words("It\u2019s OK") == ["it's", "ok"]
    assert M.words("") == []


def test_distinct_n_by_hand():
    texts = ["the cat sat", "the cat ran"]
    # words: the cat sat the cat ran -> 6 words, unique {the, cat, sat, ran} = 4
    assert M.distinct_n(texts, 1) == pytest.approx(4 / 6)
    # bigrams per answer (never across answers): (the cat)(cat sat)(the cat)(cat ran) -> 3 unique of 4
    assert M.distinct_n(texts, 2) == pytest.approx(3 / 4)
    assert M.distinct_n(["one"], 2) == 0.0
    assert M.distinct_n([], 1) == 0.0


def test_length_stats_by_hand():
    stats = M.length_stats(["a b", "a b c d", "a b c d e f"])  # 2, 4, 6 words
    assert stats["mean"] == 4.0
    assert stats["std"] == pytest.approx(((4 + 0 + 4) / 3) ** 0.5)  # population std
    assert (stats["median"], stats["min"], stats["max"]) == (4.0, 2, 6)


def test_percentile_matches_numpy_linear():
    xs = [0.3, 0.1, 0.9, 0.5, 0.2, 1.7]
    for q in (0, 25, 50, 90, 95, 100):
        assert M.percentile(xs, q) == pytest.approx(float(np.percentile(xs, q)))
    assert M.percentile([], 50) == 0.0


def test_rouge_l_by_hand():
    # LCS of "the cat sat on the mat" / "the cat lay on the mat" = the cat on the mat (5 of 6)
    (f1,) = M.rouge_l(["the cat sat on the mat"], ["the cat lay on the mat"])
    assert f1 == pytest.approx(5 / 6)
    # LCS 2 ("a c"): precision 2/3, recall 2/4 -> F1 = 2PR/(P+R) = 4/7
    (f1,) = M.rouge_l(["a b c"], ["a x c y"])
    assert f1 == pytest.approx(4 / 7)
    assert M.rouge_l(["same words here"], ["same words here"]) == [1.0]
    with pytest.raises(ValueError):
        M.rouge_l(["one"], ["one", "two"])


def test_cosine_similarity_with_fixed_vectors():
    vectors = {"a": np.array([1.0, 0.0]), "b": np.array([0.6, 0.8]), "c": np.array([0.0, 1.0])}

    def embed(texts):
        return np.stack([vectors[t] for t in texts])

    assert M.cosine_similarity(["a", "b"], ["b", "c"], embed) == pytest.approx([0.6, 0.8])
    assert M.cosine_similarity([], [], embed) == []


def test_cosine_similarity_with_the_real_embedder():
    from mhqa.safety.semantic import embed

    same, related, unrelated = M.cosine_similarity(
        ["How can I sleep better?", "How can I sleep better?", "How can I sleep better?"],
        ["How can I sleep better?", "Tips for getting a good night's rest", "The train leaves at noon"], embed)
    assert same == pytest.approx(1.0, abs=1e-4)
    assert related > unrelated


def test_empathy_counts_distinct_entries_once():
    text = "That sounds really hard. You're not alone, you're not alone. Reaching out to someone you trust helps."
    assert empathy_hits(text) == ["validation:sounds_hard", "validation:not_alone", "support:reach_out"]
    result = M.empathy([text, "Sleep needs a regular schedule.", "It's okay to ask for help."])
    # answers with >= 1 hit: 2 of 3; hits 3 + 0 + 2 (understandable, ask_help)
    assert result["rate"] == pytest.approx(2 / 3)
    assert result["hits"] == pytest.approx(5 / 3)
    assert M.empathy([]) == {"rate": 0.0, "hits": 0.0}


def test_lexicon_is_documented_and_every_entry_can_match():
    samples = {
        "sounds_hard": "that sounds overwhelming", "understandable": "it's normal to feel that",
        "makes_sense": "it makes sense", "feelings_valid": "your feelings are valid", "not_alone": "you are not alone",
        "many_people": "many people feel this", "not_your_fault": "it's not your fault", "nothing_wrong": "there is nothing wrong with it",
        "thank_sharing": "thank you for sharing", "sorry": "I'm sorry you feel this way", "hear_you": "I hear you",
        "reach_out": "reach out", "talk_someone": "talk to someone you trust", "ask_help": "asking for help",
        "help_available": "help is available", "deserve": "you deserve support", "self_kindness": "be gentle with yourself",
        "not_face_alone": "you don't have to face this alone", "small_steps": "one step at a time",
        "take_care": "look after yourself",
    }
    assert {e["name"] for e in describe()} == set(samples) == {name for _, name, _ in LEXICON}
    for name, text in samples.items():
        assert any(h.endswith(":" + name) for h in empathy_hits(text)), name
    assert empathy_hits("helpful steps for sleeping") == []  # single words like "help" do not count


def test_answer_body_strips_the_appended_safety_texts():
    from mhqa.safety import AI_DISCLOSURE, add_disclosure

    shipped = add_disclosure("Stress is a normal response to pressure.", suggest_professional=True)
    assert AI_DISCLOSURE in shipped
    assert answer_body(shipped) == "Stress is a normal response to pressure."
    assert answer_body("No appended text.") == "No appended text."


def test_share_and_mean():
    assert M.share([True, False, True, True]) == 0.75
    assert M.share([]) == 0.0
    assert M.mean([1.0, 2.0]) == 1.5
    assert M.mean([]) is None
