"""Short chat replies: what "ok", "yes" or "no" mean depends on what came before them.

Two rules, both on normalised text (:func:`mhqa.safety.normalize.normalize`):

- :func:`content_free`: a message made only of acknowledgements, yes / no / maybe, thanks, greetings,
  fillers and laughter ("ok", "ok ty", "no not really", "hmm", "back now") says nothing that can be assessed
  on its own, so the embedding classifier is not asked about it. Alone such replies scored like crises
  ("ok": p=0.85 -> urgent), because a classifier trained on messages with content has nothing to go on; in a
  conversation that was a crisis before, :func:`mhqa.safety.assess` keeps the safe mode on as for any turn.
  Words that can carry a goodbye or give up ("bye", "goodnight", "whatever", "done", "enough") are not in the
  list, and neither is "fine". A follow-up on the assistant's own suggestion counts too ("ok i'll try that
  tomorrow", "tried the breathing thing, it kinda worked", "that's a good point"), but only "try" with the kinds
  of thing the assistant suggests: "i'll try the pills" or "i'll do it tonight" is content.
- :func:`answer_to_risk_question`: the same short reply is a crisis when it answers the assistant's own
  question about risk: "yes" / "kind of" / "idk" to "are you having thoughts of suicide?", or "no" / "not
  sure" to "are you safe right now?". Asking directly and taking the answer seriously is what crisis
  services train people to do.
- :func:`denies_risk`: a clear "no" to that direct question about the writer's own thoughts of suicide or
  self-harm ("no, i am fine", "nope, i meant i am literally going for a walk"). :func:`mhqa.safety.assess` uses it
  to withdraw an earlier flag that rested on the embedding classifier alone: that is how a false alarm on an
  ambiguous message ("gonna go for a walk", p=0.85) stops holding the whole conversation in safe mode. A hedged
  answer ("not really", "no but sometimes", "not right now") is not a denial.

>>> content_free("ok ty"), content_free("ok i have the pills")
(True, False)
>>> answer_to_risk_question("yeah", "Are you having thoughts of ending your life?")
('urgent', ('suicidal_ideation',))
>>> answer_to_risk_question("no", "Are you safe right now?")
('urgent', ('suicidal_ideation',))
>>> answer_to_risk_question("no", "Are you having thoughts of ending your life?") is None
True
>>> denies_risk("no, i am fine", "Are you having thoughts of ending your life?")
True
>>> denies_risk("not really", "Are you having thoughts of ending your life?"), denies_risk("no", "Are you safe?")
(False, False)
"""

from __future__ import annotations

import re

from mhqa.safety import patterns as P

_SEP = r"[\s,.!?:;~-]*"

_YES = r"(?:yes+|yeah?|yep|yup|ya|yh|ye|aye|i am|i do|i have|i did|sure|correct|true|right|mhm+|uh huh)"
_UNSURE = r"(?:maybe|idk|i (?:do not|dont) know|dunno|not sure|i am not sure|i'm not sure|i guess|i think so|probably|" \
          r"kind of|kinda|sort of|sorta|a bit|a little|(?:a )?little bit|sometimes|i suppose|perhaps)"
_NO = r"(?:no+|nope|nah|not really|no not really|i am not|i'm not|im not|not at all|not now|no i am not)"
_ACK = r"(?:ok+|okay|okey|okie(?: dokie)?|k+|alright|aight|cool|nice|great|good|perfect|fair(?: enough)?|i see|got it|" \
       r"gotcha|makes sense|that makes sense|sounds good|will do|noted|hm+|mm+|um+|uh+|ah+|oh+|lol|lmao|haha\w*|" \
       r"hehe\w*|thanks(?: a lot| so much)?|thank you(?: so much| very much)?|ty|tysm|cheers|hi+|hello|hey+|hiya|yo|" \
       r"(?:are )?you there|(?:i am |i'm |im )?back(?: now)?|brb|one sec|wait)"

# A reply about the assistant's own suggestion: trying it, how it went, what the writer thinks of it ("ok i'll try
# that tomorrow", "tried the breathing thing, it kinda worked", "that's a good point", "i'll stop here for today").
# Alone these scored like crises (p=0.93 to 0.99 on such turns of a writer the classifier never saw), as the
# acknowledgements above did. "Go for a walk" or anything with a goodbye in it is not here: in context it can be one.
_TRY = r"(?:i will|i'll|ill|will|gonna|going to|i am going to|i'm going to|im going to|i can|i could|might|i might)"
_WHEN = r"(?: (?:tonight|tomorrow|tmrw|later|today|now|again|next time|this week|this weekend|in the morning))?"
# only the assistant's kinds of suggestion, and only "try": "try the pills", "do it tonight" or "do that" is no follow-up
_COPING = (r"(?:(?:the |a |some |that |this )?(?:breathing|box breathing|breathing exercises?|grounding(?: exercise)?|"
           r"5-4-3-2-1|meditation|mindfulness|journal(?:l)?ing|journal|app|apps|exercises?|stretch(?:es|ing)|routine|"
           r"technique|tip|tips|list|gratitude list|worry time|sleep hygiene|wind-down|podcast|playlist|music|tea|"
           r"yoga|walk(?:ing)? (?:in the morning|after work))(?: thing| one| idea)?|that|journal(?:l)?ing|meditating|"
           r"writing it down|writing things down)")
_FOLLOW_UP = (r"(?:" + _TRY + r" try " + _COPING + _WHEN + r"|" + _TRY + r" give (?:that|it) a (?:try|go|shot)" + _WHEN + r"|"
              r"(?:i )?(?:tried|have tried|used) " + _COPING + _WHEN + r"|"
              r"(?:yeah |yes )?journal(?:l)?ed(?: last night| today| this morning)?(?: like you said)?|"
              r"it (?:kinda |kind of |sort of |sorta |really |actually |a bit |a little |somewhat )?(?:worked|helped|helps|works)|"
              r"(?:that is|that's|thats|this is|it is|it's|its) (?:a )?(?:good|great|fair|nice|helpful|useful) (?:point|idea|tip|one|"
              r"advice|suggestion)|(?:that is|that's|thats) fair|(?:good|great|nice) (?:point|idea|tip|advice|suggestion)|"
              r"(?:i )?(?:did not|didnt|never) (?:think|thought) (?:of|about) it (?:that|like that|this) way|"
              r"(?:i will|i'll|ill) stop here(?: for (?:today|now|tonight))?|"
              r"(?:hmm )?not sure (?:that|it|this) would work for me|talk (?:to you )?(?:tomorrow|later|soon))")


def _reply(first: tuple[str, ...], rest: tuple[str, ...]) -> re.Pattern:
    """A whole reply: one of ``first``, then any of ``rest``, with punctuation and spaces between."""
    return re.compile(rf"^{_SEP}(?:{'|'.join(first)})(?:{_SEP}(?:{'|'.join(rest)}))*{_SEP}$")


_CONTENT_FREE = _reply((_YES, _UNSURE, _NO, _ACK, _FOLLOW_UP), (_YES, _UNSURE, _NO, _ACK, _FOLLOW_UP))
_AFFIRM = _reply((_YES, _UNSURE), (_YES, _UNSURE, _ACK))
_DENY_OR_UNSURE = _reply((_NO, _UNSURE), (_NO, _UNSURE, _ACK))
_YES_ONLY = _reply((_YES,), (_YES, _ACK))

# What the assistant's last question asks about: suicide, self-harm, or the person's safety.
_SUICIDE_Q = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)? (?:yourself|himself|herself|themselves)|end(?:ing)? (?:your|his|her|their) (?:own )?life|"
    r"tak(?:e|ing) (?:your|his|her|their) (?:own )?life|"
    r"(?:want|wanting|wish|wishing) (?:to die|you were dead|you weren't here|you were not here)|not (?:wanting|want) to "
    r"(?:live|be alive|be here)|thoughts? (?:of|about) (?:death|dying|not being here))\b")
_SELF_HARM_Q = re.compile(r"\b(?:hurt(?:ing)? (?:yourself|himself|herself|themselves)|harm(?:ing)? (?:yourself|himself|"
                          r"herself|themselves)|self-harm\w*|cut(?:ting)? (?:yourself|himself|herself|themselves))\b")
_SAFE_Q = re.compile(r"\bsafe\b|\bin (?:\w+ )?danger\b")
# The question asks about the person's (or someone's) state ("are you having ...", "have you been thinking
# ...", "do you feel safe", "is your friend ..."), not an offer of information ("would you like to know more
# about suicide prevention?").
_ASKS_STATE = re.compile(
    r"\b(?:are you|have you(?: been| ever)?|do you|were you|did you|you are|you're|you've been|"
    r"(?P<other>(?:is|has|does|was|did) (?:your \w+|he|she|they)(?: been)?))\s+(?:\w+\s+){0,3}?"
    r"(?:having|had|have|feeling|feel|felt|thinking|thought|think|planning|plan|considering|wanting|want|wish|"
    r"wishing|suicidal|safe|in danger|hurting|harming|cutting|self-harming)\b")
_OFFER = re.compile(r"\b(?:would you like|do you want (?:to (?:know|learn|read|hear|see)|me to|more|some|information|"
                    r"tips|resources)|should i|can i|shall i|want to know|interested in)\b")
_NEAR = 24  # characters between the question's verb and the risk
_TOPIC = re.compile(r"\b(?:prevention|awareness|statistics|research|helpline|hotline|lifeline)\b")
_AT_HOME = re.compile(r"\b(?:at home|with (?:him|her|them|your (?:partner|husband|wife|boyfriend|girlfriend|parents?|"
                      r"mum|mom|dad)))\b")


def content_free(norm: str) -> bool:
    """True when the normalised message is only acknowledgements, yes / no, thanks, greetings or fillers."""
    return len(norm) <= 80 and bool(_CONTENT_FREE.match(norm))


def _last_question(assistant: str) -> str:
    """The assistant turn's last question (the text up to its last '?', from the sentence start)."""
    end = assistant.rfind("?")
    if end < 0:
        return ""
    start = max(assistant.rfind(c, 0, end) for c in ".!?\n") + 1
    return assistant[start:end + 1].lower()


def _risk_question(assistant: str | None) -> tuple[str | None, bool, bool] | None:
    """What the assistant's last question asks about the person's (or someone's) state: (the category of the risk
    it names, suicide or self-harm, or None; whether it asks about safety; whether it asks about someone else), or
    None when it is no such question (an offer of information, a topic, no question at all)."""
    if not assistant:
        return None
    question = _last_question(assistant)
    asks = _ASKS_STATE.search(question)
    if not asks or _OFFER.search(question):
        return None
    category = None
    for rx, cat in ((_SUICIDE_Q, P.SI), (_SELF_HARM_Q, P.SH)):
        # the risk follows the question's verb closely ("are you having thoughts of suicide"), not as a topic
        # further on ("are you thinking of telling your friend about suicide prevention week")
        risk = rx.search(question, asks.start())
        if risk and risk.start() - asks.end() <= _NEAR and not _TOPIC.search(question):
            category = cat
            break
    safety = bool(_SAFE_Q.search(question))
    if category is None and not safety:
        return None
    return category, safety, asks.group("other") is not None


def answer_to_risk_question(norm: str, assistant: str | None) -> tuple[str, tuple[str, ...]] | None:
    """(level, categories) when the reply ``norm`` answers the assistant's question about risk as a crisis.

    ``assistant`` is the assistant turn just before the reply (raw text), or None. Yes or unsure to a question
    about suicide or self-harm is a crisis (yes: urgent, unsure: concern); no or unsure to "are you safe?"
    is urgent. Any other reply, and any reply to any other question, gives None."""
    asked = _risk_question(assistant) if norm else None
    if asked is None:
        return None
    category, safety, other = asked
    if safety and _DENY_OR_UNSURE.match(norm):
        cats = (P.AB,) if _AT_HOME.search(_last_question(assistant)) else (P.SI,)
        return P.LEVELS[P.URGENT], cats + ((P.TP,) if other else ())
    if category is not None and _AFFIRM.match(norm):
        if other:  # someone else at risk is urgent, as a third-party report is
            return P.LEVELS[P.URGENT], (category, P.TP)
        level = P.URGENT if _YES_ONLY.match(norm) else P.CONCERN
        return P.LEVELS[level], (category,)
    return None


# A clear "no", with at most reassurance, an apology, laughter or what the writer meant, and no hedge anywhere.
_DENY_HEAD = (r"(?:no+|nope|nah+|never|not at all|definitely not|of course not|absolutely not|god no|hell no|no way|"
              r"not even close|i am not|i'm not|im not|i do not|i have not|no i am not|no i do not|no i have not)")
_DENY_REST = (_ACK, r"(?:i am|i'm|im) (?:fine|ok|okay|good|alright|all right|safe|all good|not(?: suicidal)?)",
              r"(?:it is |it's |its )?(?:fine|ok|okay|all good)(?: here)?", r"i (?:do not|have not|am not)",
              r"(?:it is |it's )?nothing like that", r"not like that", r"(?:do not|don't|dont) worry",
              r"sorry(?: (?:for|about|to) (?:scaring|worrying|alarming|confusing|scare|worry) you)?",
              r"my bad", r"i promise", r"promise", r"honestly", r"seriously", r"really", r"for real", r"not at all",
              r"(?:i was |just |only )?(?:joking|kidding)", r"it was (?:just )?a joke",
              r"(?:that is|that's) not what i meant",
              # what the writer meant instead, in a few words (the turn is still assessed as a whole)
              r"i (?:just |only )?(?:meant|mean|was talking about|was on about|was describing)(?: \S+){1,10}")
_DENIAL = re.compile(rf"^{_SEP}(?:{_DENY_HEAD})(?:{_SEP}(?:{'|'.join(_DENY_REST)}))*{_SEP}$")
_HEDGE = re.compile(r"\b(?:but|though|although|sometimes|kind of|kinda|sort of|sorta|maybe|idk|not sure|a bit|"
                    r"a little|used to|anymore|any more|right now|at the moment|today|tonight|yet|not now|i guess|"
                    r"probably|i think|lately|again|not really|unless|except|if|until|till)\b")


def asks_directly(assistant: str | None) -> bool:
    """The assistant turn's last question asks about the writer's own thoughts of suicide or self-harm (not about
    someone else, nor "are you safe?", where a "no" is itself a crisis)."""
    asked = _risk_question(assistant)
    return asked is not None and asked[0] is not None and not asked[1] and not asked[2]


def clear_no(norm: str) -> bool:
    """The normalised reply is a clear "no", with no hedge (whatever the question was)."""
    return bool(norm) and len(norm) <= 160 and bool(_DENIAL.match(norm)) and not _HEDGE.search(norm)


def denies_risk(norm: str, assistant: str | None) -> bool:
    """True when the reply ``norm`` clearly says no to the assistant's direct question (:func:`asks_directly`)."""
    return clear_no(norm) and asks_directly(assistant)
