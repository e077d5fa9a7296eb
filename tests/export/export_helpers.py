"""Helpers for export tests: run folders with a real LoRA adapter and greedy decoding on both sides."""

from __future__ import annotations

from pathlib import Path

BUILTIN = "builtin:smollm2-135m-instruct"
QUESTIONS = ["What can I do when I feel anxious before an exam?", "How do I know if I need therapy?"]


def make_run(out: Path, *, base_model: str = BUILTIN, r: int = 8, lora_alpha: int = 16, use_rslora: bool = False,
             b_std: float = 0.02, seed: int = 0) -> Path:
    import torch
    from peft import LoraConfig, get_peft_model

    from mhqa.config import RunConfig, save_yaml
    from mhqa.models import DeviceChoice, default_lora_targets, load_model_and_tokenizer
    from mhqa.prompting import resolve_prompt_format

    cfg = RunConfig.from_dict({"model": {"base_model": base_model}, "lora": {"r": r, "lora_alpha": lora_alpha}})
    model, tokenizer, resolved, choice = load_model_and_tokenizer(cfg.model, choice=DeviceChoice("cpu", "fp32"))
    out.mkdir(parents=True, exist_ok=True)
    fmt = resolve_prompt_format(cfg.model.prompt_format, tokenizer, cfg.model.system_prompt)
    fmt.save(out / "prompt_format.json")
    torch.manual_seed(seed)
    lora = LoraConfig(r=r, lora_alpha=lora_alpha, target_modules=default_lora_targets(model),
                      use_rslora=use_rslora, task_type="CAUSAL_LM")
    model = get_peft_model(model, lora)
    with torch.no_grad():
        for name, param in model.named_parameters():
            if "lora_B" in name:
                param.normal_(0.0, b_std)
    model.save_pretrained(out / "adapter")
    tokenizer.save_pretrained(out / "adapter")
    save_yaml(cfg, out / "config.yaml", extra={"resolved": {
        "base_model_path": resolved.path, "base_model_kind": resolved.kind,
        "base_gguf": str(resolved.gguf_path) if resolved.gguf_path else None, "device": "cpu", "dtype": "fp32"}})
    return out


def hf_greedy(model, tokenizer, prompt: str, n: int) -> list[int]:
    """Greedy continuation token ids (no repetition penalty), transformers side."""
    import torch

    ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=False)["input_ids"]
    # an explicit mask: SmolLM2's pad token is <|im_end|>, which the prompt contains, and
    # transformers would otherwise mask every pad-token id out of the prompt
    with torch.no_grad():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=n,
                             do_sample=False, repetition_penalty=1.0, pad_token_id=tokenizer.pad_token_id)
    return out[0, ids.shape[1]:].tolist()


def llama_greedy(llm, prompt: str, n: int) -> list[int]:
    """Greedy continuation token ids from llama.cpp, the same prompt tokens, EOS not special-cased."""
    tokens = llm.tokenize(prompt.encode("utf-8"), add_bos=False, special=True)
    out = []
    for token in llm.generate(tokens, temp=0.0, top_k=1, repeat_penalty=1.0, reset=True):
        out.append(token)
        if len(out) == n:
            break
    return out


def forced_disagreements(llm, model, tokenizer, prompt: str, continuation: list[int], min_margin: float) -> list[int]:
    """Positions where llama.cpp's argmax differs from transformers' along `continuation` (teacher forcing),
    ignoring near ties (transformers' top-2 logit gap below `min_margin`). `llm` needs logits_all=True.

    Free-running greedy decoding of a quantised model can switch branch at a near tie and then
    follow a different but equally valid text; this compares every position on the same prefix.
    """
    import numpy as np
    import torch

    ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    full = torch.tensor([ids + continuation])
    with torch.no_grad():
        hf = model(input_ids=full, attention_mask=torch.ones_like(full)).logits[0, len(ids) - 1:-1].numpy()
    llm.reset()
    llm.eval(ids + continuation)
    ll = np.array(llm.scores[len(ids) - 1: len(ids) + len(continuation) - 1])
    top2 = np.sort(hf, axis=-1)[:, -2:]
    margin = top2[:, 1] - top2[:, 0]
    return [i for i in range(len(continuation)) if margin[i] >= min_margin and ll[i].argmax() != hf[i].argmax()]
