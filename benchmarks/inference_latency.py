"""Inference latency: the llama.cpp backend against the transformers backend, same run, same prompts.

Each backend answers the same questions through the full Assistant (safety -> retrieval ->
grounded prompt -> generation -> guard -> disclosure), greedy, at most 64 new tokens. The
transformers backend runs in its fastest mode on this CPU: LoRA merged into the weights, KV cache,
fp32 (bf16 autocast only where the CPU has native bf16; see mhqa.models.choose_device). Each
backend runs in its own fresh process, which also measures Assistant start-up (imports, model,
embedding model, FAQ index from the warm on-disk cache) and resident memory while answering.

    python benchmarks/inference_latency.py --run runs/latest            # prints a table
    python benchmarks/inference_latency.py --run RUN --n 12 --max-new-tokens 64

llama.cpp serves what `mhqa chat` would serve: the run's merged GGUF (`RUN/export/model.gguf`).
When the run has none, the benchmark first makes it with `mhqa export --format gguf` (q8_0) and says
so; `--no-export` measures the built-in Q4_1 base GGUF with the adapter applied as a GGUF LoRA instead
(slower: prompt processing of Q4_1 is about half that of q8_0 on this CPU, and the LoRA costs decode time).

Targets (llama.cpp): end-to-end p50 <= 1.0 s, time to first token p50 <= 0.35 s, start-up <= 3 s,
RSS <= 700 MB, speedup over transformers >= 3. Last lines: `llamacpp_p50_s: X.XX`, `speedup: X.XX`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Our own questions, phrased as people ask them (none is copied from a FAQ).
QUESTIONS = [
    "I lie awake every night going over everything, how can I get to sleep?",
    "What is the difference between being sad and being depressed?",
    "My heart pounds and I feel like I'm dying out of nowhere. What is happening?",
    "How do I support a friend who seems really down lately?",
    "Is it worth trying therapy if I can't afford much?",
    "How can I calm down before an exam?",
    "I feel lonely since I moved to a new city. Any advice?",
    "What can I do when work stress is getting on top of me?",
    "How do I know if my worrying is an anxiety problem?",
    "Does exercise actually help with low mood?",
    "What should I expect at a first counselling appointment?",
    "How can I stop scrolling my phone late at night?",
]


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def rss_mb() -> float:
    """Resident memory of this process now (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def measure(run: str | None, backend: str, n: int, max_new_tokens: int) -> dict:
    """Runs inside a fresh process: start-up, then n timed answers (after one warm-up answer)."""
    started = time.perf_counter()
    from mhqa.assistant import Assistant
    from mhqa.backends import GenerationSettings

    assistant = Assistant.from_run(run, backend=backend)
    startup_s = time.perf_counter() - started
    settings = GenerationSettings(max_new_tokens=max_new_tokens, greedy=True)
    questions = (QUESTIONS * (n // len(QUESTIONS) + 1))[:n]
    assistant.reply([{"role": "user", "content": "How can I relax in the evening?"}], settings=settings)  # warm-up
    rows, peak = [], 0.0
    for q in questions:
        reply = assistant.reply([{"role": "user", "content": q}], settings=settings)
        peak = max(peak, rss_mb())
        rows.append({"total_s": reply.timings["total_s"], "first_token_s": reply.timings["first_token_s"],
                     "retrieval_s": reply.timings["retrieval_s"], "prompt": reply.tokens["prompt"],
                     "completion": reply.tokens["completion"], "sources": len(reply.sources)})
    return {"backend": assistant.backend_name, "startup_s": startup_s, "rss_mb": peak, "rows": rows,
            "source": " + LoRA ".join(str(p) for p in (getattr(assistant.backend, "model_path", None),
                                                      getattr(assistant.backend, "lora_path", None)) if p)}


def ensure_gguf_export(run: str | None) -> None:
    """Export the run's merged GGUF (q8_0) when it has none, as a user would before serving."""
    from mhqa.assistant import resolve_run_dir
    from mhqa.backends import run_gguf

    run_dir = resolve_run_dir(run)
    if run_dir is None or run_gguf(run_dir) is not None:
        return
    from mhqa.export import export

    result = export(run_dir, "gguf")
    print(f"exported {result.path} ({result.details['quant']}) in {result.seconds:.1f} s", flush=True)


def run_phase(args, backend: str) -> dict:
    cmd = [sys.executable, __file__, "--phase", backend, "--n", str(args.n), "--max-new-tokens", str(args.max_new_tokens)]
    if args.run:
        cmd += ["--run", args.run]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env={**os.environ, "TOKENIZERS_PARALLELISM": "false"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def summarise(res: dict) -> dict:
    rows = res["rows"]
    total = [r["total_s"] for r in rows]
    gen_tokens = sum(r["completion"] for r in rows)
    gen_time = sum(r["total_s"] - r["first_token_s"] for r in rows)
    return {
        "backend": res["backend"], "n": len(rows),
        "p50_s": percentile(total, 50), "p95_s": percentile(total, 95),
        "ttft_p50_s": percentile([r["first_token_s"] for r in rows], 50),
        "retrieval_p50_ms": 1000 * percentile([r["retrieval_s"] for r in rows], 50),
        "prompt_tokens": statistics.mean(r["prompt"] for r in rows),
        "completion_tokens": statistics.mean(r["completion"] for r in rows),
        "decode_tok_s": gen_tokens / gen_time if gen_time > 0 else float("nan"),
        "startup_s": res["startup_s"], "rss_mb": res["rss_mb"], "source": res["source"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", default=None, help="run folder (default runs/latest, else the base model)")
    parser.add_argument("--n", type=int, default=12, help="timed questions per backend")
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--no-export", action="store_true",
                        help="do not export a merged GGUF when the run has none (base GGUF + LoRA GGUF instead)")
    parser.add_argument("--phase", choices=["llamacpp", "transformers"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:  # child process
        print(json.dumps(measure(args.run, args.phase, args.n, args.max_new_tokens)))
        return
    if not args.no_export:
        ensure_gguf_export(args.run)
    results = {kind: summarise(run_phase(args, kind)) for kind in ("transformers", "llamacpp")}
    cols = [("p50_s", "e2e p50 s", "{:.2f}"), ("p95_s", "e2e p95 s", "{:.2f}"), ("ttft_p50_s", "TTFT p50 s", "{:.3f}"),
            ("retrieval_p50_ms", "retr. ms", "{:.1f}"), ("prompt_tokens", "prompt tok", "{:.0f}"),
            ("completion_tokens", "answer tok", "{:.1f}"), ("decode_tok_s", "decode tok/s", "{:.1f}"),
            ("startup_s", "start-up s", "{:.2f}"), ("rss_mb", "RSS MB", "{:.0f}")]
    print(f"run: {args.run or 'runs/latest (or base model)'}; {results['llamacpp']['n']} questions, greedy, "
          f"<= {args.max_new_tokens} new tokens; cpu cores: {os.cpu_count()}; load avg: {os.getloadavg()[0]:.2f}")
    print(f"llama.cpp model: {results['llamacpp']['source']}")
    print(f"| {'backend':<13}| " + " | ".join(f"{h:>12}" for _, h, _ in cols) + " |")
    print("|" + "-" * 14 + "|" + "|".join("-" * 14 for _ in cols) + "|")
    for kind, s in results.items():
        print(f"| {kind:<13}| " + " | ".join(f"{fmt.format(s[key]):>12}" for key, _, fmt in cols) + " |")
    speedup = results["transformers"]["p50_s"] / results["llamacpp"]["p50_s"]
    print(f"llamacpp_ttft_p50_s: {results['llamacpp']['ttft_p50_s']:.3f}")
    print(f"llamacpp_startup_s: {results['llamacpp']['startup_s']:.2f}")
    print(f"llamacpp_rss_mb: {results['llamacpp']['rss_mb']:.0f}")
    print(f"llamacpp_p50_s: {results['llamacpp']['p50_s']:.2f}")
    print(f"speedup: {speedup:.2f}")


if __name__ == "__main__":
    main()
