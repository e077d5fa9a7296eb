"""FAQ data: load (schema detection), clean (ftfy, whitespace, dedupe), split (group-aware),
augment (rule-based variants for train only) and `prepare`, which chains them.

Nothing here imports torch or transformers: preparing data is instant and needs no model.
"""

from mhqa.data.jsonl import read_jsonl, write_jsonl
from mhqa.data.load import LoadInfo, QAPair, Schema, load_pairs
from mhqa.data.prepare import PrepareReport, approx_token_count, prepare

__all__ = [
    "LoadInfo",
    "PrepareReport",
    "QAPair",
    "Schema",
    "approx_token_count",
    "load_pairs",
    "prepare",
    "read_jsonl",
    "write_jsonl",
]
