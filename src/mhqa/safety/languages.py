"""Crisis statements in languages other than English.

The English layers read :func:`mhqa.safety.normalize.normalize`'s output, plain ASCII: a Spanish or French message
keeps its words there but matches no English rule and means little to the English classifiers, and a message in
Devanagari, Cyrillic, Arabic, Chinese, Japanese or Korean letters is erased altogether. People write to a help
service in the language they think in, most of all when they are in distress, and the supported locales have large
communities who do: Spanish in the US, French in Canada, Hindi (in Devanagari or Latin letters) in India, and
Portuguese, German, Italian, Tagalog, Chinese, Russian, Ukrainian, Polish, Turkish, Indonesian, Vietnamese,
Japanese, Korean and Arabic among migrants to all of them. This module is a short list of their most direct ways of
saying "I want to die", "I want to kill myself", "I don't want to live any more" and "I am hurting myself", and in
Spanish, French, Portuguese, German and Italian also "I think about suicide", "I took all my pills" and the passive
"I want to disappear" / "I wish I would not wake up" (written by us, a rule or two per language and kind), read from the message as written, with the idioms each language builds
on the same words ("me muero de risa", "mourir de rire", "我想死你了" I miss you to death, "恥ずかしくて死にたい" so
embarrassed I could die) and its negations left out. It catches the plain statements only: indirect phrasing in
these languages is beyond it. The crisis reply opens with a fixed line in the writer's language
(mhqa.safety.policy.IN_LANGUAGE) and is otherwise English, with the locale's help lines.

>>> [h.rule for h in match("me quiero matar, ya no aguanto más")]
['es:kill_myself']
>>> match("me muero de risa jajaja")
()
"""

from __future__ import annotations

import re
import unicodedata

from mhqa.safety.normalize import _QUOTES, _ZERO_WIDTH
from mhqa.safety.patterns import CONCERN, EMERGENCY, OD, SH, SI, TP, URGENT, Hit

_NUKTA = "\u093c"  # Devanagari's dot below (ख़ = ख + ़): written both ways, so dropped
_NOT_WORD = re.compile(r"[^\w\u0900-\u097f]+")  # Devanagari's vowel signs are not \w; keep them in their words
# Arabic as it is typed: short-vowel signs and the stretching tatweel dropped, hamza and madda forms of alef as alef
_ARABIC = str.maketrans({**dict.fromkeys(range(0x064B, 0x0653), None), 0x0670: None, 0x0640: None,
                         0x0623: "\u0627", 0x0625: "\u0627", 0x0622: "\u0627"})


def fold(text: str) -> str:
    """``text`` lower-cased, without the accents of Latin letters (Devanagari's signs stay), without Arabic short
    vowels and with one alef, punctuation and apostrophes turned into single spaces: "J'AI envie de mourir…" -> "j ai
    envie de mourir"."""
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).translate(_QUOTES).casefold()
    if not text.isascii():
        out, latin = [], False
        for ch in unicodedata.normalize("NFD", text):
            if unicodedata.combining(ch):
                if latin or ch == _NUKTA:
                    continue
            else:
                latin = ch.isascii() or "LATIN" in unicodedata.name(ch, "")
            out.append(ch)
        text = unicodedata.normalize("NFC", "".join(out)).translate(_ARABIC)
    text = text.replace("'", " ")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# (rule, categories, regex over fold()ed text). Every rule is urgent, as its English counterpart is ("i want to
# die", "i do not want to live anymore", "i have been cutting myself": patterns.want_to_die, end_life,
# self_harm_act), but an overdose ("<code>:overdose") is an emergency (patterns.overdose_taken) and a passive wish
# ("<code>:passive") a concern (patterns.passive_death_wish). A negation written before the verb ("no quiero morir", "non voglio morire") is a lookbehind.
_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
    # Spanish
    ("es:kill_myself", (SI,), _rx(
        r"(?<!\bno )(?<!\bnunca )(?<!\bjamas )\b(?:quiero|quisiera|voy a|pienso|estoy pensando en|he pensado en|"
        r"pienso en|tengo ganas de|ganas de|me dan ganas de|decidi) (?:matarme|suicidarme|quitarme la vida|acabar con mi vida)\b"
        r"|(?<!\bno )(?<!\bnunca )\bme (?:quiero|voy a) (?:matar|suicidar)\b"
        r"|(?<!\bno )\b(?:pienso|estoy pensando|he pensado|he estado pensando) en (?:el )?suicidio\b"
        r"(?! (?:como (?:tema|concepto)|para (?:mi|un|una|el|la) (?:tesis|trabajo|ensayo|clase|libro|novela|articulo))\b)"
        r"|\btengo (?:pensamientos|ideas) (?:suicidas|de suicidio)\b")),
    ("es:want_to_die", (SI,), _rx(
        r"(?<!\bno )(?<!\bnunca )\b(?:me quiero morir|quiero morir(?:me)?|quisiera morir(?:me)?|deseo morir(?:me)?|"
        r"solo quiero morir(?:me)?)\b(?! (?:de|del|por|en paz|en (?:mi )?casa|en mi (?:pais|tierra|cama)|de viejo|de vieja|feliz|tranquil[oa])\b)"
        r"|\b(?:ya )?no quiero (?:seguir )?(?:vivir|viviendo|estar vivo|estar viva|existir)\b"
        r"(?! (?:con|en|aqui|alli|alla|cerca|lejos|sol[oa]|junt[oa]s|de alquiler)\b)"
        r"|\bestaria mejor muert[oa]\b|\bojala (?:no despertara|me muriera|estuviera muert[oa])\b"
        r"|\bya no tengo ganas de vivir\b|\bno tengo (?:mas )?ganas de (?:seguir )?vivir\b")),
    ("es:overdose", (OD, SI), _rx(
        r"(?<!\bno )(?<!\bno me )(?<!\bnunca me )\b(?:me (?:tome|he tomado|trague|he tragado|acabo de tomar|voy a tomar)|tome|"
        r"trague|voy a tomar) "
        r"(?:todas? (?:mis |las |esas |estas )?(?:pastillas|pildoras|medicinas|medicamentos|tabletas|capsulas)|"
        r"(?:tod[oa] )?(?:la caja|el frasco|el bote|el blister)(?: entero| entera)?(?: de \w+)?|un (?:frasco|bote|monton|punado) de "
        r"(?:pastillas|pildoras|tabletas))\b(?! (?:que me (?:receto|recetaron|dio|dieron|mando)|como (?:me )?(?:dijo|indico)|"
        r"del dia|de hoy|a tiempo)\b)")),
    ("es:self_harm", (SH,), _rx(
        r"(?<!\bno )\b(?:me corto|me estoy cortando|me volvi a cortar|volvi a cortarme|quiero cortarme|me corte) "
        r"(?:otra vez|de nuevo|a proposito|los brazos|las munecas|las piernas|las venas)\b"
        r"|\bcortarme (?:las venas|las munecas|los brazos)\b|\bme autolesiono\b|\bautolesionarme\b"
        r"|(?<!\bno )\b(?:quiero|voy a|ganas de|necesito) hacerme dano\b")),
    ("es:third_party", (SI, TP), _rx(
        r"(?<!\bno )\b(?:quiere|va a|dice que (?:se )?(?:quiere|va a)|amenaza con) (?:suicidarse|matarse|quitarse la vida)\b"
        r"|(?<!\bno )\bse (?:quiere|va a) (?:matar|suicidar)\b")),
    ("es:passive", (SI,), _rx(
        r"(?<!\bno )\b(?:quiero|quisiera|solo quiero) (?:desaparecer(?: para siempre)?|dejar de existir|no existir|no despertar(?:me)?)\b"
        r"(?! (?:un rato|un tiempo|unos dias|del mapa|de aqui|por un rato)\b)"
        r"|\bojala (?:no despertar|desaparecer|no existir|no haber nacido)\b"
        r"|\bno quiero (?:volver a )?despertar(?:me)?\b(?! (?:temprano|pronto|tan temprano|a las|manana temprano|manana a)\b)")),
    # French
    ("fr:kill_myself", (SI,), _rx(
        r"\bje (?:veux|voudrais|vais|pense a|songe a|compte|prefererais|prefere) (?:me suicider|me tuer|en finir"
        r"(?! avec (?!la vie|ma vie|tout))|mettre fin a (?:mes jours|ma vie))\b"
        r"|\bj ai (?:envie|decide) (?:de|d) (?:me suicider|me tuer|en finir(?! avec (?!la vie|ma vie|tout))|"
        r"mettre fin a (?:mes jours|ma vie))\b|\bj ai des (?:pensees|idees) (?:suicidaires|de suicide)\b"
        r"|\bje (?:pense|songe) (?:au suicide|a la mort|a mourir)\b")),
    ("fr:want_to_die", (SI,), _rx(
        r"\b(?:je veux|je voudrais|j ai envie de) mourir\b(?! (?:de|d|en paix|chez moi|dans mon lit|vieux|vieille)\b)"
        r"|\bje (?:ne )?veux plus (?:vivre|exister|etre en vie)\b|\bje n ai plus envie de vivre\b"
        r"|\bje serais mieux mort[e]?\b")),
    ("fr:overdose", (OD, SI), _rx(
        r"\b(?:j ai (?:pris|avale)|je vais (?:prendre|avaler)) (?:toutes? (?:mes |les |ces )?(?:pilules|medicaments|comprimes|"
        r"cachets|gelules)|(?:toute )?(?:la boite|la plaquette|le flacon|le tube)(?: entiere| entier)?(?: de \w+)?)\b"
        r"(?! (?:comme (?:prevu|prescrit|le medecin)|a l heure|de la journee)\b)")),
    ("fr:self_harm", (SH,), _rx(
        r"\bje me (?:scarifie|mutile|fais du mal(?! a (?:la|au|aux|l)\b)|coupe (?:les bras|les poignets|a nouveau|encore|expres))\b"
        r"|\bj ai (?:envie|besoin) de me (?:faire du mal|scarifier|couper)\b")),
    ("fr:passive", (SI,), _rx(
        r"\bje (?:veux|voudrais|aimerais) (?:disparaitre|ne plus exister|ne pas me reveiller|ne plus me reveiller|cesser d exister)\b"
        r"(?! (?:sous terre|pour un moment|quelques jours|un peu|de la circulation)\b)"
        r"|\bj aimerais ne (?:jamais|pas|plus) me reveiller\b|\bj aurais prefere ne (?:jamais|pas) etre nee?\b")),
    # Portuguese
    ("pt:kill_myself", (SI,), _rx(
        r"(?<!\bnao )(?<!\bnunca )\b(?:quero|vou|penso em|estou pensando em|to pensando em|tenho vontade de|decidi) "
        r"(?:me matar|me suicidar|suicidar|tirar (?:a )?minha (?:propria )?vida|acabar com (?:a )?minha vida)\b"
        r"|(?<!\bnao )\b(?:penso|estou pensando|to pensando|tenho pensado) (?:em|no) suicidio\b"
        r"|\btenho pensamentos suicidas\b")),
    ("pt:want_to_die", (SI,), _rx(
        r"(?<!\bnao )(?<!\bnunca )\b(?:quero|queria|so quero) morrer\b(?! (?:de|do|da|em paz|em casa|na minha (?:casa|terra|cama)|velh[oa])\b)"
        r"|\bnao (?:quero|aguento) mais viver\b|\bnao quero mais estar viv[oa]\b|\bnao tenho (?:mais )?vontade de viver\b")),
    ("pt:overdose", (OD, SI), _rx(
        r"(?<!\bnao )\b(?:tomei|engoli|vou tomar) (?:todos? (?:os |meus |as |minhas )?(?:comprimidos|remedios|pilulas|"
        r"medicamentos|calmantes)|(?:a )?(?:caixa|cartela) (?:inteira|toda))\b(?! (?:como (?:o medico|receitado|mandou)|na hora|"
        r"do dia)\b)")),
    ("pt:self_harm", (SH,), _rx(r"\bme automutil\w*\b|\b(?:voltei a|vou|quero) me cortar\b|\bme cortei de novo\b")),
    ("pt:passive", (SI,), _rx(
        r"(?<!\bnao )\b(?:quero|queria|so quero) (?:desaparecer(?: para sempre)?|deixar de existir|nao existir|nao acordar)\b"
        r"(?! (?:por um tempo|por uns dias|um pouco|do mapa)\b)"
        r"|\bqueria nunca ter nascido\b|\bnao quero (?:mais )?acordar\b(?! (?:cedo|tarde|amanha cedo|as)\b)")),
    # German (umlauts folded: "möchte" -> "mochte")
    ("de:kill_myself", (SI,), _rx(
        r"\bich (?:will|mochte|werde) (?:mich umbringen|mir das leben nehmen|mich toten|selbstmord begehen)\b"
        r"|\bich bring(?:e)? mich (?:(?!nicht\b|nie\b|niemals\b)\w+ ){0,2}um\b|\bich (?:habe|hab) (?:\w+ )?(?:selbstmordgedanken|suizidgedanken)\b"
        r"|\bich bin suizidal\b|\bich denke (?:oft |standig |immer )?(?:an|uber) (?:selbstmord|suizid)\b")),
    ("de:want_to_die", (SI,), _rx(
        r"\bich (?:will|mochte) (?:(?!nicht\b|nie\b|niemals\b|nicht mehr\b)\w+ ){0,2}sterben\b(?! vor\b)|\bich (?:will|mochte|kann) nicht mehr leben\b"
        r"|\bich (?:will|mochte) nicht mehr (?:da sein|existieren|aufwachen)\b|\bich ware lieber tot\b"
        r"|\bich (?:habe|hab) keine lust mehr (?:zu|auf) (?:leben|das leben)\b")),
    ("de:overdose", (OD, SI), _rx(
        r"\bich (?:habe|hab) (?:(?:gerade|eben|schon) )?(?:alle (?:meine |die )?(?:tabletten|pillen|medikamente)|die ganze "
        r"(?:packung|schachtel|flasche)(?: \w+)?) (?:genommen|geschluckt)\b"
        r"|\bich werde alle (?:meine )?(?:tabletten|pillen|medikamente) (?:nehmen|schlucken)\b")),
    ("de:self_harm", (SH,), _rx(r"\bich ritze mich\b|\bich verletze mich(?: selbst)?\b|\bich (?:habe|hab) mich (?:wieder )?geritzt\b")),
    ("de:passive", (SI,), _rx(
        r"\bich (?:will|mochte|wurde am liebsten) (?:einfach )?(?:verschwinden|nicht mehr existieren|nie wieder aufwachen)\b"
        r"(?! (?:fur eine weile|ein paar tage|kurz|im urlaub)\b)"
        r"|\bich wunschte,? ich ware nie geboren\b|\bich wunschte,? ich wurde nicht mehr aufwachen\b")),
    # Italian
    ("it:kill_myself", (SI,), _rx(
        r"(?<!\bnon )\b(?:voglio|vorrei|sto pensando di|penso di|ho voglia di|ho deciso di) (?:uccidermi|suicidarmi|"
        r"ammazzarmi|togliermi la vita|farla finita(?! con\b))\b|(?<!\bnon )\bmi voglio (?:uccidere|ammazzare|suicidare)\b")),
    ("it:want_to_die", (SI,), _rx(
        r"(?<!\bnon )\b(?:voglio|vorrei) morire\b(?! (?:dal|dalla|dalle|di|da|in pace|a casa|nel mio letto|vecchi[oa])\b)"
        r"|\bnon voglio piu vivere\b|\bnon ho piu voglia di vivere\b|(?<!\bnon )\bpenso (?:al|spesso al) suicidio\b"
        r"|\bho pensieri suicidi\b")),
    ("it:overdose", (OD, SI), _rx(
        r"(?<!\bnon )\b(?:ho preso|ho ingoiato|prendero) (?:tutte? (?:le |i )?(?:mie |miei )?(?:pillole|pastiglie|medicine|"
        r"compresse|farmaci)|(?:tutta )?la scatola(?: intera)?(?: di \w+)?)\b(?! (?:come (?:prescritto|mi ha detto)|in orario)\b)")),
    ("it:self_harm", (SH,), _rx(r"\bmi taglio (?:di nuovo|ancora|le braccia|i polsi)\b|\bmi faccio del male\b"
                                r"|\b(?:voglio|ho voglia di) farmi del male\b")),
    ("it:passive", (SI,), _rx(
        r"(?<!\bnon )\b(?:voglio|vorrei) (?:sparire(?: per sempre)?|non esistere piu|non esistere|non svegliarmi(?: piu)?|smettere di esistere)\b"
        r"(?! (?:per un po|per qualche giorno|un attimo)\b)"
        r"|\bvorrei non essere mai nat[oa]\b")),
    # Tagalog
    ("tl:want_to_die", (SI,), _rx(
        r"\bgusto (?:ko|kong) (?:na |nang )?(?:mamatay|magpakamatay)\b|\bgusto ko nang (?:mamatay|magpakamatay)\b"
        r"|\bmagpapakamatay (?:na )?ako\b|\bayoko na(?:ng)? mabuhay\b|\bsana mamatay na (?:lang )?ako\b"
        r"|\bpapatayin ko (?:na )?(?:ang )?sarili ko\b")),
    # Hindi and Urdu in Latin letters (Hinglish), then in Devanagari
    ("hi:kill_myself", (SI,), _rx(
        r"\b(?:khudkushi|khudkhushi|khud kushi|aatmahatya|atmahatya|suicide) (?:karna chaht\w*|karne ka soch\w*|"
        r"karne ki soch\w*|karne ke (?:baare|bare) (?:mein|me|main) soch\w*|kar (?:lunga|lungi|loonga|loongi)|karunga|karungi|karne wala|karne wali)\b"
        r"|\bkhud ko (?:maar|mar|khatam kar) (?:dunga|dungi|doonga|doongi|lunga|lungi|dena chaht\w*)\b")),
    ("hi:want_to_die", (SI,), _rx(
        r"\b(?:marna|mar jana|mar jaana|marjana) chaht(?:a|i|e)\b|\b(?:jeena|jina) nahi(?:n)? (?:chaht\w*|hai)\b(?! (?:asaan|aasan|aasaan|easy|mushkil)\b)"
        r"|\b(?:jeene|jine) ka (?:mann|man|dil) nahi(?:n)?\b")),
    ("hi:devanagari", (SI,), _rx(
        "(?:आत्महत्या|खुदकुशी)(?: करना चाहत| करने (?:का|की|के) (?:सोच|विचार|ख्याल)| करने के बारे में सोच| कर (?:लूं|लूँ|लूंगा|लूँगा|लूंगी|लूँगी)"
        "| करूंगा| करूँगा| करूंगी| करूँगी)|मरना चाहत|मर जाना चाहत|जीना नहीं चाहत|जीने का मन नहीं"
        "|खुद को (?:मार|खत्म कर) (?:दूंगा|दूँगा|दूंगी|दूँगी|लूंगा|लूँगा|लूंगी|लूँगी)")),
    # Russian and Ukrainian
    ("ru:kill_myself", (SI,), _rx(
        r"(?<!не )\b(?:хочу|собираюсь|думаю|решил|решила) (?:покончить с собой|убить себя|свести сч[её]ты с жизнью)\b"
        r"|(?<!не )\bпокончу с собой\b|(?<!не )\bубью себя\b|\bдумаю о (?:суициде|самоубийстве)\b"
        r"|\bу меня (?:есть )?суицидальные мысли\b")),
    ("ru:want_to_die", (SI,), _rx(
        r"(?<!не )\b(?:хочу|хотелось бы) умереть\b(?! (?:со смеху|от смеха|от стыда)\b)"
        r"|\bне хочу (?:больше )?жить\b(?! (?:с|в|у|здесь|там|вместе|один|одна)\b)|\bлучше бы я умерл?а?\b")),
    ("ru:self_harm", (SH,), _rx(r"\b(?:я )?(?:режу себя|режусь|порезал себя|порезала себя|наношу себе порезы)\b")),
    ("uk:want_to_die", (SI,), _rx(
        r"(?<!не )\bхочу померти\b|\bне хочу (?:більше )?жити\b(?! (?:з|в|у|тут|там)\b)"
        r"|(?<!не )\b(?:хочу|збираюся) (?:покінчити з собою|вбити себе)\b")),
    # Polish ("chcę umrzeć" folds to "chce umrzec"; ł has no accent to lose)
    ("pl:want_to_die", (SI,), _rx(
        r"(?<!nie )\b(?:chce|chcia[lł]bym|chcia[lł]abym) umrzec\b(?! (?:ze smiechu|ze wstydu)\b)"
        r"|\bnie chce (?:juz )?zyc\b(?! (?:z|w|tu|tam)\b)")),
    ("pl:kill_myself", (SI,), _rx(
        r"(?<!nie )\b(?:chce|zamierzam) sie zabic\b|(?<!nie )\bzabije sie\b|\bchce pope[lł]nic samobojstwo\b"
        r"|\bmam mysli samobojcze\b")),
    ("pl:self_harm", (SH,), _rx(r"\b(?:tne sie|samookaleczam sie)\b")),
    # Turkish ("ölmek istiyorum" folds to "olmek istiyorum"; the dotless ı stays)
    ("tr:want_to_die", (SI,), _rx(
        r"\bolmek istiyorum\b|\byasamak istemiyorum\b|\b(?:intihar etmek|kendimi oldurmek) istiyorum\b"
        r"|\bkendimi oldurecegim\b|\bintihar edecegim\b")),
    ("tr:self_harm", (SH,), _rx(r"\bkendime zarar veriyorum\b|\bkendimi kesiyorum\b")),
    # Indonesian and Malay
    ("id:want_to_die", (SI,), _rx(
        r"(?<!tidak )(?<!nggak )(?<!gak )(?<!tak )(?<!ga )\b(?:ingin|mau|pengen|pingin) (?:mati|bunuh diri|mengakhiri hidup\w*)\b"
        r"(?! (?:ketawa|tertawa|rasanya)\b)")),
    ("id:self_harm", (SH,), _rx(r"\b(?:aku|saya) (?:suka |sering |lagi )?(?:menyakiti|melukai) diri(?: sendiri)?\b")),
    # Vietnamese ("tôi muốn chết" folds to "toi muon chet")
    ("vi:want_to_die", (SI,), _rx(
        r"(?<!khong )\bmuon (?:chet|tu tu|tu sat)\b(?! (?:a|ha|hay sao|vi xau ho)\b)|\bkhong muon song (?:nua|tiep)\b"
        r"|\b(?:toi|minh|em|anh) se tu tu\b")),
    # Japanese and Korean
    ("ja:want_to_die", (SI,), _rx("(?<!恥ずかしくて)(?<!恥ずかしすぎて)死にたい(?!くらい|ほど|ぐらい)|自殺したい|死のうと思って"
                                  "|もう生きたくない|生きていたくない")),
    ("ja:self_harm", (SH,), _rx("リスカ(?:した|してる|しちゃった|したい)|自傷(?:した|してる|したい)|手首を切っ")),
    ("ko:want_to_die", (SI,), _rx("(?<!창피해서 )(?<!부끄러워서 )죽고 ?싶(?:어|다|어요|습니다|네|음)(?! ?정도)|자살하고 ?싶"
                                  "|자살할 ?거|살고 ?싶지 ?않|그만 ?살고 ?싶")),
    ("ko:self_harm", (SH,), _rx("자해(?:를 ?했|했|하고 ?싶|해)|손목을 ?그었")),
    # Arabic (as fold() writes it: no short vowels, every alef plain)
    ("ar:want_to_die", (SI,), _rx(
        "(?<!لا )اريد ان اموت|(?<!لا )اريد الموت|(?<!لا )اتمنى الموت|لا اريد ان اعيش|سانتحر|ساقتل نفسي"
        "|افكر في الانتحار|اريد ان انتحر|اريد ان اقتل نفسي")),
    # Chinese (simplified and traditional): 我想死 but not 我想死你了 (I miss you to death)
    ("zh:want_to_die", (SI,), _rx(
        "我(?:今晚|今天|现在|現在|明天)?(?:真的|好|很|一直|总是|總是|有时|有時|只)?想(?:要)?(?:死(?!你|您|他|她|它|妳|了你)|自杀|自殺)|"
        "我要(?:自杀|自殺)|(?:我)?不想活(?:了|下去)|我想结束(?:我的)?生命|我想結束(?:我的)?生命|活不下去了")),
    ("zh:self_harm", (SH,), _rx("我(?:又|一直|经常|經常)?(?:在)?(?:割腕|自残|自殘|伤害自己|傷害自己)")),
)


# A risk set for today or now is an emergency, as in English ("i want to die tonight": patterns._NOW)
_NOW = {
    "es": _rx(r"\b(?:esta noche|hoy|ahora|ahora mismo|manana|este fin de semana)\b"),
    "fr": _rx(r"\b(?:ce soir|cette nuit|aujourd hui|maintenant|tout de suite|demain)\b"),
    "pt": _rx(r"\b(?:hoje|agora|esta noite|amanha)\b"),
    "de": _rx(r"\b(?:heute|jetzt|heute nacht|morgen|gleich)\b"),
    "it": _rx(r"\b(?:stasera|stanotte|oggi|adesso|subito|domani)\b"),
    "tl": _rx(r"\b(?:ngayon|ngayong gabi|mamaya|bukas)\b"),
    "hi": _rx(r"\b(?:aaj|abhi|aaj raat)\b|आज|अभी"),
    "zh": _rx("今晚|今天|现在|現在|明天|马上|馬上"),
    "ru": _rx(r"\b(?:сегодня|сейчас|этой ночью|завтра)\b"),
    "uk": _rx(r"\b(?:сьогодні|зараз|завтра|цієї ночі)\b"),
    "pl": _rx(r"\b(?:dzisiaj|dzis|teraz|jutro|tej nocy)\b"),
    "tr": _rx(r"\b(?:bu gece|bugun|simdi|yar[iı]n)\b"),
    "id": _rx(r"\b(?:malam ini|hari ini|sekarang|besok)\b"),
    "vi": _rx(r"\b(?:toi nay|dem nay|hom nay|bay gio|ngay mai)\b"),
    "ja": _rx("今夜|今日|今すぐ|明日"),
    "ko": _rx("오늘|지금|내일"),
    "ar": _rx("الليلة|اليوم|الان|غدا"),
}


def match(text: str) -> tuple[Hit, ...]:
    """The rules of this module that fire on ``text`` (as written, not normalised), as pattern hits: urgent, or an
    emergency when the message sets it for today or now ("me voy a matar esta noche")."""
    folded = fold(text)
    if not folded:
        return ()
    hits = []
    for name, cats, regex in _RULES:
        m = regex.search(folded)
        if m:
            # an overdose taken (or about to be) is an emergency, as patterns.overdose_taken is in English; a passive
            # wish ("quiero desaparecer", "vorrei non svegliarmi") a concern, as patterns.passive_death_wish is
            if name.endswith(":passive"):
                level = CONCERN
            elif name.endswith(":overdose") or _NOW[language(name)].search(folded):
                level = EMERGENCY
            else:
                level = URGENT
            hits.append(Hit(name, level, cats, m.group(0)[:48], match=m.group(0)))
    return tuple(hits)


def language(rule: str) -> str:
    """The language code a rule of this module names ("es:want_to_die" -> "es")."""
    return rule.split(":", 1)[0]


def is_rule(rule: str) -> bool:
    """Whether a pattern hit's rule is one of this module's (the English rules' names have no language code)."""
    return ":" in rule
