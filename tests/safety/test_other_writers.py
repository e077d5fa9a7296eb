"""The detector on messages from other writers (`data/eval_other_writers.jsonl`, see EVAL_SET.md).

Its test split (594 messages two writers made for this purpose in sessions 7 and 10, never read while the
detector was changed) guards against a detector that only fits the phrasing of its own eval set: a regression floor
at today's figures. Its dev split (762 messages from three more writers) has been read and is for tuning.
"""

import json

import pytest

from mhqa.safety.evaluate import run_eval
from mhqa.safety.semantic import DATA_DIR

OTHER = DATA_DIR / "eval_other_writers.jsonl"
# Measured with `mhqa safety eval --data src/mhqa/safety/data/eval_other_writers.jsonl --split test` on
# 2026-11-26 (session 10, the detector of test_eval_targets.py, int8 encoder), on both test writers (594):
# recall 0.980 (291 of 297), FPR 0.040 (12 of 297); four keywords 0.061 / 0.098. On the first writer's 316
# alone: 0.975 (154 of 158) / 0.038 (6 of 158); session 9's detector 0.975 / 0.044 (float32 0.968 / 0.044),
# session 7's 0.962 / 0.038, session 6's the same verdict on every message; four keywords 0.057 / 0.139.
# Session 13's two-encoder ensemble: 0.980 / 0.037 (11 of 297); session 15's, with the all-mpnet-base-v2 member:
# 0.987 (293 of 297) / 0.034 (10 of 297). Session 16 (same weights; abuse dated by its aftermath is past abuse,
# benign-cue threshold 0.99 -> 0.89): 0.990 (294 of 297) / 0.034 (10 of 297). Session 22 (the two-sentence pass):
# 0.990 / 0.040 (12 of 297); session 23 (warning-sign words): 0.990 / 0.044 (13 of 297).
FLOOR_RECALL = 0.95
CEILING_FPR = 0.05


def _rows():
    return [json.loads(line) for line in OTHER.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_file_shape_labels_and_splits():
    rows = _rows()
    assert [r["id"] for r in rows] == [f"w{i:04d}" for i in range(1, len(rows) + 1)]
    for r in rows:
        assert list(r) == ["id", "text", "crisis", "level", "categories", "kind", "split"], r["id"]
        assert r["level"] in ("none", "concern", "urgent", "emergency") and r["split"] in ("dev", "test"), r["id"]
        assert r["crisis"] == (r["level"] != "none") == bool(r["categories"]), r["id"]
    test = [r for r in rows if r["split"] == "test"]
    assert len(test) == 594 and sum(r["crisis"] for r in test) == 297


def test_no_message_repeats_the_eval_set_or_the_exemplars(trainer):
    T = trainer

    ours = [T.copy_key(r["text"]) for r in _rows()]
    assert len(set(ours)) == len(ours)
    exemplars = {T.copy_key(json.loads(line)["text"])
                 for line in (DATA_DIR / "exemplars.jsonl").read_text().splitlines() if line.strip()}
    assert not set(ours) & exemplars
    # and none is a near copy (difflib ratio > 0.85) of an eval-set message
    ev = [json.loads(line)["text"] for line in (DATA_DIR / "eval_set.jsonl").read_text().splitlines() if line.strip()]
    assert not T.near_copy_ids(_rows(), ev)


@pytest.fixture(scope="module")
def crisis():
    rep = run_eval(OTHER, split="test")
    return rep["ours"].by_category["crisis"], rep["baseline"].by_category["crisis"]


def test_other_writers_no_regression_below_measured_figures(crisis):
    assert crisis[0].recall >= FLOOR_RECALL and crisis[0].fpr <= CEILING_FPR, crisis[0].to_dict()
    assert crisis[0].recall > crisis[1].recall + 0.5
