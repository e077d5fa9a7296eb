"""`mhqa evaluate`: every system answers the same held-out questions through the same Assistant.

Reads top to bottom: settings -> run and questions -> test loss (model systems) -> answers per
system -> metrics -> crisis routing on the safety eval set -> report folder (written atomically).

What keeps the comparison honest:
- the questions are the run's *test* split (groups never seen in training, see `mhqa prepare`),
  or a file given with ``--data``; the report says how many of them share an answer with the
  training split (0 for the run's own test split);
- the retrieval systems search an index of the run's train and val entries only, so retrieval
  cannot look the reference answer up;
- decoding is greedy and seeded, so a second evaluation gives the same answers.
"""

from __future__ import annotations

import json
import platform
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from mhqa.errors import ConfigError, DataError, RunError
from mhqa.evaluation import metrics as M

SYSTEMS = ("base", "tuned", "retrieval", "tuned+retrieval")
SYSTEM_LABELS = {
    "base": "base model alone",
    "tuned": "fine-tuned model",
    "retrieval": "retrieval only (nearest FAQ answer)",
    "tuned+retrieval": "fine-tuned model + retrieval grounding",
}
MODEL_SYSTEMS = ("base", "tuned", "tuned+retrieval")
N_EXAMPLES = 5


@dataclass
class EvalSettings:
    """What `mhqa evaluate` runs; the defaults evaluate every system on the run's test split."""

    run_dir: Path | None = None
    data: Path | None = None
    systems: tuple[str, ...] = SYSTEMS
    limit: int | None = None
    seed: int = field(default=42, metadata={"help": "Seed of decoding and of torch."})
    max_new_tokens: int = field(default=200, metadata={"help": "Longest answer in tokens."})
    greedy: bool = field(default=True, metadata={"help": "Argmax decoding (deterministic)."})
    backend: str = field(default="auto", metadata={"help": "auto, transformers or llamacpp."})
    bertscore: bool = field(default=True, metadata={"help": "Compute BERTScore (offline MiniLM backbone)."})
    safety_limit: int | None = field(default=None, metadata={"help": "Cap on safety eval messages (tests)."})
    out: Path | None = None

    def __post_init__(self) -> None:
        unknown = [s for s in self.systems if s not in SYSTEMS]
        if unknown or not self.systems:
            raise ConfigError(f"unknown system(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(SYSTEMS)}")
        if self.limit is not None and self.limit < 1:
            raise ConfigError("--limit must be at least 1")


@dataclass
class EvalResult:
    out_dir: Path
    report: dict[str, Any]


def evaluate(settings: EvalSettings) -> EvalResult:
    """Evaluate the chosen systems and write ``report.{json,md,html}`` and plots.

    Raises:
        RunError: no usable run folder where one is needed.
        DataError: the questions cannot be read or are empty.
        ModelLoadError, ConfigError: from loading models and settings.
    """
    from mhqa.assistant import resolve_run_dir
    from mhqa.console import progress_bar

    _seed_everything(settings.seed)
    run_dir = resolve_run_dir(settings.run_dir)
    systems = _usable_systems(settings.systems, run_dir)
    out_dir = Path(settings.out) if settings.out else (run_dir / "eval" if run_dir else Path("eval"))
    rows, source = _questions(settings, run_dir)
    work = _temp_dir(out_dir)
    try:
        faq_file = _write_index_faq(run_dir, work)
        report = _header(settings, run_dir, source, rows, faq_file, systems)
        with progress_bar() as progress:
            losses = _losses(run_dir, rows, systems, progress)
            answers = {}
            for name in systems["run"]:
                answers[name] = _answer_all(name, run_dir, faq_file, rows, settings, progress)
            safety = _crisis_routing(run_dir, faq_file, settings, progress)
            encoder = _encoder()
            report["systems"] = {name: _system_metrics(name, rows, answers[name], losses.get(name), safety, encoder)
                                 for name in systems["run"]}
            report["bertscore"] = _add_bertscore(report["systems"], rows, answers, settings.bertscore)
        report["skipped_systems"] = systems["skipped"]
        report["reference"] = _reference_metrics(rows)
        report["safety"] = safety
        report["examples"] = _examples(rows, answers)
        report["training"] = _training_summary(run_dir)
        from mhqa.evaluation.report import write_report

        write_report(report, work, run_dir)
        _swap_in(work, out_dir)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return EvalResult(out_dir, report)


# --- inputs -----------------------------------------------------------------------------------------
def _usable_systems(wanted: tuple[str, ...], run_dir: Path | None) -> dict[str, Any]:
    """Systems that can run: the tuned ones need a run folder with an adapter."""
    has_adapter = run_dir is not None and (run_dir / "adapter").is_dir()
    run, skipped = [], {}
    for name in wanted:
        if name.startswith("tuned") and not has_adapter:
            skipped[name] = "no trained run (pass --run DIR of a finished `mhqa train`)"
        else:
            run.append(name)
    if not run:
        raise RunError("nothing to evaluate: " + "; ".join(f"{k}: {v}" for k, v in skipped.items()))
    return {"run": run, "skipped": skipped}


def _questions(settings: EvalSettings, run_dir: Path | None) -> tuple[list[dict], str]:
    """Question/answer rows to evaluate on, and a description of where they came from."""
    if settings.data is not None:
        from mhqa.data import load_pairs

        pairs, _ = load_pairs(settings.data)
        rows = [{"id": p.id, "question": p.question, "answer": p.answer} for p in pairs]
        source = str(settings.data)
    else:
        if run_dir is None or not (run_dir / "data" / "test.jsonl").is_file():
            raise RunError("no run test split to evaluate on: pass --run DIR (a trained run) or --data FILE")
        from mhqa.data import read_jsonl

        rows = [r for r in read_jsonl(run_dir / "data" / "test.jsonl") if r.get("variant", "original") == "original"]
        source = f"{run_dir.name}/data/test.jsonl"
    rows = rows[: settings.limit] if settings.limit else rows
    if not rows:
        raise DataError(f"{source}: no questions to evaluate")
    return rows, source


def _write_index_faq(run_dir: Path | None, work: Path) -> Path | None:
    """A FAQ file of the run's train and val entries (originals + the variants trained on)."""
    if run_dir is None:
        return None  # base model alone: the assistant's default FAQ
    from mhqa.data import read_jsonl

    groups: dict[str, dict[str, Any]] = {}
    for split in ("train", "val"):
        path = run_dir / "data" / f"{split}.jsonl"
        for row in read_jsonl(path) if path.is_file() else []:
            g = groups.setdefault(row["group"], {"id": row.get("source_id") or row["group"], "question": None,
                                                 "answer": row["answer"], "paraphrases": []})
            if row.get("variant", "original") == "original" and g["question"] is None:
                g["question"] = row["question"]
            else:
                g["paraphrases"].append(row["question"])
    entries = []
    for g in groups.values():
        if g["question"] is None:
            g["question"] = g["paraphrases"].pop(0)
        entries.append(g)
    if not entries:
        return None
    path = work / "index_faq.jsonl"
    path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8")
    return path


# --- the systems --------------------------------------------------------------------------------------
def _assistant(name: str, run_dir: Path | None, faq_file: Path | None, settings: EvalSettings | None):
    from mhqa.assistant import Assistant
    from mhqa.backends import GenerationSettings

    gen = None
    if settings is not None:
        gen = GenerationSettings(max_new_tokens=settings.max_new_tokens, greedy=settings.greedy, seed=settings.seed)
    kw: dict[str, Any] = {"faq": faq_file, "settings": gen, "backend": settings.backend if settings else "auto"}
    if name == "base":
        return Assistant.from_run(run_dir, use_adapter=False, retrieval=False, **kw)
    if name == "tuned":
        return Assistant.from_run(run_dir, retrieval=False, **kw)
    if name == "retrieval":
        return Assistant.from_run(run_dir, mode="retrieval", **kw)
    return Assistant.from_run(run_dir, **kw)


def _answer_all(name: str, run_dir: Path | None, faq_file: Path | None, rows: list[dict],
                settings: EvalSettings, progress) -> list[dict]:
    """Every question answered by one system: the reply and the wall time of the call."""
    task = progress.add_task(f"Loading {name}", total=len(rows))
    assistant = _assistant(name, run_dir, faq_file, settings)
    progress.update(task, description=f"Answering: {name}")
    out = []
    for row in rows:
        _seed_everything(settings.seed)
        t0 = time.perf_counter()
        reply = assistant.reply([{"role": "user", "content": row["question"]}])
        out.append({"reply": reply, "wall_s": time.perf_counter() - t0})
        progress.advance(task)
    del assistant
    _free_memory()
    return out


def _losses(run_dir: Path | None, rows: list[dict], systems: dict, progress) -> dict[str, dict]:
    """Test loss of base and tuned (tuned+retrieval shares the tuned model's loss)."""
    if not any(s in MODEL_SYSTEMS for s in systems["run"]) or run_dir is None or not (run_dir / "adapter").is_dir():
        return {}
    from mhqa.evaluation.loss import base_and_tuned_loss

    both = base_and_tuned_loss(run_dir, rows, progress=progress)
    _free_memory()
    out = {"base": both["base"].to_dict(), "tuned": both["tuned"].to_dict()}
    out["tuned+retrieval"] = dict(out["tuned"])
    return out


def _crisis_routing(run_dir: Path | None, faq_file: Path | None, settings: EvalSettings, progress) -> dict[str, Any]:
    """Route the safety eval set's test messages through an Assistant (retrieval mode: no model).

    Crisis messages must come back as the fixed crisis reply; the rest must not.
    """
    from mhqa.safety.evaluate import load_eval_set

    messages = load_eval_set(split="test")
    if settings.safety_limit:
        crisis = [m for m in messages if m["crisis"]][: settings.safety_limit // 2]
        other = [m for m in messages if not m["crisis"]][: settings.safety_limit - len(crisis)]
        messages = crisis + other
    assistant = _assistant("retrieval", run_dir, faq_file, None)
    task = progress.add_task("Crisis routing (safety test set)", total=len(messages))
    routed = {"crisis": [0, 0], "other": [0, 0]}  # [routed to the crisis reply, total]
    misses = []
    for m in messages:
        reply = assistant.reply([{"role": "user", "content": m["text"]}])
        key = "crisis" if m["crisis"] else "other"
        routed[key][0] += int(reply.crisis)
        routed[key][1] += 1
        if reply.crisis != m["crisis"]:
            misses.append(m["id"])  # ids only: the texts stay in the eval set file
        progress.advance(task)
    return {
        "messages": len(messages),
        "crisis_messages": routed["crisis"][1],
        "other_messages": routed["other"][1],
        "crisis_routing_rate": routed["crisis"][0] / routed["crisis"][1] if routed["crisis"][1] else None,
        "false_routing_rate": routed["other"][0] / routed["other"][1] if routed["other"][1] else None,
        "misrouted_ids": misses,
    }


# --- metrics ------------------------------------------------------------------------------------------
def _encoder():
    """The process-wide sentence embedder shared with safety and retrieval (None when it cannot load)."""
    try:
        from mhqa.safety.semantic import embed, get_encoder

        get_encoder()
        return embed
    except RuntimeError:
        return None


def answer_body(text: str) -> str:
    """The answer without the fixed texts the safety layer appends (AI disclosure, help nudge)."""
    from mhqa.safety import add_disclosure

    for fixed in add_disclosure("", suggest_professional=True).split("\n\n"):
        text = text.replace(fixed, "")
    return text.strip()


def _system_metrics(name: str, rows: list[dict], answers: list[dict], loss: dict | None,
                    safety: dict, encoder) -> dict[str, Any]:
    from mhqa.safety import AI_DISCLOSURE

    replies = [a["reply"] for a in answers]
    bodies = [answer_body(r.text) for r in replies]
    refs = [r["answer"] for r in rows]
    lengths = M.length_stats(bodies)
    empathy = M.empathy(bodies)
    walls = [a["wall_s"] for a in answers]
    completion = sum(r.tokens.get("completion", 0) for r in replies)
    gen_time = sum(r.timings.get("total_s", 0.0) for r in replies if r.tokens.get("completion", 0))
    out: dict[str, Any] = {
        "label": SYSTEM_LABELS[name],
        "answers": len(replies),
        "test_loss": (loss or {}).get("test_loss"),
        "test_perplexity": (loss or {}).get("test_perplexity"),
        "rouge_l": M.mean(M.rouge_l(bodies, refs)),
        "semantic_similarity": M.mean(M.cosine_similarity(bodies, refs, encoder)) if encoder else None,
        "bertscore_f1": None,
        "distinct_1": M.distinct_n(bodies, 1),
        "distinct_2": M.distinct_n(bodies, 2),
        "length_mean": lengths["mean"],
        "length_std": lengths["std"],
        "empathy_rate": empathy["rate"],
        "empathy_hits": empathy["hits"],
        "disclosure_rate": M.share([AI_DISCLOSURE in r.text for r in replies]),
        "guard_violations": sum(len(r.guard) for r in replies),
        "guard_rate": M.share([bool(r.guard) for r in replies]),
        "faq_crisis_routed": M.share([r.crisis for r in replies]),
        "crisis_routing_rate": safety.get("crisis_routing_rate"),
        "false_routing_rate": safety.get("false_routing_rate"),
        "latency_p50_s": M.percentile(walls, 50),
        "latency_p95_s": M.percentile(walls, 95),
        "tokens_per_s": completion / gen_time if completion and gen_time > 0 else None,
        "backend": replies[0].backend if replies else None,
        "guard_by_rule": _count(v for r in replies for v in r.guard),
    }
    return out


def _add_bertscore(systems: dict[str, dict], rows: list[dict], answers: dict[str, list], wanted: bool) -> dict[str, Any]:
    from mhqa.evaluation.semantic import BERTSCORE_DESCRIPTION, bertscore_f1

    if not wanted:
        return {"status": "not computed: turned off (--no-bertscore)"}
    refs = [r["answer"] for r in rows]
    try:
        for name, items in answers.items():
            scores = bertscore_f1([answer_body(a["reply"].text) for a in items], refs)
            systems[name]["bertscore_f1"] = M.mean(scores)
    except RuntimeError as exc:
        return {"status": f"not computed: {exc}"}
    return {"status": "computed", "description": BERTSCORE_DESCRIPTION}


def _reference_metrics(rows: list[dict]) -> dict[str, Any]:
    """The reference answers' own length, diversity and empathy: the yardstick for the systems."""
    refs = [r["answer"] for r in rows]
    lengths = M.length_stats(refs)
    empathy = M.empathy(refs)
    return {"label": "reference answers", "answers": len(refs), "distinct_1": M.distinct_n(refs, 1),
            "distinct_2": M.distinct_n(refs, 2), "length_mean": lengths["mean"], "length_std": lengths["std"],
            "empathy_rate": empathy["rate"], "empathy_hits": empathy["hits"]}


def _examples(rows: list[dict], answers: dict[str, list]) -> list[dict[str, Any]]:
    """The same N_EXAMPLES questions (spread over the set) answered by every system."""
    n = len(rows)
    picks = list(range(n)) if n <= N_EXAMPLES else [round(i * (n - 1) / (N_EXAMPLES - 1)) for i in range(N_EXAMPLES)]
    return [{"question": rows[i]["question"], "reference": rows[i]["answer"],
             "answers": {name: {"text": items[i]["reply"].text, "crisis": items[i]["reply"].crisis,
                                "sources": items[i]["reply"].sources, "guard": items[i]["reply"].guard}
                         for name, items in answers.items()}}
            for i in picks]


# --- report header and run facts ---------------------------------------------------------------------
def _header(settings: EvalSettings, run_dir: Path | None, source: str, rows: list[dict], faq_file: Path | None,
            systems: dict) -> dict[str, Any]:
    from importlib import metadata

    info = _run_info(run_dir)
    s = asdict(settings)
    s = {k: (str(v) if isinstance(v, Path) else list(v) if isinstance(v, tuple) else v) for k, v in s.items()}
    try:
        version = metadata.version("mhqa")
    except metadata.PackageNotFoundError:
        version = "dev"
    return {
        "mhqa_version": version,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "run_dir": str(run_dir) if run_dir else None,
        "base_model": info.get("base_model"),
        "settings": s,
        "data": {"source": source, "questions": len(rows), "limit": settings.limit,
                 "answers_seen_in_training": _leak_count(run_dir, rows)},
        "retrieval_index": {"entries": _count_lines(faq_file) if faq_file else None,
                            "from": "the run's train and val splits" if faq_file else "the assistant's default FAQ"},
        "systems_requested": list(settings.systems),
        "python": platform.python_version(),
    }


def _run_info(run_dir: Path | None) -> dict[str, Any]:
    if run_dir is None:
        from mhqa.backends import DEFAULT_BASE

        return {"base_model": DEFAULT_BASE}
    from mhqa.config import load_yaml

    cfg_path = run_dir / "config.yaml"
    raw = load_yaml(cfg_path) if cfg_path.is_file() else {}
    return {"base_model": (raw.get("model") or {}).get("base_model")}


def _leak_count(run_dir: Path | None, rows: list[dict]) -> int | None:
    """How many evaluation answers also appear (whitespace-normalised) in the run's training split."""
    path = run_dir / "data" / "train.jsonl" if run_dir else None
    if path is None or not path.is_file():
        return None
    from mhqa.data import read_jsonl

    seen = {" ".join(r["answer"].split()).lower() for r in read_jsonl(path)}
    return sum(" ".join(r["answer"].split()).lower() in seen for r in rows)


def _training_summary(run_dir: Path | None) -> dict[str, Any] | None:
    path = run_dir / "training_results.json" if run_dir else None
    if path is None or not path.is_file():
        return None
    results = json.loads(path.read_text(encoding="utf-8"))
    keys = ("base_model", "steps", "epochs", "base_val_loss", "final_val_loss", "base_val_perplexity",
            "final_val_perplexity", "initial_train_loss", "final_train_loss", "train_runtime_s", "train_tokens_per_s",
            "trainable_params", "trainable_percent", "device", "dtype")
    return {k: results.get(k) for k in keys} | {"log_history": results.get("log_history", [])}


# --- small helpers ------------------------------------------------------------------------------------
def _seed_everything(seed: int) -> None:
    import random

    random.seed(seed)
    try:
        import torch

        torch.manual_seed(seed)
    except ImportError:  # pragma: no cover - torch is a dependency
        pass


def _free_memory() -> None:
    import gc

    gc.collect()


def _count(items) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in items:
        out[x] = out.get(x, 0) + 1
    return out


def _count_lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _temp_dir(out_dir: Path) -> Path:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    work = out_dir.parent / f".{out_dir.name}.tmp-{int(time.time() * 1000)}"
    work.mkdir()
    return work


def _swap_in(work: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` with the finished ``work`` folder (rename; the old report goes last)."""
    (work / "index_faq.jsonl").unlink(missing_ok=True)
    old = out_dir.parent / f".{out_dir.name}.old-{int(time.time() * 1000)}"
    if out_dir.exists():
        out_dir.rename(old)
    work.rename(out_dir)
    shutil.rmtree(old, ignore_errors=True)
