"""The detector on the eval set's test split: the issue's targets, and a regression floor.

Targets (issue #4): crisis recall >= 0.97 with a false-positive rate <= 3%. Nothing is tuned on
the test split; it is only read here and by `mhqa safety eval`. Neither target is met yet (see the xfail reasons), so each is an expected failure that
turns into a pass (XPASS) when the detector improves; the floor test fails on any regression below today's figures.
"""

import pytest

from mhqa.safety.evaluate import run_eval

# Measured with `mhqa safety eval --split test` on 2026-11-26 (session 9) with the encoder fine-tuned for
# 5 epochs on 3,994 exemplars (the 14 that near-copy eval messages left out, EXEMPLARS.md) + dev +
# CounselChat's dev half and run as int8 (held-out scores computed the same way), the stacker over its head,
# word and character n-grams and the memory margin (nearest crisis vs nearest safe training chunk),
# thresholds from 3-fold CV under a 3% mean held-out FPR bound (0.81 / 0.97), and session 7's pattern
# shapes: recall 0.927 (203 of 219), FPR 0.032 (8 of 252), level accuracy 0.864. The same weights with the
# encoder in float32 (thresholds 0.79 / 0.98): 0.932 / 0.032. On real CounselChat questions: see
# test_counsel_chat.py.
# Earlier: 0.767 / 0.028 (first round), 0.822 / 0.032 (second), 0.808 / 0.028 (third round, frozen
# embeddings), 0.840 / 0.032 (fourth), 0.845 / 0.032 (fifth: thresholds 0.82, but 27% FPR on real
# questions), 0.831 / 0.028 (session 4), 0.854 / 0.028 (session 5 patterns, 3-epoch encoder), 0.877 /
# 0.032 (session 5, 5-epoch encoder), 0.900 / 0.032 (sessions 6 and 7: trained with the 14 near copies,
# thresholds 0.84 / 0.98; session 7 added ~50 pattern families and left every verdict here as it was).
FLOOR_RECALL = 0.91  # measured 0.927
CEILING_FPR = 0.04  # measured 0.032


@pytest.fixture(scope="module")
def crisis():
    rep = run_eval(split="test")
    return rep["ours"].by_category["crisis"], rep["baseline"].by_category["crisis"]


@pytest.mark.xfail(reason="test-split crisis recall is below the 0.97 target (measured 0.927)", strict=False)
def test_recall_target(crisis):
    assert crisis[0].recall >= 0.97


@pytest.mark.xfail(reason="test-split FPR is one message above the 3% target (measured 0.032, 8 of 252; "
                          "the held-out FPR the thresholds were picked under is 0.0294)", strict=False)
def test_false_positive_rate_target(crisis):
    assert crisis[0].fpr <= 0.03


def test_no_regression_below_measured_figures(crisis):
    assert crisis[0].recall >= FLOOR_RECALL
    assert crisis[0].fpr <= CEILING_FPR


def test_beats_keyword_baseline(crisis):
    assert crisis[0].recall > crisis[1].recall + 0.4
