"""`mhqa prepare` from the command line: the real console script for the main paths and for
bad input (one line, exit 2, no traceback), CliRunner for the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mhqa.cli import app
from mhqa.errors import DataError

MHQA = Path(sys.executable).with_name("mhqa")  # the console script of the venv running the tests
KAGGLE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "Mental_Health_FAQ.csv"
needs_kaggle = pytest.mark.skipif(not KAGGLE.is_file(), reason=f"Kaggle FAQ copy not present at {KAGGLE}")
needs_script = pytest.mark.skipif(not MHQA.is_file(), reason=f"console script not installed at {MHQA}")
runner = CliRunner()


def run_mhqa(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(MHQA), "prepare", *map(str, args)], capture_output=True, text=True, timeout=120)


def assert_clean_failure(proc: subprocess.CompletedProcess, *fragments: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def small_csv(path: Path, extra: str = "") -> Path:
    path.write_text("Prompt,Response\n" + "".join(f"Question {i}?,Answer {i}.\n" for i in range(8)) + extra,
                    encoding="utf-8")
    return path


@needs_script
@needs_kaggle
def test_console_script_prepares_the_kaggle_file(tmp_path):
    out = tmp_path / "prepared"
    proc = run_mhqa(KAGGLE, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for word in ("train", "val", "test", "groups", "repaired 4", "duplicates removed 0", "skipped 0", str(out)):
        assert word in proc.stdout, word
    report = json.loads((out / "prepare_report.json").read_text(encoding="utf-8"))
    assert report["rows_in"] == 98
    assert all("â€" not in p.read_text(encoding="utf-8") for p in out.glob("*.jsonl"))


@needs_script
def test_console_script_missing_file(tmp_path):
    proc = run_mhqa(tmp_path / "nope.csv", "--out", tmp_path / "out")
    assert_clean_failure(proc, str(tmp_path / "nope.csv"), "file not found")
    assert not (tmp_path / "out").exists()


@needs_script
def test_console_script_non_utf8_names_line_and_offset(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("question,answer\nWhat is stress?,Une réaction\n".encode("latin-1"))
    proc = run_mhqa(path, "--out", tmp_path / "out")
    assert_clean_failure(proc, str(path), "line 2", "not UTF-8", "byte offset 37")


@needs_script
def test_console_script_one_megabyte_cell_names_row_and_column(tmp_path):
    path = small_csv(tmp_path / "big.csv", extra='Huge?,"' + "z" * 1_048_576 + '"\n')
    proc = run_mhqa(path, "--out", tmp_path / "out")
    assert_clean_failure(proc, str(path), "row 9 (line 10)", "column 'Response'", "1,048,576 characters")
    assert "field limit" not in proc.stderr


@needs_script
def test_console_script_directory_and_empty_answer_strict(tmp_path):
    assert_clean_failure(run_mhqa(tmp_path, "--out", tmp_path / "out"), str(tmp_path), "is a folder")
    path = small_csv(tmp_path / "gap.csv", extra="No answer here?,\n")
    proc = run_mhqa(path, "--out", tmp_path / "out", "--strict")
    assert_clean_failure(proc, str(path), "row 9 (line 10)", "column 'Response'", "empty answer")


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [
        ("empty.csv", b"", ["empty.csv", "file is empty"]),
        ("one.csv", b"text\nhello\nworld\n", ["one.csv", "only one column ('text')"]),
        ("cols.csv", b"foo,bar\n1,2\n", ["cols.csv", "columns found: foo, bar", "--question-col"]),
        ("bad.jsonl", b'{"question": "a?", "answer": "b"}\n{"question": oops}\n', ["bad.jsonl", "line 2", "not valid JSON"]),
        ("quote.csv", b'question,answer\nWhy?,"open\n', ["quote.csv", "line 2", "never closed"]),
    ],
)
def test_bad_input_raises_data_error_naming_the_file(tmp_path, name, content, fragments):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["prepare", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert isinstance(result.exception, DataError)
    for fragment in fragments:
        assert fragment in str(result.exception), (fragment, str(result.exception))
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_empty_answer_is_a_warning_naming_the_row(tmp_path):
    path = small_csv(tmp_path / "gap.csv", extra="No answer here?,   \n")
    result = runner.invoke(app, ["prepare", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "warning:" in result.stderr and "gap.csv: row 9 (line 10), column 'Response': empty answer" in result.stderr
    assert "skipped 1" in result.stdout


def test_column_options_seed_and_augmentation_reach_prepare(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("ask,reply\n" + "".join(f"Question {i}?,Answer {i}.\n" for i in range(10)), encoding="utf-8")
    out = tmp_path / "out"
    args = ["prepare", str(path), "--out", str(out), "--question-col", "ask", "--answer-col", "reply",
            "--augment-variants", "3", "--seed", "9", "--val-fraction", "0.2", "--test-fraction", "0.2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads((out / "prepare_report.json").read_text(encoding="utf-8"))
    assert report["settings"]["seed"] == 9 and report["source"]["schema"]["question"] == "ask"
    assert report["splits"]["train"] == {"rows": 24, "groups": 6, "original": 6, "paraphrase": 0, "augmented": 18}
    assert report["splits"]["val"]["rows"] == report["splits"]["test"]["rows"] == 2


def test_invalid_fraction_is_a_config_error(tmp_path):
    from mhqa.errors import ConfigError

    path = small_csv(tmp_path / "faq.csv")
    result = runner.invoke(app, ["prepare", str(path), "--out", str(tmp_path / "out"), "--val-fraction", "0.6",
                                 "--test-fraction", "0.5"])
    assert result.exit_code != 0 and isinstance(result.exception, ConfigError)
