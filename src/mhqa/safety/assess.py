"""`assess`: the one check every front door of mhqa runs on a user message before anything else.

Layers, cheapest first: normalisation (:mod:`.normalize`), curated patterns with idiom, negation
and context handling (:mod:`.patterns`), then the embedding classifier (:mod:`.semantic`) for
indirect phrasing. Patterns decide levels when they fire; the classifier adds recall for
messages no pattern covers (concern, or urgent when its category classifiers name a risk other
than suicidal ideation or its urgency head reads the message as urgent), and its category
classifiers add categories the patterns missed. A content-free reply ("ok", "no not really") is not
scored alone, and a short answer to the assistant's own question about risk is read with that
question (:mod:`.replies`). Earlier user turns keep the safe mode on.

>>> a = assess("this traffic is killing me", semantic=False)
>>> a.crisis, a.level
(False, 'none')
>>> assess("im gonna kms tonight", semantic=False).level
'emergency'
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from mhqa.safety import patterns as P
from mhqa.safety import replies as R
from mhqa.safety.normalize import MAX_CHARS, normalize

LEVELS = P.LEVELS
CATEGORIES = (P.SI, P.SH, P.LM, P.OD, P.HO, P.AB, P.TP)
_HISTORY_TURNS = 20  # earlier user turns that count


@dataclass(frozen=True)
class Assessment:
    """The outcome of :func:`assess` for one message (and its conversation)."""

    crisis: bool
    level: str  # none | concern | urgent | emergency
    categories: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    score: float | None = None  # semantic probability, None when the classifier did not run
    locale: str = "en-US"
    from_history: bool = False
    # the patterns found someone else at risk (their third_party: precision 1.0 on both dev splits, where the
    # classifier's is ~0.5), so the crisis reply can speak to a person worried about someone
    about_other: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"crisis": self.crisis, "level": self.level, "categories": list(self.categories),
                "evidence": list(self.evidence), "score": None if self.score is None else round(self.score, 4),
                "locale": self.locale, "from_history": self.from_history}


# Hints that pick categories for a message only the classifier flagged.
_CATEGORY_HINTS = (
    (P.OD, re.compile(r"\b(?:pills?|tablets?|meds|overdos\w*|dose|swallow\w*|took (?:them|it) all|bottle|packet|strip)\b")),
    (P.SH, re.compile(r"\b(?:cut|cuts|cutting|blades?|razor|scars?|burn(?:ing|s)?|bleed\w*|self-harm\w*|wrists?|hurt myself)\b")),
    (P.AB, re.compile(r"\b(?:hits?|beats?|touch\w*|abus\w*|rap\w+|secret|scared of (?:him|her)|locks? me|forces? me)\b")),
    (P.HO, re.compile(r"\b(?:kill (?:him|her|them)|hurt (?:him|her|them|someone|people)|stab\w*|shoot\w*|attack\w*|revenge)\b")),
    (P.TP, re.compile(r"\b(?:my|our) (?:friend|brother|sister|mom|mum|dad|son|daughter|partner|boyfriend|girlfriend|"
                      r"husband|wife|cousin|roommate|classmate|grandpa|grandma|neighbou?r|kid|child)\b")),
)


def assess(text: str, *, locale: str = "en-US", history: Iterable[Any] | None = None,
           semantic: bool = True) -> Assessment:
    """Assess one user message for crisis risk.

    Args:
        text: the user's message (any string; never raises on odd input).
        locale: BCP-47 tag used to pick help lines later (kept on the result).
        history: earlier messages of the conversation, oldest first: strings or
            ``{"role", "content"}`` dicts; only user turns count.
        semantic: run the embedding classifier (False = patterns only, for tests and fallbacks).

    Returns:
        An :class:`Assessment`; ``crisis`` is True exactly when ``level != "none"``.
    """
    text = text if isinstance(text, str) else str(text)
    history = list(history or ())  # read twice below (it may be a generator)
    turns = _user_turns(history)
    asked = _last_assistant(history)
    current = _in_reply(_assess_one(text, semantic), text, asked)
    earlier = [_in_reply(_assess_one(t, semantic), t, q) for t, q in turns]
    worst = max(earlier, key=lambda a: LEVELS.index(a.level), default=None)
    if worst is None or not worst.crisis:
        return _with_locale(current, locale)
    # A crisis earlier in the conversation keeps the safe mode on, at the highest level seen.
    level = max(current.level, worst.level, key=LEVELS.index)
    cats = tuple(c for c in CATEGORIES if c in current.categories or c in worst.categories)
    evidence = current.evidence + (f"history:earlier turn was {worst.level}",)
    about_other = current.about_other if current.crisis else worst.about_other
    return Assessment(True, level, cats, evidence, current.score, locale, from_history=True, about_other=about_other)


def _with_locale(a: Assessment, locale: str) -> Assessment:
    return replace(a, locale=locale)


def _content(item: dict) -> str:
    content = item.get("content", "")
    return content if isinstance(content, str) else str(content)


def _user_turns(history: Iterable[Any] | None) -> list[tuple[str, str | None]]:
    """The user turns of ``history``, each with the assistant turn just before it (None if there is none)."""
    turns: list[tuple[str, str | None]] = []
    asked = None
    for item in history or ():
        if isinstance(item, str):
            turns.append((item, None))
            asked = None
        elif isinstance(item, dict) and item.get("role", "user") == "user":
            turns.append((_content(item), asked))
            asked = None
        elif isinstance(item, dict) and item.get("role") == "assistant":
            asked = _content(item)
    return turns[-_HISTORY_TURNS:]


def _last_assistant(history: list[Any]) -> str | None:
    """The assistant turn the current message replies to: the last item of ``history``, if it is one."""
    last = history[-1] if history else None
    return _content(last) if isinstance(last, dict) and last.get("role") == "assistant" else None


def _in_reply(a: Assessment, text: str, asked: str | None) -> Assessment:
    """``a`` raised to a crisis when ``text`` answers the assistant's question about risk (:mod:`.replies`)."""
    if a.crisis or asked is None or len(text) > 200:  # a reply the rules can match is a few words long
        return a
    found = R.answer_to_risk_question(normalize(text), asked[-2000:])
    if found is None:
        return a
    level, cats = found
    return replace(a, crisis=True, level=level, categories=cats, about_other=P.TP in cats,
                   evidence=a.evidence + ("reply:answers the assistant's question about risk",))


# Recently assessed messages (in memory only, never written anywhere) so that re-checking a
# conversation's history on every turn costs nothing.
_CACHE: OrderedDict[tuple[str, bool], Assessment] = OrderedDict()
_CACHE_SIZE = 512


def _assess_one(text: str, semantic: bool) -> Assessment:
    key = (text, semantic)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    result = _assess_uncached(text, semantic)
    _CACHE[key] = result
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _assess_uncached(text: str, semantic: bool) -> Assessment:
    if len(text) > MAX_CHARS:  # read the start and the end of very long input
        # (the joined text must stay within MAX_CHARS, or normalize() would cut its last character)
        text = text[: MAX_CHARS // 2] + "\n" + text[-(MAX_CHARS // 2 - 1):]
    norm = normalize(text)
    found = P.match_patterns(norm)
    evidence = [f"pattern:{h.rule} '{h.span}'" for h in found.hits]
    evidence += [f"idiom:'{b}'" for b in found.benign[:3]]
    evidence += [f"negated:{n}" for n in found.negated[:3]]
    score = None
    level, cats = found.level, found.categories
    if level == P.NONE and R.content_free(norm):
        evidence.append("reply:content-free, not scored alone")
    elif semantic and norm:
        score, cat_probs, urgent_p, note = _semantic_score(norm)
        if note:
            evidence.append(note)
        if score is not None:
            evidence.append(f"semantic:p={score:.2f}")
            veto = _recovery_veto()
            if P.NONE < level < P.EMERGENCY and found.recovery and score < veto:
                # a past experience told from recovery (or past abuse), and the classifier, which would not
                # flag the message on its own, reads it as safe
                evidence.append(f"recovery:pattern verdict withdrawn (p={score:.2f} < {veto:.2f})")
                level, cats = P.NONE, ()
            elif level == P.NONE and _semantic_flags(score, found):
                cats = _classifier_categories(norm, cat_probs)
                # The classifier alone flags indirect phrasing: passive ideation is a concern; any other
                # kind of risk it names (self-harm, means, abuse, threats, someone else) is urgent, and so is
                # a message the urgency head reads as urgent (explicit intent no pattern caught)
                urgent = _urgent(urgent_p)
                if urgent_p is not None:
                    evidence.append(f"semantic:urgency p={urgent_p:.2f}")
                level = P.URGENT if set(cats) - {P.SI} or urgent else P.CONCERN
            elif level > P.NONE:
                # the patterns named the risk; the classifier adds a category they missed only when sure
                cats = _merge(cats, _confident_categories(cat_probs, floor=_ADD_CATEGORY_P))
    return Assessment(level > P.NONE, LEVELS[level], cats, tuple(evidence), score,
                      about_other=level > P.NONE and P.TP in found.categories)


def _semantic_score(norm: str) -> tuple[float | None, dict[str, float], float | None, str | None]:
    from mhqa.safety import semantic as S

    try:
        score, cat_probs, urgent_p = S.analyse(norm)
        note = S.fallback_note()
        return score, cat_probs, urgent_p, None if note is None else f"semantic:{note}"[:160]
    except RuntimeError as exc:
        return None, {}, None, f"semantic:unavailable ({exc})"[:160]


def _urgent(urgent_p: float | None) -> bool:
    """The urgency head reads a classifier-only crisis message as urgent or worse (False without a head).

    Before the head (session 13) such a message was urgent only when its categories named a risk beyond
    suicidal ideation, so explicit intent no pattern covers ("i rlly wanna end my lfe") was graded a concern:
    on the 151 classifier-only crisis messages of other writers' dev split, with a head fitted without them,
    concern-vs-urgent accuracy went from 0.828 to 0.874 (urgent graded concern 18 -> 9, concern graded urgent
    8 -> 10). On the test splits (session 10's single encoder), level accuracy: ours 0.875 -> 0.890, other
    writers' 0.843 -> 0.852, CounselChat's 0.885 (unchanged); crisis verdicts are untouched."""
    if urgent_p is None:
        return False
    from mhqa.safety.semantic import active_classifier

    return urgent_p >= active_classifier().urgency[2]


# A category the classifier adds to a pattern verdict needs this probability as well as its own threshold
# (which is set for recall on messages the classifier alone flags). With the two changes beside it (hints only
# as a fallback, below; dose questions named lethal_means, not overdose, in patterns.py), on the crisis
# messages caught in the dev splits (ours / other writers' / CounselChat's) category precision (micro) went
# from 0.705 / 0.563 / 0.736 to 0.878 / 0.716 / 0.907 and recall from 0.993 / 0.951 / 0.951 to
# 0.963 / 0.949 / 0.951 (session 12); other writers' messages were never trained on.
_ADD_CATEGORY_P = 0.8
# ... and a message only the classifier flagged takes a category from a classifier at this probability or more
_ONLY_CATEGORY_P = 0.5


def _confident_categories(cat_probs: dict[str, float], floor: float = 0.0) -> tuple[str, ...]:
    from mhqa.safety.semantic import active_classifier

    models = active_classifier().categories
    return tuple(c for c in CATEGORIES if c in cat_probs and cat_probs[c] >= max(models[c][2], floor))


def _merge(*groups: Iterable[str]) -> tuple[str, ...]:
    seen = {c for g in groups for c in g}
    return tuple(c for c in CATEGORIES if c in seen)


def _classifier_categories(norm: str, cat_probs: dict[str, float]) -> tuple[str, ...]:
    """Categories for a message only the classifier flagged: the category classifiers that are fairly sure,
    else word hints, else the likeliest category. (Merging the hints with the classifiers, as before session
    12, tagged "third_party" on any message naming a relative: on other writers' dev split this order raised
    category precision on such messages from 0.499 to 0.654 at recall 0.907 -> 0.912.)"""
    cats = _confident_categories(cat_probs, floor=_ONLY_CATEGORY_P) or _guess_categories(norm, default=False)
    if cats == (P.TP,):
        cats = (P.SI, P.TP)
    if not cats and cat_probs:
        cats = (max(cat_probs, key=cat_probs.get),)
    return cats or (P.SI,)


def _recovery_veto() -> float:
    """Below this probability a recovery-framed pattern verdict is withdrawn: the classifier's own
    threshold, so such a message is a crisis exactly when the classifier alone would flag it."""
    from mhqa.safety.semantic import active_classifier

    return active_classifier().threshold


def _semantic_flags(score: float, found: P.PatternResult) -> bool:
    from mhqa.safety.semantic import active_classifier

    clf = active_classifier()
    threshold = clf.threshold_benign if found.has_benign_cue else clf.threshold
    return score >= threshold


def _guess_categories(norm: str, default: bool = True) -> tuple[str, ...]:
    cats = [c for c, rx in _CATEGORY_HINTS if rx.search(norm)]
    if P.TP in cats and len(cats) == 1:
        cats.insert(0, P.SI)
    if not cats and default:
        cats = [P.SI]
    return tuple(c for c in CATEGORIES if c in cats)
