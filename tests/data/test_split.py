"""mhqa.data.split: question groups and seeded, group-aware train/val/test assignment."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from mhqa.config import DataConfig
from mhqa.data import load_pairs
from mhqa.data.load import QAPair
from mhqa.data.split import group_pairs, split_groups, split_sizes
from mhqa.errors import DataError

KAGGLE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "Mental_Health_FAQ.csv"
needs_kaggle = pytest.mark.skipif(not KAGGLE.is_file(), reason=f"Kaggle FAQ copy not present at {KAGGLE}")


def test_groups_join_near_duplicate_questions_shared_answers_and_paraphrases():
    pairs = [
        QAPair("a", "If I start treatment, what should I know?", "Answer A."),
        QAPair("b", "if I start treatment what should I know", "Answer B."),   # comma only
        QAPair("c", "Where can I find help?", "Answer C."),
        QAPair("d", "Who can help me?", "answer c."),                         # same answer as c
        QAPair("e", "How do I sleep?", "Answer E.", paraphrases=("How can I rest?",)),
        QAPair("f", "How can I rest?", "Answer F."),                          # e's paraphrase
        QAPair("g", "What is grief?", "Answer G."),
    ]
    assert group_pairs(pairs) == ["a", "a", "c", "c", "e", "e", "g"]


def test_groups_are_transitive():
    pairs = [QAPair("1", "Q one?", "A."), QAPair("2", "Q two?", "B."), QAPair("3", "q one", "B.")]
    assert group_pairs(pairs) == ["1", "1", "1"]


@pytest.mark.parametrize(("n", "val", "test", "expected"), [
    (100, 0.15, 0.15, (70, 15, 15)),
    (97, 0.15, 0.15, (67, 15, 15)),
    (10, 0.0, 0.2, (8, 0, 2)),
    (4, 0.01, 0.01, (2, 1, 1)),
])
def test_split_sizes(n, val, test, expected):
    assert split_sizes(n, val, test) == expected


def test_too_few_groups_is_a_clear_error():
    with pytest.raises(DataError, match="only 2 question group"):
        split_sizes(2, 0.15, 0.15)


def test_split_is_seeded_and_covers_every_group_once():
    groups = [f"g{i}" for i in range(50)] + ["g0", "g1"]
    first = split_groups(groups, 0.2, 0.2, seed=1)
    assert first == split_groups(groups, 0.2, 0.2, seed=1)
    assert first != split_groups(groups, 0.2, 0.2, seed=2)
    assert set(first) == set(groups)
    assert Counter(first.values()) == {"train": 30, "val": 10, "test": 10}


@needs_kaggle
def test_kaggle_near_duplicates_share_a_group_and_a_split():
    pairs, _ = load_pairs(KAGGLE, DataConfig())
    groups = dict(zip((p.id for p in pairs), group_pairs(pairs), strict=True))
    assert groups["1155199"] == groups["1259439"]
    for seed in range(5):
        split = split_groups(list(groups.values()), 0.15, 0.15, seed)
        assert split[groups["1155199"]] == split[groups["1259439"]]
