"""Rule-based question variants for the training split: no model, no downloads, seeded.

Each rule keeps the meaning and the grammar of the question: polite wrappers ("I was
wondering, ..."), indirect questions ("Can you tell me what stress is?") when the word order
can be turned safely, contractions both ways (what is <-> what's), a small synonym table, an
informal lowercase form and a form without the question mark. Variants are drawn round-robin
across these kinds, so two variants rarely come from the same rule.
"""

from __future__ import annotations

import random
import re

QUESTION_WORDS = {"what", "how", "why", "when", "where", "who", "which"}
AUXILIARIES = {"is", "are", "am", "was", "were", "do", "does", "did", "can", "could", "should", "would",
               "will", "may", "might", "must", "have", "has"}
SUBJECT_PRONOUNS = {"i", "you", "we", "they", "he", "she", "it", "this", "that", "there"}
# Words after "what is ..." that mean the rest is not a plain noun phrase (so "what X is" fails).
_CLAUSE_WORDS = {"to", "like", "if", "when", "that", "which", "who", "whether", "so", "but",
                 "because", "i", "you", "we", "they", "he", "she", "it"} | AUXILIARIES

DIRECT_TEMPLATES = ("I was wondering, {lower}", "Quick question: {lower}", "Can I ask you something? {q}",
                    "Sorry if this is a silly question, but {lower}", "Hi, {lower}")
INDIRECT_TEMPLATES = ("Can you tell me {embedded}?", "Do you know {embedded}?", "I'd like to know {embedded}.",
                      "Could you explain {embedded}?")
STATEMENT_TEMPLATES = ("Hi, {lower}", "Can I ask you something? {q}", "I could use some help. {q}")

# (pattern, replacement): phrase-level swaps that keep the meaning in FAQ questions.
SYNONYMS = (
    (r"medications", "medicines"), (r"medication", "medicine"), (r"medicines", "medications"),
    (r"someone", "somebody"), (r"anyone", "anybody"), (r"everyone", "everybody"),
    (r"how do I know if", "how can I tell if"), (r"how can I tell if", "how do I know if"),
    (r"is there a way to", "is it possible to"), (r"talk to", "speak to"), (r"talk with", "speak with"),
    (r"children", "kids"), (r"kids", "children"), (r"get better(?! at)", "recover"),
    (r"mental illnesses", "mental health conditions"), (r"a mental illness", "a mental health condition"),
    (r"what should I do", "what can I do"), (r"what can I do", "what should I do"),
    (r"worried", "concerned"), (r"scared", "afraid"), (r"cope with", "deal with"),
    (r"deal with", "cope with"), (r"a lot of", "lots of"), (r"difficult", "hard"),
    (r"a family member", "a relative"), (r"a doctor", "a physician"),
)
_SYNONYM_RES = [(re.compile(rf"\b{pattern}\b", re.IGNORECASE), repl) for pattern, repl in SYNONYMS]

_APOS = "['\u2019]"
# "Why don't I sleep?" must not become "Why do not I sleep?": leave inverted negations alone.
_NOT_INVERTED = r"(?! (?:I|you|we|they|he|she|it|there|this|that)\b)"
_CONTRACT = (
    (re.compile(r"\b(what|that|it|there|who|where|how) is (?=\w)", re.IGNORECASE), r"\1{a}s "),
    (re.compile(r"\bI am (?=\w)"), "I{a}m "),
    (re.compile(r"\b(do|does|did|is|are|was|were|should|would|could) not\b", re.IGNORECASE), r"\1n{a}t"),
    (re.compile(r"\b(c)an ?not\b", re.IGNORECASE), r"\1an{a}t"),
    (re.compile(r"\b(w)ill not\b", re.IGNORECASE), r"\1on{a}t"),
)
_EXPAND = (
    (re.compile(rf"\b(what|that|it|there|who|where|how){_APOS}s\b(?! (?:been|got)\b)", re.IGNORECASE), r"\1 is"),
    (re.compile(rf"\bI{_APOS}m\b"), "I am"),
    (re.compile(rf"\b(c)an{_APOS}t\b{_NOT_INVERTED}", re.IGNORECASE), r"\1annot"),
    (re.compile(rf"\b(w)on{_APOS}t\b{_NOT_INVERTED}", re.IGNORECASE), r"\1ill not"),
    (re.compile(rf"\b(do|does|did|is|are|was|were|should|would|could)n{_APOS}t\b{_NOT_INVERTED}", re.IGNORECASE),
     r"\1 not"),
)
_WORD = re.compile(r"[\w'\u2019-]+")


def augment_question(question: str, n: int, seed: int) -> list[str]:
    """Return up to ``n`` distinct variants of ``question`` (never the question itself).

    The choice depends only on ``seed`` and the question text, not on what else is augmented.

    >>> augment_question("What is stress?", 3, seed=0)
    ["What's stress?", 'Can you tell me what stress is?', 'Sorry if this is a silly question, but what is stress?']
    >>> augment_question("What is stress?", 3, seed=0) == augment_question("What is stress?", 3, seed=0)
    True
    """
    rng = random.Random(f"{seed}\0{question}")
    pools = {kind: list(dict.fromkeys(c for c in cands if c != question))
             for kind, cands in _candidates(question).items()}
    kinds = [kind for kind, cands in pools.items() if cands]
    rng.shuffle(kinds)
    for kind in kinds:
        rng.shuffle(pools[kind])
    out: list[str] = []
    while len(out) < n and any(pools[k] for k in kinds):
        for kind in kinds:
            while pools[kind] and len(out) < n:
                cand = pools[kind].pop()
                if cand not in out:
                    out.append(cand)
                    break
    return out


def _candidates(question: str) -> dict[str, list[str]]:
    synonyms = synonym_variants(question)
    swapped = toggle_contractions(question)
    embedded = indirect(question)
    casual = [informal(question)]
    if question.endswith("?") and len(question) > 1:
        casual.append(question[:-1].rstrip())
    return {
        "wrapper": wrap(question),
        "indirect": [t.format(embedded=embedded) for t in INDIRECT_TEMPLATES] if embedded else [],
        "contraction": [swapped] if swapped != question else [],
        "synonym": synonyms + [w for s in synonyms for w in wrap(s)],
        "casual": casual,  # lowercase/informal or no question mark: one kind, so at most one in two
    }


def is_question(text: str) -> bool:
    """True for text that reads as a question.

    >>> is_question("How can I help a friend"), is_question("Tell me about grief.")
    (True, False)
    """
    words = _WORD.findall(text.lower())
    return text.rstrip().endswith("?") or bool(words and (words[0] in QUESTION_WORDS or words[0] in AUXILIARIES))


def lower_first(text: str) -> str:
    """Lowercase the first letter unless the first word is "I", an acronym or a name-like word.

    >>> lower_first("What is PTSD?"), lower_first("I feel low"), lower_first("PTSD and sleep")
    ('what is PTSD?', 'I feel low', 'PTSD and sleep')
    """
    match = _WORD.match(text)
    if not match:
        return text
    word = match.group(0)
    if re.match(r"^I(['\u2019]\w+)?$", word) or any(c.isupper() for c in word[1:]):
        return text
    return text[:1].lower() + text[1:]


def wrap(question: str) -> list[str]:
    """Polite or chatty wrappers around the unchanged question.

    >>> wrap("How can I sleep better?")[0]
    'I was wondering, how can I sleep better?'
    """
    first = _WORD.findall(question.lower())[:1]
    if not first or first[0] not in QUESTION_WORDS | AUXILIARIES | {"if"}:
        # "I'm worried about my son. Where can I find help?": wrappers that suit a statement
        ended = question if question[-1:] in ".!?" else question + "."
        return [t.format(q=ended, lower=lower_first(ended)) for t in STATEMENT_TEMPLATES]
    q = question if question.endswith("?") else question + "?"
    return [t.format(q=q, lower=lower_first(q)) for t in DIRECT_TEMPLATES]


def indirect(question: str) -> str | None:
    """The question in indirect word order, or None when that cannot be done safely.

    >>> indirect("What is the difference between stress and anxiety?")
    'what the difference between stress and anxiety is'
    >>> indirect("How can I help a friend?"), indirect("Is it normal to cry a lot?")
    ('how I can help a friend', 'whether it is normal to cry a lot')
    >>> indirect("What's a referral?")
    'what a referral is'
    >>> indirect("What does it mean to have a mental illness?") is None
    True
    """
    body = _apply_all(_EXPAND, question.rstrip().rstrip("?").rstrip(), "'")
    if re.search(r"[?.!]", body):  # more than one sentence
        return None
    words = body.split()
    low = [w.lower() for w in words]
    if len(words) < 2:
        return None
    if low[0] in AUXILIARIES and low[0] not in {"does", "did", "was", "were", "has"} and low[1] in SUBJECT_PRONOUNS:
        verb = [] if low[0] == "do" else [low[0]]
        return " ".join(["whether", _pronoun(words[1]), *verb, *words[2:]])
    if low[0] not in QUESTION_WORDS:
        return None
    head = low[0]
    if low[1] not in AUXILIARIES:
        # "What causes panic attacks?" is already in indirect order, unless a verb comes later
        return None if set(low[1:4]) & AUXILIARIES else " ".join([head, *words[1:]])
    if head == "how" and low[1:3] == ["do", "i"] and len(words) > 3:
        return " ".join(["how to", *words[3:]])  # "how do I apply" -> "how to apply"
    if len(words) >= 3 and low[2] in SUBJECT_PRONOUNS and low[1] not in {"does", "did", "has"}:
        verb = [] if low[1] == "do" else [low[1]]
        return " ".join([head, _pronoun(words[2]), *verb, *words[3:]])
    if head in {"what", "which"} and low[1] in {"is", "are"} and len(words) >= 3 and not set(low[2:]) & _CLAUSE_WORDS:
        return " ".join([head, *words[2:], low[1]])
    return None


def _pronoun(word: str) -> str:
    return word if word == "I" else word.lower()


def toggle_contractions(text: str) -> str:
    """Contract ("what is" -> "what's") when possible, else expand ("don't" -> "do not").

    >>> toggle_contractions("What is burnout?"), toggle_contractions("I don’t sleep, is that bad?")
    ("What's burnout?", 'I do not sleep, is that bad?')
    >>> toggle_contractions("Why don't I sleep?")  # inverted: left alone
    "Why don't I sleep?"
    """
    apostrophe = "\u2019" if "\u2019" in text else "'"
    for pattern, repl in _CONTRACT:
        text_new = pattern.sub(repl.format(a=apostrophe), text)
        if text_new != text:
            return _apply_all(_CONTRACT, text, apostrophe)
    return _apply_all(_EXPAND, text, apostrophe)


def _apply_all(rules: tuple, text: str, apostrophe: str) -> str:
    for pattern, repl in rules:
        text = pattern.sub(repl.format(a=apostrophe), text)
    return text


def synonym_variants(text: str) -> list[str]:
    """One variant per applicable entry of the synonym table (first letter case kept).

    >>> synonym_variants("Can medication help with anxiety?")
    ['Can medicine help with anxiety?']
    """
    out = []
    for pattern, repl in _SYNONYM_RES:
        new = pattern.sub(lambda m, r=repl: _match_case(m.group(0), r), text)
        if new != text and new not in out:
            out.append(new)
    return out


def _match_case(original: str, replacement: str) -> str:
    if original[:1].isupper() and not replacement[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def informal(text: str) -> str:
    """Lowercase (keeping "I" and acronyms) and drop the closing question mark.

    >>> informal("What is PTSD and how do I get help?")
    'what is PTSD and how do I get help'
    """
    words = []
    for word in text.split(" "):
        keep = re.match(r"^I(['\u2019]\w+)?\W*$", word) or sum(c.isupper() for c in word) >= 2
        words.append(word if keep else word.lower())
    return " ".join(words).rstrip("?").rstrip()
