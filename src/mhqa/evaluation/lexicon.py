"""The empathy lexicon: validating and supportive phrases, counted in answers.

What is counted, exactly: each entry below is a case-insensitive regular expression matched on
word boundaries against the answer body (the AI disclosure and the professional-help nudge the
safety layer appends are removed first, so they never count). An answer scores one hit per
*entry* it contains at least once (repeating a phrase does not add hits). The report gives

- ``empathy_rate``: the share of answers with at least one hit, and
- ``empathy_hits``: the mean number of distinct entries per answer.

It is a transparent surface count, not a judgement of how caring an answer feels: an answer can
be warm without these phrases, and a list of them can still be cold. Compare systems with it,
and compare each with the reference answers (the "reference" row of the report).

>>> empathy_hits("That sounds really hard, and you're not alone. Reaching out can help.")
['validation:sounds_hard', 'validation:not_alone', 'support:reach_out']
>>> empathy_hits("Depression is a mood disorder.")
[]
"""

from __future__ import annotations

import re

# (category, name, pattern). Patterns are written to catch a phrase, not a single word: "help"
# alone is in almost every answer and would measure nothing.
_ENTRIES: tuple[tuple[str, str, str], ...] = (
    # validation: the feeling is named as real, understandable or shared
    ("validation", "sounds_hard", r"(?:that|this|it) (?:sounds|must be|can be|is) (?:really |very |so |incredibly )?"
                                  r"(?:hard|difficult|tough|painful|overwhelming|exhausting|frightening|scary|lonely|stressful|upsetting)"),
    ("validation", "understandable", r"(?:it'?s|it is|that'?s|that is) (?:completely |totally |perfectly |very |quite )?"
                                     r"(?:understandable|normal|natural|okay|ok|common|valid) (?:to|that|if)"),
    ("validation", "makes_sense", r"(?:it|that) makes (?:a lot of |complete )?sense"),
    ("validation", "feelings_valid", r"(?:your|these|those|such) (?:feelings|emotions|reactions) are (?:valid|real|understandable|normal)"),
    ("validation", "not_alone", r"(?:you'?re|you are) (?:not|never) alone"),
    ("validation", "many_people", r"(?:many|lots of|a lot of|most) people (?:feel|experience|go through|struggle|find)"),
    ("validation", "not_your_fault", r"(?:it'?s|it is) not your fault|(?:is|are) not a (?:sign of )?(?:weakness|character flaw|personal failing)"),
    ("validation", "nothing_wrong", r"(?:there'?s|there is) nothing wrong with"),
    # acknowledgement: the person is heard
    ("acknowledgement", "thank_sharing", r"thank you for (?:sharing|telling|reaching out|asking|opening up)"),
    ("acknowledgement", "sorry", r"i'?m (?:so |really |very )?sorry (?:you|to hear|that)"),
    ("acknowledgement", "hear_you", r"i hear you|i understand (?:how|that|why)"),
    # support: a way forward is offered
    ("support", "reach_out", r"reach(?:ing)? out"),
    ("support", "talk_someone", r"(?:talk|talking|speak|speaking|open up|opening up) (?:to|with) (?:someone|somebody|a friend|"
                                r"friends|family|a loved one|people) (?:you trust|close to you)?"),
    ("support", "ask_help", r"(?:ask|asking|seek|seeking|get|getting) (?:for )?(?:help|support)"),
    ("support", "help_available", r"(?:help|support|treatment) is available|(?:you can|it is possible to|people do) (?:get|feel) better"),
    ("support", "deserve", r"you deserve"),
    ("support", "self_kindness", r"be (?:kind|gentle|patient) (?:to|with) yourself|self-compassion"),
    ("support", "not_face_alone", r"(?:you )?(?:don'?t|do not) have to (?:go through|face|deal with|do|carry) (?:this|it|that)(?: all)? alone"),
    ("support", "small_steps", r"small steps|one step at a time|one day at a time|at your own pace"),
    ("support", "take_care", r"take care of yourself|look after yourself"),
)

LEXICON: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (cat, name, re.compile(r"\b(?:" + rx + r")\b", re.IGNORECASE)) for cat, name, rx in _ENTRIES
)


def empathy_hits(text: str) -> list[str]:
    """Names (``category:name``) of the lexicon entries found in ``text``, in lexicon order."""
    text = (text or "").replace("\u2019", "'")
    return [f"{cat}:{name}" for cat, name, rx in LEXICON if rx.search(text)]


def describe() -> list[dict[str, str]]:
    """The lexicon as data, for the report's appendix."""
    return [{"category": cat, "name": name, "pattern": rx} for cat, name, rx in _ENTRIES]
