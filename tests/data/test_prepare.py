"""mhqa.data.prepare end to end on real files: leak-free splits, train-only variants, report,
determinism and atomic writes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from mhqa.config import DataConfig
from mhqa.data import prepare, read_jsonl
from mhqa.errors import DataError

KAGGLE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "Mental_Health_FAQ.csv"
needs_kaggle = pytest.mark.skipif(not KAGGLE.is_file(), reason=f"Kaggle FAQ copy not present at {KAGGLE}")
SPLITS = ("train", "val", "test")
ROW_FIELDS = {"id", "group", "question", "answer", "variant", "source_id"}


def read_splits(out: Path) -> dict[str, list[dict]]:
    return {s: read_jsonl(out / f"{s}.jsonl") for s in SPLITS}


def faq_jsonl(path: Path, n: int = 12) -> Path:
    """A small built-in-style FAQ: id, topic, question, paraphrases, answer, source."""
    rows = [{"id": f"topic{i % 3}-q{i}", "topic": f"topic{i % 3}", "question": f"How do I handle worry number {i}?",
             "paraphrases": [f"worry {i} help", f"what can I do about worry {i}"],
             "answer": f"Answer {i}: breathe slowly.\n\nThen talk to someone.", "source": "us"} for i in range(n)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def kaggle_out(tmp_path_factory):
    if not KAGGLE.is_file():
        pytest.skip(f"Kaggle FAQ copy not present at {KAGGLE}")
    out = tmp_path_factory.mktemp("kaggle") / "prepared"
    report = prepare(KAGGLE, out, DataConfig())
    return out, report


def test_kaggle_outputs_have_no_mojibake(kaggle_out):
    out, _ = kaggle_out
    assert sorted(p.name for p in out.iterdir()) == ["prepare_report.json", "test.jsonl", "train.jsonl", "val.jsonl"]
    for path in out.iterdir():
        assert "â€" not in path.read_text(encoding="utf-8"), path.name


def test_kaggle_splits_never_share_a_group_or_an_answer(kaggle_out):
    out, _ = kaggle_out
    rows = read_splits(out)
    for a in SPLITS:
        for b in SPLITS:
            if a < b:
                assert not {r["group"] for r in rows[a]} & {r["group"] for r in rows[b]}, (a, b)
                assert not {r["answer"] for r in rows[a]} & {r["answer"] for r in rows[b]}, (a, b)


def test_kaggle_variants_only_in_train(kaggle_out):
    out, _ = kaggle_out
    rows = read_splits(out)
    for split in ("val", "test"):
        assert {r["variant"] for r in rows[split]} == {"original"}
    train = rows["train"]
    originals = [r for r in train if r["variant"] == "original"]
    for original in originals:
        variants = [r for r in train if r["source_id"] == original["source_id"] and r["variant"] == "augmented"]
        assert len(variants) == 2 and all(v["group"] == original["group"] for v in variants)
        assert all(v["answer"] == original["answer"] and v["question"] != original["question"] for v in variants)
    assert all(set(r) == ROW_FIELDS for split in rows.values() for r in split)
    ids = [r["id"] for split in rows.values() for r in split]
    assert len(ids) == len(set(ids))


def test_kaggle_near_duplicate_pair_lands_in_one_split(kaggle_out):
    out, _ = kaggle_out
    where = {r["source_id"]: split for split, rows in read_splits(out).items() for r in rows}
    assert where["1155199"] == where["1259439"]


def test_report_fields_are_present_and_add_up(kaggle_out):
    out, report = kaggle_out
    saved = json.loads((out / "prepare_report.json").read_text(encoding="utf-8"))
    assert saved == json.loads(json.dumps(report.to_dict()))
    for key in ("rows_in", "rows_out", "repaired", "duplicates_removed", "skipped", "splits", "source",
                "token_counter", "token_lengths"):
        assert key in saved
    assert saved["source"]["sha256"] == "2f5a29c5a4641fc29b6045f9d7a0457c7f6a354af75210babcd32320b28b810b"
    assert saved["source"]["schema"]["name"] == "kaggle-mental-health-faq"
    assert saved["rows_in"] == 98 == saved["pairs"] + saved["duplicates_removed"] + len(saved["skipped"])
    assert saved["repaired"]["count"] == 4 and saved["repaired"]["examples"]
    rows = read_splits(out)
    assert saved["rows_out"] == sum(len(r) for r in rows.values()) == sum(s["rows"] for s in saved["splits"].values())
    for split in SPLITS:
        counts = saved["splits"][split]
        assert counts["rows"] == len(rows[split]) == counts["original"] + counts["paraphrase"] + counts["augmented"]
        assert counts["groups"] == len({r["group"] for r in rows[split]})
    assert sum(s["original"] for s in saved["splits"].values()) == saved["pairs"]
    assert saved["groups"] == 96  # 98 pairs: one near-duplicate question pair, one shared answer
    assert saved["splits"]["test"]["groups"] == saved["splits"]["val"]["groups"] == 14
    assert saved["token_counter"] == "approx-words*1.3"
    q, a = saved["token_lengths"]["question"], saved["token_lengths"]["answer"]
    assert 0 < q["min"] <= q["median"] <= q["p95"] <= q["max"] < a["max"]
    assert a["min"] <= a["mean"] <= a["max"]


@needs_kaggle
def test_same_seed_same_files_other_seed_other_split(tmp_path):
    first = prepare(KAGGLE, tmp_path / "a", DataConfig(seed=3))
    prepare(KAGGLE, tmp_path / "b", DataConfig(seed=3))
    prepare(KAGGLE, tmp_path / "c", DataConfig(seed=4))
    for name in ("train.jsonl", "val.jsonl", "test.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    test_a = {r["source_id"] for r in read_jsonl(tmp_path / "a" / "test.jsonl")}
    test_c = {r["source_id"] for r in read_jsonl(tmp_path / "c" / "test.jsonl")}
    assert test_a != test_c
    assert first.settings["seed"] == 3


@needs_kaggle
def test_custom_token_counter_is_used_and_named(tmp_path):
    def count_chars(text: str) -> int:
        return len(text)

    report = prepare(KAGGLE, tmp_path / "out", DataConfig(), count_tokens=count_chars)
    assert report.token_counter == "test_custom_token_counter_is_used_and_named.<locals>.count_chars"
    # longest raw answer is 8,492 characters (SOURCES.md); cleaning only trims whitespace from it
    assert 8_300 < report.token_lengths["answer"]["max"] <= 8_492


def test_paraphrases_feed_train_and_val_test_keep_one_row_per_group(tmp_path):
    report = prepare(faq_jsonl(tmp_path / "faq.jsonl", n=20), tmp_path / "out", DataConfig(seed=0))
    rows = read_splits(tmp_path / "out")
    assert all(set(r) == ROW_FIELDS | {"topic"} and r["topic"].startswith("topic") for s in rows.values() for r in s)
    for split in ("val", "test"):
        assert rows[split] and len(rows[split]) == len({r["group"] for r in rows[split]})
        assert {r["variant"] for r in rows[split]} == {"original"}
    train = rows["train"]
    n_train = report.splits["train"]["original"]
    # default: 2 variants per question, taken from the shipped paraphrases first
    assert report.splits["train"]["paraphrase"] == 2 * n_train
    assert report.splits["train"]["augmented"] == 0
    assert [r["variant"] for r in train[:4]] == ["original", "paraphrase", "paraphrase", "original"]
    assert train[1]["id"] == f"{train[0]['id']}#p1"


def test_rule_based_variants_fill_up_after_shipped_paraphrases(tmp_path):
    report = prepare(faq_jsonl(tmp_path / "faq.jsonl", n=20), tmp_path / "out", DataConfig(seed=0, augment_variants=4))
    train = read_splits(tmp_path / "out")["train"]
    n_train = report.splits["train"]["original"]
    assert report.splits["train"]["paraphrase"] == 2 * n_train  # the fixture ships two paraphrases each
    assert report.splits["train"]["augmented"] == 2 * n_train
    assert [r["variant"] for r in train[:5]] == ["original", "paraphrase", "paraphrase", "augmented", "augmented"]
    assert train[3]["id"] == f"{train[0]['id']}#a1"


def test_paraphrases_and_augmentation_can_be_turned_off(tmp_path):
    cfg = DataConfig(use_paraphrases=False, augment_variants=0)
    report = prepare(faq_jsonl(tmp_path / "faq.jsonl"), tmp_path / "out", cfg)
    assert report.rows_out == report.pairs == 12
    assert {r["variant"] for r in read_jsonl(tmp_path / "out" / "train.jsonl")} == {"original"}


def test_duplicates_and_skips_are_reported(tmp_path):
    path = tmp_path / "faq.csv"
    path.write_text("question,answer\n" + "".join(f"Question {i}?,Answer {i}.\n" for i in range(6))
                    + "question 1,answer 1.\nEmpty one?,\n", encoding="utf-8")
    report = prepare(path, tmp_path / "out", DataConfig())
    assert (report.rows_in, report.pairs, report.duplicates_removed) == (8, 6, 1)
    assert report.duplicates == [{"id": "row-7", "duplicate_of": "row-2", "row": 7}]
    assert [(s["row"], s["reason"]) for s in report.skipped] == [(8, "empty answer")]


def test_failed_prepare_leaves_nothing_behind(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"question,answer\nWhy?,caf\xe9\n")
    with pytest.raises(DataError):
        prepare(bad, tmp_path / "out", DataConfig())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


def test_write_failure_keeps_the_previous_output(tmp_path, monkeypatch):
    source = faq_jsonl(tmp_path / "faq.jsonl")
    out = tmp_path / "out"
    prepare(source, out, DataConfig(seed=1))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    prepare_module = sys.modules["mhqa.data.prepare"]
    real_write = prepare_module.write_jsonl

    def disk_full_on_val(path, rows):  # the disk fills up half way through the second file
        if Path(path).name == "val.jsonl":
            Path(path).write_text("partial", encoding="utf-8")
            raise OSError(28, "No space left on device")
        return real_write(path, rows)

    monkeypatch.setattr(prepare_module, "write_jsonl", disk_full_on_val)
    with pytest.raises(DataError, match=r"out: cannot write prepared data \(No space left on device\)"):
        prepare(source, out, DataConfig(seed=2))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["faq.jsonl", "out"]


def test_rerun_replaces_the_whole_folder(tmp_path):
    source = faq_jsonl(tmp_path / "faq.jsonl")
    prepare(source, tmp_path / "out", DataConfig(seed=1))
    first = (tmp_path / "out" / "test.jsonl").read_text(encoding="utf-8")
    prepare(source, tmp_path / "out", DataConfig(seed=5))
    assert (tmp_path / "out" / "test.jsonl").read_text(encoding="utf-8") != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["faq.jsonl", "out"]


def test_out_folder_with_other_files_is_refused_and_untouched(tmp_path):
    out = tmp_path / "run"
    (out / "adapter").mkdir(parents=True)
    (out / "config.yaml").write_text("keep me", encoding="utf-8")
    with pytest.raises(DataError, match=r"run: folder already holds other files \(adapter, config\.yaml\)"):
        prepare(faq_jsonl(tmp_path / "faq.jsonl"), out, DataConfig())
    assert sorted(p.name for p in out.iterdir()) == ["adapter", "config.yaml"]


def test_too_few_groups_names_the_file(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text("question,answer\nWhat is stress?,A.\nwhat is stress,B.\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"tiny\.csv: only 1 question group"):
        prepare(path, tmp_path / "out", DataConfig())


def test_default_source_is_the_builtin_faq(tmp_path):
    from mhqa.data.builtin import BUILTIN_FAQ_PATH

    if not BUILTIN_FAQ_PATH.is_file():
        pytest.skip("built-in FAQ not built yet")
    report = prepare(None, tmp_path / "out", DataConfig())
    assert report.source["schema"]["name"] == "mhqa-faq"
    assert report.splits["train"]["paraphrase"] > 0
    assert report.splits["val"]["rows"] == report.splits["val"]["groups"]


def test_data_package_does_not_import_torch():
    import subprocess

    code = "import sys, mhqa.data; mhqa.data.prepare; print(any(m in sys.modules for m in ('torch', 'transformers')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
