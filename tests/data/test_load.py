"""mhqa.data.load: schema detection, repairs on the way in, and one clear error per kind of bad input."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from mhqa.config import DataConfig
from mhqa.data import load_pairs
from mhqa.errors import DataError

KAGGLE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "Mental_Health_FAQ.csv"
KAGGLE_SHA256 = "2f5a29c5a4641fc29b6045f9d7a0457c7f6a354af75210babcd32320b28b810b"
needs_kaggle = pytest.mark.skipif(not KAGGLE.is_file(), reason=f"Kaggle FAQ copy not present at {KAGGLE}")


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


ROWS = [["What is stress?", "A reaction to pressure."], ["How can I sleep better?", "Keep a routine."],
        ["Who can I talk to?", "A friend or a doctor."]]


@needs_kaggle
def test_kaggle_file_is_read_repaired_and_keeps_paragraphs():
    pairs, info = load_pairs(KAGGLE, DataConfig())
    assert len(pairs) == info.rows_in == 98
    assert info.schema.name == "kaggle-mental-health-faq"
    assert (info.schema.question, info.schema.answer, info.schema.id) == ("Questions", "Answers", "Question_ID")
    assert info.sha256 == KAGGLE_SHA256
    assert info.repaired == 4  # 6 x "â€™" in 4 answers (SOURCES.md)
    assert all("â€" not in p.question + p.answer for p in pairs)
    assert sum("\u2019" in p.answer for p in pairs) > 4  # real curly quotes are kept, not straightened
    assert any("\n" in p.answer for p in pairs) and all("\r" not in p.answer for p in pairs)
    assert all(p.answer == p.answer.strip() and "  " not in p.answer for p in pairs)
    by_id = {p.id: p for p in pairs}
    assert by_id["1590140"].source_id == "1590140"
    assert "person\u2019s" in by_id["1590140"].answer
    assert info.repair_examples and "â€™" in info.repair_examples[0]["before"]
    assert "\u2019" in info.repair_examples[0]["after"]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (["prompt", "response"], ("prompt", "response")),
        (["Question", "Answer"], ("Question", "Answer")),
        (["QUESTIONS", "answers"], ("QUESTIONS", "answers")),
        (["input", "output"], ("input", "output")),
        (["instruction", "input", "output"], ("instruction", "output")),
        (["Context", "Response"], ("Context", "Response")),
    ],
)
def test_schema_detected_case_insensitively(tmp_path, header, expected):
    rows = [[q, *([""] * (len(header) - 2)), a] for q, a in ROWS]
    path = write_csv(tmp_path / "faq.csv", header, rows)
    pairs, info = load_pairs(path, DataConfig())
    assert (info.schema.question, info.schema.answer) == expected
    assert [p.question for p in pairs] == [q for q, _ in ROWS]
    assert [p.id for p in pairs] == ["row-1", "row-2", "row-3"]


def test_explicit_columns_override_detection(tmp_path):
    path = write_csv(tmp_path / "faq.csv", ["ask", "reply_text", "question"], [[q, a, "decoy"] for q, a in ROWS])
    pairs, info = load_pairs(path, DataConfig(question_col="ASK", answer_col="reply_text"))
    assert (info.schema.question, info.schema.answer) == ("ask", "reply_text")
    assert pairs[0].question == "What is stress?"


def test_unknown_explicit_column_lists_the_columns_found(tmp_path):
    path = write_csv(tmp_path / "faq.csv", ["question", "answer"], ROWS)
    with pytest.raises(DataError) as err:
        load_pairs(path, DataConfig(question_col="prompt_text"))
    msg = str(err.value)
    assert str(path) in msg and "'prompt_text'" in msg and "columns found: question, answer" in msg


def test_undetectable_columns_list_what_was_found(tmp_path):
    path = write_csv(tmp_path / "faq.csv", ["foo", "bar"], [["a", "b"]])
    with pytest.raises(DataError, match=r"faq\.csv: cannot tell which column holds the question and answer; "
                                        r"columns found: foo, bar"):
        load_pairs(path, DataConfig())


def test_jsonl_with_topic_and_paraphrases(tmp_path):
    path = tmp_path / "faq.jsonl"
    entries = [{"id": "stress-what", "topic": "stress", "question": "What is stress?",
                "paraphrases": ["whats stress", "What is stress?", " whats  stress "], "answer": "A reaction."},
               {"id": "sleep-how", "topic": "sleep", "question": "How do I sleep?", "paraphrases": [], "answer": "Routine."}]
    path.write_text("\n".join(json.dumps(e) for e in entries) + "\n\n", encoding="utf-8")
    pairs, info = load_pairs(path, DataConfig())
    assert info.format == "jsonl" and info.schema.topic == "topic" and info.schema.paraphrases == "paraphrases"
    assert pairs[0].paraphrases == ("whats stress",)  # the question itself and repeats are dropped
    assert (pairs[0].id, pairs[0].topic, pairs[1].row) == ("stress-what", "stress", 2)


def test_json_array_and_tsv_are_read(tmp_path):
    array = tmp_path / "faq.json"
    array.write_text(json.dumps([{"prompt": q, "completion": a} for q, a in ROWS]), encoding="utf-8")
    tsv = tmp_path / "faq.tsv"
    tsv.write_text("question\tanswer\n" + "".join(f"{q}\t{a}\n" for q, a in ROWS), encoding="utf-8")
    for path in (array, tsv):
        pairs, _ = load_pairs(path, DataConfig())
        assert [(p.question, p.answer) for p in pairs] == [tuple(r) for r in ROWS]


def test_cells_are_cleaned_on_the_way_in(tmp_path):
    path = write_csv(tmp_path / "faq.csv", ["\ufeffQuestion", "Answer"], [
        ["  Whatâ€™s\u00a0stress,\nreally ?  ", "Line one.  \r\n\r\n\r\n  Line   two.\u200b\nLine three."],
        *ROWS,
    ])
    pairs, info = load_pairs(path, DataConfig())
    assert pairs[0].question == "What\u2019s stress, really ?"
    assert pairs[0].answer == "Line one.\n\nLine two.\nLine three."
    assert info.repaired == 1 and info.whitespace_fixed == 2


def test_empty_answer_is_skipped_with_its_row_or_fails_in_strict_mode(tmp_path):
    path = write_csv(tmp_path / "faq.csv", ["question", "answer"], [ROWS[0], ["Why?", "   "], ROWS[1]])
    pairs, info = load_pairs(path, DataConfig())
    assert len(pairs) == 2 and info.rows_in == 3
    [skip] = info.skipped
    assert (skip["row"], skip["line"], skip["column"], skip["reason"]) == (2, 3, "answer", "empty answer")
    assert str(path) in skip["message"] and "row 2 (line 3)" in skip["message"]
    with pytest.raises(DataError, match=r"faq\.csv: row 2 \(line 3\), column 'answer': empty answer"):
        load_pairs(path, DataConfig(strict=True))


def test_row_with_extra_fields_is_skipped(tmp_path):
    path = tmp_path / "faq.csv"
    path.write_text("question,answer\nWhat is stress?,A reaction.\nWhy?,Because,extra\n", encoding="utf-8")
    pairs, info = load_pairs(path, DataConfig())
    assert len(pairs) == 1 and info.skipped[0]["reason"] == "has 3 fields but the header has 2"


def test_repeated_ids_stay_unique_and_keep_their_source_id(tmp_path):
    path = write_csv(tmp_path / "faq.csv", ["id", "question", "answer"], [["7", *ROWS[0]], ["7", *ROWS[1]]])
    pairs, _ = load_pairs(path, DataConfig())
    assert [(p.id, p.source_id) for p in pairs] == [("7", "7"), ("7-2", "7")]


def test_one_megabyte_cell_names_row_and_column_not_the_csv_limit(tmp_path):
    path = write_csv(tmp_path / "faq.csv", ["question", "answer"], [ROWS[0], ["Big?", "x" * 1_048_576]])
    limit_before = csv.field_size_limit()
    with pytest.raises(DataError) as err:
        load_pairs(path, DataConfig())
    msg = str(err.value)
    assert f"{path}: row 2 (line 3), column 'answer': cell has 1,048,576 characters" in msg
    assert "field larger than field limit" not in msg
    assert csv.field_size_limit() == limit_before


def test_cells_beyond_csvs_default_limit_load_when_allowed(tmp_path):
    # 200k characters is over the csv module's own 131072 limit but under our configured one
    path = write_csv(tmp_path / "faq.csv", ["question", "answer"], [["Long?", "y" * 200_000], *ROWS])
    pairs, _ = load_pairs(path, DataConfig(max_cell_chars=250_000))
    assert len(pairs[0].answer) == 200_000


def test_long_jsonl_value_names_line_and_field(tmp_path):
    path = tmp_path / "faq.jsonl"
    path.write_text(json.dumps({"question": "q?", "answer": "a"}) + "\n"
                    + json.dumps({"question": "q2?", "answer": "z" * 2000}) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"faq\.jsonl: line 2, field 'answer': value has 2,000 characters"):
        load_pairs(path, DataConfig(max_cell_chars=1000))


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        (b"", r"faq\.csv: file is empty"),
        (b" \n\n", r"faq\.csv: file is empty"),
        (b"question,answer\nWhat is caf\xe9?,A place\n", r"faq\.csv: line 2: not UTF-8 text: byte 0xe9 at byte offset 27"),
        (b"text\nhello\n", r"faq\.csv: only one column \('text'\)"),
        (b"\xef\xbb\xbfquestion,answer\nWhy?,\x80\n", r"faq\.csv: line 2: not UTF-8 text: byte 0x80 at byte offset 24"),
        (b"\xff\xfeq\x00,\x00", r"faq\.csv: line 1: not UTF-8 text: byte 0xff at byte offset 0 \(it looks like UTF-16\)"),
        (b'question,answer\nWhat?,"never closed\nmore\n', r"faq\.csv: line 2: a quoted field .* never closed"),
    ],
)
def test_bad_csv_files(tmp_path, content, pattern):
    path = tmp_path / "faq.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=pattern):
        load_pairs(path, DataConfig())


@pytest.mark.parametrize(
    ("lines", "pattern"),
    [
        (['{"question": "a?", "answer": "b"}', '{"question": "c?", '], r"faq\.jsonl: line 2: not valid JSON"),
        (['{"question": "a?", "answer": "b"}', "", '["a", "b"]'], r"faq\.jsonl: line 3: expected a JSON object, got list"),
        (['{"question": "a?", "answer": {"text": "b"}}'], r"faq\.jsonl: line 1, field 'answer': expected text, got dict"),
    ],
)
def test_bad_jsonl_files(tmp_path, lines, pattern):
    path = tmp_path / "faq.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=pattern):
        load_pairs(path, DataConfig())


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataError, match=r"nope\.csv: file not found"):
        load_pairs(tmp_path / "nope.csv", DataConfig())
    with pytest.raises(DataError, match=r": is a folder; pass a CSV or JSONL file"):
        load_pairs(tmp_path, DataConfig())


def test_all_rows_empty_is_an_error(tmp_path):
    path = write_csv(tmp_path / "faq.csv", ["question", "answer"], [["", ""], ["Why?", ""]])
    with pytest.raises(DataError, match=r"faq\.csv: no usable question/answer rows \(2 skipped"):
        load_pairs(path, DataConfig())


def test_default_source_is_the_builtin_faq():
    from mhqa.data.builtin import BUILTIN_FAQ_PATH

    if not BUILTIN_FAQ_PATH.is_file():
        pytest.skip("built-in FAQ not built yet")
    pairs, info = load_pairs(None, DataConfig())
    assert info.path == BUILTIN_FAQ_PATH and info.schema.name == "mhqa-faq"
    assert all(p.topic and p.paraphrases for p in pairs)
