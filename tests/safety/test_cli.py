"""`mhqa safety check` and `mhqa safety eval` through typer's CliRunner."""

import json

import pytest
from typer.testing import CliRunner

from mhqa.commands.safety import app

runner = CliRunner()


def test_check_json_crisis_has_resources_for_locale():
    r = runner.invoke(app, ["check", "im gonna kms", "--json", "--locale", "en-GB"])
    assert r.exit_code == 0, r.output
    row = json.loads(r.output.strip().splitlines()[-1])
    assert row["text"] == "im gonna kms" and row["crisis"] is True and row["level"] in ("urgent", "emergency")
    assert "suicidal_ideation" in row["categories"]
    assert any(res["phone"] == "116 123" for res in row["resources"])
    for res in row["resources"]:
        assert res["name"] and (res["phone"] or res["text"] or res["url"])


def test_check_json_non_crisis_has_no_resources():
    r = runner.invoke(app, ["check", "this traffic is killing me", "--json"])
    row = json.loads(r.output.strip())
    assert row["crisis"] is False and row["level"] == "none" and "resources" not in row


def test_check_file_one_json_object_a_line(tmp_path):
    f = tmp_path / "msgs.txt"
    f.write_text("I want to kill myself\nkill the process\n\nmy friend says she wants to kill herself\n", encoding="utf-8")
    r = runner.invoke(app, ["check", "--file", str(f), "--json", "--locale", "en-AU"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.output.strip().splitlines()]
    assert [row["crisis"] for row in rows] == [True, False, True]
    assert any(res["phone"] == "13 11 14" for res in rows[0]["resources"])


def test_check_human_output_shows_reply():
    r = runner.invoke(app, ["check", "I want to end my life", "--locale", "en-US"])
    assert r.exit_code == 0 and "988" in r.output and "911" in r.output


def test_check_needs_text_or_file():
    assert runner.invoke(app, ["check"]).exit_code != 0


def test_eval_prints_table_with_baseline_and_latency():
    r = runner.invoke(app, ["eval", "--split", "dev"])
    assert r.exit_code == 0, r.output
    for word in ("crisis", "suicidal_ideation", "keywords", "p99", "keyword baseline"):
        assert word in r.output
    assert "crisis encoder: loaded (onnxruntime" in r.output  # the runtime (and precision) the figures came from


def test_eval_json():
    r = runner.invoke(app, ["eval", "--split", "dev", "--json"])
    rep = json.loads(r.output)
    assert rep["ours"]["metrics"]["crisis"]["recall"] > rep["baseline"]["metrics"]["crisis"]["recall"]
    assert rep["encoder"].startswith("loaded (onnxruntime")
