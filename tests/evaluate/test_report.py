"""`mhqa evaluate` end to end on a tiny trained run: report files, systems, metrics, determinism."""

from __future__ import annotations

import base64
import json
import re

import pytest
import typer
from typer.testing import CliRunner

from mhqa.commands.evaluate import evaluate_command
from mhqa.errors import ConfigError, RunError
from mhqa.evaluation import SYSTEMS, EvalSettings, evaluate
from mhqa.evaluation.report import METRICS

LIMIT = 3


@pytest.fixture(scope="module")
def result(tiny_run, tmp_path_factory):
    out = tmp_path_factory.mktemp("eval") / "eval"
    return evaluate(EvalSettings(run_dir=tiny_run, limit=LIMIT, max_new_tokens=8, safety_limit=20, out=out))


def test_report_files_exist_and_parse(result):
    out = result.out_dir
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    md = (out / "report.md").read_text(encoding="utf-8")
    page = (out / "report.html").read_text(encoding="utf-8")
    assert report["data"]["questions"] == LIMIT
    assert md.startswith("# Evaluation of") and "| metric |" in md
    assert page.startswith("<!doctype html>") and page.rstrip().endswith("</html>")
    for rel in report["plots"].values():
        assert (out / rel).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "training_curves" in report["plots"]
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".eval")]  # temp folders renamed or removed


def test_html_is_self_contained(result):
    page = (result.out_dir / "report.html").read_text(encoding="utf-8")
    images = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    assert len(images) == len(result.report["plots"])
    assert base64.b64decode(images[0])[:4] == b"\x89PNG"
    assert not re.search(r"""(?:src|href)=['"](?!data:)""", page)  # no external files, scripts or styles
    assert "<style>" in page


def test_every_system_and_metric_is_present(result):
    systems = result.report["systems"]
    assert list(systems) == list(SYSTEMS)
    for name, s in systems.items():
        for m in METRICS:
            assert m["key"] in s, (name, m["key"])
        assert s["answers"] == LIMIT
        assert 0 <= s["rouge_l"] <= 1 and -1 <= s["semantic_similarity"] <= 1
        assert s["bertscore_f1"] is not None
        assert s["disclosure_rate"] == 1.0 or s["faq_crisis_routed"] > 0
    for name in ("base", "tuned", "tuned+retrieval"):
        assert systems[name]["test_loss"] > 0 and systems[name]["tokens_per_s"] > 0
    assert systems["retrieval"]["test_loss"] is None
    assert systems["tuned"]["test_loss"] < systems["base"]["test_loss"]
    assert result.report["bertscore"]["status"] == "computed"


def test_crisis_routing_uses_the_safety_eval_set(result):
    safety = result.report["safety"]
    assert safety["crisis_messages"] == 10 and safety["other_messages"] == 10
    assert 0.5 <= safety["crisis_routing_rate"] <= 1.0  # explicit crisis messages come first in the set
    assert 0.0 <= safety["false_routing_rate"] <= 0.5
    assert all(re.fullmatch(r"e\d+", i) for i in safety["misrouted_ids"])  # ids, never message texts


def test_report_is_leak_checked_and_states_the_classic_figures(result):
    report = result.report
    assert report["data"]["answers_seen_in_training"] == 0
    assert report["retrieval_index"]["entries"] > 0
    md = (result.out_dir / "report.md").read_text(encoding="utf-8")
    for figure in ("8.89", "4.38", "~80", "30-35 words", "65%", "87%"):
        assert figure in md
    assert len(report["examples"]) == LIMIT  # fewer questions than 5: every question is an example
    for ex in report["examples"]:
        assert set(ex["answers"]) == set(SYSTEMS)


def test_same_seed_gives_the_same_answers(result, tiny_run, tmp_path):
    again = evaluate(EvalSettings(run_dir=tiny_run, systems=("tuned",), limit=LIMIT, max_new_tokens=8,
                                  safety_limit=2, bertscore=False, out=tmp_path / "eval"))
    first = [ex["answers"]["tuned"]["text"] for ex in result.report["examples"]]
    second = [ex["answers"]["tuned"]["text"] for ex in again.report["examples"]]
    assert first == second
    assert again.report["systems"]["tuned"]["test_loss"] == result.report["systems"]["tuned"]["test_loss"]
    assert again.report["bertscore"]["status"].startswith("not computed")


def test_kaggle_faq_as_data(tiny_run, kaggle_csv, tmp_path):
    got = evaluate(EvalSettings(run_dir=tiny_run, data=kaggle_csv, systems=("retrieval",), limit=2,
                                safety_limit=2, bertscore=False, out=tmp_path / "eval"))
    assert got.report["data"]["source"] == str(kaggle_csv)
    assert got.report["systems"]["retrieval"]["answers"] == 2
    assert (tmp_path / "eval" / "report.html").is_file()


def test_settings_are_validated():
    with pytest.raises(ConfigError, match="unknown system"):
        EvalSettings(systems=("tuned", "oracle"))
    with pytest.raises(ConfigError):
        EvalSettings(limit=0)


def test_tuned_systems_need_a_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no runs/latest here
    with pytest.raises(RunError, match="no trained run"):
        evaluate(EvalSettings(systems=("tuned",), out=tmp_path / "eval"))


def test_command_rejects_unknown_system():
    app = typer.Typer()
    app.command("evaluate")(evaluate_command)
    app.command("other")(lambda: None)  # two commands: typer keeps `evaluate` as a subcommand
    res = CliRunner().invoke(app, ["evaluate", "--systems", "tuned,oracle"])
    assert isinstance(res.exception, ConfigError)


@pytest.mark.slow
def test_user_assistant_format_run(tiny_gpt2_dir, tmp_path):
    """A GPT-2 style run (no chat template, the DialoGPT recipe's format) evaluates the same way."""
    from mhqa.config import RunConfig
    from mhqa.train import train

    cfg = RunConfig.from_dict({"model": {"base_model": str(tiny_gpt2_dir)},
                               "train": {"max_steps": 6, "eval_steps": 6, "save_steps": 6, "learning_rate": 5e-3,
                                         "max_seq_len": 128, "batch_size": 4}})
    run = train(cfg, out=tmp_path / "run").run_dir
    got = evaluate(EvalSettings(run_dir=run, systems=("base", "tuned"), limit=2, max_new_tokens=8,
                                safety_limit=2, bertscore=False, out=tmp_path / "eval"))
    assert got.report["systems"]["tuned"]["test_loss"] < got.report["systems"]["base"]["test_loss"]
    assert (tmp_path / "eval" / "report.html").is_file()
