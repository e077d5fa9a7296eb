"""`mhqa safety`: check messages for crisis risk and evaluate the detector."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from mhqa.errors import DataError

app = typer.Typer(help="Crisis detection: check messages and evaluate the safety layer.", no_args_is_help=True)


def _result(text: str, locale: str) -> dict:
    from mhqa.safety import assess, crisis_reply, resources_for

    a = assess(text, locale=locale)
    out = {"text": text, **a.to_dict()}
    if a.crisis:
        out["resources"] = resources_for(locale).to_dict()["resources"]
        out["emergency"] = resources_for(locale).emergency
        out["reply"] = crisis_reply(a, locale)
    return out


@app.command()
def check(
    text: Annotated[Optional[str], typer.Argument(help="Message to check.")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="File with one message a line ('-' = stdin).")] = None,
    locale: Annotated[str, typer.Option(help="Locale for help lines, e.g. en-US, en-GB, en-IN.")] = "en-US",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object a line.")] = False,
) -> None:
    """Check messages for crisis risk and show the help lines for a crisis."""
    if (text is None) == (file is None):
        raise typer.BadParameter("give either TEXT or --file")
    if file is not None:
        try:
            raw = typer.get_text_stream("stdin").read() if str(file) == "-" else file.read_text(encoding="utf-8")
        except OSError as exc:
            raise DataError(f"{file}: cannot read ({exc})") from exc
        messages = [line for line in raw.splitlines() if line.strip()]
    else:
        messages = [text]
    for message in messages:
        res = _result(message, locale)
        if as_json:
            typer.echo(json.dumps(res, ensure_ascii=False))
            continue
        cats = ", ".join(res["categories"]) or "-"
        typer.echo(f"[{res['level']:>9}] {cats:<40} {message[:80]}")
        if res["crisis"] and len(messages) == 1:
            typer.echo("\n" + res["reply"])


@app.command("eval")
def eval_cmd(
    split: Annotated[str, typer.Option(help="Which split to score (dev or test).")] = "test",
    data: Annotated[Optional[Path], typer.Option(help="Eval set JSONL (default: the shipped one).")] = None,
    counsel_chat: Annotated[Optional[Path], typer.Option(
        "--counsel-chat", help="Score real user questions instead: CounselChat's 20200325_counsel_chat.csv, "
                               "with the labels mhqa ships for it.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Precision, recall and false-positive rate per category vs the keyword baseline, and latency."""
    from mhqa.safety.evaluate import EVAL_SET, load_counsel_chat, run_eval
    from mhqa.safety.semantic import status

    if counsel_chat is not None:
        rep = run_eval(rows=load_counsel_chat(counsel_chat, split=split))
        split = f"counsel_chat:{split}"
    else:
        rep = run_eval(data or EVAL_SET, split)
    ours, base = rep["ours"], rep["baseline"]
    if as_json:
        typer.echo(json.dumps({"split": split, "n": rep["n"], "encoder": status(), "ours": ours.to_dict(),
                               "baseline": base.to_dict()}, indent=1))
        return
    typer.echo(f"split={split}  messages={rep['n']}  (crisis: {ours.by_category['crisis'].tp + ours.by_category['crisis'].fn})")
    typer.echo(f"{'category':<20}{'n':>5} | {'ours P':>7}{'R':>7}{'FPR':>7} | {'keywords P':>11}{'R':>7}{'FPR':>7}")
    for cat, s in ours.by_category.items():
        b = base.by_category[cat]
        typer.echo(f"{cat:<20}{s.tp + s.fn:>5} | {s.precision:>7.3f}{s.recall:>7.3f}{s.fpr:>7.3f} | "
                   f"{b.precision:>11.3f}{b.recall:>7.3f}{b.fpr:>7.3f}")
    typer.echo(f"level accuracy (ours): {ours.level_correct / ours.n:.3f}")
    for r in (ours, base):
        typer.echo(f"latency {r.name:<17} p50 {r.percentile(50):7.2f} ms  p95 {r.percentile(95):7.2f} ms  "
                   f"p99 {r.percentile(99):7.2f} ms")
    typer.echo(f"crisis encoder: {status()}")
