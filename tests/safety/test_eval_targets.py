"""The detector on the eval set's test split: the issue's targets, and a regression floor.

Targets (issue #4): crisis recall >= 0.97 with a false-positive rate <= 3%. Nothing is tuned on
the test split; it is only read here and by `mhqa safety eval`. The FPR target is met; the recall target is not yet (see the xfail reason), so it is an expected failure that
turns into a pass (XPASS) when the detector improves; the floor test fails on any regression below today's figures.
"""

import pytest

from mhqa.safety.evaluate import run_eval

# Measured with `mhqa safety eval --split test` on 2026-11-25 (session 5) with the encoder fine-tuned on
# 4,008 exemplars + dev + CounselChat's dev half, the stacked combination, thresholds from
# 3-fold CV under a 3% mean held-out FPR bound (0.88 / 0.99), and the idiom / emotional-abuse /
# past-abuse / bereavement / someone-else's-past pattern changes: recall 0.854 (187 of 219), FPR 0.028
# (7 of 252). Session 4's patterns and thresholds (0.93 / 0.93): 0.831 / 0.028. The same
# detector on real CounselChat questions: see tests/safety/test_counsel_chat.py.
# Earlier: 0.767 / 0.028 (first round), 0.822 / 0.032 (second), 0.808 / 0.028 (third round, frozen
# embeddings), 0.840 / 0.032 (fourth), 0.845 / 0.032 (fifth: thresholds 0.82, but 27% FPR on real questions).
FLOOR_RECALL = 0.83  # measured 0.854
CEILING_FPR = 0.035  # measured 0.028


@pytest.fixture(scope="module")
def crisis():
    rep = run_eval(split="test")
    return rep["ours"].by_category["crisis"], rep["baseline"].by_category["crisis"]


@pytest.mark.xfail(reason="test-split crisis recall is below the 0.97 target (measured 0.854)", strict=False)
def test_recall_target(crisis):
    assert crisis[0].recall >= 0.97


def test_false_positive_rate_target(crisis):
    assert crisis[0].fpr <= 0.03


def test_no_regression_below_measured_figures(crisis):
    assert crisis[0].recall >= FLOOR_RECALL
    assert crisis[0].fpr <= CEILING_FPR


def test_beats_keyword_baseline(crisis):
    assert crisis[0].recall > crisis[1].recall + 0.4
