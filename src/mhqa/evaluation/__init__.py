"""`mhqa evaluate`: how good an assistant is, on questions it never saw, against the obvious baselines.

- :mod:`~mhqa.evaluation.metrics`: pure metric functions (ROUGE-L, cosine, distinct-n, lengths, ...)
- :mod:`~mhqa.evaluation.lexicon`: the empathy lexicon and what it counts
- :mod:`~mhqa.evaluation.loss`: test loss and perplexity, scored exactly as in training
- :mod:`~mhqa.evaluation.semantic`: BERTScore offline on the shipped MiniLM model
- :mod:`~mhqa.evaluation.runner`: the systems, answered through the Assistant
- :mod:`~mhqa.evaluation.report`, :mod:`~mhqa.evaluation.plots`: report.json/md/html and charts
"""

from mhqa.evaluation.runner import SYSTEMS, EvalResult, EvalSettings, evaluate

__all__ = ["SYSTEMS", "EvalResult", "EvalSettings", "evaluate"]
