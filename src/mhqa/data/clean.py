"""Text repair and de-duplication: ftfy for mojibake, then whitespace rules.

Questions become one line; answers keep their paragraph breaks (a single "\\n" or a blank
line "\\n\\n"). Nothing here knows about files: every function takes and returns plain text or
:class:`~mhqa.data.load.QAPair` lists.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import ftfy

if TYPE_CHECKING:
    from mhqa.data.load import QAPair

# Curly quotes are real typography in FAQ answers, not damage: keep them (ftfy's default would
# straighten every one of them and count it as a repair).
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_line_breaks=False, explain=False)

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[^\S\n]+")  # any whitespace except a newline
_BLANK_RUN = re.compile(r"\n{3,}")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})
_NOT_WORD = re.compile(r"[^\w\s]+")

# Expanded before comparing questions, so "What's stress?" and "What is stress" group together.
_CONTRACTIONS = {
    "what's": "what is", "it's": "it is", "that's": "that is", "there's": "there is",
    "who's": "who is", "how's": "how is", "where's": "where is", "i'm": "i am", "you're": "you are",
    "we're": "we are", "they're": "they are", "isn't": "is not", "aren't": "are not",
    "don't": "do not", "doesn't": "does not", "didn't": "did not", "can't": "cannot",
    "won't": "will not", "shouldn't": "should not", "wouldn't": "would not", "i've": "i have",
    "i'd": "i would", "i'll": "i will", "let's": "let us",
}
_CONTRACTION_RE = re.compile(r"\b(" + "|".join(map(re.escape, _CONTRACTIONS)) + r")(?=\W|$)")


def repair_text(text: str) -> str:
    """Repair mojibake and broken Unicode with ftfy (curly quotes are kept).

    >>> repair_text("It doesnâ€™t mean youâ€™re weak")
    'It doesn’t mean you’re weak'
    """
    return ftfy.fix_text(text, config=_FTFY)


def normalize_whitespace(text: str, *, keep_paragraphs: bool = False) -> str:
    """Collapse spaces, turn NBSP into a space, drop zero-width characters and strip.

    With ``keep_paragraphs`` single line breaks stay, and runs of blank lines become one blank
    line; otherwise all whitespace collapses to single spaces.

    >>> normalize_whitespace("  What\\u00a0is   stress ?\\n")
    'What is stress ?'
    >>> normalize_whitespace("First.  \\r\\n\\r\\n\\n Second.\\nThird.", keep_paragraphs=True)
    'First.\\n\\nSecond.\\nThird.'
    """
    text = unicodedata.normalize("NFC", text.translate(_ZERO_WIDTH))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    if not keep_paragraphs:
        return " ".join(text.split())
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()


def question_key(text: str) -> str:
    """Comparison key for questions: case, punctuation and contractions do not count.

    >>> question_key("Once I start therapy, what should I expect?")
    'once i start therapy what should i expect'
    >>> question_key("What’s stress?") == question_key("what is stress")
    True
    """
    text = text.casefold().translate(_APOSTROPHES)
    text = _CONTRACTION_RE.sub(lambda m: _CONTRACTIONS[m.group(1)], text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def answer_key(text: str) -> str:
    """Comparison key for answers: case, quote style and whitespace do not count.

    >>> answer_key("Talk to  someone.\\n") == answer_key("talk to someone.")
    True
    """
    return " ".join(text.casefold().translate(_APOSTROPHES).split())


def change_snippet(before: str, after: str, width: int = 30) -> dict[str, str]:
    """Show the first place two texts differ, with ``width`` characters of context each side.

    >>> change_snippet("so you canâ€™t lose", "so you can’t lose", width=4)
    {'before': ' canâ€™t', 'after': ' can’t l'}
    """
    start = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
    lo = max(0, start - width)
    return {"before": before[lo:start + width], "after": after[lo:start + width]}


@dataclass
class DedupeResult:
    """Pairs kept and, for each dropped duplicate, the pair it repeated."""

    kept: list[QAPair]
    removed: list[dict] = field(default_factory=list)


def drop_duplicates(pairs: list[QAPair]) -> DedupeResult:
    """Drop pairs whose question and answer repeat an earlier pair (by their keys).

    The first occurrence is kept and inherits the paraphrases of its duplicates.

    >>> from mhqa.data.load import QAPair
    >>> pairs = [QAPair("1", "What is stress?", "A reaction."), QAPair("2", "what is stress", "A  reaction.")]
    >>> result = drop_duplicates(pairs)
    >>> [p.id for p in result.kept], result.removed
    (['1'], [{'id': '2', 'duplicate_of': '1', 'row': None}])
    """
    first: dict[tuple[str, str], int] = {}
    kept: list[QAPair] = []
    removed: list[dict] = []
    for pair in pairs:
        key = (question_key(pair.question), answer_key(pair.answer))
        if key not in first:
            first[key] = len(kept)
            kept.append(pair)
            continue
        original = kept[first[key]]
        extra = tuple(p for p in pair.paraphrases if p not in original.paraphrases)
        kept[first[key]] = replace(original, paraphrases=original.paraphrases + extra)
        removed.append({"id": pair.id, "duplicate_of": original.id, "row": pair.row})
    return DedupeResult(kept, removed)
