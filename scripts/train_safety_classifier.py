"""Train the crisis classifier of mhqa's safety layer and pick its thresholds.

    .venv/bin/python scripts/train_safety_classifier.py            # train + calibrate on dev
    .venv/bin/python scripts/train_safety_classifier.py --max-fpr 0.02

1. Embed our own exemplars (src/mhqa/safety/data/exemplars.jsonl, normalised first) with
   all-MiniLM-L6-v2 (unit vectors) and fit a LogisticRegression on them; fit a second one on
   TF-IDF word 1-2 grams of the same text; the detector averages the two. Print 5-fold CV AUC.
2. Run the full detector (patterns + classifier) on the eval set's **dev** split and pick two
   thresholds: one for messages with no benign cue and a stricter one for messages where an
   idiom, negation or story/news context was seen. The pair maximises dev recall subject to a
   dev false-positive rate <= --max-fpr. The test split is never read here.
3. Write src/mhqa/safety/data/classifier.json (weights, thresholds, model id, exemplar hash).
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


def cross_val_auc(x: np.ndarray, y: np.ndarray, c: float) -> float:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    scores = np.zeros(len(y))
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
        scores[te] = fit(x[tr], y[tr], c).predict_proba(x[te])[:, 1]
    return float(roc_auc_score(y, scores))


def calibrate(dev: list[dict], probs: np.ndarray, max_fpr: float) -> tuple[float, float, dict]:
    """Pick (threshold, threshold_benign) on dev: best recall with FPR <= max_fpr."""
    found = [P.match_patterns(normalize(r["text"])) for r in dev]
    pat = np.array([f.level > 0 for f in found])
    cue = np.array([f.has_benign_cue for f in found])
    y = np.array([bool(r["crisis"]) for r in dev])
    grid = np.round(np.arange(0.30, 0.99, 0.01), 2)
    best = None
    for t in grid:
        for tb in grid[grid >= t]:
            pred = pat | ((~cue) & (probs >= t)) | (cue & (probs >= tb))
            recall = (pred & y).sum() / y.sum()
            fpr = (pred & ~y).sum() / (~y).sum()
            key = (fpr <= max_fpr, recall, -t, -tb)  # equal dev recall: prefer the lower thresholds, which spend
            # the false-positive budget on recall for phrasings dev does not contain
            if best is None or key > best[0]:
                best = (key, float(t), float(tb), {"dev_recall": float(recall), "dev_fpr": float(fpr)})
    return best[1], best[2], best[3]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exemplars", type=Path, default=DATA / "exemplars.jsonl")
    ap.add_argument("--eval-set", type=Path, default=DATA / "eval_set.jsonl")
    ap.add_argument("--out", type=Path, default=DATA / "classifier.json")
    ap.add_argument("--C", type=float, default=4.0, help="inverse L2 strength of the embedding classifier")
    ap.add_argument("--C-lexical", type=float, default=16.0, help="inverse L2 strength of the word n-gram classifier")
    ap.add_argument("--max-fpr", type=float, default=0.015, help="dev false-positive rate the thresholds must keep")
    args = ap.parse_args()

    raw = args.exemplars.read_bytes()
    rows = load_jsonl(args.exemplars)
    texts = [normalize(r["text"]) for r in rows]
    x = S.embed(texts)  # (N, 384), unit vectors
    y = np.array([int(r["crisis"]) for r in rows])
    print(f"exemplars: {len(rows)} ({y.sum()} crisis), 5-fold CV AUC {cross_val_auc(x, y, args.C):.3f}")
    clf = fit(x, y, args.C)
    vec, lex = fit_lexical(texts, y, args.C_lexical)
    terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)

    weights = {"model_id": S.MODEL_ID, "dim": int(x.shape[1]), "exemplars_sha256": hashlib.sha256(raw).hexdigest(),
               "n_exemplars": len(rows), "C": args.C, "coef": [round(float(v), 6) for v in clf.coef_[0]],
               "intercept": round(float(clf.intercept_[0]), 6), "threshold": 0.5, "threshold_benign": 0.5,
               "lexical": {"C": args.C_lexical, "terms": terms, "idf": [round(float(v), 5) for v in vec.idf_],
                           "coef": [round(float(v), 5) for v in lex.coef_[0]],
                           "intercept": round(float(lex.intercept_[0]), 6)}}
    if args.eval_set.exists():
        dev = [r for r in load_jsonl(args.eval_set) if r["split"] == "dev"]
        dev_texts = [normalize(r["text"]) for r in dev]
        probs = (clf.predict_proba(S.embed(dev_texts))[:, 1] + lex.predict_proba(vec.transform(dev_texts))[:, 1]) / 2
        t, tb, stats = calibrate(dev, probs, args.max_fpr)
        weights.update(threshold=t, threshold_benign=tb, calibration={"split": "dev", "n": len(dev),
                                                                      "max_fpr": args.max_fpr, **stats})
        print(f"dev ({len(dev)}): threshold {t:.2f}, with benign cue {tb:.2f} -> "
              f"recall {stats['dev_recall']:.3f}, FPR {stats['dev_fpr']:.3f}")
    else:
        print(f"{args.eval_set} not found: thresholds left at 0.5")
    args.out.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
