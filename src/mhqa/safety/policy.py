"""Response policy: fixed crisis replies, the AI disclosure, and the output guard.

A crisis reply is never generated: it is one of the fixed texts below (reviewed wording, one per
level, with its own opening when someone else is at risk or violence is happening now;
written to safe-messaging guidance: warm, direct, no description of methods, a clear next step and
real numbers for the person's country). Normal answers carry an AI disclosure, and the
output guard replaces any generated answer that states doses, advises changing medication,
diagnoses, details means of harm, or claims to be a human or a therapist.

>>> guard_output("Take 50 mg of sertraline every morning.").violations
('dose',)
>>> guard_output("Talking to a counsellor can help when things feel heavy.").ok
True
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from mhqa.safety.resources import LocaleResources, resources_for

log = logging.getLogger(__name__)

AI_DISCLOSURE = ("I'm an AI assistant, not a therapist or doctor, so please treat this as general "
                 "information and talk to a professional about your own situation.")

_PROFESSIONAL_NUDGE = ("If this has been weighing on you for a while, a GP, counsellor or therapist can "
                       "help you work out what would help most.")

# --- crisis replies: fixed text, one per level (plus short fixed additions per category) -----
_OPENING = {
    "concern": (
        "Thank you for telling me how you're feeling. It sounds really heavy right now, and you don't "
        "have to carry it on your own. When thoughts like not wanting to be here show up, talking to a "
        "trained person can make a real difference, and you can reach one today, for free."
    ),
    "urgent": (
        "I'm really glad you told me, and I'm taking what you said seriously. You deserve support from a "
        "real person right now. Please contact one of the lines below: they are free, confidential, and "
        "there for exactly this. If you can, also tell someone you trust what is going on."
    ),
    "emergency": (
        "Your safety matters most right now. Please call {emergency} now, or ask someone near you to call "
        "for you. If you have taken something or are hurt, tell them exactly what happened. If you can, "
        "move away from anything you could use to hurt yourself and stay where other people are."
    ),
}
# When someone else is at risk, or violence against the writer is happening now, the reply opens with that
# situation's first steps instead (the writer's own emergency text asks them to say what they took and to move
# away from means). Someone else at risk is never below urgent (EVAL_SET.md), so there is no concern variant.
_OPENING_FOR = {
    "third_party": {
        "urgent": (
            "I'm glad you told me, and I'm taking it seriously. When someone you care about may be in danger, it "
            "is right to act, and you don't have to work out what to do alone. Please contact one of the lines "
            "below: they help people who are worried about someone else and can talk you through what to do, and "
            "they are there for you too if you are struggling. If anyone is in danger right now, call {emergency}."
        ),
        "emergency": (
            "Someone's life may be in danger right now. Please call {emergency} now and tell them what you know: "
            "who it is, where they are, and what they said or did. If you are with them and it is safe, stay with "
            "them. If you are in danger too, tell the call taker that as well."
        ),
    },
    "abuse": {
        "emergency": (
            "Your safety matters most right now. No one has the right to hurt you, and it is not your fault. If "
            "you are in danger, call {emergency} now. If you can do it safely, move to a room with a way out, or go "
            "to a neighbour or a public place, and keep your phone with you."
        ),
    },
}
_CATEGORY_NOTE = {
    "third_party": ("If someone else is in danger right now, call {emergency}. Stay with them if it is safe "
                    "for you, and you can call the lines below for advice on what to do next."),
    "abuse": ("No one has the right to hurt you, and it is not your fault. If you are not safe where you are, "
              "call {emergency}. The lines below can also help you make a plan to be safe."),
    "harm_to_others": ("If you feel you might hurt someone, put distance between you and them now and call "
                       "one of the lines below: they can help you through this moment."),
    "overdose": ("If you or someone else has taken too much of anything, call {emergency} now, even if you "
                 "feel fine: some overdoses cause harm hours later."),
}
_CLOSING = ("I'm an AI assistant and can't call anyone for you, but the people at these services can help. "
            "You can keep talking to me too.")
# When only the embedding classifier saw a risk (no pattern fired), the message may be ambiguous ("gonna go for a
# walk"): the reply ends by asking directly, as crisis services train people to do. It is the reply's last question
# (mhqa.safety.replies reads the answer to it: "yes" is urgent, a clear "no" withdraws that flag), so it comes
# after the help lines, whose names may hold a question mark of their own ("1737 Need to talk?").
CHECK_IN = ("I'd like to ask you directly, because it matters: are you having thoughts of ending your life or of "
            "hurting yourself{others}? Whatever the answer, you can tell me, and if I have misread you, just say so.")
# The answer to a clear "no" to that question (the model is not called for it either).
STAND_DOWN = ("Thank you for telling me, and I'm sorry if I misread you. If things ever do feel that heavy, the help "
              "lines I listed are there any time, day or night, and you can always come back and talk here. What "
              "would you like to talk about?")


# The first line of a crisis reply to a message written in another language (mhqa.safety.languages): the rest of the
# reply is English, so the writer reads first, in their own words, what to do now. Each entry: the line, with {call}
# standing for how to say "call <the emergency number>" when the locale has one, and when it has not (the
# international fallback, the usual case for these languages): "call your local emergency number".
IN_LANGUAGE: dict[str, tuple[str, str, str]] = {
    "es": ("Gracias por contármelo. Por favor, comunícate ahora con una de las líneas de ayuda de abajo, o {call} si "
           "estás en peligro. (Solo puedo responder en inglés.)", "llama al {n}", "llama al número de emergencias de tu país"),
    "fr": ("Merci de me l'avoir dit. Contactez dès maintenant l'une des lignes d'aide ci-dessous, ou {call} si vous êtes "
           "en danger. (Je ne peux répondre qu'en anglais.)", "appelez le {n}", "appelez le numéro d'urgence de votre pays"),
    "pt": ("Obrigado por me contar. Por favor, fale agora com uma das linhas de ajuda abaixo, ou {call} se estiver em "
           "perigo. (Só consigo responder em inglês.)", "ligue para o {n}", "ligue para o número de emergência do seu país"),
    "de": ("Danke, dass du es mir sagst. Bitte wende dich jetzt an eine der Hilfsstellen unten, oder {call}, wenn du in "
           "Gefahr bist. (Ich kann nur auf Englisch antworten.)", "ruf die {n} an", "ruf den Notruf deines Landes an"),
    "it": ("Grazie per avermelo detto. Per favore, contatta subito una delle linee di aiuto qui sotto, o {call} se sei in "
           "pericolo. (Posso rispondere solo in inglese.)", "chiama il {n}", "chiama il numero di emergenza del tuo paese"),
    "tl": ("Salamat at sinabi mo ito sa akin. Pakiusap, tumawag o mag-text ngayon sa isa sa mga helpline sa ibaba, o "
           "{call} kung nasa panganib ka. (Sa Ingles lang ako makakasagot.)", "tumawag sa {n}",
           "tumawag sa emergency number ng inyong bansa"),
    "hi": ("मुझे बताने के लिए धन्यवाद। कृपया अभी नीचे दी गई किसी हेल्पलाइन से संपर्क करें, या अगर आप खतरे में हैं तो {call}। "
           "(मैं केवल अंग्रेज़ी में जवाब दे सकता हूँ।)", "{n} पर कॉल करें", "अपने देश के आपातकालीन नंबर पर कॉल करें"),
    "zh": ("谢谢你告诉我。请现在就联系下面的求助热线；如果你有危险，{call}。（我只能用英文回复。）", "请拨打{n}", "请拨打当地的紧急电话"),
    "ru": ("Спасибо, что рассказали мне. Пожалуйста, прямо сейчас свяжитесь с одной из линий помощи ниже или {call}, "
           "если вы в опасности. (Я могу отвечать только на английском.)", "позвоните по номеру {n}",
           "позвоните в местную экстренную службу"),
    "uk": ("Дякую, що розповіли мені. Будь ласка, просто зараз зверніться на одну з ліній допомоги нижче або {call}, "
           "якщо ви в небезпеці. (Я можу відповідати лише англійською.)", "зателефонуйте за номером {n}",
           "зателефонуйте до місцевої екстреної служби"),
    "pl": ("Dziękuję, że mi o tym mówisz. Skontaktuj się teraz z jedną z linii pomocy poniżej albo {call}, jeśli jesteś "
           "w niebezpieczeństwie. (Mogę odpowiadać tylko po angielsku.)", "zadzwoń pod {n}",
           "zadzwoń pod lokalny numer alarmowy"),
    "tr": ("Bana anlattığın için teşekkür ederim. Lütfen şimdi aşağıdaki yardım hatlarından birine ulaş ya da "
           "tehlikedeysen {call}. (Yalnızca İngilizce yanıt verebiliyorum.)", "{n} numarasını ara",
           "ülkendeki acil yardım numarasını ara"),
    "id": ("Terima kasih sudah memberi tahu saya. Tolong hubungi salah satu layanan bantuan di bawah ini sekarang, atau "
           "{call} jika kamu dalam bahaya. (Saya hanya bisa menjawab dalam bahasa Inggris.)", "telepon {n}",
           "telepon nomor darurat setempat"),
    "vi": ("Cảm ơn bạn đã chia sẻ với tôi. Hãy liên hệ ngay với một trong các đường dây hỗ trợ bên dưới, hoặc {call} "
           "nếu bạn đang gặp nguy hiểm. (Tôi chỉ có thể trả lời bằng tiếng Anh.)", "gọi {n}",
           "gọi số khẩn cấp tại nơi bạn sống"),
    "ja": ("話してくれてありがとうございます。今すぐ下の相談窓口のいずれかに連絡してください。危険な状態にある場合は{call}。"
           "（私は英語でしか返答できません。）", "{n}に電話してください", "お住まいの地域の緊急通報番号に電話してください"),
    "ko": ("말해 줘서 고마워요. 지금 바로 아래 상담 전화 중 한 곳에 연락하세요. 위험한 상황이라면 {call}. "
           "(저는 영어로만 답할 수 있어요.)", "{n}에 전화하세요", "거주 지역의 긴급 전화번호로 전화하세요"),
    "ar": ("شكرًا لأنك أخبرتني. من فضلك تواصل الآن مع أحد خطوط المساعدة أدناه، أو {call} إذا كنت في خطر. "
           "(لا أستطيع الرد إلا باللغة الإنجليزية.)", "اتصل بالرقم {n}", "اتصل برقم الطوارئ المحلي"),
}


# ... and, after an overdose told in one of the languages whose rules read it (mhqa.safety.languages "<code>:overdose"),
# a second sentence: call now, even when feeling fine (as _CATEGORY_NOTE["overdose"] says in English)
OVERDOSE_IN_LANGUAGE: dict[str, str] = {
    "es": "Si tomaste demasiadas pastillas o algo más, {call} ahora mismo, aunque te sientas bien.",
    "fr": "Si vous avez pris trop de médicaments ou d'autre chose, {call} tout de suite, même si vous vous sentez bien.",
    "pt": "Se você tomou remédios ou outra coisa em excesso, {call} agora mesmo, mesmo que se sinta bem.",
    "de": "Wenn du zu viele Tabletten oder etwas anderes genommen hast: {call}, jetzt sofort, auch wenn es dir gut geht.",
    "it": "Se hai preso troppe pillole o altro, {call} subito, anche se ti senti bene.",
}


def in_language(language: str | None, emergency: str, overdose: bool = False) -> str | None:
    """The first line of a crisis reply in ``language`` (None for English or a language without one), naming the
    locale's emergency number when it has one ("112 or 999": the first), else the local emergency number in words;
    with ``overdose``, followed by the call-now sentence where the language has one."""
    if language not in IN_LANGUAGE:
        return None
    line, with_number, without = IN_LANGUAGE[language]
    number = re.match(r"\d[\d ]*\d|\d", emergency.strip())
    call = with_number.format(n=number.group(0)) if number else without
    line = line.format(call=call)
    if overdose and language in OVERDOSE_IN_LANGUAGE:  # before the closing "(I can only answer in English.)"
        head, paren, tail = line.rpartition(" (")
        line = f"{head} {OVERDOSE_IN_LANGUAGE[language].format(call=call)}{paren}{tail}"
    return line


def format_resources(res: LocaleResources) -> str:
    """Plain-text list of a locale's help lines, emergency number first."""
    lines = [f"- Emergency services ({res.country}): {res.emergency}"]
    for r in res.resources:
        ways = []
        if r.phone:
            ways.append(f"call {r.phone}")
        if r.text:
            ways.append(r.text if r.text.lower().startswith("text") else f"text {r.text}")
        if r.url:
            ways.append(r.url)
        hours = f" ({r.hours})" if r.hours else ""
        lines.append(f"- {r.name}: {', '.join(ways)}{hours}")
    return "\n".join(lines)


def crisis_reply(assessment, locale: str | None = None) -> str:
    """The fixed reply for a crisis: opening for the level, category notes, the locale's help lines.

    Args:
        assessment: an :class:`~mhqa.safety.assess.Assessment` (a level of 'none' gets the
            'concern' text: this function is only called when something is wrong).
        locale: where to find help lines; defaults to the assessment's own locale.
    """
    res = resources_for(locale or getattr(assessment, "locale", None) or "en-US")
    level = assessment.level if assessment.level in _OPENING else "concern"
    focus = _focus(assessment)
    if level not in _OPENING_FOR.get(focus, {}):
        focus = None
    parts = [(_OPENING_FOR[focus][level] if focus else _OPENING[level]).format(emergency=res.emergency)]
    first = in_language(getattr(assessment, "language", None), res.emergency, "overdose" in assessment.categories)
    if first:
        parts.insert(0, first)
    for cat in ("overdose", "third_party", "abuse", "harm_to_others"):
        if cat in assessment.categories and cat != focus:  # the focus's opening already says it
            parts.append(_CATEGORY_NOTE[cat].format(emergency=res.emergency))
    parts.append(format_resources(res))
    parts.append(_CLOSING)
    if _ends_with_check_in(assessment, focus, level):
        others = " or someone else" if "harm_to_others" in assessment.categories else ""
        parts.append(CHECK_IN.format(others=others))
    return "\n\n".join(parts)


def _ends_with_check_in(assessment, focus: str | None, level: str) -> bool:
    """The reply ends with :data:`CHECK_IN`: the verdict rests on the classifier alone, is a concern or urgent (an
    emergency is not the moment for questions) and is not about abuse or someone else's danger, where that
    question would be the wrong one (a threat to others adds "or someone else" to it)."""
    return (getattr(assessment, "check_in", False) and level in ("concern", "urgent") and focus is None
            and "abuse" not in assessment.categories)


def _focus(assessment) -> str | None:
    """Whose crisis it is, when it is not (only) the writer's own danger: someone else at risk (as the patterns
    saw it: a classifier's guess of "third_party" is wrong about half the time, and a person in danger must not
    be answered as a bystander), or abuse of the writer with no risk to themselves named."""
    categories = assessment.categories
    if "third_party" in categories and getattr(assessment, "about_other", False):
        return "third_party"
    if "abuse" in categories and not set(categories) & {"suicidal_ideation", "self_harm", "overdose", "lethal_means",
                                                        "harm_to_others"}:
        return "abuse"
    return None


_MENTAL_HEALTH_TOPIC = re.compile(
    r"\b(?:depress\w*|anxi\w*|panic|trauma|ptsd|grief|griev\w*|stress\w*|sleep|insomnia|therapy|therapist|"
    r"medication|symptom\w*|mood|eating|bipolar|ocd|adhd|lonel\w*|burn ?out)\b", re.I)


def add_disclosure(text: str, *, suggest_professional: bool | None = None) -> str:
    """Append the AI disclosure (once) and, for mental-health topics, a nudge towards professional help."""
    text = (text or "").rstrip()
    if suggest_professional is None:
        suggest_professional = bool(_MENTAL_HEALTH_TOPIC.search(text))
    extra = []
    if suggest_professional and _PROFESSIONAL_NUDGE not in text:
        extra.append(_PROFESSIONAL_NUDGE)
    if AI_DISCLOSURE not in text:
        extra.append(AI_DISCLOSURE)
    return "\n\n".join([text, *extra]) if text else "\n\n".join(extra)


# The end of an answer to a message about an accident, a bodily pain or medicine taken as told (Assessment.physical):
# the assistant answers questions about mental health, and an injury or a medicine needs someone who can look at it.
PHYSICAL_NOTE = ("For an injury, a pain or a question about medicine, a doctor, nurse or pharmacist can advise you; "
                 "if it is serious, call {emergency} now.")


# --- output guard -------------------------------------------------------------------------------
SAFE_FALLBACK = ("I can't help with that part, but I can share general information and point you to "
                 "support. For questions about diagnosis or medication, please speak with a doctor, "
                 "pharmacist or licensed therapist who knows your situation.")

_MED = (r"(?:medication|medications|meds|medicine|pills?|tablets?|dose|dosage|antidepressants?|ssris?|snris?|"
        r"sertraline|fluoxetine|prozac|zoloft|lexapro|escitalopram|citalopram|paroxetine|venlafaxine|duloxetine|"
        r"bupropion|wellbutrin|mirtazapine|lithium|lamotrigine|quetiapine|seroquel|olanzapine|risperidone|"
        r"aripiprazole|abilify|xanax|alprazolam|valium|diazepam|lorazepam|clonazepam|benzodiazepines?|adderall|"
        r"ritalin|methylphenidate|melatonin|zolpidem|ambien|trazodone|propranolol|gabapentin|pregabalin)")
_CONDITION = (r"(?:depression|major depressive disorder|bipolar(?: disorder)?|adhd|add|ocd|ptsd|c-ptsd|schizophrenia|"
              r"schizoaffective disorder|bpd|borderline personality disorder|a personality disorder|narcissistic "
              r"personality disorder|(?:an? )?(?:anxiety|panic|eating|mood|sleep|personality) disorder|generali[sz]ed anxiety "
              r"disorder|gad|panic disorder|social anxiety disorder|autism|asperger'?s|anorexia|bulimia|"
              r"binge eating disorder|psychosis|dementia|insomnia disorder|dissociative identity disorder|clinical depression)")

_GUARDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dose", re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:mg|milligrams?|mcg|micrograms?|µg|g|grams?|ml|millilitres?|milliliters?)\b"
                        r"|\b(?:take|taking|start(?:ing)? (?:on|with|at)|increase (?:it )?to|up to|dose of|dosage of)\s+"
                        r"(?:\d+|one|two|three|four|five|six|ten)\s+(?:pills?|tablets?|capsules?|doses?)\b"
                        # a count of a named medicine: "try taking two xanax before bed", "pop a couple of melatonin"
                        r"|\b(?:take|taking|try|have|having|pop|popping|use|using|swallow)\s+(?:\w+\s+)?(?:\d+|one|two|three|four|"
                        r"five|six|ten|a couple of|a few|half (?:an?|of)?|an extra|another)\s+(?:of (?:your |the |those |these )?)?"
                        r"(?:extra )?" + _MED + r"\b", re.I)),
    ("medication_change", re.compile(
        r"\b(?:you should|you could|you can|try to|try|i (?:would )?(?:recommend|suggest|advise)|it(?:'s| is) (?:fine|ok|okay|safe) to|"
        r"just|go ahead and|consider|i would|i'd|if i were you,? i(?:'d| would)?|you (?:might|may) want to|"
        r"it (?:might|may|could|would) help to|why not|maybe)\s+(?:\w+\s+){0,2}(?:stop(?:ping)?|quit(?:ting)?|start(?:ing)?|increas\w+|decreas\w+|"
        r"reduc\w+|doubl\w+|halv\w+|skip(?:ping)?|taper(?:ing)?|wean(?:ing)? (?:off|yourself)|come off|coming off|switch(?:ing)?|"
        r"lower(?:ing)?|rais(?:e|ing)|get(?:ting)? off|drop(?:ping)?|cut(?:ting)? (?:down|back) on|"
        r"tak(?:e|ing) (?:more|less|extra))\b(?:\s+\S+){0,4}?\s+" + _MED + r"\b"
        # the same told as an order at the start of a sentence, or as no longer needed
        r"|(?:^|[.!?]\s+|\n)(?:just |so |then )?(?:stop|quit|start|increase|decrease|reduce|lower|raise|double|halve|skip|taper|"
        r"come off|get off|switch|drop)\b(?:\s+\S+){0,3}?\s+(?:your |the |my )?" + _MED + r"\b"
        r"|\byou (?:don't|do not|no longer|won't|will not) need (?:your |the |any |to take (?:your |the |any )?)?(?:\w+ )?" + _MED + r"\b",
        re.I)),
    ("diagnosis", re.compile(
        r"(?<!\bif )(?<!\bwhether )(?<!\byou think )(?<!\bthey think )(?<!\bmay think )(?<!\bmight think )(?<!\bto think )"
        r"(?<!\bworried )(?<!\bwonder if )\b(?:you (?:clearly |probably |likely |definitely |"
        r"certainly |obviously |might |may |seem to |appear to )?(?:have|suffer from|are suffering from|are showing|show signs of)|"
        r"you(?:'re| are) (?:clearly |probably |likely |definitely |obviously |certainly )?(?:suffering from|showing signs of|"
        r"dealing with a case of)|"
        r"you(?:'re| are) (?:clearly |probably |likely |definitely )?(?:an? )?(?:bipolar|depressed clinically|schizophrenic|"
        r"autistic|anorexic|bulimic|psychotic|borderline)|(?:this|that|it|these symptoms) (?:is|are|sounds? like|sound like) "
        r"(?:clearly |probably |definitely |classic )?|i (?:would )?diagnose you with|my diagnosis is|diagnosis:)\s*"
        r"(?:(?:a )?(?:mild|moderate|severe|major|chronic|clinical|classic|textbook|full-blown) (?:case of )?)?"
        + _CONDITION + r"\b", re.I)),
    ("method", re.compile(
        r"\b(?:lethal|fatal|deadly) (?:dose|amount|quantity)\b|\bnoose\b|\bexit bag\b|\bhelium (?:hood|bag|tank)\b"
        r"|\bcharcoal (?:burning|grill|in a (?:closed|sealed))\b|\bcarbon monoxide\b|\bbleed(?:ing)? out\b"
        r"|\b(?:cut|slice|slit)\w* (?:vertically|lengthwise|along the (?:vein|artery)|deep(?:ly)? (?:enough|into))\b"
        r"|\b(?:painless|quickest|easiest|most effective|surest|least painful) (?:way|method)s? (?:to|of) (?:die|dying|kill|suicide|end)\b"
        r"|\b(?:tie|tying|hang(?:ing)?) (?:a |the )?(?:rope|ligature|knot)\b|\bligature point\b"
        r"|\b(?:enough|how many) (?:pills|tablets)\b(?:\s+\S+){0,5}?\s+(?:to (?:die|kill|overdose)|would be fatal)\b"
        r"|\bjump(?:ing)? from (?:a )?(?:height|\d+ (?:floors|stories|storeys|metres|meters|feet))\b"
        # where and how deep to cut, and a count of pills named as fatal
        r"|\b(?:cut|cutting|slice|slicing|slit|slitting|stab|stabbing)\s+(?:\w+\s+){0,3}?(?:the |your |a )?(?:veins?|arter(?:y|ies)|"
        r"wrists?|throat)\b|\b(?:cut|cutting|slice|slicing)\w* (?:deeper|deep)\b"
        r"|\b\d+\s+(?:\w+\s+)?(?:pills|tablets|capsules)\b(?:\s+\S+){0,5}?\s+(?:would|will|could|can|is|are|should) (?:be )?"
        r"(?:fatal|lethal|deadly|enough to (?:die|kill))\b|\boverdose of \d+\b"
        # one means weighed against another, or named as a way to die
        r"|\b(?:hanging|an overdose|overdosing|jumping|drowning|cutting|shooting|poisoning|suffocation|suffocating|strangulation)\s+"
        r"(?:is|are|would be|will be|tends to be)\s+(?:\w+\s+)?(?:quicker|faster|slower|more painful|less painful|painless|more "
        r"reliable|more lethal|more certain|surer|more effective)\b"
        r"|\b(?:a |the )?(?:slow|quick|fast|painless|sure|certain|reliable|peaceful|easy|gentle) way to (?:die|go|end (?:it|your life))\b",
        re.I)),
    ("human_claim", re.compile(
        r"\bi(?:'m| am) (?!not\b|an? ai\b|an? (?:chat)?bot\b|an? (?:language )?model\b|an? assistant\b|a computer\b)"
        r"(?:(?:a|an|your)\s+)?(?:real\s+|actual\s+|licensed\s+|certified\s+|qualified\s+|trained\s+|registered\s+|human\s+)*"
        r"(?:human|person|therapist|psychologist|psychiatrist|counsell?or|doctor|physician|nurse|social worker|clinician)\b"
        r"|\bi(?:'m| am) not (?:an? )?(?:ai|bot|chatbot|robot|machine|program|language model)\b"
        # (not a mention of one: "a specialist, such as a psychiatrist")
        r"|(?<!\bsuch )(?<!\bwell )(?<!\bsame )\bas (?:a|your) (?:licensed |trained |qualified )?(?:therapist|psychologist|psychiatrist|"
        r"counsell?or|doctor|clinician)\b"
        r"|\b(?:as|speaking as|being) (?:a|another) (?:fellow )?human(?: being)?,? (?:i|i'm|i've|myself|too)\b"
        r"|\bmy name is (?:a |an )?(?:human|real person|person|dr\b|doctor)"
        r"|\bi(?:'m| am|'ve been| have been| was)? (?:professionally |clinically )?(?:trained|licensed|certified|qualified|"
        r"educated) (?:in|as) (?:a |an )?(?:psycholog|psychotherap|counsel|therap|psychiatr|medicine|clinical)\w*"
        r"|\bi have (?:a (?:degree|phd|doctorate|masters?)|\d+ years of (?:experience|practice)) (?:in|as) (?:a |an )?"
        r"(?:psycholog|psychotherap|counsel|therap|psychiatr|medicine|clinical|social work)\w*",
        re.I)),
)
_SAFE_CONTEXT = re.compile(r"\b(?:talk (?:to|with)|speak (?:to|with)|ask|check with|consult|without (?:talking|speaking|"
                           r"checking)|never|don't|do not|before)\b(?:\s+\S+){0,4}?\s+(?:your |a )?(?:doctor|gp|pharmacist|"
                           r"psychiatrist|prescriber|clinician|nurse)\b", re.I)


@dataclass(frozen=True)
class GuardResult:
    ok: bool
    text: str
    violations: tuple[str, ...] = ()


def guard_output(text: str) -> GuardResult:
    """Check a generated answer; replace it with a safe fallback when it breaks the policy.

    Returns:
        GuardResult(ok, text, violations): ``text`` is the original when ok, else the fallback
        (with the AI disclosure); ``violations`` names each broken rule (never the text itself).
    """
    if not isinstance(text, str):
        text = str(text)
    found = []
    for name, rx in _GUARDS:
        for m in rx.finditer(text[:50_000]):
            if name == "medication_change" and _SAFE_CONTEXT.search(_sentence_of(text, m.start(), m.end())):
                continue  # "don't stop your medication without talking to your doctor" is the right advice
            found.append(name)
            break
    if not found:
        return GuardResult(True, text, ())
    log.info("output guard replaced an answer: %s", ", ".join(found))  # names only, never the text
    return GuardResult(False, add_disclosure(SAFE_FALLBACK, suggest_professional=False), tuple(found))


def _sentence_of(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    right_candidates = [i for i in (text.find(".", end), text.find("\n", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left:right]
