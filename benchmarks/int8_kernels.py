"""The safety encoders' int8 layers on this CPU: weights as int8 or as uint8 (zero point 128) against float32.

    .venv/bin/python benchmarks/int8_kernels.py              # our eval set's messages, 2 rounds
    .venv/bin/python benchmarks/int8_kernels.py --limit 200 --rounds 1

ONNX Runtime's ``DynamicQuantizeMatMul`` quantises activations to uint8. With int8 weights it multiplies with
``vpmaddubsw`` on x86 CPUs without VNNI, whose 16-bit pair sums saturate; with the same integers stored as uint8
(zero point 128) it takes the uint8 x uint8 kernel, which is exact. ``mhqa.safety.onnx_layers.weight_format`` picks
int8 only where VNNI makes that kernel exact. For each encoder the detector runs (the crisis MiniLM and the
all-mpnet-base-v2 member) this prints, per weight format: the cosine of the sentence embedding to float32's (mean,
worst), the encode time per message (p50, p99) and its ratio to float32's in the same run, and which format this CPU
picks.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="at most this many messages (0: all)")
    args = ap.parse_args()

    import os

    import numpy as np

    from mhqa.models.device import cpu_flags
    from mhqa.safety.evaluate import load_eval_set
    from mhqa.safety.normalize import normalize
    from mhqa.safety.onnx_layers import weight_format
    from mhqa.safety.semantic import get_member_encoders, get_safety_encoder

    texts = [normalize(r["text"]) for r in load_eval_set()]
    texts = texts[: args.limit] if args.limit else texts
    picked = weight_format()
    vnni = sorted(cpu_flags() & {"avx512_vnni", "avx_vnni", "amx_int8"}) or ["none"]
    print(f"{len(texts)} messages, {args.rounds} rounds; VNNI flags: {', '.join(vnni)}; this CPU's int8 weights: {picked}")
    print(f"{'encoder':<10} {'layers':<22} {'cos mean':>8} {'cos min':>8} {'p50 ms':>7} {'p99 ms':>7} {'x float32':>9}")
    encoders = [("MiniLM", get_safety_encoder())] + [(f"member {k}", e) for k, e in enumerate(get_member_encoders(), 1)]
    for name, encoder in encoders:
        ref = None
        base_p50 = None
        for label, int8, fmt in (("float32", False, None), ("int8 weights (s8)", True, "s8"),
                                 ("uint8 weights (u8)", True, "u8")):
            if fmt:
                os.environ["MHQA_INT8_WEIGHTS"] = fmt
            runner = encoder.with_onnx(int8=int8)
            runner.encode(texts[:2])  # builds the session
            os.environ.pop("MHQA_INT8_WEIGHTS", None)
            times, emb = [], None
            for _ in range(args.rounds):
                out = []
                for t in texts:
                    t0 = time.perf_counter()
                    out.append(runner.encode_one(t))
                    times.append((time.perf_counter() - t0) * 1000)
                emb = np.stack(out)
            ref = emb if ref is None else ref
            cos = (emb * ref).sum(1) / (np.linalg.norm(emb, axis=1) * np.linalg.norm(ref, axis=1) + 1e-12)
            p50, p99 = np.percentile(times, 50), np.percentile(times, 99)
            base_p50 = base_p50 or p50
            mark = " <- picked" if fmt == picked else ""
            print(f"{name:<10} {label:<22} {cos.mean():8.4f} {cos.min():8.4f} {p50:7.2f} {p99:7.2f} "
                  f"{p50 / base_p50:9.2f}{mark}")


if __name__ == "__main__":
    main()
