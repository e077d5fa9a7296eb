"""`assess`: the one check every front door of mhqa runs on a user message before anything else.

Layers, cheapest first: normalisation (:mod:`.normalize`), curated patterns with idiom, negation
and context handling (:mod:`.patterns`), then the embedding classifier (:mod:`.semantic`) for
indirect phrasing. Patterns decide levels when they fire; the classifier adds recall for
messages no pattern covers (concern, or urgent when its category classifiers name a risk other
than suicidal ideation or its urgency head reads the message as urgent), and its category
classifiers add categories the patterns missed. A content-free reply ("ok", "no not really") is not
scored alone, and a short answer to the assistant's own question about risk is read with that
question (:mod:`.replies`). Earlier user turns keep the safe mode on, but a flag that rested on the
classifier alone is withdrawn once the writer clearly says no to the direct question the crisis reply asks.

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

from mhqa.safety import languages as L
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
    # the verdict rests on the embedding classifier alone (no pattern fired, no answer to a question about risk),
    # the message names no one else and no abuse, and it is the conversation's only flag: the crisis reply then asks
    # the writer directly about their own thoughts (policy.CHECK_IN), and a clear "no" would withdraw the flag
    check_in: bool = False
    # this turn said no to that direct question, and the earlier flag was withdrawn
    stood_down: bool = False
    # the language of a crisis statement in this turn written in another language than English (mhqa.safety.languages:
    # "es", "fr", ...), so the crisis reply can open with a line in it
    language: str | None = None
    # no crisis, and the message is about an accident, a bodily pain or medicine taken as told (patterns: physical): the
    # assistant's answer then points to a doctor, nurse or pharmacist (policy.PHYSICAL_NOTE)
    physical: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"crisis": self.crisis, "level": self.level, "categories": list(self.categories),
                "evidence": list(self.evidence), "score": None if self.score is None else round(self.score, 4),
                "locale": self.locale, "from_history": self.from_history, "check_in": self.check_in,
                "stood_down": self.stood_down, "language": self.language, "physical": self.physical}


# Hints that pick categories for a message only the classifier flagged.
_CATEGORY_HINTS = (
    (P.OD, re.compile(r"\b(?:pills?|tablets?|meds|overdos\w*|dose|swallow\w*|took (?:them|it) all|bottle|packet|strip)\b")),
    (P.SH, re.compile(r"\b(?:cut|cuts|cutting|blades?|razor|scars?|burn(?:ing|s)?|bleed\w*|self-harm\w*|wrists?|hurt myself)\b")),
    (P.AB, re.compile(r"\b(?:hits?|beats?|touch\w*|abus\w*|rap\w+|secret|scared of (?:him|her)|locks? me|forces? me)\b")),
    (P.HO, re.compile(r"\b(?:kill (?:him|her|them)|hurt (?:him|her|them|someone|people)|stab\w*|shoot\w*|attack\w*|revenge)\b")),
    (P.TP, re.compile(r"\b(?:my|our) (?:friend|brother|sister|mom|mum|dad|son|daughter|partner|boyfriend|girlfriend|"
                      r"husband|wife|cousin|roommate|classmate|grandpa|grandma|neighbou?r|kid|child)\b")),
)


# Someone other than the writer in the message ("she", "my daughter", "my coworker"): a classifier-only flag on it
# gets no check-in question about the writer's own thoughts
_SOMEONE_ELSE = re.compile(r"\b(?:he|she|hes|shes|him|her|his|hers|they|them|their|theyre|"
                           r"(?:my|our) (?:\w+ )?" + P._REL + r")\b")


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
    released = _released(earlier, current, [q for _, q in turns] + [asked], [t for t, _ in turns] + [text])
    if released:
        # the "no" goes too (it was no crisis, or the classifier's alone); the turns after it are watched
        earlier = [_watched(a, t) for a, (t, _) in zip(earlier[released + 1:], turns[released + 1:])]
        if released == len(turns):  # this turn is the "no"
            current = replace(current, crisis=False, level=LEVELS[P.NONE], categories=(), check_in=False,
                              about_other=False, stood_down=True, evidence=current.evidence + (
                                  "reply:said no to the direct question; the classifier-only flag is withdrawn",))
        else:  # a flag after a withdrawn one stays: its reply asks nothing
            current = replace(_watched(current, text), check_in=False)
    crises = [a for a in earlier if a.crisis]
    worst = max(crises, key=lambda a: LEVELS.index(a.level), default=None)
    if worst is None:
        return _with_locale(current, locale)
    # A crisis earlier in the conversation keeps the safe mode on, at the highest level seen.
    level = max(current.level, worst.level, key=LEVELS.index)
    cats = tuple(c for c in CATEGORIES if c in current.categories or c in worst.categories)
    evidence = current.evidence + (f"history:earlier turn was {worst.level}",)
    about_other = current.about_other if current.crisis else worst.about_other
    flags = crises + [current] * current.crisis
    only = len(flags) == 1 and flags[0].check_in  # a "no" can withdraw one flag only (_released)
    return Assessment(True, level, cats, evidence, current.score, locale, from_history=True, about_other=about_other,
                      check_in=only,  # the reply keeps the language of the latest crisis statement written in one
                      language=current.language or next((a.language for a in reversed(crises) if a.language), None))


# After a withdrawn flag the classifier is read at this lower threshold for the rest of the conversation (held out
# in cross-validation on our labelled rows: its recall alone 0.94 against 0.88 at the shipped threshold, FPR ~0.05
# against ~0.03): the "no" ends the safe mode, not the attention. A turn flagged so is a concern and asks nothing,
# so a second "no" withdraws nothing.
_WATCH_P = 0.5


def _watch_flags(a: Assessment) -> bool:
    return not a.crisis and a.score is not None and a.score >= _WATCH_P


def _watched(a: Assessment, text: str) -> Assessment:
    if not _watch_flags(a):
        return a
    return replace(a, crisis=True, level=LEVELS[P.CONCERN], categories=_guess_categories(normalize(text)),
                   evidence=a.evidence + (f"semantic:watched after a withdrawn flag (p >= {_WATCH_P})",))


def _released(earlier: list[Assessment], current: Assessment, asked: list[str | None], texts: list[str]) -> int:
    """The index of the writer's latest clear "no" to the assistant's direct question about their own thoughts of
    suicide or self-harm, when exactly one turn before it was a crisis and that one was a check-in verdict (the
    classifier's alone, about the writer, below an emergency): the turns up to the "no" no longer count. 0 when
    there is no such "no", or the conversation had a pattern's verdict, an answer to a risk question, an
    emergency or more than one flag before it. The "no" itself may be flagged by the classifier alone ("no, i meant
    an actual walk" scores as "gonna go for a walk" did), never by a pattern.

    Measured by simulated chats over 240 conversations from four other writers (half ending in a crisis that may
    only show in context, "yeah tonight i think"), where the writer answers every check-in question with "no,
    i'm fine" (the worst case: a person in crisis who denies each time). On the 120 dev conversations the crisis
    turns caught went 119 -> 108 when any number of flags could be withdrawn, -> 114 with one flag at most, -> 118
    when messages about someone else get no question (the writer's "no" says nothing about that person) and
    -> 119 with the watch (_WATCH_P); crisis replies on the safe conversations' 377 turns 178 -> 159. The 240 test
    conversations, scored three times (before the watch, after it, after asking only while a "no" can withdraw):
    crises caught 117 -> 113 without the watch, 117 -> 115 with it; crisis replies on the safe conversations' 389
    turns 188 -> 163 (their last turn 79 -> 63 of 120)."""
    verdicts = earlier + [current]
    for k in range(len(verdicts) - 1, 0, -1):
        if not R.asks_directly(asked[k]) or not R.clear_no(normalize(texts[k])):  # the question before normalising
            continue
        if verdicts[k].crisis and not verdicts[k].check_in:
            return 0
        before = verdicts[:k]
        first = next((i for i, a in enumerate(before) if a.crisis), None)
        # a turn the watch flagged after an earlier "no" is a second flag
        flagged = [a for i, a in enumerate(before) if a.crisis or (first is not None and i > first and _watch_flags(a))]
        if len(flagged) == 1 and flagged[0].check_in and flagged[0].level != LEVELS[P.EMERGENCY]:
            return k
        return 0
    return 0


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
    return replace(a, crisis=True, level=level, categories=cats, about_other=P.TP in cats, check_in=False,
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
    found = with_other_languages(P.match_patterns(norm), text)
    evidence = [f"pattern:{h.rule} '{h.span}'" for h in found.hits]
    evidence += [f"idiom:'{b}'" for b in found.benign[:3]]
    evidence += [f"negated:{n}" for n in found.negated[:3]]
    score = None
    level, cats = found.level, found.categories
    check_in = False
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
            elif level == P.NONE and found.physical and _semantic_flags(score, found):
                # "my dad hurt himself falling down the stairs": the classifier reads injury words as self-harm (and
                # "took all my pills" as an overdose), but the message names an accident, a bodily pain or medicine
                # taken as told, and no risk; it gets an answer, not a crisis reply
                evidence.append("physical:an accident, a bodily pain or medicine taken as told; the classifier's flag is not taken")
            elif level == P.NONE and _semantic_flags(score, found):
                if urgent_p is not None:
                    evidence.append(f"semantic:urgency p={urgent_p:.2f}")
                level, cats, check_in = _classifier_verdict(norm, cat_probs, urgent_p)
            elif (level == P.NONE and not (found.has_benign_cue or found.physical) and score >= _CUE_P
                  and (cue := P.warning_sign(norm))):
                evidence.append(f"semantic:warning sign '{cue}' (p >= {_CUE_P})")
                level, cats, check_in = _classifier_verdict(norm, cat_probs, urgent_p)
            elif level > P.NONE:
                # the patterns named the risk; the classifier adds a category they missed only when sure
                cats = _merge(cats, _aimed(_confident_categories(cat_probs, floor=_ADD_CATEGORY_P), norm, cats))
            if level == P.NONE and not (found.physical or found.recovery) and note is None:
                window = _risky_window(norm)
                if window is not None:
                    w_score, w_cats, w_urgent = window
                    evidence.append(f"semantic:two sentences p={w_score:.2f}")
                    level, cats, check_in = _classifier_verdict(norm, w_cats, w_urgent)
    return Assessment(level > P.NONE, LEVELS[level], cats, tuple(evidence), score,
                      about_other=level > P.NONE and P.TP in found.categories, check_in=check_in,
                      language=next((L.language(h.rule) for h in found.hits if L.is_rule(h.rule)), None),
                      physical=level == P.NONE and found.physical)


def _classifier_verdict(norm: str, cat_probs: dict[str, float], urgent_p: float | None) -> tuple[int, tuple[str, ...], bool]:
    """(level, categories, check_in) of a message only the classifier flagged. Passive ideation is a concern; any other
    kind of risk it names (self-harm, means, abuse, threats, someone else) is urgent, and so is a message the urgency
    head reads as urgent (explicit intent no pattern caught). The writer is asked directly (check_in) unless the
    message is about someone else or abuse: their "no" would not answer it."""
    cats = _classifier_categories(norm, cat_probs)
    level = P.URGENT if set(cats) - {P.SI} or _urgent(urgent_p) else P.CONCERN
    return level, cats, not (_SOMEONE_ELSE.search(norm) or {P.AB, P.TP} & set(cats))


# A message nothing flagged whose classifier probability is below its threshold but at least _CUE_P, and that names one
# of the warning signs of suicide (patterns.warning_sign: a plan or decision made, calm after it, a final goodbye,
# arranging things for after one's death, giving things away, being a burden, hopelessness), is flagged as the
# classifier alone would flag it. Picked before any test split was scored (session 23): on 600 probe messages two
# helpers wrote that day (the cue words were written with their misses in view, so this is in-sample) 0.6 catches 11
# more of 420 crises for 3 more false alarms of 420; on other writers' dev split and on 2,204 counsellor answers and
# FAQ texts it adds no false alarm (0.5: 3 there). On 240 messages a third helper wrote without seeing those, scored
# once: 115 -> 116 of 120 crises, no false alarm of 120. Test splits, once: ours +1 crisis, other writers' +1 false
# alarm of 297, CounselChat's no change.
_CUE_P = 0.6


# A long message is scored whole (in ~600-character chunks), and one sentence of risk in a post about something else
# is diluted there: "... some nights i sit in the car in the closed garage thinking about turning the engine on. then
# i think about my kids and go back inside. how do i prepare for a custody hearing?" scored p=0.52 whole, 0.998 as
# its two sentences. A message the detector does not flag is therefore also read two sentences at a time, and a
# pair the classifier is nearly sure of (and in which the patterns see no idiom, negation, recovery or accident)
# flags it. Picked on sets the classifier was not fitted to, before any test split was scored (session 22): on 240
# probe posts of real-question style from two other writers (the detector missed 24 of their 120 crises), 0.99
# catches 9 of those 24 for 1 false alarm among 116 safe posts (0.985: 11 for 1); on other writers' dev split it
# adds 2 false alarms of 379 (0.985: 4), on our dev split and CounselChat's dev questions none.
_WINDOW_P = 0.99
_MAX_WINDOWS = 12  # the first ones (a post's risk rarely comes after its twelfth sentence); bounds the cost
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _risky_window(norm: str) -> tuple[float, dict[str, float], float | None] | None:
    """(score, category probabilities, urgency) of the first pair of consecutive sentences of ``norm`` the classifier
    scores at ``_WINDOW_P`` or more, or None (fewer than two sentences of three words or more, or no such pair)."""
    sentences = [s for s in (x.strip() for x in _SENTENCE_END.split(norm)) if len(s.split()) >= 3]
    pairs = [f"{first} {second}" for first, second in list(zip(sentences, sentences[1:]))[:_MAX_WINDOWS]]
    pairs = [pair for pair in pairs if not ((cue := P.match_patterns(pair)).has_benign_cue or cue.physical)]
    # a cheap first reading (the MiniLM pair alone) rules out pairs far from the bar before the whole ensemble reads them
    pairs = _past_first_reading(pairs)
    if not pairs:
        return None
    # all pairs scored in one call (the encoders' example memories are read once for all of them)
    scored, note = _semantic_scores(pairs)
    if note is not None:
        return None
    return next(((score, cat_probs, urgent_p) for score, cat_probs, urgent_p in scored if score >= _WINDOW_P), None)


# A pair the MiniLM pair alone (the shipped classifier's fallback) scores below this is not read by the whole ensemble.
# Measured (session 23) on the 5,117 pairs the pass reads in CounselChat's dev questions, other writers' dev split and
# 540 probe posts: the 445 pairs the ensemble scores at _WINDOW_P or more all score 0.97 or more on the MiniLM pair
# alone, and 36% of pairs score 0.5 or more (fewer on everyday traffic), so the ensemble reads about a third of them.
_FIRST_READING_P = 0.5


def _past_first_reading(pairs: list[str]) -> list[str]:
    from mhqa.safety import semantic as S

    try:
        cheap = S.fallback_probabilities(pairs)
    except RuntimeError:
        return pairs  # the full scoring reports the error
    return pairs if cheap is None else [pair for pair, p in zip(pairs, cheap) if p >= _FIRST_READING_P]


def with_other_languages(found: P.PatternResult, text: str) -> P.PatternResult:
    """``found`` with the crisis statements :mod:`.languages` reads in other languages than English ("quiero
    morirme", "je veux mourir", "मरना चाहता हूँ"), which the English patterns never see: the pattern layer as the
    detector runs it (scripts/train_safety_classifier.py picks thresholds with it too)."""
    hits = L.match(text)
    if not hits:
        return found
    seen = {c for h in found.hits + hits for c in h.categories} | set(found.categories)
    return replace(found, hits=found.hits + hits, level=max(found.level, *(h.level for h in hits)),
                   categories=tuple(c for c in CATEGORIES if c in seen))


def _semantic_score(norm: str) -> tuple[float | None, dict[str, float], float | None, str | None]:
    scored, note = _semantic_scores([norm])
    score, cat_probs, urgent_p = scored[0] if scored else (None, {}, None)
    return score, cat_probs, urgent_p, note


def _semantic_scores(texts: list[str]) -> tuple[list[tuple[float, dict[str, float], float | None]], str | None]:
    """The classifier's (score, category probabilities, urgency) of each text, and a note when it runs its fallback
    (then the scores are the fallback's) or cannot run (then no scores)."""
    from mhqa.safety import semantic as S

    try:
        scored = S.analyse_many(texts)
        note = S.fallback_note()
        return scored, None if note is None else f"semantic:{note}"[:160]
    except RuntimeError as exc:
        return [], f"semantic:unavailable ({exc})"[:160]


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
    return _aimed(cats, norm) or (P.SI,)


# Someone a threat could be aimed at: a person named as _SOMEONE_ELSE does, or "someone", "people", "my boss", ...
_TARGET = re.compile(r"\b" + P._PERSON + r"\b")


def _aimed(cats: tuple[str, ...], norm: str, pattern_cats: tuple[str, ...] = ()) -> tuple[str, ...]:
    """``cats`` (categories a classifier gave) without harm_to_others when the message names no one the harm could
    reach ("i want to hurt myself", "gonna go for a walk") or the patterns read it as abuse, where the writer or
    someone else is the one being hurt ("he's banging on the door saying he'll kill me"): the crisis reply would
    otherwise tell that writer to "put distance between you and them". On the dev splits of our and other writers'
    sets and CounselChat's (session 20), the classifier added harm_to_others to 18 pattern verdicts, 4 of them
    rightly; with this rule to 5, 3 rightly. On the 18 messages only the classifier flagged with harm_to_others
    (16 right) every one names someone, so none changed."""
    if P.HO not in cats or P.HO in pattern_cats:
        return cats
    if P.AB in pattern_cats or not (_SOMEONE_ELSE.search(norm) or _TARGET.search(norm)):
        return tuple(c for c in cats if c != P.HO)
    return cats


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
