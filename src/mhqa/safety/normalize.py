"""Normalisation: turn a raw message into the plain lower-case English the patterns expect.

Crisis messages are rarely written the way a keyword list expects: "im gonna kms", "I want to
unalive myself", "s u i c i d e", "kiiilll myself", "sewerslide", text hidden in code fences or
between zero-width characters. Every later layer (patterns and the embedding classifier) reads
the output of :func:`normalize`, so a spelling handled here is handled everywhere.

>>> normalize("Im gonna KMS tn")
'i am going to kill myself tonight'
>>> normalize("I want to unalive myself")
'i want to kill myself'
>>> normalize("s u i c i d e")
'suicide'
"""

from __future__ import annotations

import base64
import re
import unicodedata

# Bound every input so that regular expressions stay linear and fast on hostile input. The
# assessment reads the first and last parts of very long messages (see ``assess``).
MAX_CHARS = 20_000

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u0060": " ", "\u00b4": "'",
                         "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u2212": "-"})

# Obfuscated spellings of the few words that matter most, tolerant of separators and stars
# ("s.u.i.c.i.d.e", "su*cide", "k!ll").
_SEP = r"[\s.\-_*'|]*"
_FUZZY = [
    (re.compile(r"\bs" + _SEP + r"[u*]" + _SEP + r"[i1!*]" + _SEP + r"c" + _SEP + r"[i1!*]" + _SEP + r"d" + _SEP + r"[e3*]"), "suicide"),
    (re.compile(r"\bs[u*][i1!*][cs][i1!*]?d[ae]l\b"), "suicidal"),
    (re.compile(r"\bk[i1!*]ll?(?=\s*m[yi]s[ea]l[fv]\b)"), "kill"),
]

# Whole-phrase slang and misspellings, applied after tokens are separated by single spaces.
# Order matters: longer phrases first.
_PHRASES: list[tuple[str, str]] = [
    ("kermit sewer slide", "commit suicide"),
    ("kermit suicide", "commit suicide"),
    ("kermit sudoku", "commit suicide"),
    ("commit sudoku", "commit suicide"),
    ("commit die", "commit suicide"),
    ("commit toaster bath", "commit suicide"),
    ("toaster bath", "suicide"),
    ("sewer slide", "suicide"),
    ("sewerslide", "suicide"),
    ("self deletion", "suicide"),
    ("self delete", "kill myself"),
    ("delete myself", "kill myself"),
    ("unalive myself", "kill myself"),
    ("unaliving myself", "killing myself"),
    ("unalived myself", "killed myself"),
    ("off myself", "kill myself"),
    ("offing myself", "killing myself"),
    ("my self", "myself"),
    ("kill my self", "kill myself"),
    ("self harm", "self-harm"),
    ("self harming", "self-harming"),
    ("self harmed", "self-harmed"),
    ("selfharm", "self-harm"),
    ("selfharming", "self-harming"),
    ("end it all", "end it all"),
    ("to night", "tonight"),
]

# "catch the bus" is slang for suicide, except for a bus with a time, a place or a route: "gotta catch the bus at 8"
_BUS = re.compile(r" catch the bus (?!(?:at|to|from|into|in|home|back|every|after|before|there|instead|or|with|on|for|"
                  r"\d+)\b)")

_TOKENS: dict[str, str] = {
    # contractions written without apostrophes, and chat spellings
    "im": "i am", "i'm": "i am", "ima": "i am going to", "imma": "i am going to", "iam": "i am",
    "ive": "i have", "i've": "i have", "i'd": "i would", "i'll": "i will",
    "dont": "do not", "don't": "do not", "doesnt": "does not", "doesn't": "does not",
    "didnt": "did not", "didn't": "did not", "cant": "can not", "can't": "can not", "cannot": "can not",
    "wont": "will not", "won't": "will not", "wouldnt": "would not", "wouldn't": "would not",
    "shouldnt": "should not", "shouldn't": "should not", "isnt": "is not", "isn't": "is not",
    "arent": "are not", "aren't": "are not", "wasnt": "was not", "wasn't": "was not",
    "aint": "am not", "ain't": "am not", "havent": "have not", "haven't": "have not",
    "its": "it is", "it's": "it is", "thats": "that is", "that's": "that is",
    "theres": "there is", "there's": "there is", "whats": "what is", "what's": "what is",
    "youre": "you are", "you're": "you are", "theyre": "they are", "they're": "they are",
    "hes": "he is", "he's": "he is", "shes": "she is", "she's": "she is", "he'll": "he will", "she'll": "she will",
    "they'll": "they will", "you'll": "you will", "we'll": "we will", "he'd": "he would", "she'd": "she would",
    "they'd": "they would", "we're": "we are", "i'm'": "i am", "they've": "they have", "we've": "we have",
    "wanna": "want to", "wana": "want to", "gonna": "going to", "gona": "going to", "gunna": "going to",
    "finna": "going to", "tryna": "trying to", "gotta": "got to", "hafta": "have to", "lemme": "let me",
    "u": "you", "ur": "your", "r": "are", "y": "why", "ppl": "people", "bc": "because", "cuz": "because",
    "cos": "because", "coz": "because", "rn": "right now", "tn": "tonight", "2nite": "tonight",
    "tonite": "tonight", "2night": "tonight", "tmrw": "tomorrow", "tmr": "tomorrow", "2moro": "tomorrow",
    "no1": "no one", "noone": "no one", "nobody": "nobody", "every1": "everyone", "some1": "someone",
    "pls": "please", "plz": "please", "abt": "about", "w/": "with", "w/o": "without", "thx": "thanks",
    # crisis words run together, as in hashtags ("#iwanttodie")
    "iwanttodie": "i want to die", "wanttodie": "want to die", "iwannadie": "i want to die", "wannadie": "want to die",
    "killmyself": "kill myself", "iwanttokillmyself": "i want to kill myself", "endmylife": "end my life",
    "idontwanttolive": "i do not want to live", "idontwannalive": "i do not want to live",
    # crisis slang
    # "kill" with capital I for l ("kiII"), as casefold and the repeat rule leave it
    "kii": "kill", "kiiing": "killing", "kiied": "killed",
    "kms": "kill myself", "kmsl": "kill myself", "kys": "kill yourself", "unalive": "kill",
    "unalived": "killed", "unaliving": "killing", "sewerslide": "suicide", "suicde": "suicide",
    "sucide": "suicide", "suiside": "suicide", "suicid": "suicide", "suicie": "suicide", "suacide": "suicide",
    "sucidal": "suicidal", "suicdal": "suicidal", "suisidal": "suicidal", "suicidial": "suicidal",
    "suicidle": "suicidal", "ctb": "kill myself", "selfharm": "self-harm", "sh": "self-harm",
    "od": "overdose", "oding": "overdosing", "od'd": "overdosed", "odd'd": "overdosed", "oded": "overdosed",
    "overdoze": "overdose", "overdoes": "overdose", "myslef": "myself", "mysef": "myself", "myelf": "myself",
    "mself": "myself", "meself": "myself", "kil": "kill", "kll": "kill", "dye": "dye", "ded": "dead",
    "pils": "pills", "wnt": "want", "wnna": "want to", "thinkin": "thinking", "bout": "about", "endin": "ending",
    "suicidl": "suicidal", "sucidl": "suicidal", "killin": "killing", "cuttin": "cutting", "hurtin": "hurting", "pillz": "pills", "medz": "meds", "wrists": "wrists", "rist": "wrist",
    "wrist": "wrist", "lyf": "life", "lyfe": "life", "dieing": "dying", "dyin": "dying", "tryin": "trying",
    "goin": "going", "doin": "doing", "nothin": "nothing", "livin": "living",
}

# Words whose spelling with doubled letters ("diee", "killl") should collapse back.
_VOCAB = {
    "kill", "killing", "killed", "die", "dying", "died", "dead", "death", "suicide", "suicidal", "myself",
    "want", "end", "life", "pills", "cut", "cutting", "hurt", "hang", "jump", "overdose", "gone", "tonight",
    "goodbye", "bye", "done", "tired", "help", "please", "alive", "live", "living", "no", "so", "bridge",
    "rope", "knife", "blade", "razor", "meds", "bottle", "hate", "nobody", "anymore", "wrist", "wrists",
}

# Letters that look like Latin ones, as "font generators" and filter-dodging spellings use them: small capitals and
# other phonetic letters ("ɪ ᴡᴀɴᴛ ᴛᴏ ᴅɪᴇ", which NFKC leaves alone), always; Cyrillic and Greek look-alikes ("kіll"
# with a Cyrillic і) only in a message mostly written in Latin letters, so Russian or Greek text is not rewritten.
_SMALL_CAPS = str.maketrans(dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘǫʀꜱᴛᴜᴠᴡʏᴢıɩʀ", "abcdefghijklmnopqrstuvwyziir")))
# "Fancy text" generators also mix the two scripts ("ι ωαηт тσ ∂ιє": Greek ι ω α η σ, Cyrillic т є, the partial-
# derivative sign for d), which neither Greek nor Russian writing does: such a message is read as Latin too.
_LOOKALIKES = str.maketrans(dict(zip("авеёкмнорстухіїјѕԁӏԛԝғєαβεικνορτυχγωησ∂",
                                     "abeekmhopctyxiijsdlqwfeabeikvoptuxywnod")))
_CYRILLIC_GREEK = re.compile(r"[\u0370-\u03ff\u0400-\u052f]")
_GREEK = re.compile(r"[\u0370-\u03ff]")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN = re.compile(r"[a-z]")

# Text hidden in base64 ("aSBhbSBnb2luZyB0byBraWxsIG15c2VsZg==", a way to slip a message past a filter that a
# larger model can still read): a token of base64 that decodes to a line of plain text is read as that text. Random
# tokens (keys, hashes, long words) decode to bytes that are not such text and stay as written.
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/=])(?:[A-Za-z0-9+/]{4}){3,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?(?![A-Za-z0-9+/=])")
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.'!?;:\-]*\Z")


def _unhide_base64(text: str) -> str:
    def decoded(m: re.Match[str]) -> str:
        try:
            plain = base64.b64decode(m.group(0), validate=True).decode("utf-8")
        except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
            return m.group(0)
        return plain if " " in plain and _PLAIN.match(plain) else m.group(0)
    return _BASE64.sub(decoded, text)

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_LEET_WORD = re.compile(r"(?<![a-z0-9@$!])[a-z](?=[a-z]*[0-9@$!])(?:[a-z]|[0-9@$!](?=[a-z0-9@$!]*[a-z]))+")
_RUN3 = re.compile(r"(.)\1{2,}")
_HYPHEN_CHAIN = re.compile(r"\b[a-z']+(?:-[a-z']+){3,}\b")  # "i-want-to-die" (not "mother-in-law", "self-harm")
_SPACED = re.compile(r"\b(?:[a-z][ .\-]){3,}[a-z]\b")
# Markup around a message, removed so it neither hides nor splits words: code fences, HTML comment delimiters, chat
# template tokens ("<|user|>"), bracket tags ("[INST]") and HTML or prompt tags ("<b>", "</system>", '<span class="x">').
# Only the markup goes: a tag is a known name with name="value" attributes at most, so "<i want to kill myself>" or
# "<!-- i want to die -->" keeps its words (before session 20 any text of up to 40 characters in <...> was deleted).
_TAG_NAMES = (r"(?:b|i|u|s|p|em|strong|mark|small|big|sub|sup|del|ins|code|pre|kbd|samp|blockquote|q|cite|br|hr|"
              r"div|span|font|center|ul|ol|li|dl|dt|dd|h[1-6]|table|thead|tbody|tr|td|th|img|a|html|head|body|title|"
              r"meta|link|script|style|iframe|form|input|button|label|details|summary|section|article|header|footer|"
              r"nav|main|aside|system|user|assistant|admin|developer|instructions?|prompt|sys|inst|context|message|"
              r"human|ai|bot|root|sudo|override|hidden|secret|note|comment|text|output|query|response)")
_FENCE = re.compile(r"```+|~~~+|<!--|-->|<\|[a-z_ ]{1,30}\|>|</?" + _TAG_NAMES
                    + r"(?:\s+[a-z:-]+\s*=\s*(?:\"[^\"<>]{0,80}\"|'[^'<>]{0,80}'|[^\s<>'\"]{1,40}))*\s*/?>"
                    r"|\[/?[a-z]{1,10}\]")
_NON_TEXT = re.compile(r"[^a-z0-9' \n.,;:!?\-/@$]")
_STRAY_QUOTE = re.compile(r"(?<![a-z0-9])'|'(?![a-z0-9])")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_WORD = re.compile(r"[a-z0-9']+(?:[-/][a-z0-9']*)*|[^a-z0-9'\s]")


def normalize(text: str) -> str:
    """Return ``text`` lower-cased, de-obfuscated and with slang spelt out.

    Args:
        text: any message; non-strings are converted with ``str``.

    Returns:
        Normalised text: ASCII-ish lower case, single spaces, sentence punctuation kept.
    """
    if not isinstance(text, str):
        text = str(text)
    text = text[:MAX_CHARS]
    if len(text) >= 16:
        text = _unhide_base64(text)
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).translate(_QUOTES).casefold()
    if not text.isascii():
        text = text.translate(_SMALL_CAPS)
        foreign = len(_CYRILLIC_GREEK.findall(text))
        if foreign and (len(_LATIN.findall(text)) > foreign or (_GREEK.search(text) and _CYRILLIC.search(text))):
            text = text.translate(_LOOKALIKES)
    # Drop accents ("suïcide") but keep the letters.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _FENCE.sub(" ", text)  # code fences and markup must not hide a message
    for pattern, repl in _FUZZY:
        text = pattern.sub(repl, text)
    text = _NON_TEXT.sub(" ", text)
    text = _STRAY_QUOTE.sub(" ", text)  # 'kms' -> kms; contractions (he's) keep theirs
    text = _SPACED.sub(lambda m: re.sub(r"[ .\-]", "", m.group(0)), text)
    text = _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), text)
    text = _RUN3.sub(r"\1\1", text)
    text = _HYPHEN_CHAIN.sub(lambda m: m.group(0).replace("-", " "), text)
    return _spell_out(text)


def _squeeze(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


_SQUEEZED_VOCAB = {_squeeze(w): w for w in sorted(_VOCAB)}


def _spell_out(text: str) -> str:
    words = []
    for tok in _WORD.findall(text):
        if tok not in _TOKENS and tok not in _VOCAB:
            tok = _SQUEEZED_VOCAB.get(_squeeze(tok), tok)
        words.append(_TOKENS.get(tok, tok))
    out = " " + " ".join(words) + " "
    for src, dst in _PHRASES:
        out = out.replace(f" {src} ", f" {dst} ")
    out = _BUS.sub(" kill myself ", out)
    out = re.sub(r" ([.,;:!?])", r"\1", out)
    return _SPACES.sub(" ", out).strip()


# Contractions that normalize() leaves as written: the shipped crisis classifier's word and character n-grams were
# fitted on text normalised without them, so only the pattern layer spells them out (expand_for_patterns).
_PATTERN_CONTRACTIONS = re.compile(r"\b(could|had|has|were|must)(?:n't|nt)\b|\b(could|would|should)(?:'ve|ve)\b")


# Crisis phrases run together past the whole-token spellings above, as in repeated or joined hashtags
# ("iwannadieiwannadie", "nobodycaresiwanttodie"): spelt out for the rules.
_RUN_TOGETHER_WORDS = {"wannadie": " want to die ", "wanttodie": " want to die ", "killmyself": " kill myself ",
                       "endmylife": " end my life ", "wannabedead": " want to be dead ", "wanttobedead": " want to be dead ",
                       "dontwanttolive": " do not want to live ", "dontwannalive": " do not want to live "}
_RUN_TOGETHER = re.compile("(?:" + "|".join(_RUN_TOGETHER_WORDS) + ")")
_RUN_TOGETHER_TOKEN = re.compile(r"\b[a-z]*(?:" + "|".join(_RUN_TOGETHER_WORDS) + r")[a-z]*\b")


# Chat spellings the shipped n-gram classifiers were fitted without (so only the rules read them spelt out): "sry 4
# evrything, i luv u all, bye"
_CHAT_WORDS = {"sry": "sorry", "srry": "sorry", "soz": "sorry", "luv": "love", "evrything": "everything",
               "evrythin": "everything", "everythin": "everything", "errything": "everything", "evryone": "everyone",
               "every1": "everyone", "ily": "i love you", "bby": "baby", "gbye": "goodbye", "gdbye": "goodbye"}
_CHAT_WORD = re.compile(r"\b(?:" + "|".join(_CHAT_WORDS) + r")\b")
_CHAT_FOR = re.compile(r"\b(sorry|thanks|thank you) 4\b")


def _spell_run_together(m: re.Match[str]) -> str:
    return " ".join(_RUN_TOGETHER.sub(lambda w: _RUN_TOGETHER_WORDS[w.group(0)], m.group(0)).split())


def expand_for_patterns(text: str) -> str:
    """``couldn't`` -> ``could not``, ``hadnt`` -> ``had not``, ``should've`` -> ``should have`` (and hasn't,
    weren't, mustn't, could've, would've) in normalised text, chat spellings ("sry 4 evrything" -> "sorry for
    everything") and crisis phrases run together ("iwannadieiwannadie" -> "i want to die i want to die"), for the
    pattern layer's rules."""
    text = _PATTERN_CONTRACTIONS.sub(lambda m: f"{m.group(1)} not" if m.group(1) else f"{m.group(2)} have", text)
    text = _CHAT_FOR.sub(r"\1 for", _CHAT_WORD.sub(lambda m: _CHAT_WORDS[m.group(0)], text))
    return _RUN_TOGETHER_TOKEN.sub(_spell_run_together, text)
