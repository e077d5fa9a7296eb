"""Latency of mhqa.safety.assess vs the four-keyword baseline, on the same messages.

    .venv/bin/python benchmarks/safety_latency.py            # all eval-set messages, 3 rounds
    .venv/bin/python benchmarks/safety_latency.py --rounds 1 --split test
    .venv/bin/python benchmarks/safety_latency.py --counsel-chat ../shared/data/20200325_counsel_chat.csv

Prints p50/p95/p99 per message (ms) for: the keyword baseline, our pattern layer alone, the full
assess (patterns + embedding classifier, model already loaded) with the encoder's layers on ONNX
Runtime in float32 and in int8 (the shipped classifier says which one the detector runs) and on NumPy
(the fallback), with an ensemble also the first encoder alone and, with an all-mpnet-base-v2 member, the MiniLM
encoders alone (what the further encoders cost) and as shipped without the second reading of unflagged multi-sentence messages two
sentences at a time (mhqa.safety.assess._risky_window) and with that pass reading every pair with the whole ensemble
(no first reading by the MiniLM pair alone), plus ratios to
the baseline and the one-off
cost of loading the model. With --counsel-chat the messages are CounselChat's 824 real questions
(mean ~330 characters, up to ~2,700: long ones are scored in several chunks) instead of our eval set. The in-process cache of assess is cleared before every call, so every
message is really scored. CPU time counts every thread of the process (ONNX Runtime uses up to 2).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def percentiles(xs: list[float]) -> tuple[float, float, float]:
    s = sorted(xs)
    pick = lambda q: s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))]  # noqa: E731
    return pick(50), pick(95), pick(99)


def timed(fn, texts: list[str], rounds: int, before=None) -> tuple[list[float], list[float]]:
    """Wall-clock and process CPU milliseconds per call (CPU time shows the work itself on a busy machine)."""
    wall, cpu = [], []
    for _ in range(rounds):
        for t in texts:
            if before:
                before()
            w0, c0 = time.perf_counter(), time.process_time()
            fn(t)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default=None, help="dev, test or all (default)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--counsel-chat", type=Path, default=None, help="time CounselChat's real questions (its CSV)")
    args = ap.parse_args()

    t0 = time.perf_counter()
    import mhqa.safety as safety
    from mhqa.safety import assess as assess_module_fn  # noqa: F401  (the function)
    from mhqa.safety.evaluate import load_counsel_chat, load_eval_set
    from mhqa.safety.patterns import keyword_baseline

    assess_module = sys.modules["mhqa.safety.assess"]
    import_s = time.perf_counter() - t0
    if args.counsel_chat:
        texts = [r["text"] for r in load_counsel_chat(args.counsel_chat, split=args.split)]
    else:
        texts = [r["text"] for r in load_eval_set(split=args.split)]
    t1 = time.perf_counter()
    safety.assess("warm-up message")  # loads the embedding model once
    load_s = time.perf_counter() - t1

    clear = assess_module._CACHE.clear
    from mhqa.safety.semantic import get_member_encoders, get_safety_encoder

    # the first encoder and an ensemble's further ones (each message runs through all of them)
    encoders = [get_safety_encoder(), *get_member_encoders()]
    encoder = encoders[0]
    runtime, shipped = encoder.runtime, [e._onnx for e in encoders]
    rows = [
        ("keyword baseline", timed(keyword_baseline, texts, args.rounds)),
        ("ours: patterns only", timed(lambda t: safety.assess(t, semantic=False), texts, args.rounds, clear)),
    ]
    # the full assess with the encoder's layers as shipped, in the other ONNX precision (same weights) and
    # in NumPy, the rounds interleaved so that the machine's load weighs on each alike
    full = {"ours: full (numpy)": [False] * len(encoders)}
    if runtime != "numpy":
        from mhqa.safety.onnx_layers import OnnxLayers

        precision = shipped[0].precision
        other = [OnnxLayers(e.layers, int8=precision != "int8", **e.layer_shape()) for e in encoders]
        full = {f"ours: full (onnx {precision})*": shipped, f"ours: full (onnx {other[0].precision})": other, **full}
    # ... and as shipped without the second reading two sentences at a time of the messages it does not flag
    windows_off = "ours: full, no 2-sentence pass"
    # ... and with that pass reading every pair with the whole ensemble (no first reading by the MiniLM pair alone)
    every_pair = "ours: full, ensemble reads every pair"
    first_reading = assess_module._FIRST_READING_P
    runs = {**full, windows_off: shipped, every_pair: shipped}
    timings = {name: ([], []) for name in runs}
    max_windows = assess_module._MAX_WINDOWS
    for _ in range(args.rounds):
        for name, layers in runs.items():
            for e, each in zip(encoders, layers):
                e._onnx = each
            assess_module._MAX_WINDOWS = 0 if name == windows_off else max_windows
            assess_module._FIRST_READING_P = 0.0 if name == every_pair else first_reading
            wall, cpu = timed(safety.assess, texts, 1, clear)
            timings[name][0].extend(wall)
            timings[name][1].extend(cpu)
    assess_module._MAX_WINDOWS, assess_module._FIRST_READING_P = max_windows, first_reading
    for e, each in zip(encoders, shipped):
        e._onnx = each
    rows += list(timings.items())
    if len(encoders) > 1:  # what the ensemble costs: fewer encoders, as shipped otherwise
        import dataclasses

        from mhqa.safety import semantic

        load, members = semantic.load_classifier, semantic._state["member_encoders"]
        clf = load()
        subsets = [("ours: full, 1st encoder only", [])]
        minilm = [k for k, m in enumerate(clf.members) if m.model == semantic.MODEL_ID]
        if len(minilm) < len(clf.members):
            subsets.insert(0, ("ours: full, MiniLM only", minilm))
        for name, keep in subsets:
            fewer = dataclasses.replace(clf, members=tuple(clf.members[k] for k in keep))
            semantic.load_classifier = lambda path=None, fewer=fewer: fewer
            semantic._state["member_encoders"] = [members[k] for k in keep]
            try:
                rows.append((name, timed(safety.assess, texts, args.rounds, clear)))
            finally:
                semantic.load_classifier, semantic._state["member_encoders"] = load, members
    base = percentiles(rows[0][1][0])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{len(encoders)} fine-tuned encoder(s) per message; {len(texts)} messages x {args.rounds} rounds; import {import_s:.2f} s, model load + first call {load_s:.2f} s; "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    print(f"{'system':<26}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'p99/base':>10} | {'CPU p50':>8}{'CPU p95':>8}{'CPU p99':>8}")
    for name, (wall, cpu) in rows:
        p50, p95, p99 = percentiles(wall)
        c50, c95, c99 = percentiles(cpu)
        print(f"{name:<26}{p50:>9.3f}{p95:>9.3f}{p99:>9.3f}{p99 / base[2]:>9.0f}x | {c50:>8.3f}{c95:>8.3f}{c99:>8.3f}")
    onnx = {layers[0].precision: percentiles(timings[name][0]) for name, layers in full.items() if layers[0]}
    if {"int8", "float32"} <= set(onnx):
        print(f"int8 / float32 layers: p50 {onnx['int8'][0] / onnx['float32'][0]:.2f}x, "
              f"p99 {onnx['int8'][2] / onnx['float32'][2]:.2f}x")
    shipped_p99 = percentiles(timings[next(iter(full))][0])[2]
    print(f"2-sentence pass: p99 {shipped_p99 / percentiles(timings[windows_off][0])[2]:.2f}x without it")
    shipped_p95 = percentiles(timings[next(iter(full))][0])[1]
    every = percentiles(timings[every_pair][0])
    print(f"first reading of its pairs by the MiniLM pair: p50 {percentiles(timings[next(iter(full))][0])[0] / every[0]:.2f}x, "
          f"p95 {shipped_p95 / every[1]:.2f}x, p99 {shipped_p99 / every[2]:.2f}x of the ensemble reading every pair")
    print("* the precision the shipped classifier's thresholds were picked for (encoder_precision in classifier.json)")
    print("target: p99 <= 20 ms per message for the full assess once loaded (wall clock, idle machine)")


if __name__ == "__main__":
    main()
