"""Train the crisis classifiers of mhqa's safety layer and pick their thresholds by cross-validation.

    .venv/bin/python scripts/train_safety_classifier.py                 # train, cross-validate, write
    .venv/bin/python scripts/train_safety_classifier.py --max-fpr 0.02 --cache /tmp/emb.npz

1. Training data: our own exemplars (src/mhqa/safety/data/exemplars.jsonl) plus the eval set's
   **dev** split (dev is for development; the test split is never read here). Every text is
   normalised first, as the detector sees it.
2. Crisis classifier: all-MiniLM-L6-v2 fine-tuned for the task with LoRA (rank 16 on every
   linear layer of its 6 layers) and a linear head on its mean-pooled unit embedding (written to
   data/encoder_lora.npz and classifier.json), a LogisticRegression on TF-IDF word 1-2 grams and
   a third on TF-IDF character 2-5 grams (typos, leetspeak); the detector averages the three
   probabilities. (`--no-finetune`: a LogisticRegression on the frozen embeddings instead; with
   the same folds it reached AUC 0.926 where the fine-tuned encoder reached 0.976.)
3. Thresholds by 5-fold cross-validation over exemplars + dev: each message is scored by models
   that never saw it, the full detector (patterns OR classifier) is applied to those held-out
   scores, and the pair (threshold, threshold_benign) with the best held-out recall at a held-out
   false-positive rate <= --max-fpr is kept. So the thresholds are not tuned on the data the
   shipped weights were fitted to.
4. Category classifiers: one-vs-rest LogisticRegression per category on the (fine-tuned) embedding,
   trained on rows whose categories are known (dev and the newer exemplars); each threshold is
   the held-out one with the best recall at held-out precision >= --cat-precision.
5. Write src/mhqa/safety/data/classifier.json (weights, thresholds, CV figures, exemplar hash).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mhqa.safety import patterns as P  # noqa: E402
from mhqa.safety import semantic as S  # noqa: E402
from mhqa.safety.normalize import normalize  # noqa: E402

DATA = ROOT / "src" / "mhqa" / "safety" / "data"
CATEGORIES = (P.SI, P.SH, P.LM, P.OD, P.HO, P.AB, P.TP)
SEED = 0


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fit(x: np.ndarray, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y)


def fit_lexical(texts: list[str], y: np.ndarray, c: float):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)  # mirrored by semantic.Classifier
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(vec.fit_transform(texts), y)
    return vec, model


def fit_chars(texts: list[str], y: np.ndarray, c: float):
    """TF-IDF on character 2-5 grams within word boundaries: robust to typos and leetspeak."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)  # mirrored by semantic
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(vec.fit_transform(texts), y)
    return vec, model


def training_rows(exemplars: Path, eval_set: Path) -> list[dict]:
    """Exemplars + dev rows: text (normalised), crisis, categories (None when not labelled), source."""
    rows = [{"text": normalize(r["text"]), "crisis": bool(r["crisis"]), "source": "exemplar",
             "categories": r.get("categories")} for r in load_jsonl(exemplars)]
    if eval_set.exists():
        rows += [{"text": normalize(r["text"]), "crisis": bool(r["crisis"]), "source": "dev",
                  "categories": list(r["categories"])} for r in load_jsonl(eval_set) if r["split"] == "dev"]
    return rows


def embed_texts(texts: list[str], cache: Path | None) -> np.ndarray:
    """Embeddings (N, 384); an optional .npz cache keyed by normalised text saves minutes on reruns."""
    known: dict[str, np.ndarray] = {}
    if cache and cache.exists():
        z = np.load(cache, allow_pickle=True)
        known = dict(zip(z["texts"].tolist(), z["E"]))
    missing = sorted({t for t in texts if t not in known})
    if missing:
        known.update(zip(missing, S.embed(missing)))
        if cache:
            np.savez(cache, texts=np.array(list(known), dtype=object), E=np.stack(list(known.values())))
    return np.stack([known[t] for t in texts]).astype(np.float32)


# every linear layer inside the 6 BERT layers (not the pooler)
LORA_TARGETS = (r".*encoder\.layer\.\d+\.(attention\.self\.(query|key|value)|attention\.output\.dense|"
                r"intermediate\.dense|output\.dense)")
HEAD_SCALE = 10.0  # the head reads 10 x the unit embedding (cosine-like logits need a wider range)


class FineTuned:
    """all-MiniLM-L6-v2 + LoRA + a linear crisis head, trained with torch (imported only here)."""

    def __init__(self, texts: list[str], y: np.ndarray, *, epochs: int, lr: float, rank: int, seed: int = SEED):
        import torch
        from peft import LoraConfig, get_peft_model
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(seed)
        self.torch = torch
        self.tok = AutoTokenizer.from_pretrained(S.model_path())
        self.model = get_peft_model(AutoModel.from_pretrained(S.model_path()),
                                    LoraConfig(r=rank, lora_alpha=rank, lora_dropout=0.0, target_modules=LORA_TARGETS))
        self.head = torch.nn.Linear(384, 1)
        lora = [p for p in self.model.parameters() if p.requires_grad]
        opt = torch.optim.AdamW([{"params": lora, "lr": lr}, {"params": self.head.parameters(), "lr": 1e-2}],
                                weight_decay=0.01)
        target = torch.tensor(y, dtype=torch.float32)
        loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(y) - y.sum()) / max(y.sum(), 1)))
        gen = torch.Generator().manual_seed(seed)
        self.model.train()
        for _ in range(epochs):
            for batch in torch.randperm(len(texts), generator=gen).split(32):
                logits = self._logits([texts[i] for i in batch.tolist()])
                loss = loss_fn(logits, target[batch])
                opt.zero_grad()
                loss.backward()
                opt.step()
        self.model.eval()

    def _embed(self, texts: list[str]):
        b = self.tok(texts, padding=True, truncation=True, max_length=128, return_tensors="pt")
        h = self.model(**b).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).to(h.dtype)
        return self.torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=-1)

    def _logits(self, texts: list[str]):
        return self.head(self._embed(texts) * HEAD_SCALE).squeeze(-1)

    def probabilities(self, texts: list[str]) -> np.ndarray:
        with self.torch.no_grad():
            return np.concatenate([self.torch.sigmoid(self._logits(texts[i:i + 64])).numpy()
                                   for i in range(0, len(texts), 64)])

    def embeddings(self, texts: list[str]) -> np.ndarray:
        with self.torch.no_grad():
            return np.concatenate([self._embed(texts[i:i + 64]).numpy() for i in range(0, len(texts), 64)])

    def save_adapter(self, path: Path) -> None:
        """LoRA A/B per adapted layer in the names semantic.MiniLMEncoder.with_adapter reads (fp16)."""
        arrays, scale = {}, None
        for name, module in self.model.named_modules():
            if hasattr(module, "lora_A") and "default" in getattr(module, "lora_A", {}):
                key = name.removeprefix("base_model.model.")
                arrays[f"{key}.A"] = module.lora_A["default"].weight.detach().numpy().astype(np.float16)
                arrays[f"{key}.B"] = module.lora_B["default"].weight.detach().numpy().astype(np.float16)
                scale = module.scaling["default"]
        tmp = path.with_name(path.stem + ".tmp.npz")
        np.savez_compressed(tmp, scale=np.float32(scale), **arrays)
        tmp.replace(path)

    def head_weights(self) -> tuple[list[float], float]:
        w = self.head.weight.detach().numpy()[0] * HEAD_SCALE
        return [round(float(v), 6) for v in w], round(float(self.head.bias.detach().numpy()[0]), 6)


def crisis_scores(x_tr, t_tr, y_tr, x_te, t_te, c: float, c_lex: float, finetune: dict | None = None) -> np.ndarray:
    """Mean of the three classifiers' probabilities (fine-tuned encoder or embedding LR, word n-grams,
    character n-grams)."""
    if finetune is not None:
        p_emb = FineTuned(t_tr, y_tr, **finetune).probabilities(t_te)
    else:
        p_emb = fit(x_tr, y_tr, c).predict_proba(x_te)[:, 1]
    vec, lex = fit_lexical(t_tr, y_tr, c_lex)
    cvec, chars = fit_chars(t_tr, y_tr, c_lex)
    return (p_emb + lex.predict_proba(vec.transform(t_te))[:, 1] + chars.predict_proba(cvec.transform(t_te))[:, 1]) / 3


def _folds(rows: list[dict], k: int = 5):
    from sklearn.model_selection import StratifiedKFold

    strata = [f"{r['source']}:{r['crisis']}" for r in rows]
    return list(StratifiedKFold(k, shuffle=True, random_state=SEED).split(np.zeros(len(rows)), strata))


def held_out_crisis(rows, x, texts, y, c, c_lex, finetune: dict | None = None) -> np.ndarray:
    """Out-of-fold crisis probability of every row."""
    from sklearn.metrics import roc_auc_score

    oof = np.zeros(len(rows))
    for k, (tr, te) in enumerate(_folds(rows)):
        x_tr, x_te = (None, None) if x is None else (x[tr], x[te])
        oof[te] = crisis_scores(x_tr, [texts[i] for i in tr], y[tr], x_te, [texts[i] for i in te], c, c_lex, finetune)
        print(f"  fold {k + 1}/5: held-out AUC {roc_auc_score(y[te], oof[te]):.4f}", flush=True)
    return oof


def pick_thresholds(probs, pat, cue, y, max_fpr) -> tuple[float, float]:
    """Best recall with FPR <= max_fpr for: pattern fired, or p >= t (p >= tb when a benign cue was seen)."""
    grid = np.round(np.arange(0.20, 0.99, 0.01), 2)
    best = None
    for t in grid:
        for tb in grid[grid >= t]:
            pred = pat | ((~cue) & (probs >= t)) | (cue & (probs >= tb))
            recall, fpr = (pred & y).sum() / y.sum(), (pred & ~y).sum() / (~y).sum()
            key = (fpr <= max_fpr, recall, -fpr, -t, -tb)
            if best is None or key > best[0]:
                best = (key, float(t), float(tb))
    return best[1], best[2]


def figures(pred, y, mask) -> dict:
    p, t = pred[mask], y[mask]
    return {"n": int(mask.sum()), "recall": round(float((p & t).sum() / max(1, t.sum())), 4),
            "fpr": round(float((p & ~t).sum() / max(1, (~t).sum())), 4)}


def category_models(rows, x, c: float, min_precision: float) -> tuple[dict, dict]:
    """One-vs-rest classifiers; thresholds from held-out scores on crisis rows with known categories."""
    idx = np.array([i for i, r in enumerate(rows) if r["categories"] is not None])
    crisis_idx = np.array([j for j, i in enumerate(idx) if rows[i]["crisis"]])
    out, report = {}, {}
    for cat in CATEGORIES:
        yc = np.array([cat in rows[i]["categories"] for i in idx])
        oof = np.zeros(len(idx))
        sub = [rows[i] for i in idx]
        for tr, te in _folds(sub):
            oof[te] = fit(x[idx[tr]], yc[tr], c).predict_proba(x[idx[te]])[:, 1]
        s, t = oof[crisis_idx], yc[crisis_idx]  # categories are only given to messages judged crisis
        best = (0.0, 0.95)
        for th in np.round(np.arange(0.30, 0.96, 0.01), 2):
            pred = s >= th
            prec = (pred & t).sum() / max(1, pred.sum())
            rec = (pred & t).sum() / max(1, t.sum())
            if prec >= min_precision and rec > best[0]:
                best = (float(rec), float(th))
        model = fit(x[idx], yc, c)
        out[cat] = {"coef": [round(float(v), 6) for v in model.coef_[0]], "intercept": round(float(model.intercept_[0]), 6),
                    "threshold": best[1]}
        pred = s >= best[1]
        report[cat] = {"support": int(t.sum()), "cv_recall": round(best[0], 4),
                       "cv_precision": round(float((pred & t).sum() / max(1, pred.sum())), 4)}
    return out, report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exemplars", type=Path, default=DATA / "exemplars.jsonl")
    ap.add_argument("--eval-set", type=Path, default=DATA / "eval_set.jsonl")
    ap.add_argument("--out", type=Path, default=DATA / "classifier.json")
    ap.add_argument("--cache", type=Path, default=None, help="optional .npz embedding cache (not shipped)")
    ap.add_argument("--C", type=float, default=4.0, help="inverse L2 strength of the embedding classifier")
    ap.add_argument("--C-lexical", type=float, default=16.0, help="inverse L2 strength of the word n-gram classifier")
    ap.add_argument("--C-category", type=float, default=4.0, help="inverse L2 strength of the category classifiers")
    ap.add_argument("--max-fpr", type=float, default=0.02, help="held-out false-positive rate the thresholds must keep")
    ap.add_argument("--cat-precision", type=float, default=0.6, help="held-out precision each category threshold keeps")
    ap.add_argument("--no-finetune", action="store_true", help="logistic regression on frozen embeddings, no adapter")
    ap.add_argument("--epochs", type=int, default=3, help="fine-tuning epochs")
    ap.add_argument("--lr", type=float, default=5e-4, help="fine-tuning learning rate of the LoRA weights")
    ap.add_argument("--rank", type=int, default=16, help="LoRA rank")
    ap.add_argument("--adapter-out", type=Path, default=DATA / "encoder_lora.npz")
    args = ap.parse_args()
    finetune = None if args.no_finetune else {"epochs": args.epochs, "lr": args.lr, "rank": args.rank}

    raw = args.exemplars.read_bytes()
    rows = training_rows(args.exemplars, args.eval_set)
    texts = [r["text"] for r in rows]
    y = np.array([r["crisis"] for r in rows])
    # frozen embeddings (N, 384) feed the embedding classifier only without fine-tuning
    x = embed_texts(texts, args.cache) if finetune is None else None
    n_dev = sum(r["source"] == "dev" for r in rows)
    print(f"training rows: {len(rows)} ({y.sum()} crisis): {len(rows) - n_dev} exemplars + {n_dev} dev")

    # Thresholds from held-out scores (5-fold CV over exemplars + dev).
    oof = held_out_crisis(rows, x, texts, y, args.C, args.C_lexical, finetune)
    found = [P.match_patterns(t) for t in texts]
    pat = np.array([f.level > 0 for f in found])
    cue = np.array([f.has_benign_cue for f in found])
    t, tb = pick_thresholds(oof, pat, cue, y, args.max_fpr)
    pred = pat | ((~cue) & (oof >= t)) | (cue & (oof >= tb))
    dev = np.array([r["source"] == "dev" for r in rows])
    cv = {"folds": 5, "max_fpr": args.max_fpr, "all": figures(pred, y, np.ones(len(rows), bool)),
          "dev": figures(pred, y, dev), "exemplars": figures(pred, y, ~dev),
          "patterns_only_dev": figures(pat, y, dev)}
    from sklearn.metrics import roc_auc_score

    cv["auc_classifier"] = round(float(roc_auc_score(y, oof)), 4)
    print(f"thresholds {t:.2f} / benign cue {tb:.2f}; held-out: {json.dumps(cv)}")

    adapter = None
    if finetune is not None:
        tuned = FineTuned(texts, y, **finetune)
        tuned.save_adapter(args.adapter_out)
        x = S.get_encoder().with_adapter(args.adapter_out).encode(texts)  # what the detector will see
        drift = float(np.abs(x[:32] - tuned.embeddings(texts[:32])).max())
        print(f"wrote {args.adapter_out}; NumPy encoder vs torch max difference {drift:.1e}")
        if drift > 5e-3:
            raise SystemExit("the NumPy encoder does not reproduce the fine-tuned model")
        coef, intercept = tuned.head_weights()
        adapter = {"file": args.adapter_out.name, "sha256": hashlib.sha256(args.adapter_out.read_bytes()).hexdigest(),
                   **finetune, "targets": LORA_TARGETS, "head_scale": HEAD_SCALE}
    else:
        args.adapter_out.unlink(missing_ok=True)
        clf = fit(x, y, args.C)
        coef = [round(float(v), 6) for v in clf.coef_[0]]
        intercept = round(float(clf.intercept_[0]), 6)
    vec, lex = fit_lexical(texts, y, args.C_lexical)
    terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    cvec, chars = fit_chars(texts, y, args.C_lexical)
    grams = sorted(cvec.vocabulary_, key=cvec.vocabulary_.get)
    cats, cat_report = category_models(rows, x, args.C_category, args.cat_precision)
    print(f"category classifiers (held-out, crisis rows): {json.dumps(cat_report)}")
    weights = {"model_id": S.MODEL_ID, "dim": int(x.shape[1]), "exemplars_sha256": hashlib.sha256(raw).hexdigest(),
               "n_exemplars": len(rows) - n_dev, "n_dev": n_dev, "C": args.C,
               "coef": coef, "intercept": intercept, "encoder_adapter": adapter,
               "threshold": t, "threshold_benign": tb,
               "calibration": {"split": "dev", "method": "5-fold CV over exemplars + dev", **cv},
               "lexical": {"C": args.C_lexical, "terms": terms, "idf": [round(float(v), 5) for v in vec.idf_],
                           "coef": [round(float(v), 5) for v in lex.coef_[0]],
                           "intercept": round(float(lex.intercept_[0]), 6)},
               "chars": {"C": args.C_lexical, "ngram_range": [2, 5], "terms": grams,
                         "idf": [round(float(v), 5) for v in cvec.idf_], "coef": [round(float(v), 5) for v in chars.coef_[0]],
                         "intercept": round(float(chars.intercept_[0]), 6)},
               "categories": {"C": args.C_category, "report": cat_report, "models": cats}}
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
