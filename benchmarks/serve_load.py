"""Load on `mhqa serve`: many concurrent clients against 127.0.0.1, and how fast crisis replies stay
while generation is saturated (they skip the model queue).

    python benchmarks/serve_load.py                      # runs/latest (else the base model), 16 clients
    python benchmarks/serve_load.py --run runs/x --clients 16 --requests 2 --max-tokens 48

Starts `mhqa serve` in a child process on a free 127.0.0.1 port, then:
1. idle: crisis messages one after another (the safety path alone);
2. saturated: ``--clients`` threads each send ``--requests`` FAQ questions (non-streaming, half of
   them streaming) while one prober sends a crisis message every 50 ms until they finish.
Every reply is checked (FAQ questions: a non-empty, non-crisis answer; crisis: flagged with help
lines) and the table prints latency percentiles per scenario. Traffic is bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

QUESTIONS = [
    "How can I sleep better when I feel stressed?",
    "What is the difference between sadness and depression?",
    "How do I find a therapist?",
    "What can I do during a panic attack?",
    "How can I support a friend who seems low?",
    "Is it normal to feel anxious before exams?",
    "What does a counsellor actually do?",
    "How do I cope with loneliness?",
]
CRISIS = [
    "I want to kill myself",
    "I can't go on anymore, I want to end my life tonight",
    "I have taken all my pills",
    "I keep cutting myself and I can't stop",
]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args, port: int, log_file) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from mhqa.cli import main; main()", "serve", "--host", "127.0.0.1",
           "--port", str(port), "--backend", args.backend, "--queue-size", str(max(32, args.clients * 2)),
           "--log-level", "warning"]
    if args.run:
        cmd += ["--run", str(args.run)]
    env = {**os.environ, "MHQA_API_KEY": ""}
    return subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, env=env)


def wait_ready(url: str, proc: subprocess.Popen, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with code {proc.returncode}")
        try:
            r = httpx.get(url + "/health", timeout=2)
            if r.status_code == 200:
                return r.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not become ready within {timeout:.0f} s")


def chat(client: httpx.Client, url: str, text: str, *, stream: bool, max_tokens: int) -> tuple[float, float, str, dict]:
    """One request: (total seconds, first-content seconds, text, mhqa extension)."""
    body = {"model": "mhqa", "messages": [{"role": "user", "content": text}], "max_tokens": max_tokens,
            "stream": stream}
    t0 = time.perf_counter()
    if not stream:
        r = client.post(url + "/v1/chat/completions", json=body)
        r.raise_for_status()
        data = r.json()
        total = time.perf_counter() - t0
        return total, total, data["choices"][0]["message"]["content"], data["mhqa"]
    parts, ext, first = [], {}, None
    with client.stream("POST", url + "/v1/chat/completions", json=body) as r:
        r.raise_for_status()
        for line in r.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            obj = json.loads(line[6:])
            for choice in obj.get("choices", []):
                piece = choice.get("delta", {}).get("content")
                if piece:
                    first = first or time.perf_counter() - t0
                    parts.append(piece)
            ext = obj.get("mhqa") or ext
    total = time.perf_counter() - t0
    return total, first or total, ext.get("final_text") or "".join(parts), ext


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def crisis_probe(url: str, n: int | None, stop: threading.Event | None, gap: float, errors: list) -> list[float]:
    latencies = []
    with httpx.Client(timeout=30) as client:
        i = 0
        while (n is None or i < n) and not (stop is not None and stop.is_set()):
            total, _, text, ext = chat(client, url, CRISIS[i % len(CRISIS)], stream=False, max_tokens=16)
            if not ext.get("crisis") or not ext.get("resources"):
                errors.append("a crisis message was not flagged")
            latencies.append(total)
            i += 1
            if gap:
                time.sleep(gap)
    return latencies


def run(args) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log_file:
        proc = start_server(args, port, log_file)
        try:
            t0 = time.perf_counter()
            health = wait_ready(url, proc, args.startup_timeout)
            print(f"server ready in {time.perf_counter() - t0:.1f} s: backend={health['backend']} "
                  f"queue={health['queue']['capacity']} clients={args.clients} x {args.requests} requests, "
                  f"max_tokens={args.max_tokens}", flush=True)
            errors: list[str] = []
            with httpx.Client(timeout=60) as warm:  # load lazy parts (retrieval, caches) before timing
                chat(warm, url, QUESTIONS[0], stream=False, max_tokens=8)
            idle = crisis_probe(url, args.crisis_idle, None, 0.0, errors)

            normal_total, normal_first = [], []
            lock = threading.Lock()

            def client_job(i: int) -> None:
                with httpx.Client(timeout=args.request_timeout) as client:
                    for j in range(args.requests):
                        stream = (i + j) % 2 == 1
                        total, first, text, ext = chat(client, url, QUESTIONS[(i + j) % len(QUESTIONS)],
                                                       stream=stream, max_tokens=args.max_tokens)
                        ok = bool(text.strip()) and ext.get("crisis") is False
                        with lock:
                            normal_total.append(total)
                            normal_first.append(first)
                            if not ok:
                                errors.append("a FAQ question got an empty or crisis reply")

            stop = threading.Event()
            loaded: list[float] = []
            prober = threading.Thread(target=lambda: loaded.extend(crisis_probe(url, None, stop, 0.05, errors)))
            t_load = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                futures = [pool.submit(client_job, i) for i in range(args.clients)]
                time.sleep(0.5)  # let the queue fill before probing
                prober.start()
                for f in futures:
                    try:
                        f.result()
                    except Exception as exc:  # counted, not fatal: the table shows failures
                        errors.append(f"{type(exc).__name__}: {exc}")
            stop.set()
            prober.join(timeout=60)
            wall = time.perf_counter() - t_load
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()

    ms = lambda xs, q: f"{pct(xs, q) * 1000:9.1f}"  # noqa: E731
    print()
    print(f"| {'scenario':<44} | {'n':>4} | {'p50 ms':>9} | {'p95 ms':>9} | {'p99 ms':>9} | {'max ms':>9} |")
    print(f"|{'-' * 46}|{'-' * 6}|{'-' * 11}|{'-' * 11}|{'-' * 11}|{'-' * 11}|")
    rows = [("crisis reply, idle server", idle),
            ("crisis reply, generation saturated", loaded),
            (f"FAQ answer, {args.clients} concurrent clients (total)", normal_total),
            (f"FAQ answer, {args.clients} clients (first content)", normal_first)]
    for name, xs in rows:
        print(f"| {name:<44} | {len(xs):>4} | {ms(xs, 50)} | {ms(xs, 95)} | {ms(xs, 99)} | {ms(xs, 100)} |")
    done = len(normal_total)
    print()
    print(f"FAQ answers: {done}/{args.clients * args.requests} correct in {wall:.1f} s "
          f"({done / wall:.2f} answers/s); crisis probes under load: {len(loaded)}; "
          f"problems: {len(errors)}")
    for e in sorted(set(errors))[:5]:
        print("  -", e)
    if loaded:
        verdict = "meets" if pct(loaded, 99) < 0.100 else "MISSES"
        print(f"crisis p99 under saturation {pct(loaded, 99) * 1000:.1f} ms: {verdict} the 100 ms target")
    if errors:
        raise SystemExit(1)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--run", type=Path, default=None, help="run folder (default: runs/latest, else the base model)")
    p.add_argument("--backend", default="auto", help="auto, transformers or llamacpp")
    p.add_argument("--clients", type=int, default=16, help="concurrent clients asking FAQ questions")
    p.add_argument("--requests", type=int, default=2, help="questions per client")
    p.add_argument("--max-tokens", type=int, default=48, help="max_tokens per answer")
    p.add_argument("--crisis-idle", type=int, default=50, help="crisis requests on the idle server")
    p.add_argument("--startup-timeout", type=float, default=300)
    p.add_argument("--request-timeout", type=float, default=600)
    args = p.parse_args()
    if args.clients < 1 or args.clients > 64 or args.requests < 1 or args.requests > 20:
        p.error("keep the load bounded: 1-64 clients, 1-20 requests each")
    run(args)


if __name__ == "__main__":
    main()
