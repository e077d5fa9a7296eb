"""Report writers: report.json (everything), report.md and a self-contained report.html.

The HTML embeds its plots as base64 PNG and carries its own CSS, so the one file can be mailed
or attached to an issue. Texts from the FAQ and from the systems are HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

from mhqa.evaluation.lexicon import describe as describe_lexicon

# key, label, unit, direction, display, definition
METRICS: list[dict[str, Any]] = [
    {"key": "test_loss", "label": "Test loss", "unit": "nats/token", "higher_is_better": False,
     "definition": "Token-weighted mean cross-entropy of the reference answers' tokens given the question, "
                   "tokenised and labelled exactly as in training (model systems; tuned+retrieval shares the tuned model)."},
    {"key": "test_perplexity", "label": "Test perplexity", "unit": "", "higher_is_better": False, "chart_format": "{:.1f}",
     "definition": "exp(test loss)."},
    {"key": "rouge_l", "label": "ROUGE-L F1", "unit": "F1", "higher_is_better": True,
     "definition": "Longest-common-subsequence F1 between answer and reference (rouge-score, Porter stemming), mean over questions."},
    {"key": "semantic_similarity", "label": "Semantic similarity", "unit": "cosine", "higher_is_better": True,
     "definition": "Cosine between all-MiniLM-L6-v2 sentence embeddings of answer and reference, mean over questions."},
    {"key": "bertscore_f1", "label": "BERTScore F1", "unit": "F1", "higher_is_better": True,
     "definition": "See the BERTScore note below."},
    {"key": "distinct_1", "label": "distinct-1", "unit": "", "higher_is_better": True,
     "definition": "Unique words / all words over all answers of the system (corpus level)."},
    {"key": "distinct_2", "label": "distinct-2", "unit": "", "higher_is_better": True,
     "definition": "Unique word bigrams / all bigrams over all answers."},
    {"key": "length_mean", "label": "Answer length (mean)", "unit": "words", "higher_is_better": None, "chart_format": "{:.1f}",
     "definition": "Words per answer body (the appended AI disclosure and help nudge are not counted)."},
    {"key": "length_std", "label": "Answer length (std)", "unit": "words", "higher_is_better": None, "chart_format": "{:.1f}",
     "definition": "Population standard deviation of the words per answer."},
    {"key": "empathy_rate", "label": "Empathy rate", "unit": "% of answers", "higher_is_better": True, "percent": True,
     "definition": "Share of answers containing at least one entry of the empathy lexicon (listed at the end)."},
    {"key": "empathy_hits", "label": "Empathy phrases per answer", "unit": "entries", "higher_is_better": True,
     "definition": "Mean number of distinct lexicon entries per answer."},
    {"key": "disclosure_rate", "label": "AI disclosure", "unit": "% of answers", "higher_is_better": True, "percent": True,
     "definition": "Share of answers that carry the AI disclosure (crisis replies state it in their own words)."},
    {"key": "guard_violations", "label": "Output-guard violations", "unit": "count", "higher_is_better": False, "integer": True,
     "definition": "Rules of the output guard (dose, medication change, diagnosis, method, human claim) broken by generated answers; "
                   "each such answer was replaced by a safe fallback."},
    {"key": "faq_crisis_routed", "label": "FAQ questions routed to crisis reply", "unit": "% of questions", "higher_is_better": None,
     "percent": True, "definition": "Share of the evaluation questions that the safety layer answered with the fixed crisis reply."},
    {"key": "crisis_routing_rate", "label": "Crisis routing rate", "unit": "% of crisis messages", "higher_is_better": True, "shared": True,
     "percent": True, "definition": "Share of the crisis messages of the safety eval set (test split) answered with the crisis reply "
                                    "(the safety layer runs before any system, so it is the same for all)."},
    {"key": "false_routing_rate", "label": "False crisis routing", "unit": "% of other messages", "higher_is_better": False, "shared": True,
     "percent": True, "definition": "Share of the non-crisis messages of the safety eval set wrongly answered with the crisis reply."},
    {"key": "latency_p50_s", "label": "Latency p50", "unit": "s/answer", "higher_is_better": False,
     "definition": "Median wall time of one Assistant.reply call (safety, retrieval, generation, guard)."},
    {"key": "latency_p95_s", "label": "Latency p95", "unit": "s/answer", "higher_is_better": False,
     "definition": "95th percentile (linear interpolation) of the same wall times."},
    {"key": "tokens_per_s", "label": "Tokens/s", "unit": "tokens/s", "higher_is_better": True, "chart_format": "{:.1f}",
     "definition": "Generated tokens / time of the answers that generated any (whole request, prompt processing included)."},
]

CLASSIC = {
    "figures": [
        ("Training loss 8.89 -> 4.38 (\"50.7% improvement\")",
         "the loss on the training data itself, whose test answers had leaked into training: it shows the model "
         "memorised, not that it answers new questions",
         "test loss and perplexity of base and fine-tuned model on held-out question groups, beside the val curve"),
        ("Perplexity ~80", "exp of that training loss", "test perplexity = exp(test loss) on the held-out split"),
        ("Answers of 30-35 words", "a length, with no reference to compare it to",
         "mean and spread of answer length, with the reference answers' own length beside it"),
        ("65% vocabulary diversity", "not defined (likely unique words / words)",
         "distinct-1 and distinct-2 over all answers of each system, and of the references"),
        ("87% empathetic language", "not defined (no list of words or phrases published)",
         "the share of answers with at least one phrase of a published lexicon (listed below), and phrases per answer"),
    ],
    "missing": "The notebook had no baseline, no held-out test, no reference-based metric, no safety measurement and no latency.",
}


def write_report(report: dict[str, Any], folder: Path, run_dir: Path | None) -> None:
    """Write plots/*.png, report.json, report.md and report.html into ``folder``."""
    from mhqa.evaluation.plots import metric_charts

    plots = folder / "plots"
    charts = metric_charts(report, METRICS, plots)
    curves = _training_curves(report, plots)
    report["metric_definitions"] = {m["key"]: m["definition"] for m in METRICS}
    report["plots"] = {k: f"plots/{p.name}" for k, p in charts.items()} | ({"training_curves": f"plots/{curves.name}"} if curves else {})
    report["empathy_lexicon"] = describe_lexicon()
    report["classic_notebook"] = {"figures": [{"claim": c, "what_it_was": w, "what_we_measure": m} for c, w, m in CLASSIC["figures"]],
                                  "missing": CLASSIC["missing"]}
    _write(folder / "report.json", json.dumps(report, indent=2, ensure_ascii=False, default=str))
    _write(folder / "report.md", to_markdown(report))
    _write(folder / "report.html", to_html(report, folder))


def _training_curves(report: dict[str, Any], plots: Path) -> Path | None:
    training = report.get("training")
    if not training or not training.get("log_history"):
        return None
    from mhqa.plots import plot_training_curves

    return plot_training_curves(training, plots / "training_curves.png")


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def fmt_value(metric: dict[str, Any], value: Any) -> str:
    """A metric value as shown in the tables ("-" when not measured for that system)."""
    if value is None:
        return "-"
    if metric.get("percent"):
        return f"{100 * value:.1f}%"
    if metric.get("integer"):
        return str(int(value))
    if metric["key"].startswith("length"):
        return f"{value:.1f}"
    if metric["key"] in ("test_perplexity", "tokens_per_s"):
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"
    return f"{value:.3f}"


def _columns(report: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    cols = list(report["systems"].items())
    return cols + [("reference", report["reference"])]


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- markdown -----------------------------------------------------------------------------------------
def to_markdown(report: dict[str, Any]) -> str:
    cols = _columns(report)
    d = report["data"]
    lines = [f"# Evaluation of {report.get('run_dir') or 'the base model'}", "",
             f"{d['questions']} questions from `{d['source']}`; base model `{report.get('base_model')}`; "
             f"greedy decoding, seed {report['settings']['seed']}; created {report['created']} (mhqa {report['mhqa_version']}).", "",
             _leak_sentence(report), ""]
    lines += ["## All systems", "", "| metric | " + " | ".join(n for n, _ in cols) + " |",
              "|---|" + "---:|" * len(cols)]
    for m in METRICS:
        lines.append(f"| {m['label']} | " + " | ".join(fmt_value(m, s.get(m["key"])) for _, s in cols) + " |")
    lines += ["", "`-`: not applicable or not measured. The reference column describes the reference answers themselves.", ""]
    lines += _notes(report)
    lines += ["", "## Charts", ""]
    for key, rel in report.get("plots", {}).items():
        lines.append(f"![{key}]({rel})")
    lines += ["", "## Example answers", ""]
    for i, ex in enumerate(report["examples"], 1):
        lines += [f"### {i}. {_md_escape(ex['question'])}", "", f"**Reference.** {_md_escape(ex['reference'])}", ""]
        for name, a in ex["answers"].items():
            tag = " *(crisis reply)*" if a["crisis"] else ""
            lines += [f"**{name}**{tag}. {_md_escape(a['text'])}", ""]
    lines += ["## Compared with the classic notebook", "", "| the notebook said | what it was | what this report measures instead |",
              "|---|---|---|"]
    for c in report["classic_notebook"]["figures"]:
        lines.append(f"| {c['claim']} | {c['what_it_was']} | {c['what_we_measure']} |")
    lines += ["", report["classic_notebook"]["missing"], "", "## Definitions", ""]
    for m in METRICS:
        lines.append(f"- **{m['label']}**: {m['definition']}")
    lines += ["", "## Empathy lexicon", "", "Case-insensitive regular expressions on word boundaries; one hit per entry per answer.", ""]
    for e in report["empathy_lexicon"]:
        lines.append(f"- {e['category']}/{e['name']}: `{e['pattern']}`")
    return "\n".join(lines) + "\n"


def _leak_sentence(report: dict[str, Any]) -> str:
    seen = report["data"].get("answers_seen_in_training")
    idx = report["retrieval_index"]
    parts = []
    if seen is not None:
        parts.append(f"{seen} of {report['data']['questions']} reference answers also appear in the run's training split"
                     + (" (held out: no leak)." if seen == 0 else " (WARNING: these were seen in training)."))
    if idx.get("entries"):
        parts.append(f"Retrieval searches {idx['entries']} FAQ entries from {idx['from']}.")
    return " ".join(parts)


def _notes(report: dict[str, Any]) -> list[str]:
    out = [f"- BERTScore: {report['bertscore'].get('description') or report['bertscore']['status']}."]
    s = report["safety"]
    out.append(f"- Crisis routing: {s['crisis_messages']} crisis and {s['other_messages']} other messages of the safety "
               f"eval set (test split), sent through the Assistant; the safety layer answers before any model.")
    for name, why in report.get("skipped_systems", {}).items():
        out.append(f"- {name} not evaluated: {why}.")
    t = report.get("training")
    if t and t.get("base_val_loss") is not None:
        out.append(f"- Training: val loss {t['base_val_loss']} -> {t['final_val_loss']} over {t['steps']} steps "
                   f"({t.get('device')}, {t.get('dtype')}).")
    return out


# --- html ---------------------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f6f7f9;color:#1f2328;line-height:1.5}
main{max-width:1100px;margin:0 auto;padding:24px 32px 64px}
h1{font-size:1.6rem;margin:.2em 0}h2{font-size:1.25rem;margin-top:2em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
h3{font-size:1rem;margin:1.2em 0 .4em}
.meta{color:#57606a;font-size:.92rem}
table{border-collapse:collapse;background:#fff;font-size:.9rem;margin:.6em 0;width:100%}
th,td{border:1px solid #d0d7de;padding:5px 9px;vertical-align:top}th{background:#eef1f4;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}td.best{font-weight:700;background:#e6f4ea}
td.ref{color:#57606a;background:#fafafa}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:12px}
.grid figure{margin:0;background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:6px}
.grid img{width:100%;height:auto}.wide img{max-width:760px;width:100%}
.example{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;margin:12px 0}
.answers{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:10px}
.answer{border-left:4px solid #8c8c8c;padding:4px 10px;background:#fbfbfc;font-size:.88rem;white-space:pre-wrap}
.answer b{display:block;white-space:normal}.tag{font-size:.75rem;background:#ffe8e8;color:#9a1c1c;border-radius:3px;padding:0 4px}
.ref{font-size:.88rem;color:#3b434b}.note{font-size:.9rem}code{font-size:.82rem;background:#eef1f4;padding:0 3px;border-radius:3px}
"""
_BORDER = {"base": "#8C8C8C", "tuned": "#4C72B0", "retrieval": "#55A868", "tuned+retrieval": "#C44E52"}


def to_html(report: dict[str, Any], folder: Path) -> str:
    e = html.escape
    d = report["data"]
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
             f"<title>mhqa evaluation</title><style>{_CSS}</style></head><body><main>",
             f"<h1>Evaluation of {e(str(report.get('run_dir') or 'the base model'))}</h1>",
             f"<p class='meta'>{d['questions']} questions from <code>{e(d['source'])}</code> · base model "
             f"<code>{e(str(report.get('base_model')))}</code> · greedy decoding, seed {report['settings']['seed']} · "
             f"{e(report['created'])} · mhqa {e(report['mhqa_version'])}</p>",
             f"<p class='note'>{e(_leak_sentence(report))}</p>",
             "<h2>All systems</h2>", _html_table(report),
             "<p class='meta'>Best value per metric in bold where a direction is defined; “-”: not applicable or not measured. "
             "The reference column describes the reference answers themselves.</p>",
             "<ul class='note'>" + "".join(f"<li>{e(n[2:])}</li>" for n in _notes(report)) + "</ul>",
             "<h2>Charts</h2><div class='grid'>"]
    for key, rel in report.get("plots", {}).items():
        if key != "training_curves":
            parts.append(f"<figure>{_img(folder / rel, key)}</figure>")
    parts.append("</div>")
    if "training_curves" in report.get("plots", {}):
        parts += ["<h2>Training curves</h2>", f"<figure class='wide'>{_img(folder / report['plots']['training_curves'], 'training curves')}</figure>"]
    parts.append("<h2>Example answers</h2>")
    for i, ex in enumerate(report["examples"], 1):
        parts.append(f"<div class='example'><h3>{i}. {e(ex['question'])}</h3><p class='ref'><b>Reference.</b> {e(ex['reference'])}</p>"
                     "<div class='answers'>")
        for name, a in ex["answers"].items():
            tag = " <span class='tag'>crisis reply</span>" if a["crisis"] else ""
            tag += f" <span class='tag'>guard: {e(', '.join(a['guard']))}</span>" if a["guard"] else ""
            parts.append(f"<div class='answer' style='border-color:{_BORDER.get(name, '#888')}'><b>{e(name)}{tag}</b>{e(a['text'])}</div>")
        parts.append("</div></div>")
    parts += ["<h2>Compared with the classic notebook</h2>",
              "<table><tr><th>the notebook said</th><th>what it was</th><th>what this report measures instead</th></tr>"]
    for c in report["classic_notebook"]["figures"]:
        parts.append(f"<tr><td>{e(c['claim'])}</td><td>{e(c['what_it_was'])}</td><td>{e(c['what_we_measure'])}</td></tr>")
    parts += ["</table>", f"<p class='note'>{e(report['classic_notebook']['missing'])}</p>", "<h2>Definitions</h2><ul class='note'>"]
    parts += [f"<li><b>{e(m['label'])}</b>: {e(m['definition'])}</li>" for m in METRICS]
    parts += ["</ul><h2>Empathy lexicon</h2><p class='note'>Case-insensitive regular expressions matched on word boundaries "
              "against the answer body; an answer scores one hit per entry it contains.</p><table><tr><th>category</th><th>entry</th><th>pattern</th></tr>"]
    parts += [f"<tr><td>{e(x['category'])}</td><td>{e(x['name'])}</td><td><code>{e(x['pattern'])}</code></td></tr>"
              for x in report["empathy_lexicon"]]
    parts.append("</table></main></body></html>")
    return "\n".join(parts)


def _html_table(report: dict[str, Any]) -> str:
    e = html.escape
    cols = _columns(report)
    head = "<tr><th>metric</th>" + "".join(f"<th>{e(n)}</th>" for n, _ in cols) + "</tr>"
    rows = []
    for m in METRICS:
        values = [s.get(m["key"]) for name, s in cols if name != "reference"]
        best = _best(values, m.get("higher_is_better"))
        cells = []
        for name, s in cols:
            v = s.get(m["key"])
            cls = "num ref" if name == "reference" else ("num best" if best is not None and v == best else "num")
            cells.append(f"<td class='{cls}'>{e(fmt_value(m, v))}</td>")
        unit = f" <span class='meta'>({e(m['unit'])})</span>" if m.get("unit") else ""
        rows.append(f"<tr><td title='{e(m['definition'])}'>{e(m['label'])}{unit}</td>{''.join(cells)}</tr>")
    return "<table>" + head + "".join(rows) + "</table>"


def _best(values: list[Any], higher: bool | None):
    present = [v for v in values if v is not None]
    if higher is None or len(set(present)) < 2:
        return None
    return max(present) if higher else min(present)


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{data}'>"
