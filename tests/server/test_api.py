"""The HTTP API against the real Assistant on a tiny trained run, through the official OpenAI client
and raw HTTP: replies, streaming, the crisis path, limits, errors, auth, CORS and the queue."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import openai
import pytest

from server_helpers import CRISIS, live_server

QUESTION = "How can I sleep better when I feel stressed?"


@pytest.fixture(scope="module")
def client(server) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=120)


def _chat(server, body, **kw) -> httpx.Response:
    return httpx.post(server.url + "/v1/chat/completions", json=body, timeout=120, **kw)


def test_health_and_models(server, client):
    health = httpx.get(server.url + "/health").json()
    assert health["status"] == "ok" and health["backend"] == "transformers" and health["auth_required"] is False
    assert health["queue"]["capacity"] == 32
    # the crisis classifier was loaded at start-up, the whole ensemble (no fallback)
    assert health["safety"].startswith("loaded (onnxruntime") and "fallback" not in health["safety"], health["safety"]
    assert [m.id for m in client.models.list()] == ["mhqa"]


def test_chat_completion_with_openai_client(client):
    resp = client.chat.completions.create(model="mhqa", messages=[{"role": "user", "content": QUESTION}],
                                          max_tokens=12, temperature=0)
    assert resp.id.startswith("chatcmpl-") and resp.object == "chat.completion" and resp.model == "mhqa"
    choice = resp.choices[0]
    assert choice.message.role == "assistant" and choice.message.content.strip()
    assert choice.finish_reason in ("stop", "length")
    assert resp.usage.prompt_tokens > 0 and 0 < resp.usage.completion_tokens <= 12
    assert resp.usage.total_tokens == resp.usage.prompt_tokens + resp.usage.completion_tokens
    ext = resp.model_extra["mhqa"]
    assert ext["crisis"] is False and ext["level"] == "none" and ext["resources"] == []
    assert ext["sources"], "the sleep question should be grounded in a FAQ entry"
    assert len(ext["source_questions"]) == len(ext["sources"])
    assert "AI" in ext["disclaimer"]


def test_streaming_matches_the_plain_reply(client):
    messages = [{"role": "user", "content": QUESTION}]
    plain = client.chat.completions.create(model="mhqa", messages=messages, max_tokens=12, temperature=0)
    stream = client.chat.completions.create(model="mhqa", messages=messages, max_tokens=12, temperature=0,
                                            stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    ext = next(c.model_extra["mhqa"] for c in chunks if c.model_extra.get("mhqa"))
    final = ext.get("final_text") or text
    assert final == plain.choices[0].message.content
    assert chunks[0].choices[0].delta.role == "assistant"
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] in ("stop", "length")
    assert chunks[-1].usage is not None and chunks[-1].usage.total_tokens == plain.usage.total_tokens
    assert ext["crisis"] is False


def test_sse_wire_format_ends_with_done(server):
    with httpx.stream("POST", server.url + "/v1/chat/completions", timeout=120,
                      json={"messages": [{"role": "user", "content": QUESTION}], "max_tokens": 8, "stream": True}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = [line for line in r.iter_lines() if line]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]"
    assert json.loads(events[0][6:])["object"] == "chat.completion.chunk"


def test_crisis_is_answered_by_the_safety_layer_with_local_help_lines(client):
    resp = client.chat.completions.create(model="mhqa", messages=[{"role": "user", "content": CRISIS}],
                                          extra_body={"locale": "en-GB"})
    ext = resp.model_extra["mhqa"]
    assert ext["crisis"] is True and ext["level"] in ("urgent", "emergency")
    assert "suicide" in " ".join(ext["categories"]) or ext["categories"]
    assert any(r["name"] == "Samaritans" and r["phone"] == "116 123" for r in ext["resources"])
    assert ext["emergency"] == "999" and ext["country"] == "GB"
    assert "116 123" in resp.choices[0].message.content
    assert resp.usage.completion_tokens == 0  # no model was asked


@pytest.mark.parametrize("text,accept", [("quiero morirme", "es-US,es;q=0.9"), ("मैं मरना चाहता हूँ", "hi-IN,hi;q=0.9"),
                                         ("我想死", "zh-CN")])
def test_a_crisis_written_in_another_language_is_answered_by_the_safety_layer(client, text, accept):
    resp = client.chat.completions.create(model="mhqa", messages=[{"role": "user", "content": text}],
                                          extra_headers={"Accept-Language": accept})
    ext = resp.model_extra["mhqa"]
    assert ext["crisis"] is True and ext["level"] == "urgent" and resp.usage.completion_tokens == 0
    if accept.startswith("es-US"):
        assert "text AYUDA" in resp.choices[0].message.content and ext["country"] == "US"
        assert resp.choices[0].message.content.startswith("Gracias por contármelo")  # a line in Spanish first
    elif accept.startswith("hi-IN"):
        assert ext["country"] == "IN"


def test_crisis_stream_and_accept_language(server, client):
    stream = client.chat.completions.create(model="mhqa", messages=[{"role": "user", "content": CRISIS}], stream=True,
                                            extra_headers={"Accept-Language": "en-AU,en;q=0.8"})
    chunks = list(stream)
    ext = next(c.model_extra["mhqa"] for c in chunks if c.model_extra.get("mhqa"))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert ext["crisis"] and ext["country"] == "AU" and "13 11 14" in text


def test_a_crisis_earlier_in_the_conversation_keeps_safe_mode(client):
    messages = [{"role": "user", "content": CRISIS}, {"role": "assistant", "content": "I'm here."},
                {"role": "user", "content": "ok"}]
    resp = client.chat.completions.create(model="mhqa", messages=messages)
    assert resp.model_extra["mhqa"]["crisis"] is True


def test_a_short_reply_is_read_with_the_assistants_question(client):
    asked = [{"role": "user", "content": "everything feels like a lot lately"},
             {"role": "assistant", "content": "I'm sorry it's been so heavy. Are you having thoughts of ending your life?"}]
    yes = client.chat.completions.create(model="mhqa", messages=[*asked, {"role": "user", "content": "yeah"}])
    assert yes.model_extra["mhqa"]["crisis"] is True and "988" in yes.choices[0].message.content
    # alone, a content-free reply is not a crisis (the classifier once scored "ok" as urgent)
    ok = client.chat.completions.create(model="mhqa", messages=[{"role": "user", "content": "ok"}], max_tokens=4)
    assert ok.model_extra["mhqa"]["crisis"] is False


def test_a_no_to_the_direct_question_ends_the_safe_mode_a_check_in_flag_began(client):
    # "gonna go for a walk" is flagged by the classifier alone (tests/safety/test_check_in.py)
    said = [{"role": "user", "content": "gonna go for a walk"}]
    first = client.chat.completions.create(model="mhqa", messages=said)
    text = first.choices[0].message.content
    assert first.model_extra["mhqa"]["crisis"] is True and "988" in text and "ask you directly" in text
    said += [{"role": "assistant", "content": text}, {"role": "user", "content": "nope, I meant an actual walk lol"}]
    no = client.chat.completions.create(model="mhqa", messages=said)
    assert no.model_extra["mhqa"]["crisis"] is False and "sorry if I misread you" in no.choices[0].message.content
    said += [{"role": "assistant", "content": no.choices[0].message.content},
             {"role": "user", "content": "What is cognitive behavioural therapy?"}]
    later = client.chat.completions.create(model="mhqa", messages=said, max_tokens=4)
    assert later.model_extra["mhqa"]["crisis"] is False and "988" not in later.choices[0].message.content


def test_safety_check(server):
    url = server.url + "/v1/safety/check"
    hit = httpx.post(url, json={"text": CRISIS, "locale": "en-US"}).json()
    assert hit["crisis"] is True and hit["emergency"] == "911" and "988" in hit["reply"]
    assert any(r["phone"] == "988" for r in hit["resources"])
    calm = httpx.post(url, json={"text": "What is cognitive behavioural therapy?"}).json()
    assert calm["crisis"] is False and calm["reply"] is None and calm["language"] is None and calm["physical"] is False
    fall = httpx.post(url, json={"text": "my dad hurt himself falling down the stairs"}).json()
    assert fall["crisis"] is False and fall["physical"] is True
    french = httpx.post(url, json={"text": "je veux mourir", "locale": "fr-CA"}).json()
    assert french["language"] == "fr" and french["reply"].startswith("Merci") and french["emergency"] == "911"
    convo = httpx.post(url, json={"messages": [{"role": "user", "content": "hi"}, {"role": "user", "content": CRISIS}]})
    assert convo.status_code == 200 and convo.json()["crisis"] is True
    both = httpx.post(url, json={"text": "a", "messages": [{"role": "user", "content": "b"}]})
    assert both.status_code == 422 and "either" in both.json()["error"]["message"]


def test_help_lines_are_public(server):
    data = httpx.get(server.url + "/v1/safety/resources").json()
    codes = [c["country_code"] for c in data["countries"]]
    assert {"US", "GB", "INTL"} <= set(codes) and codes[-1] == "INTL"


@pytest.mark.parametrize("body, status, needle", [
    (b'{"messages": [', 422, "JSON"),
    (b'{"model": "mhqa"}', 422, "messages"),
    (b'{"messages": []}', 422, "messages"),
    (b'{"messages": [{"role": "wizard", "content": "hi"}]}', 422, "role"),
    (b'{"messages": [{"role": "user", "content": 5}]}', 422, "content"),
    (b'{"messages": [{"role": "assistant", "content": "hi"}]}', 422, "last message"),
    (b'{"messages": [{"role": "user", "content": "hi"}], "temperature": 3}', 422, "temperature"),
    (b'{"messages": [{"role": "user", "content": "hi"}], "n": 2}', 422, "n"),
    (b'{"messages": [{"role": "user", "content": "hi"}], "max_tokens": 100000}', 422, "max_tokens"),
])
def test_bad_requests_get_clear_json_errors(server, body, status, needle):
    r = httpx.post(server.url + "/v1/chat/completions", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status
    err = r.json()["error"]
    assert needle in err["message"] and err["type"]


def test_limits_on_messages_and_body(server):
    many = [{"role": "user", "content": "hi"}] * 51
    r = _chat(server, {"messages": many})
    assert r.status_code == 422 and r.json()["error"]["code"] == "too_many_messages"
    long = _chat(server, {"messages": [{"role": "user", "content": "a" * 8001}]})
    assert long.status_code == 422 and long.json()["error"]["code"] == "message_too_long"
    huge = _chat(server, {"messages": [{"role": "user", "content": "a" * 200_000}]})
    assert huge.status_code == 413 and "too large" in huge.json()["error"]["message"]

    def chunked():  # no Content-Length: the limit must hold while the body streams in
        for _ in range(40):
            yield b"x" * 8192

    r = httpx.post(server.url + "/v1/chat/completions", content=chunked(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["type"] == "request_too_large"


def test_unknown_routes_and_methods_are_json(server):
    r = httpx.get(server.url + "/v1/nope")
    assert r.status_code == 404 and r.json()["error"]["type"] == "not_found_error"
    r = httpx.get(server.url + "/v1/chat/completions")
    assert r.status_code == 405 and "error" in r.json()


def test_no_cookies_and_strict_headers(server):
    for r in (httpx.get(server.url + "/"), _chat(server, {"messages": [{"role": "user", "content": CRISIS}]}),
              httpx.get(server.url + "/nope")):
        assert "set-cookie" not in r.headers
        assert r.headers["cache-control"] == "no-store"
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["referrer-policy"] == "no-referrer"


def test_cors_is_off_by_default(server):
    r = httpx.options(server.url + "/v1/chat/completions",
                      headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers


def test_api_key_and_cors_when_configured(assistant):
    with live_server(assistant, api_key="s3cret", cors_origins=("https://app.example",)) as srv:
        bare = httpx.post(srv.url + "/v1/chat/completions", json={"messages": [{"role": "user", "content": "hi"}]})
        assert bare.status_code == 401 and bare.headers["www-authenticate"] == "Bearer"
        assert bare.json()["error"]["code"] == "invalid_api_key"
        with pytest.raises(openai.AuthenticationError):
            openai.OpenAI(base_url=srv.url + "/v1", api_key="wrong", max_retries=0).models.list()
        good = openai.OpenAI(base_url=srv.url + "/v1", api_key="s3cret", max_retries=0)
        assert [m.id for m in good.models.list()] == ["mhqa"]
        assert httpx.get(srv.url + "/health").json()["auth_required"] is True
        pre = httpx.options(srv.url + "/v1/chat/completions",
                            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"})
        assert pre.headers["access-control-allow-origin"] == "https://app.example"
        other = httpx.options(srv.url + "/v1/chat/completions",
                              headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
        assert other.headers.get("access-control-allow-origin") != "https://evil.example"


def test_crisis_is_answered_while_the_generation_queue_is_full(assistant):
    with live_server(assistant, queue_size=1) as srv:
        release = threading.Event()
        blocker = srv.app.state.mhqa.queue.submit(lambda: release.wait(60))
        try:
            busy = _chat(srv, {"messages": [{"role": "user", "content": QUESTION}]})
            assert busy.status_code == 503 and busy.headers["retry-after"]
            assert busy.json()["error"]["code"] == "queue_full"
            crisis = _chat(srv, {"messages": [{"role": "user", "content": CRISIS}]})
            assert crisis.status_code == 200 and crisis.json()["mhqa"]["crisis"] is True
            streamed = _chat(srv, {"messages": [{"role": "user", "content": CRISIS}], "stream": True})
            assert streamed.status_code == 200 and "988" in streamed.text
        finally:
            release.set()
            blocker.result(timeout=60)
        after = _chat(srv, {"messages": [{"role": "user", "content": QUESTION}], "max_tokens": 4})
        assert after.status_code == 200


def test_sixteen_concurrent_clients_all_get_correct_answers(server):
    def ask(i: int):
        client = openai.OpenAI(base_url=server.url + "/v1", api_key="unused", max_retries=0, timeout=300)
        crisis = i % 4 == 0
        content = CRISIS if crisis else f"{QUESTION} ({i})"
        kwargs = {"stream": True} if i % 2 else {}
        resp = client.chat.completions.create(model="mhqa", messages=[{"role": "user", "content": content}],
                                              max_tokens=8, **kwargs)
        if kwargs:
            chunks = list(resp)
            text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
            ext = next(c.model_extra["mhqa"] for c in chunks if c.model_extra.get("mhqa"))
        else:
            text, ext = resp.choices[0].message.content, resp.model_extra["mhqa"]
        return crisis, text, ext

    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(ask, range(16)))
    assert len(results) == 16
    for crisis, text, ext in results:
        assert ext["crisis"] is crisis
        assert text.strip()
        if crisis:
            assert "988" in text
    assert httpx.get(server.url + "/health").json()["queue"]["admitted"] == 0


def test_client_disconnect_mid_stream_frees_the_queue(server):
    with httpx.stream("POST", server.url + "/v1/chat/completions", timeout=120,
                      json={"messages": [{"role": "user", "content": QUESTION}], "max_tokens": 64, "stream": True}) as r:
        next(r.iter_lines())
    r = _chat(server, {"messages": [{"role": "user", "content": QUESTION}], "max_tokens": 4})
    assert r.status_code == 200


def test_the_chat_page_and_its_assets(server):
    page = httpx.get(server.url + "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "not a substitute for professional care" in page.text
    assert 'lang="en"' in page.text and '<label for="message"' in page.text
    for asset in ("/static/app.js", "/static/app.css", "/favicon.ico"):
        r = httpx.get(server.url + asset)
        assert r.status_code == 200
        # no third-party requests: no absolute URLs in what the page loads (an SVG namespace is not a request)
        body = r.text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "http://" not in body and "https://" not in body
    assert "http://" not in page.text and "https://" not in page.text
    code = "\n".join(line for line in httpx.get(server.url + "/static/app.js").text.splitlines()
                     if not line.lstrip().startswith("//"))
    for storage in ("localStorage", "sessionStorage", "document.cookie", "indexedDB"):
        assert storage not in code
