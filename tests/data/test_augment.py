"""mhqa.data.augment: seeded, meaning-preserving, grammatical rule-based question variants."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from mhqa.data.augment import augment_question, indirect, informal, lower_first, synonym_variants, toggle_contractions, wrap
from mhqa.data.clean import repair_text

KAGGLE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "Mental_Health_FAQ.csv"
QUESTIONS = [
    "What is stress?", "How can I help a friend who is grieving?", "Is it normal to cry a lot?",
    "What should I do if I can't sleep?", "Where can I find a support group?", "Why do I feel tired all the time?",
    "I'm worried about my son. Where can I find help?", "Can medication help with anxiety?",
]
_STOP = {"a", "an", "the", "i", "is", "are", "am", "do", "does", "can", "what", "how", "if", "to", "of", "s", "it",
         "you", "me", "my", "whether", "know", "tell", "like", "d", "could", "explain", "ask", "something", "hi",
         "quick", "question", "wondering", "was", "sorry", "this", "silly", "but", "would", "use", "some", "help",
         "not", "t", "m", "in", "should"}


def _kaggle_questions() -> list[str]:
    if not KAGGLE.is_file():
        return []
    with KAGGLE.open(encoding="utf-8", newline="") as fh:
        return [repair_text(row["Questions"]).strip() for row in csv.DictReader(fh)]


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP}


@pytest.mark.parametrize("question", QUESTIONS)
def test_variants_are_distinct_new_and_deterministic(question):
    variants = augment_question(question, 3, seed=7)
    assert len(variants) == 3 and len(set(variants)) == 3 and question not in variants
    assert variants == augment_question(question, 3, seed=7)


def test_another_seed_gives_other_variants():
    differs = [augment_question(q, 2, seed=1) != augment_question(q, 2, seed=2) for q in QUESTIONS]
    assert any(differs)


def test_zero_and_many_variants():
    assert augment_question("What is stress?", 0, seed=1) == []
    many = augment_question("What is stress?", 50, seed=1)
    assert 6 <= len(many) < 50 and len(set(many)) == len(many)


def test_variants_keep_the_content_words_of_kaggle_questions():
    questions = _kaggle_questions() or QUESTIONS
    for question in questions:
        for variant in augment_question(question, 4, seed=42):
            before, after = _content_words(question), _content_words(variant)
            # a synonym swap may replace one or two words; nothing else is lost
            assert len(before - after) <= 2, (question, variant)
            assert "  " not in variant and variant == variant.strip() and "??" not in variant, variant
            assert " ?" not in variant or " ?" in question, variant
            assert not re.search(r"\b(\w+) \1\b", variant.lower()) or re.search(r"\b(\w+) \1\b", question.lower())


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is stress?", "what stress is"),
        ("What are the warning signs of burnout?", "what the warning signs of burnout are"),
        ("What's a referral?", "what a referral is"),
        ("How can I help a friend?", "how I can help a friend"),
        ("How do I apply for support?", "how to apply for support"),
        ("Why do I feel tired?", "why I feel tired"),
        ("What causes panic attacks?", "what causes panic attacks"),
        ("Is it normal to cry?", "whether it is normal to cry"),
        ("Are there cures for anxiety?", "whether there are cures for anxiety"),
        ("Do I need therapy?", "whether I need therapy"),
        # word order cannot be turned safely: no indirect form at all
        ("What does it mean to have anxiety?", None),
        ("Does therapy work?", None),
        ("What is it like to have depression?", "what it is like to have depression"),
        ("Where else can I get help?", None),
        ("How can I rest? What if I can't?", None),
    ],
)
def test_indirect_word_order(question, expected):
    assert indirect(question) == expected


def test_contractions_go_both_ways_and_respect_the_apostrophe_style():
    assert toggle_contractions("What is burnout?") == "What's burnout?"
    assert toggle_contractions("I am tired and I do not sleep.") == "I'm tired and I don't sleep."
    assert toggle_contractions("What\u2019s burnout?") == "What is burnout?"
    assert toggle_contractions("I can\u2019t sleep") == "I cannot sleep"
    assert toggle_contractions("I do not sleep, what\u2019s wrong?") == "I don\u2019t sleep, what\u2019s wrong?"
    assert toggle_contractions("Why can't I sleep?") == "Why can't I sleep?"  # inverted: left alone


def test_synonyms_informal_and_wrappers():
    assert synonym_variants("Medication or therapy?") == ["Medicine or therapy?"]
    assert synonym_variants("Can people with mental illness get better at work?") == []
    assert informal("What is PTSD? Can I get help?") == "what is PTSD? can I get help"
    assert lower_first("Where can I go?") == "where can I go?" and lower_first("I'm lost") == "I'm lost"
    assert all(w.endswith("?") for w in wrap("Where can I go"))
    statement = wrap("My friend is struggling. How can I help?")
    assert "I was wondering, my friend is struggling. How can I help?" not in statement
    assert "Hi, my friend is struggling. How can I help?" in statement
