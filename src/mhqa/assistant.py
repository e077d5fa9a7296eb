"""The Assistant: the one pipeline behind every front door (CLI, HTTP API, web page, evaluation).

For each new user message, in this order and nowhere else:

1. safety: :func:`mhqa.safety.assess` on the newest message with the conversation so far;
2. crisis -> the fixed :func:`mhqa.safety.crisis_reply` with the locale's help lines; no model call;
3. retrieval: the best FAQ entries for the question (:class:`mhqa.retrieval.FaqIndex`);
4. prompt: the run's system prompt + a short policy + the retrieved entries, then a bounded
   window of the conversation, rendered by :func:`mhqa.prompting.render_prompt` in the run's
   own format;
5. generation (transformers or llama.cpp, see :mod:`mhqa.backends`);
6. output guard (:func:`mhqa.safety.guard_output`) and AI disclosure (:func:`mhqa.safety.add_disclosure`); a
   message about an accident, a bodily pain or medicine taken as told (``Assessment.physical``) also gets a pointer to a
   doctor, nurse or pharmacist and the locale's emergency number (:data:`mhqa.safety.policy.PHYSICAL_NOTE`).

Where the grounding goes: the model was fine-tuned with the run's system prompt and plain user
questions, so the user turns stay exactly as typed and the grounding is appended to the system
message (``<run system prompt> <policy>\\n\\nFAQ:\\n<question>\\n<answer>``). The fixed part
(system prompt + policy) comes first so that llama.cpp can keep it in its prompt cache. Formats
without a system turn (``User:/Assistant:``) get the same block as a preamble before the
dialogue. Both backends receive the same rendered string.

Nothing here writes user messages to disk or logs.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mhqa.backends.base import Backend, Generation, GenerationSettings
from mhqa.errors import ConfigError, DataError, MhqaError, RunError
from mhqa.prompting import Message, PromptFormat, render_prompt

POLICY = ("You are an AI assistant, not a therapist or doctor. Be warm and supportive, and answer "
          "from the FAQ below when it fits. Do not diagnose and never give medication doses. "
          "Suggest professional help when it could help.")
NO_MATCH = ("I don't have information on that in my FAQ. I can answer general questions about mental "
            "health and wellbeing, such as stress, sleep, anxiety, low mood or finding support.")
MODES = ("model", "retrieval")
ANSWER_WORDS = 50  # words of grounding in the prompt (the most relevant sentences), shared by the entries used
HISTORY_MESSAGES = 4  # earlier messages kept in the prompt (two exchanges)
HISTORY_WORDS = 50  # each earlier message is cut to this many words
SECOND_ENTRY_MARGIN = 0.05  # a second entry is used only when it scores this close to the best
_SENTENCE_END = re.compile(r"[.!?…][\"')\]]*\s+|\n")


@dataclass
class Reply:
    """One answer with what produced it.

    ``text`` is what to show. When streamed, the chunks concatenate to ``text`` unless the
    output guard stopped the answer (``guard`` is non-empty): then ``text`` replaces what was shown.
    """

    text: str
    crisis: bool
    level: str
    categories: list[str]
    resources: list[dict]
    sources: list[str]
    backend: str
    timings: dict[str, float] = field(default_factory=dict)  # retrieval_s, first_token_s, total_s
    tokens: dict[str, int] = field(default_factory=dict)  # prompt, completion
    guard: list[str] = field(default_factory=list)  # output-guard violations (empty when clean)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass
class _Turn:
    """Per-request state between the steps (never stored beyond the request)."""

    messages: list[Message]
    locale: str
    started: float
    assessment: Any
    hits: list = field(default_factory=list)
    retrieval_s: float = 0.0
    prompt: str = ""
    generation_started: float | None = None


class Assistant:
    """Answers conversations safely from a FAQ with a fine-tuned model.

    Build one with :meth:`from_run`; it is safe to share between threads (generation is serialised).
    """

    def __init__(self, backend: Backend | None, fmt: PromptFormat, index=None, *, locale: str = "en-US",
                 mode: str = "model", settings: GenerationSettings | None = None, k: int = 2,
                 history_messages: int = HISTORY_MESSAGES):
        if mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        if mode == "retrieval" and index is None:
            raise ConfigError("mode='retrieval' needs a FAQ index (retrieval=True)")
        if mode == "model" and backend is None:
            raise ConfigError("mode='model' needs a backend")
        self.backend = backend
        self.fmt = fmt
        self.index = index
        self.locale = locale
        self.mode = mode
        self.settings = settings or GenerationSettings()
        self.k = k
        self.history_messages = history_messages
        self._lock = threading.Lock()

    @property
    def backend_name(self) -> str:
        return self.backend.name if self.backend is not None and self.mode == "model" else "retrieval"

    # --- construction ----------------------------------------------------------------------------
    @classmethod
    def from_run(cls, run_dir: str | Path | None = None, *, faq: str | Path | None = None, backend: str = "auto",
                 locale: str = "en-US", retrieval: bool = True, use_adapter: bool = True, mode: str = "model",
                 settings: GenerationSettings | None = None) -> "Assistant":
        """Load the assistant for a run folder.

        Args:
            run_dir: a run folder; None means ``runs/latest`` when it exists, else the base model alone.
            faq: FAQ file to answer from; default: the file the run was trained on, else the built-in FAQ.
            backend: ``auto``, ``transformers`` or ``llamacpp`` (see :func:`mhqa.backends.load_backend`).
            locale: default locale for help lines (each call may pass its own).
            retrieval: ground answers in retrieved FAQ entries.
            use_adapter: False answers with the run's base model (evaluation baseline).
            mode: ``model`` (generate) or ``retrieval`` (answer with the best entry, no model).
            settings: default generation settings (the classic recipe when None).

        Raises:
            RunError, ModelLoadError, DataError, ConfigError: from the steps that load things.
        """
        if mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        run = resolve_run_dir(run_dir)
        index = None
        if retrieval or mode == "retrieval":
            from mhqa.retrieval import FaqIndex

            index = FaqIndex.from_file(faq if faq is not None else run_faq_path(run))
        model = None
        if mode == "model":
            from mhqa.backends import load_backend

            model = load_backend(run, backend, use_adapter=use_adapter)
        assistant = cls(model, load_prompt_format(run), index, locale=locale, mode=mode, settings=settings)
        assistant.warm_up()
        return assistant

    def warm_up(self) -> None:
        """Load lazily loaded parts now (embedding model, classifier) and put the fixed prompt prefix
        (system prompt + policy) into the backend's cache, so the first answer is as fast as the rest."""
        from mhqa.safety import assess

        assess("hello", locale=self.locale)
        if self.index is not None:
            self.index.search("hello", 1)
        if self.backend is not None and self.mode == "model":
            prompt = self.build_prompt([{"role": "user", "content": "hello"}], [])
            with self._lock:
                self.backend.generate(prompt, GenerationSettings(max_new_tokens=1, greedy=True))

    # --- answering -----------------------------------------------------------------------------
    def reply(self, messages: list[Message], *, locale: str | None = None,
              settings: GenerationSettings | None = None) -> Reply:
        """Answer the newest user message of ``messages`` (oldest first, ``{"role", "content"}``)."""
        final = None
        for item in self.stream(messages, locale=locale, settings=settings):
            if isinstance(item, Reply):
                final = item
        assert final is not None
        return final

    def stream(self, messages: list[Message], *, locale: str | None = None,
               settings: GenerationSettings | None = None) -> Iterator[str | Reply]:
        """Yield the answer as text chunks, then the final :class:`Reply`.

        Model text is released sentence by sentence, each checked by the output guard first; the
        AI disclosure arrives as the last chunk.
        """
        turn = self._prepare(messages, locale)
        if turn.assessment.crisis or turn.assessment.stood_down:
            reply = self._crisis_reply(turn) if turn.assessment.crisis else self._stand_down_reply(turn)
            yield reply.text
            yield reply
            return
        self._retrieve(turn)
        if self.mode == "retrieval":
            reply = self._finish(self._retrieval_answer(turn), turn)
            yield reply.text
            yield reply
            return
        yield from self._generate(turn, self._settings(settings))

    # --- the steps -----------------------------------------------------------------------------
    def _prepare(self, messages: list[Message], locale: str | None) -> _Turn:
        from mhqa.safety import assess

        started = time.perf_counter()
        messages = _validate(messages)
        locale = locale or self.locale
        assessment = assess(messages[-1]["content"], locale=locale, history=messages[:-1])
        return _Turn(messages, locale, started, assessment)

    def _crisis_reply(self, turn: _Turn) -> Reply:
        from mhqa.safety import crisis_reply, resources_for

        a = turn.assessment
        res = resources_for(turn.locale)
        resources = [{**r.__dict__, "country": res.country, "emergency": res.emergency} for r in res.resources]
        return Reply(text=crisis_reply(a, turn.locale), crisis=True, level=a.level, categories=list(a.categories),
                     resources=resources, sources=[], backend="safety",
                     timings={"retrieval_s": 0.0, "first_token_s": 0.0, "total_s": _since(turn.started)},
                     tokens={"prompt": 0, "completion": 0})

    def _stand_down_reply(self, turn: _Turn) -> Reply:
        """The fixed answer to a clear "no" to the crisis reply's direct question (the model is not called)."""
        from mhqa.safety import add_disclosure
        from mhqa.safety.policy import STAND_DOWN

        return Reply(text=add_disclosure(STAND_DOWN, suggest_professional=False), crisis=False, level="none",
                     categories=[], resources=[], sources=[], backend="safety",
                     timings={"retrieval_s": 0.0, "first_token_s": 0.0, "total_s": _since(turn.started)},
                     tokens={"prompt": 0, "completion": 0})

    def _retrieve(self, turn: _Turn) -> None:
        if self.index is None:
            return
        t0 = time.perf_counter()
        query = turn.messages[-1]["content"]
        hits = select_grounding([h for h in self.index.search(query, self.k) if h.score >= self.index.min_score])
        per = ANSWER_WORDS // max(len(hits), 1)
        turn.hits = [dataclasses.replace(h, excerpt=self.index.excerpt(query, h, per)) for h in hits]
        turn.retrieval_s = _since(t0)

    def _retrieval_answer(self, turn: _Turn) -> str:
        return turn.hits[0].answer if turn.hits else NO_MATCH

    def build_prompt(self, messages: list[Message], hits: list = ()) -> str:
        """The exact prompt string both backends receive for this conversation and grounding."""
        system = " ".join(p for p in (self.fmt.system_prompt, POLICY) if p)
        grounding = format_grounding(list(hits))
        if grounding:
            system += "\n\n" + grounding
        window = history_window(messages, self.history_messages)
        if self.fmt.kind == "chat_template":
            return render_prompt(window, dataclasses.replace(self.fmt, system_prompt=system))
        return system + "\n\n" + render_prompt(window, self.fmt)  # no system turn: a preamble

    def _generate(self, turn: _Turn, settings: GenerationSettings) -> Iterator[str | Reply]:
        from mhqa.safety import guard_output

        turn.prompt = self.build_prompt(turn.messages, turn.hits)
        shown, pending, gen = "", "", None
        with self._lock:
            turn.generation_started = time.perf_counter()
            stream = self.backend.stream(turn.prompt, settings)
            try:
                for item in stream:
                    if isinstance(item, Generation):
                        gen = item
                        break
                    pending = (pending + item) if shown or pending else item.lstrip()
                    ready, pending = _split_sentences(pending)
                    if ready:
                        if not guard_output(shown + ready).ok:
                            pending = ready + pending  # not shown; _finish replaces the answer
                            break
                        shown += ready
                        yield ready
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()  # stops a backend thread early when the guard cut the answer
        if gen is None:  # stopped early: the text so far is what the guard judges
            gen = Generation(shown + pending, 0, 0, 0.0, _since(turn.started))
        elif gen.completion_tokens >= settings.max_new_tokens:  # cut off: drop the unfinished sentence
            gen = dataclasses.replace(gen, text=_drop_unfinished(gen.text))
        reply = self._finish(gen.text, turn, gen)
        if reply.text.startswith(shown) and not reply.guard:
            rest = reply.text[len(shown):]
            if rest:
                yield rest
        yield reply

    def _finish(self, text: str, turn: _Turn, gen: Generation | None = None) -> Reply:
        """Output guard, then the AI disclosure; builds the Reply for a non-crisis turn."""
        from mhqa.safety import add_disclosure, guard_output

        guarded = guard_output(text.strip() or NO_MATCH)
        a = turn.assessment
        text, nudge = guarded.text, None  # None: add_disclosure decides whether to suggest professional help
        if a.physical:  # an accident, a bodily pain or medicine taken as told: point to someone who can look at it
            from mhqa.safety import resources_for
            from mhqa.safety.policy import PHYSICAL_NOTE

            text += "\n\n" + PHYSICAL_NOTE.format(emergency=resources_for(turn.locale).emergency)
            nudge = False  # the note is the pointer
        final = add_disclosure(text, suggest_professional=nudge)
        first = 0.0
        if gen is not None and turn.generation_started is not None:  # from the start of the request
            first = turn.generation_started - turn.started + gen.first_token_s
        return Reply(text=final, crisis=False, level=a.level, categories=list(a.categories), resources=[],
                     sources=[h.source_id for h in turn.hits], backend=self.backend_name,
                     timings={"retrieval_s": round(turn.retrieval_s, 4), "first_token_s": round(first, 4),
                              "total_s": round(_since(turn.started), 4)},
                     tokens={"prompt": gen.prompt_tokens if gen else 0, "completion": gen.completion_tokens if gen else 0},
                     guard=list(guarded.violations))

    def _settings(self, settings: GenerationSettings | None) -> GenerationSettings:
        s = settings or self.settings
        stop = tuple(dict.fromkeys((*s.stop, *self.fmt.stop)))
        return dataclasses.replace(s, stop=stop)


# --- pure helpers (public: the benchmark and the tests use them) --------------------------------------
def select_grounding(hits: list) -> list:
    """The entries worth putting in the prompt: the best, and the second only when nearly as good."""
    if not hits:
        return []
    chosen = [hits[0]]
    if len(hits) > 1 and hits[0].score - hits[1].score <= SECOND_ENTRY_MARGIN * max(1.0, abs(hits[0].score)):
        chosen.append(hits[1])
    return chosen


def format_grounding(hits: list, words: int = ANSWER_WORDS) -> str:
    """The FAQ block of the system message; answers (their excerpts where set) share a budget of ``words`` words.

    >>> from mhqa.retrieval import Hit
    >>> format_grounding([Hit("a", "a", 0.9, "What is stress?", "A response to pressure. It passes.")], words=4)
    'FAQ:\\nWhat is stress?\\nA response to pressure.'
    """
    if not hits:
        return ""
    per = max(1, words // len(hits))
    blocks = [f"{h.question.strip()}\n{trim_words(h.excerpt or h.answer, per)}" for h in hits]
    return "FAQ:\n" + "\n\n".join(blocks)


def trim_words(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` words, at a sentence end when one is near.

    >>> trim_words("One two. Three four five.", 3)
    'One two.'
    >>> trim_words("One two three four", 2)
    'One two…'
    """
    words = text.split()
    if len(words) <= limit:
        return " ".join(words)
    cut = " ".join(words[:limit])
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "), cut.rfind(".") if cut.endswith(".") else -1)
    if end >= len(cut) // 2:
        return cut[: end + 1]
    return cut.rstrip(",;:") + "…"


def history_window(messages: list[Message], keep: int = HISTORY_MESSAGES, words: int = HISTORY_WORDS) -> list[Message]:
    """The newest user message plus at most ``keep`` earlier user/assistant messages, each cut short.

    >>> msgs = [{"role": "user", "content": f"q{i}"} for i in range(9)]
    >>> [m["content"] for m in history_window(msgs, keep=2)]
    ['q6', 'q7', 'q8']
    """
    convo = [m for m in messages if m.get("role") in ("user", "assistant")]
    earlier = convo[:-1][-keep:] if keep > 0 else []
    while earlier and earlier[0]["role"] != "user":  # a window starts with a user turn
        earlier = earlier[1:]
    trimmed = [{"role": m["role"], "content": trim_words(m["content"], words)} for m in earlier]
    return trimmed + [{"role": "user", "content": convo[-1]["content"].strip()}]


def resolve_run_dir(run_dir: str | Path | None) -> Path | None:
    """An explicit run folder, else ``runs/latest`` when it exists, else None (the base model alone).

    Raises:
        RunError: an explicit folder that does not exist.
    """
    if run_dir is None:
        latest = Path("runs") / "latest"
        return latest.resolve() if latest.exists() else None
    path = Path(run_dir)
    if not path.is_dir():
        raise RunError(f"{path}: no such run folder (train one with `mhqa train`, or leave out --run)")
    return path.resolve()


def run_faq_path(run_dir: Path | None) -> Path | None:
    """The FAQ a run was prepared from (``data/prepare_report.json`` source.path); None = built-in.

    Raises:
        DataError: the run names a FAQ file that no longer exists.
    """
    if run_dir is None:
        return None
    report = Path(run_dir) / "data" / "prepare_report.json"
    if not report.is_file():
        return None
    import json

    try:
        source = (json.loads(report.read_text(encoding="utf-8")).get("source") or {}).get("path")
    except (OSError, ValueError) as exc:
        raise RunError(f"{report}: unreadable ({exc})") from None
    if not source:
        return None
    path = Path(source)
    if not path.is_file():
        raise DataError(f"{run_dir}: the run was trained on {path}, which is gone; pass --faq FILE")
    return path


def load_prompt_format(run_dir: Path | None) -> PromptFormat:
    """The run's saved prompt format, or the base model's own (chat template + default system prompt)."""
    if run_dir is not None and (Path(run_dir) / "prompt_format.json").is_file():
        return PromptFormat.load(Path(run_dir) / "prompt_format.json")
    from mhqa.backends import run_base_model

    base, _ = run_base_model(run_dir)
    return base_prompt_format(base)


def base_prompt_format(base: str) -> PromptFormat:
    """A base model's prompt format, read from its tokenizer files (no transformers import)."""
    import json
    from types import SimpleNamespace

    from mhqa.config import ModelConfig
    from mhqa.prompting import resolve_prompt_format

    if base.startswith("builtin:"):
        from mhqa.models import resolve_base_model

        base = resolve_base_model(base).path
    folder = Path(base)
    cfg_file = folder / "tokenizer_config.json"
    if not cfg_file.is_file():
        raise RunError(f"{base}: no tokenizer_config.json to read the prompt format from")
    cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
    template = cfg.get("chat_template")
    if not template and (folder / "chat_template.jinja").is_file():
        template = (folder / "chat_template.jinja").read_text(encoding="utf-8")

    def _token(v):
        return v.get("content") if isinstance(v, dict) else v

    tok = SimpleNamespace(chat_template=template, eos_token=_token(cfg.get("eos_token")), bos_token=_token(cfg.get("bos_token")))
    return resolve_prompt_format("auto", tok, ModelConfig().system_prompt)


def _validate(messages: list[Message]) -> list[Message]:
    if not isinstance(messages, list) or not messages:
        raise MhqaError("messages must be a non-empty list of {role, content}")
    out = []
    for m in messages:
        if not isinstance(m, dict) or m.get("role") not in ("system", "user", "assistant") \
                or not isinstance(m.get("content"), str):
            raise MhqaError("each message needs a role (system, user or assistant) and text content")
        out.append({"role": m["role"], "content": m["content"]})
    if out[-1]["role"] != "user" or not out[-1]["content"].strip():
        raise MhqaError("the last message must be a non-empty user message")
    return out


def _split_sentences(text: str) -> tuple[str, str]:
    """Split into (complete sentences, unfinished rest)."""
    last = None
    for m in _SENTENCE_END.finditer(text):
        last = m
    if last is None:
        return "", text
    ready = text[: last.end()].rstrip()  # trailing space waits: the answer may end here
    return ready, text[len(ready):]


def _drop_unfinished(text: str) -> str:
    done, rest = _split_sentences(text.strip())
    return done if done and len(done) >= len(text) // 3 else text


def _since(t0: float) -> float:
    return time.perf_counter() - t0
