"""The terminal summary of an evaluation: the systems side by side, then where the report went."""

from __future__ import annotations

from rich.table import Table

from mhqa.console import console
from mhqa.evaluation.report import METRICS, fmt_value

SUMMARY_KEYS = ("test_loss", "test_perplexity", "rouge_l", "semantic_similarity", "bertscore_f1", "distinct_2",
                "length_mean", "empathy_rate", "disclosure_rate", "guard_violations", "crisis_routing_rate",
                "false_routing_rate", "latency_p50_s", "latency_p95_s", "tokens_per_s")


def print_summary(result) -> None:
    report = result.report
    table = Table(title=f"{report['data']['questions']} questions from {report['data']['source']}")
    table.add_column("metric")
    cols = list(report["systems"].items()) + [("reference", report["reference"])]
    for name, _ in cols:
        table.add_column(name, justify="right")
    for m in METRICS:
        if m["key"] in SUMMARY_KEYS:
            table.add_row(m["label"], *(fmt_value(m, s.get(m["key"])) for _, s in cols))
    console.print(table)
    for name, why in report.get("skipped_systems", {}).items():
        console.print(f"[yellow]{name} skipped:[/yellow] {why}")
    console.print(f"report: {result.out_dir / 'report.html'}  (also report.md, report.json, plots/)")
