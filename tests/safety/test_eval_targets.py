"""The detector on the eval set's test split: the issue's targets, and a regression floor.

Targets (issue #4): crisis recall >= 0.97 with a false-positive rate <= 3%. Nothing is tuned on
the test split; it is only read here and by `mhqa safety eval`. The targets are not met yet (see the xfail reasons), so they are expected failures that turn into passes (XPASS)
when the detector improves; the floor test fails on any regression below today's figures.
"""

import pytest

from mhqa.safety.evaluate import run_eval

# Measured with `mhqa safety eval --split test` on 2026-11-25 with the fine-tuned encoder (LoRA on
# all-MiniLM-L6-v2, 2,789 exemplars + dev, CV thresholds 0.82 / 0.97), the recovery/relapse rules and the
# quoted-slang / rope / strangulation fixes: recall 0.845 (185 of 219), FPR 0.032 (8 of 252).
# Earlier: 0.767 / 0.028 (first round), 0.822 / 0.032 (second), 0.808 / 0.028 (third round, frozen
# embeddings), 0.840 / 0.032 (fourth).
FLOOR_RECALL = 0.83  # measured 0.845
CEILING_FPR = 0.04  # measured 0.032


@pytest.fixture(scope="module")
def crisis():
    rep = run_eval(split="test")
    return rep["ours"].by_category["crisis"], rep["baseline"].by_category["crisis"]


@pytest.mark.xfail(reason="test-split crisis recall is below the 0.97 target (measured 0.845)", strict=False)
def test_recall_target(crisis):
    assert crisis[0].recall >= 0.97


@pytest.mark.xfail(reason="test-split FPR is 0.032 (8 of 252), one message above the 0.03 target", strict=False)
def test_false_positive_rate_target(crisis):
    assert crisis[0].fpr <= 0.03


def test_no_regression_below_measured_figures(crisis):
    assert crisis[0].recall >= FLOOR_RECALL
    assert crisis[0].fpr <= CEILING_FPR


def test_beats_keyword_baseline(crisis):
    assert crisis[0].recall > crisis[1].recall + 0.4
