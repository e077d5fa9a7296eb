"""`mhqa export`: turn a run's LoRA adapter into files other tools load.

Formats (written under RUN/export/ unless `out` is given; every write goes to a temporary path
first and is renamed into place, so a failed export never leaves a half-written file):

- ``adapter``: the PEFT adapter, its tokenizer, the prompt format and a README naming the base
  (``PeftModel.from_pretrained(base, "export/adapter")``).
- ``merged``: base + adapter merged in fp32 (``merge_and_unload``) as safetensors, with the
  tokenizer and a chat template that renders the trained prompt format
  (``AutoModelForCausalLM.from_pretrained("export/merged")``).
- ``gguf``: the merged model for llama.cpp (``model.gguf``: f32, f16, q8_0, q4_0 or q4_k_m) with the
  chat template in its metadata, plus an Ollama ``Modelfile``.

:func:`adapter_to_gguf_lora` converts the adapter itself into a GGUF LoRA (``export/adapter.gguf``)
that llama.cpp applies on top of the built-in base GGUF without merging.

The chat template written into every export is derived from the run's PromptFormat
(:func:`chat_template_for`), so that a tool rendering it gets exactly the string
``mhqa.prompting.render_prompt`` gives, system prompt included: exported models are asked in the
format they were trained on.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from mhqa.errors import ExportError, MhqaError
from mhqa.export_gguf import QUANTS
from mhqa.prompting import PromptFormat, render_prompt

FORMATS = ("adapter", "merged", "gguf")
DEFAULT_QUANT = "q8_0"  # exact over 30 greedy tokens on SmolLM2, half the size of f16
DEFAULT_RUN = Path("runs") / "latest"
GGUF_NAME = "model.gguf"
LORA_GGUF_NAME = "adapter.gguf"
# the classic sampling recipe, written into the Modelfile
OLLAMA_PARAMETERS = {"temperature": 0.7, "top_p": 0.9, "repeat_penalty": 1.2}


@dataclass(frozen=True)
class RunInfo:
    """What export needs to know about a run folder."""

    run_dir: Path
    adapter_dir: Path
    fmt: PromptFormat
    base_model: str  # as the user named it, e.g. 'builtin:smollm2-135m-instruct'
    base_path: str  # what from_pretrained loads (local folder or hub id)
    base_gguf: Path | None  # the built-in base's GGUF, when there is one

    @classmethod
    def load(cls, run_dir: Path | None = None) -> "RunInfo":
        """Read a run folder (default runs/latest).

        Raises:
            ExportError: no run there, or it lacks its adapter, config or prompt format.
        """
        run_dir = Path(run_dir) if run_dir is not None else DEFAULT_RUN
        if not run_dir.is_dir():
            hint = "train one with `mhqa train` or pass --run DIR" if run_dir == DEFAULT_RUN else "pass --run DIR"
            raise ExportError(f"no run folder at {run_dir}; {hint}")
        run_dir = run_dir.resolve()
        for needed in ("adapter/adapter_config.json", "config.yaml", "prompt_format.json"):
            if not (run_dir / needed).is_file():
                raise ExportError(f"{run_dir}: not a finished run (no {needed}); train it with `mhqa train`")
        try:
            fmt = PromptFormat.load(run_dir / "prompt_format.json")
        except MhqaError as exc:
            raise ExportError(str(exc)) from None
        raw = _read_yaml(run_dir / "config.yaml")
        name = str((raw.get("model") or {}).get("base_model") or "")
        resolved = raw.get("resolved") or {}
        base_path, base_gguf = _base_location(name, resolved)
        return cls(run_dir, run_dir / "adapter", fmt, name, base_path, base_gguf)


@dataclass
class ExportResult:
    format: str
    path: Path  # the main artifact (folder or file)
    files: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    details: dict[str, Any] = field(default_factory=dict)


def export(run_dir: Path | None = None, format: str = "gguf", *, quant: str | None = None,
           out: Path | None = None) -> ExportResult:
    """Export a run in one format.

    Args:
        run_dir: the run folder (default runs/latest).
        format: 'adapter', 'merged' or 'gguf'.
        quant: for gguf: 'f32', 'f16', 'q8_0' (default, near lossless), 'q4_0' (smallest and fastest on CPU) or 'q4_k_m'.
        out: output folder (default RUN/export).
    Raises:
        ExportError: with one line saying what is wrong and what to do.
    """
    if format not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    if quant is not None and format != "gguf":
        raise ExportError("--quant applies to --format gguf only")
    quant = (quant or DEFAULT_QUANT).lower()
    if quant not in QUANTS:
        raise ExportError(f"unknown quantisation {quant!r}; choose one of {', '.join(QUANTS)}")
    run = RunInfo.load(run_dir)
    out = Path(out) if out is not None else run.run_dir / "export"
    started = time.perf_counter()
    if format == "adapter":
        result = ExportResult("adapter", export_adapter(run, out / "adapter"))
    elif format == "merged":
        result = ExportResult("merged", export_merged(run, out / "merged"))
    else:
        model = export_gguf(run, out / GGUF_NAME, quant)
        result = ExportResult("gguf", model, details={"quant": quant})
        result.files.append(write_modelfile(run.fmt, out / "Modelfile", gguf_name=model.name))
    result.files.insert(0, result.path)
    result.seconds = round(time.perf_counter() - started, 2)
    return result


# ---------------------------------------------------------------------------------------------
# the three formats


def export_adapter(run: RunInfo, out: Path) -> Path:
    """Copy the PEFT adapter with its tokenizer, prompt format and a note naming the base model."""
    with _atomic_dir(out) as tmp:
        shutil.copytree(run.adapter_dir, tmp, dirs_exist_ok=True)
        _save_prompt_files(run, tmp)
        (tmp / "README.md").write_text(_adapter_readme(run), encoding="utf-8")
    return out


def export_merged(run: RunInfo, out: Path) -> Path:
    """Merge the adapter into the fp32 base and save a plain transformers model folder."""
    model, tokenizer = merged_model(run)
    with _atomic_dir(out) as tmp:
        model.save_pretrained(tmp)
        tokenizer.chat_template = chat_template_for(run.fmt)
        tokenizer.save_pretrained(tmp)
        _save_prompt_files(run, tmp)
    return out


def export_gguf(run: RunInfo, out: Path, quant: str = DEFAULT_QUANT) -> Path:
    """Write the merged model as a GGUF file llama.cpp loads, quantised as asked."""
    from mhqa.export_gguf import quantize, write_model_gguf

    config = _check_gguf_base(run)
    model, tokenizer = merged_model(run)
    write_dtype = quant if quant in ("f32", "f16") else "f32"  # quantise from full precision
    with _atomic_file(out) as tmp:
        staged = tmp.with_name(tmp.name + ".f32") if write_dtype != quant else tmp
        try:
            write_model_gguf(model.state_dict(), config, staged, dtype=write_dtype,
                             chat_template=chat_template_for(run.fmt), base_gguf=run.base_gguf,
                             tokenizer=tokenizer, name=f"mhqa {run.run_dir.name}")
            del model
            if staged != tmp:
                quantize(staged, tmp, quant)
        finally:
            if staged != tmp:
                staged.unlink(missing_ok=True)
        _check_gguf_tokenizer(tmp, tokenizer, run.fmt)
    return out


def adapter_to_gguf_lora(run_dir: Path | None = None) -> Path:
    """Convert the run's LoRA adapter to a GGUF LoRA (cached as RUN/export/adapter.gguf).

    Load it with ``Llama(model_path=<the run's base GGUF>, lora_path=...)``.

    Raises:
        ExportError: the base has no GGUF (only the built-in base ships one) or the adapter uses
            options a GGUF LoRA cannot express.
    """
    from mhqa.export_gguf import write_lora_gguf

    run = RunInfo.load(run_dir)
    if run.base_gguf is None:
        raise ExportError(f"{run.run_dir}: the base '{run.base_model}' has no GGUF to apply a LoRA to; "
                          "use `mhqa export --format gguf` (merged) instead")
    out = run.run_dir / "export" / LORA_GGUF_NAME
    weights = run.adapter_dir / "adapter_model.safetensors"
    if out.is_file() and weights.is_file() and out.stat().st_mtime >= weights.stat().st_mtime:
        return out
    config = _base_config(run)
    with _atomic_file(out) as tmp:
        write_lora_gguf(run.adapter_dir, config, tmp)
    return out


# ---------------------------------------------------------------------------------------------
# prompt format in other tools' terms


def chat_template_for(fmt: PromptFormat) -> str:
    """A Jinja chat template that renders a conversation exactly as `render_prompt(messages, fmt)`.

    System messages from the caller are dropped and the run's system prompt (if any) is put
    first, as render_prompt does; the model's own template does the rest.
    """
    if fmt.kind == "user_assistant":
        return ("{%- for message in messages if message['role'] != 'system' -%}"
                "{{ ('User: ' if message['role'] == 'user' else 'Assistant: ') + (message['content'] | trim) + '\n' }}"
                "{%- endfor -%}"
                "{%- if add_generation_prompt -%}{{ 'Assistant:' }}{%- endif -%}")
    if not fmt.chat_template:
        raise ExportError("the run's prompt format is 'chat_template' but holds no template")
    first = f"[{{'role': 'system', 'content': {json.dumps(fmt.system_prompt)}}}]" if fmt.system_prompt else "[]"
    return ("{#- mhqa: the run's system prompt first, callers' system messages dropped -#}\n"
            f"{{%- set mhqa = namespace(messages={first}) -%}}\n"
            "{%- for message in messages -%}{%- if message['role'] != 'system' -%}"
            "{%- set mhqa.messages = mhqa.messages + [message] -%}{%- endif -%}{%- endfor -%}\n"
            "{%- set messages = mhqa.messages -%}\n" + fmt.chat_template)


def template_pieces(fmt: PromptFormat) -> tuple[str, str, str, str]:
    """The fixed text around user and assistant turns in `fmt`: (head, user->assistant, assistant->user, tail).

    A conversation u1, a1, u2 renders as head + u1 + ua + a1 + au + u2 + tail.
    """
    u1, a1, u2 = "\x02mhqa-u1\x03", "\x02mhqa-a1\x03", "\x02mhqa-u2\x03"
    one = render_prompt([{"role": "user", "content": u1}], fmt)
    three = render_prompt([{"role": "user", "content": u1}, {"role": "assistant", "content": a1},
                           {"role": "user", "content": u2}], fmt)
    head, _, tail = one.partition(u1)
    ok = three.startswith(head + u1) and three.endswith(u2 + tail) and a1 in three
    if not ok:
        raise ExportError("the chat template renders turns in a way an Ollama TEMPLATE cannot follow; "
                          "write the Modelfile TEMPLATE by hand")
    middle = three[len(head + u1): len(three) - len(u2 + tail)]
    ua, _, au = middle.partition(a1)
    return head, ua, au, tail


def ollama_template(fmt: PromptFormat) -> str:
    """An Ollama (Go template) TEMPLATE that builds the same prompt as render_prompt."""
    head, ua, au, tail = template_pieces(fmt)

    def lit(text: str) -> str:  # a Go string literal (JSON escapes are valid Go escapes)
        return "{{ " + json.dumps(text, ensure_ascii=False) + " }}" if text else ""

    return (lit(head) + "{{ range $i, $m := .Messages }}{{ $last := eq (len (slice $.Messages $i)) 1 }}"
            "{{ if eq $m.Role \"user\" }}{{ $m.Content }}"
            "{{ if $last }}" + lit(tail) + "{{ else }}" + lit(ua) + "{{ end }}"
            "{{ else if eq $m.Role \"assistant\" }}{{ $m.Content }}" + lit(au) + "{{ end }}{{ end }}")


def modelfile_text(fmt: PromptFormat, gguf_name: str = GGUF_NAME) -> str:
    """The Ollama Modelfile for an exported GGUF: template, sampling recipe and stop strings."""
    lines = [
        "# Ollama Modelfile written by `mhqa export --format gguf`.",
        "# Create the model with:  ollama create mhqa -f Modelfile   (run from this folder)",
        "# The TEMPLATE rebuilds the exact prompt format the model was trained on; the system",
        "# prompt is part of it, so a SYSTEM line would be ignored.",
        f"FROM ./{gguf_name}",
        f'TEMPLATE """{ollama_template(fmt)}"""',
    ]
    lines += [f"PARAMETER {name} {value}" for name, value in OLLAMA_PARAMETERS.items()]
    for stop in dict.fromkeys(s.strip() for s in fmt.stop):
        if stop and '"' not in stop:
            lines.append(f'PARAMETER stop "{stop}"')
    return "\n".join(lines) + "\n"


def write_modelfile(fmt: PromptFormat, out: Path, *, gguf_name: str = GGUF_NAME) -> Path:
    with _atomic_file(out) as tmp:
        tmp.write_text(modelfile_text(fmt, gguf_name), encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------------
# models


def merged_model(run: RunInfo):
    """(base + adapter merged in fp32, tokenizer) through transformers and peft."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        base = AutoModelForCausalLM.from_pretrained(run.base_path, dtype=torch.float32)
        model = PeftModel.from_pretrained(base, run.adapter_dir).merge_and_unload()
        tokenizer = AutoTokenizer.from_pretrained(run.adapter_dir)
    except (OSError, ValueError) as exc:
        raise ExportError(f"cannot load base '{run.base_model}' with the adapter of {run.run_dir}: "
                          f"{_first_line(exc)}") from None
    model.eval()
    return model, tokenizer


def _check_gguf_base(run: RunInfo):
    from mhqa.export_gguf import check_llama

    config = _base_config(run)
    check_llama(config)
    return config


def _base_config(run: RunInfo):
    from transformers import AutoConfig

    try:
        return AutoConfig.from_pretrained(run.base_path)
    except (OSError, ValueError) as exc:
        raise ExportError(f"cannot read the config of base '{run.base_model}': {_first_line(exc)}") from None


def _check_gguf_tokenizer(path: Path, tokenizer: Any, fmt: PromptFormat) -> None:
    """llama.cpp must split a rendered prompt into the same tokens as the training tokenizer."""
    from llama_cpp import Llama
    from llama_cpp._utils import suppress_stdout_stderr

    sample = render_prompt([{"role": "user", "content": "How can I sleep better when I feel anxious? 123 ok"},
                            {"role": "assistant", "content": "Try a calm routine."},
                            {"role": "user", "content": "Thanks!"}], fmt)
    try:
        with suppress_stdout_stderr(disable=False):  # llama.cpp warns about n_ctx on vocab-only loads
            vocab = Llama(model_path=str(path), vocab_only=True, verbose=False)
    except (ValueError, RuntimeError) as exc:
        raise ExportError(f"llama.cpp cannot load the written GGUF: {_first_line(exc)}") from None
    ours = vocab.tokenize(sample.encode("utf-8"), add_bos=False, special=True)
    theirs = tokenizer(sample, add_special_tokens=False)["input_ids"]
    del vocab
    if list(ours) != list(theirs):
        raise ExportError("llama.cpp tokenises prompts differently from the model's tokenizer; "
                          "convert with llama.cpp's convert_hf_to_gguf.py from the `--format merged` export")


# ---------------------------------------------------------------------------------------------
# helpers


def _base_location(name: str, resolved: dict) -> tuple[str, Path | None]:
    if name.startswith("builtin:"):
        from mhqa.models import resolve_base_model

        try:
            base = resolve_base_model(name)
        except MhqaError as exc:
            raise ExportError(str(exc)) from None
        return base.path, base.gguf_path
    path = resolved.get("base_model_path") or name
    if not path:
        raise ExportError("the run's config.yaml names no base model")
    return str(path), None


def _read_yaml(path: Path) -> dict:
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExportError(f"{path}: cannot read ({_first_line(exc)})") from None


def _save_prompt_files(run: RunInfo, folder: Path) -> None:
    shutil.copy2(run.run_dir / "prompt_format.json", folder / "prompt_format.json")


def _adapter_readme(run: RunInfo) -> str:
    return (
        "# LoRA adapter exported by mhqa\n\n"
        f"- Run: `{run.run_dir.name}`\n"
        f"- Base model: `{run.base_model}`\n"
        f"- Base weights loaded from: `{run.base_path}`\n"
        + (f"- Base GGUF: `{run.base_gguf.name}` (the built-in base; mhqa dequantises it once into the folder above)\n"
           if run.base_gguf else "")
        + f"- Prompt format: `{run.fmt.kind}` (see prompt_format.json; the system prompt is part of it)\n\n"
        "Load it with transformers and peft:\n\n"
        "```python\n"
        "from transformers import AutoModelForCausalLM, AutoTokenizer\n"
        "from peft import PeftModel\n\n"
        f"base = AutoModelForCausalLM.from_pretrained({run.base_path!r})\n"
        "model = PeftModel.from_pretrained(base, 'adapter')  # this folder\n"
        "tokenizer = AutoTokenizer.from_pretrained('adapter')\n"
        "```\n\n"
        "Prompts must be built in the trained format: `mhqa.prompting.render_prompt(messages, fmt)`\n"
        "with `fmt = PromptFormat.load('adapter/prompt_format.json')`.\n"
    )


@contextlib.contextmanager
def _atomic_dir(final: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside `final`; on success it replaces `final`."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        if final.exists():
            final.rename(old)
        tmp.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def _atomic_file(final: Path) -> Iterator[Path]:
    """Yield a temporary path beside `final`; on success it replaces `final`."""
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    try:
        yield tmp
        if not tmp.is_file():
            raise ExportError(f"nothing was written for {final}")
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:300]
