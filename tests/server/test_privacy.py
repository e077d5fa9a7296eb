"""Privacy: a unique marker sent through every endpoint of a real `mhqa serve` process (debug
logging on) appears in no log output and in no file under the run, cache or working folders."""

from __future__ import annotations

import os
import signal
import uuid
from pathlib import Path

import httpx
import openai

from server_helpers import CRISIS, free_port, serve_subprocess, wait_http


def _files_containing(roots: list[Path], needle: bytes) -> list[Path]:
    found = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file() and not path.is_symlink():
                try:
                    if needle in path.read_bytes():
                        found.append(path)
                except OSError:
                    pass
    return found


def test_message_content_never_reaches_logs_or_disk(tiny_run, tmp_path):
    marker = f"zqx{uuid.uuid4().hex}"
    cache, hf, work = tmp_path / "cache", tmp_path / "hf", tmp_path / "work"
    for d in (cache, hf, work):
        d.mkdir()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "server.log"
    env = {"MHQA_CACHE_DIR": str(cache), "HF_HOME": str(hf), "HF_HUB_OFFLINE": "1", "MHQA_API_KEY": ""}
    proc = serve_subprocess(["--run", str(tiny_run), "--port", str(port), "--backend", "transformers",
                             "--log-level", "debug"], env, work, log_path)
    try:
        wait_http(url + "/health", proc)
        client = openai.OpenAI(base_url=url + "/v1", api_key="unused", max_retries=0, timeout=120)
        question = [{"role": "user", "content": f"How do I handle stress {marker}?"}]
        crisis = [{"role": "user", "content": f"{CRISIS} {marker}"}]
        client.chat.completions.create(model="mhqa", messages=question, max_tokens=8)
        list(client.chat.completions.create(model="mhqa", messages=question, max_tokens=8, stream=True))
        client.chat.completions.create(model="mhqa", messages=crisis)
        list(client.chat.completions.create(model="mhqa", messages=crisis, stream=True))
        history = [{"role": "system", "content": marker}, {"role": "assistant", "content": marker}, *question]
        client.chat.completions.create(model="mhqa", messages=history, max_tokens=4, user=marker)
        assert httpx.post(url + "/v1/safety/check", json={"text": marker}).status_code == 200
        assert httpx.post(url + "/v1/safety/check", json={"messages": crisis}).status_code == 200
        # error paths: the marker in broken JSON, an invalid schema, an oversized body and a URL
        bad = [(b'{"messages": [{"role": "user", "content": "' + marker.encode(), 422),
               (f'{{"messages": [{{"role": "{marker}", "content": "x"}}]}}'.encode(), 422),
               (f'{{"messages": [{{"role": "user", "content": "{marker * 5000}"}}]}}'.encode(), 413)]
        for body, status in bad:
            r = httpx.post(url + "/v1/chat/completions", content=body, headers={"Content-Type": "application/json"})
            assert r.status_code == status
        assert httpx.get(f"{url}/v1/{marker}?q={marker}").status_code == 404
        assert httpx.get(f"{url}/?q={marker}").status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except Exception:
            proc.kill()
            proc.wait(timeout=10)
    log = log_path.read_text(encoding="utf-8", errors="replace")
    assert "POST /v1/chat/completions 200" in log  # the access log is on and was captured
    assert "GET <unmatched> 404" in log
    assert marker not in log
    roots = [tiny_run, cache, hf, work]
    assert _files_containing(roots, marker.encode()) == []
    assert not any(work.iterdir()), "the server wrote into its working folder"
    assert os.path.isdir(cache)
