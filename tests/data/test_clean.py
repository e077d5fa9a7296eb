"""mhqa.data.clean: ftfy repair, whitespace rules, comparison keys, de-duplication; plus the
doctests of every mhqa.data module (run here so only src/mhqa/data gets doctest collection)."""

from __future__ import annotations

import doctest
import importlib

import pytest

from mhqa.data.clean import (
    answer_key,
    change_snippet,
    drop_duplicates,
    normalize_whitespace,
    question_key,
    repair_text,
)
from mhqa.data.load import QAPair

DATA_MODULES = ["mhqa.data.clean", "mhqa.data.jsonl", "mhqa.data.load", "mhqa.data.split",
                "mhqa.data.augment", "mhqa.data.prepare"]


@pytest.mark.parametrize("name", DATA_MODULES)
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no >>> examples"
    assert result.failed == 0


def test_repair_fixes_kaggle_mojibake_and_keeps_real_typography():
    assert repair_text("a personâ€™s thoughts") == "a person\u2019s thoughts"
    kept = "It\u2019s \u201cfine\u201d \u2014 really"
    assert repair_text(kept) == kept


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("What\u00a0is  stress?", "What is stress?"),
        ("  tabs\tand\nnew lines  ", "tabs and new lines"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("", ""),
    ],
)
def test_questions_become_one_line(raw, expected):
    assert normalize_whitespace(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("One.\r\nTwo.", "One.\nTwo."),
        ("One.\n\n\n\nTwo.", "One.\n\nTwo."),
        ("One.\n   \n\t\nTwo.", "One.\n\nTwo."),
        ("  One   two.  \n  Three\u00a0 four.  ", "One two.\nThree four."),
        ("\n\nOne.\n\n", "One."),
    ],
)
def test_answers_keep_paragraph_breaks(raw, expected):
    assert normalize_whitespace(raw, keep_paragraphs=True) == expected


def test_question_key_ignores_punctuation_case_and_contractions():
    a = "Once I start therapy, what should I expect?"
    b = "Once I start therapy what should I expect?"
    assert question_key(a) == question_key(b)
    assert question_key("What\u2019s the difference?") == question_key("what is the difference")
    assert question_key("What is stress?") != question_key("What is sleep?")


def test_answer_key_ignores_case_space_and_quote_style_only():
    assert answer_key("It\u2019s  fine.\n") == answer_key("it's fine.")
    assert answer_key("It is fine.") != answer_key("It is fine!")


def test_drop_duplicates_keeps_first_and_merges_paraphrases():
    pairs = [
        QAPair("1", "What is stress?", "A reaction.", paraphrases=("whats stress",), row=1),
        QAPair("2", "What is sleep?", "Rest.", row=2),
        QAPair("3", "what is stress", "a reaction.", paraphrases=("define stress",), row=3),
        QAPair("4", "What is stress?", "Something else.", row=4),  # same question, other answer: kept
    ]
    result = drop_duplicates(pairs)
    assert [p.id for p in result.kept] == ["1", "2", "4"]
    assert result.kept[0].paraphrases == ("whats stress", "define stress")
    assert result.removed == [{"id": "3", "duplicate_of": "1", "row": 3}]


def test_change_snippet_shows_the_first_difference_with_context():
    before = "x" * 100 + "personâ€™s" + "y" * 100
    after = "x" * 100 + "person\u2019s" + "y" * 100
    snip = change_snippet(before, after, width=10)
    assert snip["before"].startswith("x") and "â€™" in snip["before"] and len(snip["before"]) == 20
    assert "\u2019" in snip["after"]
