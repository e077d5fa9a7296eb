"""Real user questions: CounselChat (shared/data) with the labels mhqa ships for it.

The labels file holds no text, only each question's key (a hash of its title and text), a level,
categories and a split; the text is read from the public CSV at run time.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mhqa.errors import DataError
from mhqa.safety.evaluate import COUNSEL_CHAT_LABELS, counsel_chat_key, load_counsel_chat, run_eval

CSV = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "20200325_counsel_chat.csv"
MHQA = Path(sys.executable).with_name("mhqa")
needs_csv = pytest.mark.skipif(not CSV.is_file(), reason=f"{CSV} not present (shared/data sits beside the project root)")
CATEGORIES = {"suicidal_ideation", "self_harm", "lethal_means", "overdose", "harm_to_others", "abuse", "third_party"}


def labels() -> list[dict]:
    return [json.loads(line) for line in COUNSEL_CHAT_LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_labels_file_shape_and_no_text():
    rows = labels()
    assert len(rows) == 824 and len({r["key"] for r in rows}) == 824
    for r in rows:
        assert set(r) == {"key", "questionID", "level", "categories", "split"}  # no text is shipped
        assert len(r["key"]) == 16 and int(r["key"], 16) >= 0
        assert r["level"] in ("none", "concern", "urgent", "emergency")
        assert set(r["categories"]) <= CATEGORIES and bool(r["categories"]) == (r["level"] != "none")
        # the split follows from the key, so relabelling a question never moves it between dev and test
        assert r["split"] == ("dev" if int(r["key"], 16) % 2 == 0 else "test")
    crisis = sum(r["level"] != "none" for r in rows)
    assert 60 <= crisis <= 100  # real questions: most are ordinary distress


@needs_csv
def test_every_distinct_question_is_labelled_once():
    rows = load_counsel_chat(CSV, split=None)
    assert len(rows) == 824 and len({r["text"] for r in rows}) == 824
    assert {r["split"] for r in rows} == {"dev", "test"}
    test = load_counsel_chat(CSV)  # test by default
    assert 0 < len(test) < 824 and all(r["split"] == "test" for r in test)
    assert all(r["crisis"] == (r["level"] != "none") for r in test)
    # ids that carry two different questions in the CSV are told apart by the key
    ids = [r["id"].split("-")[0] for r in rows]
    assert len(set(ids)) == 815


def test_key_is_the_hash_of_title_and_text():
    assert counsel_chat_key("a title\nthe question") == counsel_chat_key("a title\nthe question")
    assert counsel_chat_key("a title\nthe question") != counsel_chat_key("a title\nthe question.")
    assert len(counsel_chat_key("")) == 16


def _csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["", "questionID", "questionTitle", "questionText", "answerText"])
        for i, (qid, title, text) in enumerate(rows):
            w.writerow([i, qid, title, text, "an answer"])
    return path


def test_bad_inputs_give_one_line_errors(tmp_path):
    title, text = "Feeling low", "I have felt low for weeks and want advice."
    key = counsel_chat_key(f"{title}\n{text}")
    lab = tmp_path / "labels.jsonl"
    lab.write_text(json.dumps({"key": key, "questionID": "7", "level": "none", "categories": [], "split": "test"}) + "\n")
    good = _csv(tmp_path / "cc.csv", [("7", title, text), ("7", title, text)])
    rows = load_counsel_chat(good, lab)
    assert [(r["text"], r["crisis"]) for r in rows] == [(f"{title}\n{text}", False)]

    with pytest.raises(DataError, match="no column 'questionID'"):
        bad = tmp_path / "faq.csv"
        bad.write_text("Question_ID,Questions,Answers\n1,q,a\n")
        load_counsel_chat(bad, lab)
    with pytest.raises(DataError, match="question 8 .* not found"):
        other = tmp_path / "other.jsonl"
        other.write_text(json.dumps({"key": "0" * 16, "questionID": "8", "level": "none", "categories": [],
                                     "split": "test"}) + "\n")
        load_counsel_chat(good, other)
    with pytest.raises(DataError, match=r"labels.jsonl:1: bad level or categories"):
        lab.write_text(json.dumps({"key": key, "questionID": "7", "level": "urgent", "categories": [], "split": "test"}))
        load_counsel_chat(good, lab)
    lab.write_text(json.dumps({"key": key, "questionID": "7", "level": "none", "categories": [], "split": "test"}) + "\n")
    with pytest.raises(DataError, match="1 questions have no label .* question 9"):
        load_counsel_chat(_csv(tmp_path / "more.csv", [("7", title, text), ("9", "Other", "Another question.")]), lab)
    with pytest.raises(DataError, match="no questions in split 'dev'"):
        load_counsel_chat(good, lab, split="dev")


@needs_csv
@pytest.mark.skipif(not MHQA.is_file(), reason=f"console script not installed at {MHQA}")
def test_cli_scores_real_questions_and_fails_cleanly():
    ok = subprocess.run([str(MHQA), "safety", "eval", "--counsel-chat", str(CSV), "--split", "dev", "--json"],
                        capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    rep = json.loads(ok.stdout)
    assert rep["split"] == "counsel_chat:dev" and rep["n"] == sum(r["split"] == "dev" for r in labels())
    assert rep["ours"]["metrics"]["crisis"]["support"] == sum(r["split"] == "dev" and r["level"] != "none" for r in labels())
    bad = subprocess.run([str(MHQA), "safety", "eval", "--counsel-chat", str(CSV.with_name("missing.csv"))],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().splitlines() == [f"error: {CSV.with_name('missing.csv')}: cannot read "
                                               f"([Errno 2] No such file or directory: '{CSV.with_name('missing.csv')}')"]


# Measured with `mhqa safety eval --counsel-chat CSV --split test` (session 13, the shipped detector: two encoders
# (seeds 0 and 1) averaged, trained as session 10's, run as int8, and session 13's patterns): recall 0.436 (17 of 39),
# FPR 0.050 (17 of 342), precision 0.500. Session 15 (the all-mpnet-base-v2 member added): 0.436 (17 of 39) / 0.044
# (15 of 342), precision 0.531. Session 10's single encoder: 0.410 / 0.053 (18 of 342). Earlier detectors: session 9 0.410 / 0.047
# (16 of 342; float32 0.410 / 0.053); session 7 0.410 / 0.044 (15 of 342); session 6 0.385 / 0.041; session 5
# 0.410 / 0.044; session 4 0.410 / 0.035.
# Before the detector was trained on real questions (fine-tuned on our own messages only, thresholds 0.82):
# recall 0.590 at FPR 0.266, precision 0.202 -- the failure this guards against.
# The ceiling allows retrain noise: until session 8 it sat at 0.045, just above one training's 0.044 (it held
# back session 7's re-picked thresholds, 0.436 at FPR 0.050), and three trainings on nearly the same data then
# gave 15, 18 and 20 false alarms of these 342 (the binomial standard error at 0.05 is 0.012). It now sits at
# the top of that spread (20 of 342): a detector with more false alarms on real questions than any retrain of
# the same recipe fails here.
CC_FLOOR_RECALL = 0.38
CC_CEILING_FPR = 0.06


@needs_csv
def test_real_questions_no_regression_and_few_false_alarms():
    rep = run_eval(rows=load_counsel_chat(CSV, split="test"))
    ours, base = rep["ours"].by_category["crisis"], rep["baseline"].by_category["crisis"]
    assert ours.recall >= CC_FLOOR_RECALL and ours.fpr <= CC_CEILING_FPR, ours.to_dict()
    assert ours.recall > 3 * base.recall  # the four keywords find 3 of 39
