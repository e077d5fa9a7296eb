"""The one source of truth for prompt formats.

Training, both inference backends, export and serving all render prompts through this module,
so a model is always asked in the format it was trained on (mismatched templates after export
are the most common failure in this field).

Two formats:
- ``chat_template``: the tokenizer's own Jinja chat template (SmolLM2's ChatML, Llama 3, ...).
  The template text is saved with the run and rendered here with jinja2, so llama.cpp and the
  HTTP server need no transformers tokenizer to build the exact same string.
- ``user_assistant``: the classic plain-text format for models without a template (GPT-2,
  DialoGPT): ``"User: ...\\nAssistant:"``, the answer follows after a space and ends with EOS.

>>> fmt = PromptFormat(kind="user_assistant", system_prompt=None, eos_token="<|endoftext|>")
>>> render_prompt([{"role": "user", "content": "What is stress?"}], fmt)
'User: What is stress?\\nAssistant:'
>>> render_example("What is stress?", "A response to pressure.", fmt)
('User: What is stress?\\nAssistant:', ' A response to pressure.<|endoftext|>')
"""

from __future__ import annotations

import functools
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable

from mhqa.errors import ConfigError, RunError

Message = dict[str, str]  # {"role": "system" | "user" | "assistant", "content": str}


@dataclass(frozen=True)
class PromptFormat:
    kind: str  # "chat_template" | "user_assistant"
    system_prompt: str | None
    chat_template: str | None = None
    bos_token: str = ""
    eos_token: str = ""
    # text that ends an assistant turn in this format (used as a stop sequence at inference)
    stop: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["stop"] = list(self.stop)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "PromptFormat":
        return cls(**{**d, "stop": tuple(d.get("stop", ()))})

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=2), encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> "PromptFormat":
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise RunError(f"{path}: cannot read the prompt format ({exc})") from None


def resolve_prompt_format(setting: str, tokenizer: Any, system_prompt: str | None) -> PromptFormat:
    """Choose the format for a tokenizer: its chat template where it has one (setting 'auto')."""
    template = getattr(tokenizer, "chat_template", None)
    if isinstance(template, dict):  # several named templates: use the default one
        template = template.get("default")
    eos = tokenizer.eos_token or ""
    bos = tokenizer.bos_token or ""
    if setting == "chat_template" and not template:
        raise ConfigError("model.prompt_format is 'chat_template' but the tokenizer has none; use 'auto'")
    if setting in ("auto", "chat_template") and template:
        fmt = PromptFormat("chat_template", system_prompt, template, bos, eos)
        return PromptFormat(**{**asdict(fmt), "stop": _turn_end_markers(fmt)})
    return PromptFormat("user_assistant", None, None, bos, eos, stop=tuple(s for s in (eos, "\nUser:") if s))


def render_prompt(messages: Iterable[Message], fmt: PromptFormat) -> str:
    """Render a conversation so that the model's next tokens are the assistant's answer."""
    messages = [m for m in messages if m.get("role") != "system"]
    if fmt.kind == "chat_template":
        return _render_template(fmt, _with_system(messages, fmt), add_generation_prompt=True)
    lines = []
    for m in messages:
        speaker = "User" if m["role"] == "user" else "Assistant"
        lines.append(f"{speaker}: {m['content'].strip()}")
    return "\n".join(lines) + "\nAssistant:"


def render_example(question: str, answer: str, fmt: PromptFormat) -> tuple[str, str]:
    """Split one training example into (prompt, completion); the loss covers the completion only."""
    user = [{"role": "user", "content": question}]
    prompt = render_prompt(user, fmt)
    if fmt.kind == "user_assistant":
        return prompt, " " + answer.strip() + fmt.eos_token
    full = _render_template(fmt, _with_system(user + [{"role": "assistant", "content": answer.strip()}], fmt),
                            add_generation_prompt=False)
    if not full.startswith(prompt):
        raise ConfigError("the chat template renders the prompt differently with and without an answer; "
                          "set `prompt_format: user_assistant`")
    return prompt, full[len(prompt):]


def _with_system(messages: list[Message], fmt: PromptFormat) -> list[Message]:
    if fmt.system_prompt:
        return [{"role": "system", "content": fmt.system_prompt}] + list(messages)
    return list(messages)


@functools.lru_cache(maxsize=8)
def _compile(template: str):
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message: str):
        raise ConfigError(f"chat template error: {message}")

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.loopcontrols"])
    env.filters["tojson"] = lambda x, indent=None, ensure_ascii=False: json.dumps(x, indent=indent, ensure_ascii=ensure_ascii)
    env.globals["raise_exception"] = raise_exception
    return env.from_string(template)


def _render_template(fmt: PromptFormat, messages: list[Message], *, add_generation_prompt: bool) -> str:
    return _compile(fmt.chat_template).render(
        messages=messages, add_generation_prompt=add_generation_prompt,
        bos_token=fmt.bos_token, eos_token=fmt.eos_token,
    )


def _turn_end_markers(fmt: PromptFormat) -> tuple[str, ...]:
    """Find what the template writes after an assistant turn (e.g. '<|im_end|>'), to stop on it."""
    probe = "\x00probe\x00"
    text = _render_template(fmt, [{"role": "user", "content": "u"}, {"role": "assistant", "content": probe}],
                            add_generation_prompt=False)
    tail = text.split(probe, 1)[1].strip()
    markers = [tail] if tail else []
    if fmt.eos_token and fmt.eos_token not in markers:
        markers.append(fmt.eos_token)
    return tuple(markers)
