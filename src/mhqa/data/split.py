"""Leak-free splitting: pairs are grouped first, and whole groups go to train, val or test.

Two pairs share a group when their questions match after :func:`~mhqa.data.clean.question_key`
(case, punctuation and contractions ignored, so the Kaggle pair that differs only by a comma
is one group), when their answers are the same text, or when a paraphrase of one is the
question of the other. Augmented variants inherit their original's group, so no answer seen in
training is ever scored in val or test.
"""

from __future__ import annotations

import random

from mhqa.data.clean import answer_key, question_key
from mhqa.data.load import QAPair
from mhqa.errors import DataError

SPLITS = ("train", "val", "test")


def group_pairs(pairs: list[QAPair]) -> list[str]:
    """Name the group of each pair (the id of its first member), in input order.

    >>> pairs = [QAPair("a", "What is stress?", "One."), QAPair("b", "what is stress", "Two."),
    ...          QAPair("c", "Why sleep?", "One."), QAPair("d", "Who can help?", "Three.")]
    >>> group_pairs(pairs)
    ['a', 'a', 'a', 'd']
    """
    parent = list(range(len(pairs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[str, str], int] = {}
    for i, pair in enumerate(pairs):
        keys = [("q", question_key(pair.question)), ("a", answer_key(pair.answer))]
        keys += [("q", question_key(p)) for p in pair.paraphrases]
        for key in keys:
            if key in owner:
                a, b = find(owner[key]), find(i)
                parent[max(a, b)] = min(a, b)  # the earliest pair stays the root
            else:
                owner[key] = i
    return [pairs[find(i)].id for i in range(len(pairs))]


def split_sizes(n_groups: int, val_fraction: float, test_fraction: float) -> tuple[int, int, int]:
    """Groups per split (train, val, test); a non-zero fraction gets at least one group.

    >>> split_sizes(97, 0.15, 0.15)
    (67, 15, 15)
    >>> split_sizes(3, 0.15, 0.15)
    (1, 1, 1)
    """
    n_test = max(round(n_groups * test_fraction), 1 if test_fraction > 0 else 0)
    n_val = max(round(n_groups * val_fraction), 1 if val_fraction > 0 else 0)
    n_train = n_groups - n_val - n_test
    if n_train < 1:
        raise DataError(f"only {n_groups} question group(s): too few for train/val/test splits "
                        f"(lower --val-fraction/--test-fraction, or add data)")
    return n_train, n_val, n_test


def split_groups(groups: list[str], val_fraction: float, test_fraction: float, seed: int) -> dict[str, str]:
    """Assign each distinct group to "train", "val" or "test" (seeded shuffle of the groups).

    >>> assignment = split_groups(["a", "b", "c", "a"], 0.3, 0.3, seed=0)
    >>> sorted(assignment.values())
    ['test', 'train', 'val']
    """
    order = list(dict.fromkeys(groups))
    random.Random(seed).shuffle(order)
    n_train, n_val, n_test = split_sizes(len(order), val_fraction, test_fraction)
    names = ["test"] * n_test + ["val"] * n_val + ["train"] * n_train
    return dict(zip(order, names, strict=True))
