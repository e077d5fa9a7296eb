"""Curated patterns: high-precision signals of risk, with the idiom, negation and context rules
that keep ordinary language ("this traffic is killing me", "kill the process", "I'm not
suicidal") from tripping them.

Patterns read *normalised* text (see :mod:`mhqa.safety.normalize`). Each rule names a level
and the categories it implies; :func:`match_patterns` returns every rule that fired with the
words that fired it, so an assessment can always say why.

>>> [h.rule for h in match_patterns("i am going to kill myself tonight").hits]
['explicit_intent']
>>> match_patterns("this traffic is killing me").hits
()
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mhqa.safety.normalize import expand_for_patterns

NONE, CONCERN, URGENT, EMERGENCY = 0, 1, 2, 3
LEVELS = ("none", "concern", "urgent", "emergency")

SI, SH, LM, OD, HO, AB, TP = (
    "suicidal_ideation", "self_harm", "lethal_means", "overdose", "harm_to_others", "abuse", "third_party",
)

# Vocabulary shared by several rules.
_REL = (r"(?:best |little |big |older |younger |step ?|ex[- ]|)(?:(?:\d+|\w+)[ -]year[ -]old|friend|friends|bff|bf|gf|boyfriend|girlfriend|partner|husband|wife|"
        r"son|daughter|kid|child|brother|sister|sibling|mom|mum|mother|dad|father|parent|roommate|flatmate|"
        r"classmate|coworker|co-worker|colleague|cousin|uncle|aunt|grandma|grandpa|grandmother|grandfather|"
        r"student|teen|teenager|niece|nephew|neighbor|neighbour|buddy|mate|fiance|fiancee|ex|bestie|"
        r"stepdad|stepmom|stepfather|stepmother|husbands?|teammate|patient|client)")
# someone the writer knows, directly or through someone else: "my friend", "my friend's little sister"
_RELS = _REL + r"(?:'s " + _REL + r")?"
# what tells an ending (the_night_has_come)
_ENDING_SIGN = (r"\b(?:i am (?:so )?done(?=\s*(?:$|[.,!;]| with (?:life|living|everything|it all)\b))|"
                r"sorry (?:to|for) (?:everyone|everything|all of you)\b(?!\s*(?:for|about))|"
                r"(?:wrote|written) (?:the |my |all the |all my )?(?:letters|goodbyes?|goodbye (?:letters|notes|messages))|written (?:the |my )?notes|(?:letters|notes) are (?:written|done|ready|on the)|"
                r"(?:got|have) everything (?:i need )?ready|everything is ready|everything i need is|"
                r"go through with it(?=\s*(?:$|[.,!;]))|not telling anyone|can not do (?:this|it) anymore|no more pain|"
                r"end it(?: all)?(?=\s*(?:$|[.,!;]))|it ends)\b")
_ABUSER = (r"(?:he|she|they|someone|somebody|a man|a woman|an adult|a grown up|(?:my|our|the) (?:\w+ )?(?:mother-in-law|father-in-law|"
           r"in-laws|brother-in-law|sister-in-law|dad|father|mom|mum|mother|stepdad|stepfather|stepmom|stepmother|"
           r"husband|wife|boyfriend|girlfriend|partner|ex|uncle|aunt|brother|sister|cousin|grandpa|grandfather|"
           r"coach|teacher|boss|parents|parent|babysitter|pastor|priest|neighbor|neighbour|roommate|fiance|"
           r"carer|caregiver|guardian|foster \w+|family)"
           r"|(?:^|(?<=[.!?] ))(?:husband|wife|boyfriend|girlfriend|partner|dad|father|mom|mum|mother|stepdad|stepfather|"
           r"stepmom|stepmother|uncle|brother|ex|boss|coach))")
# After "... hit/kicked/pushed me": everyday idioms that are not violence ("kicked me out", "hit me up",
# "pushed me to the point of tears", "pushed me away", "pushed me into therapy"); "pushed me to the ground" stays.
_NOT_IDIOM = (r"(?! (?:out|up|off|away|aside|too|harder|forward|around)\b| to (?!the (?:ground|floor|wall|bed|door|stairs)\b)"
              r"| into (?:therapy|counsel\w*|treatment|\w+ing)\b)")
_DRUG = (r"(?:zopiclone|zolpidem|propranolol|amitriptyline|quetiapine|olanzapine|citalopram|fluoxetine|venlafaxine|"
         r"mirtazapine|diazepam|lorazepam|clonazepam|alprazolam|gabapentin|pregabalin|oxycodone|hydrocodone|naproxen|"
         r"metformin|warfarin|digoxin|methadone|percocet|vicodin|adderall|pills?|tablets?|meds|medication|medications|medicine|sleeping pills|painkillers|tylenol|paracetamol|"
         r"acetaminophen|ibuprofen|advil|aspirin|benadryl|antidepressants?|insulin|xanax|valium|opioids?|oxy\w*|"
         r"fentanyl|heroin|morphine|codeine|lithium|sertraline|prozac|zoloft|lexapro|seroquel|ambien|"
         r"melatonin|benzos?|nyquil|diphenhydramine|tramadol|\w+ pills)")
_PERSON = (r"(?:him|her|them|someone|somebody|people|everyone|everybody|anyone|anybody|others|other people|"
           r"(?:my|our|the|that|this) (?:\w+ )?(?:boss|wife|husband|partner|girlfriend|boyfriend|ex|mom|mum|mother|dad|father|"
           r"brother|sister|son|daughter|baby|kids?|children|child|roommate|coworker|colleague|teacher|neighbor|"
           r"neighbour|classmate|classmates|family|parents|stepdad|stepmom|stepson|stepdaughter|nephew|niece|cousin|friend|"
           r"landlord|manager|bully|bullies|guy|girl|"
           r"man|woman|people)|(?:the |my )?whole (?:class|school|family|office))")
_NOW = (r"\b(?:tonight|right now|today|this evening|this afternoon|this morning|in an? (?:hour|few hours|minute|few minutes)|"
        r"in \d+ (?:minutes|hours)|before (?:morning|sunrise|anyone wakes up)|when everyone is asleep|"
        r"this weekend|tomorrow|(?<!was )(?<!were )on friday|after (?:school|work|they leave))\b")
# "rope", but not a jump/skipping/tow/climbing rope or a rope ladder/swing
_ROPE = r"(?<!jump )(?<!jumping )(?<!skipping )(?<!skip )(?<!tow )(?<!climbing )(?<!pull )rope(?! (?:ladder|swing|light|lights|course|bridge))"
# "belt", but not a black/brown belt, a seat/tool belt or "(a lot) under my belt"
_BELT = r"(?<!under my )(?<!under your )(?<!under our )(?<!black )(?<!brown )(?<!seat )(?<!tool )(?<!utility )(?<!conveyor )belt"
# how someone hopes to die one day, not a wish to die now: "she always said she wanted to die at home"
_GOOD_DEATH = (r"(?:at home|in (?:his|her|their|my) own|peacefully|surrounded|with dignity|of old age|doing|on stage|rich|old|"
               r"happy|before (?:me|him|her|them|mum|dad|my))")
_MEANS_AT_HAND = re.compile(
    r"\b(?:have|got|holding|bought|with me|in my hand|in front of me|ready|lined up|counted out|next to me|"
    r"sitting here with|tied|set up|loaded)\b(?:\s+\S+){0,5}?\s+(?:a |the |my |some )?(?:" + _ROPE + r"|noose|pills|gun|pistol|"
    r"knife|blade|razor|bottle(?! of (?:wine|water|beer|juice|milk|soda|champagne|prosecco|cider))|meds|tablets|" + _BELT + r"|cord|charcoal|bullets?)\b"
    r"|\b(?:" + _ROPE + r"|noose|pills|gun|knife|blade|razor|meds|tablets|bottle)\b(?:\s+\S+){0,4}?\s+(?:ready|here|with me|"
    r"in my hand|in front of me|next to me|lined up|counted|loaded|tied|set up|already up|up in|hung|hanging)\b"
    r"|\b(?:standing|sitting|am|i am) (?:on|at) (?:the )?(?:edge|ledge|bridge|roof|rooftop|railing|tracks|train tracks|cliff)\b"
)
_NOW_RE = re.compile(_NOW)
_ABUSE_NOW = re.compile(r"\b(?:right now|outside (?:my|the) door|at the door|banging on|breaking in|break into|"
                        r"breaking down|is here|hiding (?:in|from))\b")
_READY_RE = re.compile(r"\b(?:jump(?! rope| rop)|i am done|the night|it is time|i am ready|goodbye|do it|end it|no going back|this is it|the day)\b")


@dataclass(frozen=True)
class Rule:
    name: str
    level: int
    categories: tuple[str, ...]
    regex: re.Pattern[str]
    third_person: bool = False  # suppressed in fiction, news, history and "what if someone" questions


def _r(name: str, level: int, cats: tuple[str, ...], pattern: str, third_person: bool = False) -> Rule:
    return Rule(name, level, cats, re.compile(pattern), third_person)


RULES: tuple[Rule, ...] = (
    # --- emergency: an attempt in progress or just done, or danger right now -----------------
    _r("overdose_taken", EMERGENCY, (OD, SI),
       # "i took ...", or the message opening on the verb ("taken three packs of ...", but not "had a lot of ...")
       r"(?:\bi (?:just |have just |already |have |just now )?(?:took|taken|swallowed|downed|ate|eat|eaten|necked|had|drank|"
       r"mixed)|^(?:just |have |already )?(?:took|taken|swallowed|downed|ate|eaten|necked|mixed))\s+"
       r"(?:all|the whole|a whole|an entire|the entire|a bunch|a handful|a lot|loads|way too many|too many|most of|"
       r"a full|every|all of|[1-9]\d+|ten|fifteen|twenty|thirty|forty|fifty|sixty|a hundred|two bottles|"
       r"(?:two|three|four|five|six|several|[2-9]) (?:packs|packets|boxes|bottles|strips|blister packs)|"
       r"a bottle|half (?:a|the) bottle|double|triple)\b(?:\s+\S+){0,6}?\s+" + _DRUG + r"\b"),
    _r("overdose_done", EMERGENCY, (OD, SI),
       r"\bi (?:just |have just |have |already |think i |may have |might have )?(?:overdosed|overdose on \w+ now)\b"),
    _r("attempt_now", EMERGENCY, (SI,),
       r"\bi (?:just |have just )(?:tried|attempted) to (?:kill myself|end (?:my|it)|hang myself|overdose)\b"
       r"|\bi (?:am|have been) (?:bleeding|cut) (?:a lot|badly|heavily|everywhere|too deep|really deep)\b"
       # not a nosebleed or bleeding gums ("my nose will not stop bleeding every winter")
       r"|(?<!\bnose )(?<!\bgums )(?<!\bnose just )(?<!\bnosebleed )\b(?:can not|will not) stop (?:the )?bleeding\b"
       r"(?! (?:from|in|out of) (?:my |the |his |her )?(?:nose|gums))|\bcut (?:too|really|very|way too) deep\b"),
    _r("final_note", EMERGENCY, (SI,),
       r"\bby the time (?:you|anyone|someone|somebody|they) (?:read|reads|see|sees|find|finds|get|gets) (?:this|my)\b"
       r"|\b(?:this is|consider this) my (?:suicide|last|final) (?:note|message|post|goodbye)\b"),
    _r("third_party_emergency", EMERGENCY, (TP,),
       r"\b(?:my|our) " + _RELS + r"\b(?:\s+\S+){0,6}?\s+(?:just |has just )?(?:overdosed|swallowed|"
       r"took (?:all|a bunch|a handful|too many|a whole|the whole|a bottle)|is unconscious|is not breathing|"
       r"stopped breathing|will not wake up|is not waking up|is not responding(?! (?:to|well))|is unresponsive|collapsed|"
       r"is on the (?:roof|ledge|bridge|edge|tracks)|is standing on (?:the |a |top of the )?(?:edge|ledge|roof|bridge|railing|rail|tracks|balcony|cliff|parapet|window ?sill)|has a (?:gun|knife|rope)|is bleeding|"
       r"is hanging|locked (?:himself|herself|themselves) in)\b", third_person=True),
    _r("violence_now", EMERGENCY, (AB,),
       r"\b" + _ABUSER + r" (?:is|are) (?:\w+ )?(?:hitting|beating|choking|strangling|attacking|hurting|kicking|"
       r"raping|stabbing|punching|dragging) (?:me|us|my (?!feelings|pride|ego|chances)\w+|her|him)\b"
       r"|\b(?:he|she|they|someone|somebody) (?:is|are) (?:breaking in|breaking down the door|trying to get in|"
       r"outside my door with a (?:gun|knife))\b"),
    # --- urgent: explicit suicidal thoughts or intent ------------------------------------------
    _r("explicit_intent", URGENT, (SI,),
       r"\b(?:kill|killing|killed|hang|hanging|shoot|shooting|drown|drowning|poison|poisoning|suffocate|"
       r"suffocating|stab|stabbing|gas|electrocute|end|ending|off|offing|hurl|throw|throwing) myself\b"
       r"|\bslit(?:ting)? my (?:wrists?|throat)\b|\bput a bullet in my (?:head|brain)\b"
       r"|\b(?:blow|blowing) my (?:brains|head) (?:out|off)\b"),
    _r("suicide_first_person", URGENT, (SI,),
       r"\b(?:commit|committing|attempt|attempting|attempted|contemplating|considering|thinking about|thinking of|"
       r"think about|thought about|thoughts of|plan|planning|planned|going to commit|researching|ready for|"
       r"want to commit|decided on) suicide\b"
       r"|\bi (?!(?:\w+ ){0,3}?(?:not|never|no longer) )(?:\w+ ){0,3}suicidal\b|\bmy suicid(?:e|al)\b|\bsuicidal (?:again|lately|today|tonight|right now)\b"
       r"|\b(?:wrote|writing|write|drafted|left) (?:a|my|the) (?:suicide|goodbye) note\b"
       r"|\bmy (?:last |previous |first |)(?:suicide )?attempt\b"),
    _r("want_to_die", URGENT, (SI,),
       r"\b(?:want|wanted|wanting|wish|wishing|ready|deserve|need|plan|planning|hope|hoping|would like|longing|"
       r"decided|praying|pray|begging|going) to (?:just |finally |simply |fucking |really )?(?:die|be dead|not be alive|"
       r"not exist|not be here anymore)\b"
       r"|\bi should (?:just )?(?:die|be dead)\b|\bi (?:am|feel) ready to (?:die|go)\b(?!\s+(?:down|up|back|home|out|to|on|for|with|in|into|shopping|outside|ahead|"
       r"through|over|again|first|now,? (?:mum|mom|dad)|when)\b)"),
    _r("end_life", URGENT, (SI,),
       r"\b(?:end|ending|take|taking|took|finish) (?:my|my own) life\b|\bend it all\b"
       r"|\b(?:end|ending|finish) (?:it|things|everything|this) (?:tonight|today|now|soon|for good|once and for all|forever)\b"
       r"|\b(?:do not|no longer|not) (?:really |even |)want to (?:live|be alive|stay alive|exist|go on living|keep living|"
       r"be on this earth|be in this world|be here anymore|be here any longer|be around anymore)\b"
       r"|\bdo not (?:think|feel like) i (?:want to|can) (?:live|go on|keep living|stay alive)\b"
       r"|\bbetter off dead\b|\bi would (?:rather|sooner) be dead\b"),
    _r("method_intent", URGENT, (SI, LM),
       r"\b(?:want|wants|wanted|wanting|going|thinking about|thought about|plan|plans|planning|ready|about|decided|tempted|"
       r"urge|urges|keep thinking about|might|will|should|could just|considering)\s+(?:to\s+)?(?:jump|jumping|throw myself|step|stepping|walk|walking|drive|driving|crash|crashing)"
       r"\s+(?:off|from|in front of|into|out of)\b(?:\s+\S+){0,4}?\s+(?:bridge|building|roof|cliff|balcony|ledge|train|"
       r"bus|car|truck|traffic|window|tower|overpass|wall|tree|river|sea|ocean|lake|parking garage|tracks)\b"
       r"|\b(?:tie|tying|tied|made|make|making|bought|buy|have) (?:a|the|my) noose\b"
       r"|\b(?:put|hold|held|holding|pointing) (?:a|the|my|this) (?:gun|knife|blade|pistol|razor) (?:to|against|at) my "
       r"(?:head|throat|wrists?|chest|neck|temple)\b"),
    # --- urgent: self-harm ---------------------------------------------------------------------
    _r("self_harm_act", URGENT, (SH,),
       r"\b(?:i|me|myself|been|keep|started|start|still|again|want to|wanna|need to|going to|urge to|urges to|"
       r"feel like|tempted to|thinking about|think about|can not stop|relapsed and|always)\s+(?:\w+ ){0,2}?"
       r"(?:cut|cutting|burn|burning|burned|burnt|scratch|scratching|scratched|carve|carving|carved|punch|punching|"
       r"hit|hitting|bruise|bruising|starve|starving|punish|punishing|bite|biting|stab|stabbing|harm|harming|"
       r"hurt|hurting|injure|injuring)\s+(?:myself|my (?:own )?(?:arms?|wrists?|legs?|thighs?|skin|stomach|body|hips?|"
       r"hands?|face|ankles?|self))\b"),
    _r("self_harm_word", URGENT, (SH,),
       r"\bi (?:have been |am |keep |started |still |want to |need to |feel like |have |had |just |often |"
       r"sometimes |do |relapsed (?:on |into |with )?|)(?:self-harm|self-harming|self-harmed|self-harm again)\b"
       r"|\bmy self-harm\b|\bself-harm(?:ing)? (?:again|urges?|relapse|tonight)\b"
       r"|\b(?:urge|urges|itch|craving|cravings|temptation|tempted) to (?:cut|self-harm|hurt myself|burn myself|bleed)\b"
       r"|\brelapsed\b(?:\s+\S+){0,4}?\s+(?:self-harm|cutting)\b"
       # the habit back, told without "myself": "i've been cutting again", "started cutting again", "back to cutting"
       r"|(?:^|\bi (?:have |had |just )?|[.!?] )(?:been |started |start |keep |kept |am |went back to )?cutting again\b"
       r"(?! (?:on|back|down|out|carbs|sugar|costs|corners|class|school|hair)\b)"
       r"|(?:^|\bi (?:have )?)(?:just )?cut again (?:last night|today|tonight|yesterday|this morning|after)\b"
       r"|(?:^|\bi am |\bi went |[.!?] )back to cutting\b"
       # the relapse told after the habit: "i used to self-harm ... and i relapsed last night"
       r"|\b(?:self-harm\w*|cutting myself|cut myself)\b(?:\s+\S+){0,10}?\s+i (?:just )?(?:relapsed|slipped up|did it again)\b"
       # ... or that it grew: "i used to only self-harm when i was sad, now it is every day"
       r"|\bi used to (?:only )?(?:self-harm|cut|burn myself|hurt myself)\b(?:\s+\S+){0,8}?\s+now (?:it is|it's|i do it) (?:every|daily|"
       r"all the time|most days|worse)\b"),
    # --- urgent: lethal means and overdose -------------------------------------------------
    _r("lethal_dose", URGENT, (LM,),
       r"\b(?:lethal|fatal|deadly|toxic|overdose|od) (?:\w+ )?(?:dose|doses|amount|amounts|quantity|level|limit)\b"
       r"|\bhow (?:many|much)\b(?:\s+\S+){0,10}?\s+(?:to|would|will|does it take to|it takes to|before|until|needed to|"
       r"enough to|can|could|do you need to|would it take to)\s+(?:\w+\s+){0,2}(?:die|kill|be fatal|be lethal|overdose|"
       r"not wake up|never wake up|stop (?:my|your|the|a) heart|end (?:it|my life)|stop breathing|kill me|kill you)\b"
       r"|\bcan (?:you|i|someone|a person|people) (?:die|overdose) (?:from|on|by|if)\s+(?:\w+ ){0,4}?" + _DRUG + r"\b"
       r"|\b(?:which|what) (?:pills|medication|meds|drugs|medicine|poison|chemicals?|combination)\b"
       r"(?:\s+\S+){0,8}?\s+(?:kill|die|lethal|fatal|overdose|deadly|not wake up)\b"),
    _r("method_question", URGENT, (LM,),
       r"\b(?:painless|painlessly|quick|quickest|fast|fastest|easy|easiest|best|surest|most effective|least painful|"
       r"peaceful|sure|reliable|clean|simplest|cheapest) (?:way|ways|method|methods|means) (?:to|of|for)\s+"
       r"(?:die|dying|kill (?:myself|yourself|oneself|someone)|commit suicide|suicide|end (?:it|my life|your life|a life)|"
       r"go to sleep forever)\b"
       r"|\bhow (?:to|do i|do you|can i|could i|would i|does one|should i|would you|to best)\s+"
       r"(?:kill (?:myself|yourself|oneself)|commit suicide|end (?:my|your|one's) life|hang (?:myself|yourself)|"
       r"overdose|slit|tie a noose|die (?:painlessly|quickly|in my sleep|without pain|peacefully|fast))\b"
       r"|\bhow (?:high|tall|far)\b(?:\s+\S+){0,8}?\s+(?:fall|jump|bridge|building|drop)\b(?:\s+\S+){0,8}?\s+"
       r"(?:die|kill|fatal|survive|lethal)\b"
       r"|\bhow long (?:does it take|would it take|until|before|do you need)\b(?:\s+\S+){0,8}?\s+"
       r"(?:die|bleed out|suffocate|drown|lose consciousness)\b"
       r"|\b(?:which|what) (?:vein|veins|artery|arteries)\b"
       r"|\bwhere (?:can i|to|do i|could i|should i) (?:buy|get|find|order)\s+(?:a\s+)?(?:gun|pistol|rifle|firearm|"
       r"noose|poison|cyanide|barbiturates|nembutal|helium|exit bag)\b"),
    _r("overdose_intent", URGENT, (SI, LM),
       r"\b(?:want|going|thinking about|think about|plan|planning|tempted|urge|ready|decided|about|might|will)\s+"
       r"(?:to\s+)?(?:overdose(?! (?:deaths?|crisis|epidemic|rates?|statistics|awareness|prevention|numbers|figures))|take (?:all|every one of|the whole bottle of|a bottle of|a bunch of|a handful of|"
       r"too many|all of|everything in)\s+(?:my |the |these |those |of my )?(?:\w+ )?" + _DRUG + r"|take (?:them|it) all)\b"
       r"|\b(?:stockpil\w+|saving up|hoarding|collecting|stashing|stashed|saved up)\s+(?:my |all my |some )?" + _DRUG + r"\b"),
    # --- urgent: someone else at risk ------------------------------------------------------
    _r("third_party_risk", URGENT, (TP,),
       r"\b(?:my|our) " + _RELS + r"\b(?:\s+\S+){0,10}?\s+(?:is|has been|was|seems|sounds|keeps|says|said|told me|tells me|"
       r"texted|posted|wrote|mentioned|talks|talked|talking|wants|wanted|threatened|threatening|tried|trying|"
       r"attempted|is going|might|cuts|burns|thinks about|joked about|jokes about|started)\b(?:\s+\S+){0,8}?\s+"
       r"(?:suicidal|suicide(?! prevention| awareness| statistics| rates?)|kill (?:himself|herself|themselves|themself)|die(?! " + _GOOD_DEATH + r")|(?<!peace with )(?<!afraid of )(?<!scared of )(?<!terrified of )(?<!fear of )dying|"
       r"end (?:his|her|their) (?:own )?life|"
       r"hurt (?:himself|herself|themselves)|self-harm\w*|cutting|cut (?:himself|herself|themselves)|overdos\w+|"
       r"not wake up|better off without (?:him|her|them)|not (?:want|wanting) to live|not be here|"
       r"goodbye(?! to (?:her|his|their|the|our) (?:old |beloved |\d+ year old )?(?:horse|pony|dog|cat|pet|rabbit|hamster|bird|"
       r"fish|guinea pig|car|house|home|flat|team|class|job|colleagues?|students?|shop|business)\b)|"
       r"suicide note|(?:was|were) dead|jump (?:out|off)|will not be around|be gone|no point anymore|"
       r"not (?:being )?around much longer|last day on earth|deserves? to die|(?:a lot of|loads of|a bunch of) (?:pills|tablets|meds)|"
       r"(?:his|her|their) gun|choke (?:himself|herself|themselves)|better off when (?:he|she|they) (?:is|are) gone)\b",
       third_person=True),
    _r("third_party_reflexive", URGENT, (TP,),
       r"\b(?:he|she|they|(?:my|our) " + _RELS + r") (?:\w+ ){0,4}?(?:kill|killing|kills|hurt|hurting|hurts|harm|harming|"
       r"harms|cut|cutting|cuts|burns|burning|starves|starving|hang|hanging|shoot|end|choke|choking|strangle) "
       r"(?:himself|herself|themselves|themself)\b", third_person=True),
    # --- urgent: harm to others ------------------------------------------------------------
    # a thing thrown at the writer by someone at home, or a blow the writer nearly struck someone in their care
    _r("thrown_at_me", URGENT, (AB,),
       r"\b(?:he|she|they|my (?:\w+ )?(?:mum|mom|mother|dad|father|stepdad|stepmum|stepmom|husband|wife|partner|boyfriend|girlfriend|"
       r"brother|sister|son|daughter))\b(?:\s+\S+){0,2}?\s+(?:threw|throws|hurled|chucked|flung) (?:a |an |the |his |her |my |their )?"
       r"(?:\w+ )?(?:plate|glass|bottle|chair|knife|mug|cup|phone|shoe|remote|pan|lamp|book|bowl|things|stuff|something) at me\b"),
    _r("nearly_hit", URGENT, (HO,),
       r"(?:\bi (?:\w+ )?|^)(?:nearly|almost) (?:hit|slapped|shook|strangled|smothered|punched|hurt) (?:her|him|them|my (?:\w+ )?(?:mum|mom|mother|dad|"
       r"father|baby|son|daughter|kids?|child|toddler|wife|husband|partner|gran|grandma|grandad|patient))\b"
       r"(?! (?:with (?:the|my|a) (?:car|door|ball|bike|bag|trolley|racket)|by accident|accidentally)\b)"),
    # "i could actually hurt my baby" with fear of it or a call for help: not the "i could kill him lol" of a squabble
    _r("harm_others_could", URGENT, (HO,),
       r"(?P<cue>\b(?:need help|help me|scared|afraid|frightened|terrified|do not trust myself|losing it|lose control|snap)\b"
       r"[^.?!]{0,80}?)?\bi (?:\w+ ){0,2}?could (?:actually|really|seriously|honestly|genuinely) (?:hurt|harm|kill|shake|"
       r"smother|hit|strangle|suffocate) (?:my (?:\w+ )?(?:baby|newborn|son|daughter|kids?|child|children|toddler|twins|"
       r"girlfriend|boyfriend|wife|husband|partner|mum|mom|dad|brother|sister)|him|her|them|someone|somebody)\b"
       r"(?(cue)|(?=.{0,120}\b(?:need help|help me|scared|afraid|frightened|terrified|do not trust myself|what is wrong with me|"
       r"losing it|lose control|snap)\b))"),
    _r("harm_others_intent", URGENT, (HO,),
       r"\b(?:want|wanted|going|plan|planning|thinking about|think about|i have thoughts of|i have thoughts about|"
       r"i keep having thoughts (?:of|about)|fantasi[sz]e about|"
       r"fantasi[sz]ing about|urge|urges|tempted|ready|intend|decided|afraid i will|afraid i might|scared i will|"
       r"scared i might|worried i will|worried i might)\s+(?:to\s+)?(?:(?:really|seriously|actually|badly) )?(?:kill|killing|murder|murdering|hurt|hurting|stab|"
       r"stabbing|shoot|shooting|strangle|strangling|choke|choking|poison|poisoning|beat up|beating up|attack|"
       r"attacking|harm|harming|smother|smothering|drown|drowning|run over|shake|shaking) " + _PERSON + r"\b"
       r"|\b(?:shoot up|bomb|blow up|burn down) (?:the|my|a|this|our) (?:school|office|work|workplace|church|mosque|"
       r"synagogue|mall|party|class|building|house|campus)\b"
       r"|\bbring (?:a|my|the) (?:gun|knife|rifle|weapon) to (?:school|work|class|campus|the office)\b"
       r"|\b(?:make|making) (?:them|him|her|everyone) pay\b(?:\s+\S+){0,6}?\s+(?:gun|knife|kill|blood|hurt)\b"
       r"|\b(?:going to|will|want to|wanted to|gonna|ready to|about to) make " + _PERSON + r" bleed\b"),
    # --- urgent: abuse ---------------------------------------------------------------------
    _r("abuse_disclosure", URGENT, (AB,),
       r"\b" + _ABUSER + r"(?: (?!never\b|not\b|nor\b)\w+){0,2}? (?:hits|hit|beats|beat|kicks|kicked|slaps|slapped|punches|punched|chokes|"
       r"choked|strangles|strangled|rapes|raped|molests|molested|abuses|abused|touches|touched|burns|burned|touching|"
       r"hitting|beating|hurting|abusing|raping|molesting|kicking|choking|throws things at|threw things at|"
       r"threatens|threatened|hurts|shoves|shoved|whips|whipped|forces|forced|grabs|grabbed|starves|starved) "
       r"(?:me|us|my (?:\w+ )?(?:body|mom|mum|mother|sister|brother|son|daughter|kids?|children|baby|dog|private parts))\b" + _NOT_IDIOM +
       r"|\b" + _ABUSER + r"\b(?:\s+\S+){0,4}?\s+(?:threatens|threatened|threatening|said (?:he|she|they) would|"
       r"says (?:he|she|they) will|keeps saying (?:he|she|they) will) (?:to )?(?:kill|hurt|beat|hit|stab|shoot) (?:me|us|my)\b"
       r"|\bi (?:am|have been|was|get|got|keep getting) (?:being )?(?:\w+ )?(?:abused|raped|molested|sexually assaulted|"
       r"assaulted|beaten up|beaten|groomed|trafficked|strangled|choked|hit by (?:my|him|her))\b"
       r"|\b(?:not safe|unsafe|afraid|scared|terrified) (?:at home|to go home|in my (?:own )?home|of my (?:\w+ )?"
       r"(?:dad|father|mom|mother|husband|wife|boyfriend|girlfriend|partner|stepdad|parents|uncle))\b(?!'s)"
       r"|\b(?:my|i am in an?|i have been in an?) (?:abusive|violent) (?:relationship|partner|husband|wife|boyfriend|girlfriend|dad|"
       r"father|mom|mother|parents|home|family|household)\b"
       r"|\b(?:he|she|they|my \w+) (?:will not|does not) let me (?:leave|eat|see my|have money)\b"
       r"|\b(?:he|she|my (?:husband|wife|boyfriend|girlfriend|partner)) (?:will not|does not|never) let me (?:go out|have my phone|talk to)\b"),
    # --- concern: passive death wishes, burden, hopelessness around ending, veiled goodbyes ---
    _r("passive_death_wish", CONCERN, (SI,),
       r"\b(?:wish|hope|hoping|want|wanted)\s+(?:that\s+)?(?:i\s+)?(?:could\s+|would\s+|will\s+|just\s+|to\s+)*"
       r"(?:go to sleep|fall asleep|sleep|close my eyes) and (?:not|never) wake up\b"
       r"|\b(?:do not|never) want to wake up\b|\bhope i (?:do not|never|will not) wake up\b"
       r"|\b(?:wish|want|wanted|wishing|hope|hoping)(?: that)?(?: i could| to| i would| i)? (?:just )?(?:disappear(?! (?:to|for|into|from|on|under|with|in|after|when|during)\b)|vanish(?! (?:to|for|into|from|on|under|in|after|when|during)\b)|"
       r"stop existing|cease to exist|not exist|fade away|be gone|sleep forever|never wake up|never have been born|"
       r"was never born|were never born|had never been born|was not born|was dead|were dead|was not alive|"
       r"was not here|were not here|was gone|were gone|could die|would die|died)\b"
       r"|\b(?:would not|will not) (?:mind|care) if i (?:died|did not wake up|was gone|got hit|never woke up|was dead|"
       r"just died|stopped existing|disappeared)\b"
       r"|\b(?:do not|does not) (?:care|matter) (?:if|whether) i (?:live|die|wake up|make it|am alive)\b"
       r"|\bi (?:want|need) to (?:sleep|rest) forever\b|\bi hope (?:a|the) (?:car|bus|truck|plane) (?:hits|crashes)\b"
       r"|\bwhy (?:am i|am i even) (?:still )?(?:alive|here)\b|\b(?:want|wanted|wanting) to not wake up\b"
       r"|\b(?:not waking up|never waking up|not being here|not existing|being dead|dying)\b(?:\s+\S+){0,6}?\s+(?:sounds|feels|seems) "
       r"(?:nice|good|peaceful|like a relief|so nice|appealing|tempting|better)\b"
       r"|\b(?:imagine|imagining|picture|picturing|thinking about|think about) my (?:own )?funeral\b"
       # "why does the universe make me keep existing", "why do i have to keep living"
       r"|\bwhy (?:do|does|must|should|would) (?:i|god|anyone|everyone|the universe|life|people) (?:\w+ ){0,2}?(?:have to |insist "
       r"(?:that )?i |want me to |make me |need me to )?(?:continue to|keep on|keep) (?:exist|existing|live|living|breathing|being alive)\b"
       r"(?! (?:in|with|at|here|there|like(?! this| that)|near|on|off|under|by)\b)"
       # "some weeks i would rather never wake up", "i'd rather not exist"
       r"|(?<=\bi )(?:would|had) (?:honestly |really |genuinely |actually |much )?(?:rather|sooner) (?:just )?(?:never wake up|not wake up|not exist|not be alive|be dead|"
       r"sleep forever|stop existing|disappear forever)\b(?! (?:early|earlier|before|at \d|until|till|so early|for (?:work|school|"
       r"class)|on (?:a )?\w+day|at (?:this|the|a) \w+|in (?:this|the|a) \w+|than)\b)"
       # the wheel let go of, the car steered into traffic, imagined while driving
       r"|\b(?:let|letting) go of the (?:steering )?wheel\b(?=.{0,80}?\b(?:keep going|kept going|end|crash|over|into|off the road|"
       r"what would happen|imagine|think|thought)\b)|\b(?:imagine|imagining|think|thinking|thought|picture|picturing|wonder|"
       r"wondering|urge|tempted)\b[^.?!]{0,60}?\b(?:let|letting) go of the (?:steering )?wheel\b"
       r"|\b(?:swerve|swerving|steer|steering|veer|veering) (?:the car )?(?:into|in front of) (?:oncoming|a (?:lorry|truck|bus|tree|wall)|"
       r"the (?:barrier|central reservation|median|river))\b(?=.{0,120}?\b(?:think|thinking|thought|imagine|imagining|want|wanted|"
       r"urge|tempted|keep)\b)|\b(?:think|thinking|thought|imagine|imagining|urge|tempted|keep thinking) (?:about |of )?"
       r"(?:just )?(?:swerving|veering|steering) (?:the car )?into\b"),
    _r("burden", CONCERN, (SI,),
       r"\bbetter off without me\b|\bbetter without me\b"
       r"|\b(?:i am|i feel like|feel like|i feel|i am just|i am only)\s+(?:just\s+|such\s+|only\s+|nothing but\s+|)"
       r"a (?:burden|waste of (?:space|air|oxygen|life))\b"
       r"(?! (?:on|to|for) (?:my |the |our )?(?:team|colleagues|co-?workers?|boss|manager|project|group project|department|"
       r"company|class|study group)\b)"  # at work or school: guilt about a task, not a death wish
       # guilt over a favour or a bill: "a burden when i ask for lifts", "... to my flatmate because i broke my ankle"
       r"(?!(?: (?:to|on|for) (?:my |the |our )?\w+(?: \w+)?)? (?:when (?:i |i have to )?ask|asking|because (?:i (?:broke|"
       r"work from home|use|can not (?:drive|cook|afford|walk))|of my (?:ankle|leg|arm|back|knee|hip|surgery|injury))|"
       r"(?:for|with) (?:lifts|rides|money|rent|bills|the (?:shopping|school run))))"
       r"|\b(?:no one|nobody) would (?:even |really |)(?:miss|notice|care)\b(?:\s+\S+){0,4}?\s+(?:if i|when i|me)\b"
       r"|\bif i (?:died|disappeared|was gone|were gone|did not wake up|was not here)\b(?:\s+\S+){0,5}?\s+"
       r"(?:no one|nobody|anyone|would anyone)\b"),
    _r("hopeless_ending", CONCERN, (SI,),
       r"\b(?:no|not any|not much of a) (?:point|reason|purpose) (?:in |to |of |for )?(?:living|to live|life|going on|carrying on|"
       r"keep going|keeping going|being alive|existing|being here|waking up|staying alive|trying anymore|"
       r"anything anymore|go on|me being here)\b"
       r"|\b(?:do not|can not|fail to) (?:really |even )?see (?:the|any|a) (?:point|reason|purpose) (?:in|of|to|for) (?:living|life|"
       r"going on|carrying on|being alive|existing|keep going|keeping going|waking up|staying alive|being here|me being here)\b"
       r"|\bwhat is the (?:point|use) (?:of|in) (?:living|life|being alive|going on|existing|waking up|my life|me)\b"
       # "it can not go on forever" is about a situation
       r"|\b(?=can not|could not)(?<!\bit )(?<!\bthis )(?<!\bthat )(?<!\bthings )(?:can not|could not) (?:go on(?! forever| indefinitely| like this with (?:the|my|our|this|that|these|those) (?!\w+ (?:thoughts|feelings|pain)))|keep going|"
       r"carry on|keep living|live like this|see a way out|"
       r"see (?:a|any) (?:future|way forward|point)|do this life|be alive anymore)\b"
       # "tired of waking up at 5 for this commute" is about the hour
       # ... and "tired of existing in this tiny flat" is about the flat
       r"|\b(?:tired|sick|exhausted|weary) of (?:(?:living|existing)(?! (?:in|at|on) (?:this|my|a|the|these) (?:\w+ )?(?:flat|house|"
       r"apartment|room|town|city|village|job|role|office|bedsit|dorm|suburb|place|conditions|bubble|limbo)\b)|being alive|life|"
       r"it all|fighting to live|waking up"
       r"(?! (?:at (?:\d|five|six|dawn)|so early|early|before (?:\d|dawn|sunrise|six|five)|for (?:work|school|uni|college|my shift)\b)))\b"
       r"|\blife (?:is not|is no longer|is not even) worth (?:it|living)\b|\bnot worth living\b"
       r"|\bi (?:see|have) no (?:way out|future|reason to live)\b|\bthere is no (?:way out|escape|future for me)\b"
       r"(?! of (?:this|the|my|that|our) (?:\w+ )?(?:contract|deal|lease|plan|subscription|agreement|mortgage|loan|maze|building|"
       r"car park|traffic|tenancy|membership)\b)"
       r"|\bgive up on (?:life|living|everything|myself|staying alive)\b|\bgiving up on (?:life|living)\b"
       r"|\bwant (?:it all|everything|the pain|this|it|my life) to (?:end|stop|be over)\b"
       r"|\b(?:i am|i feel|i am so) (?:done|finished) with (?:life|living|everything|it all|this world|existing|this life)\b"
       r"|\bi (?:should not|do not deserve to|do not deserve to be) (?:be alive|exist|live|be here|alive)\b"),
    _r("veiled_goodbye", CONCERN, (SI,),
       r"\b(?:goodbye|bye|farewell) (?:everyone|everybody|all|world|forever|cruel world|for good|for the last time)\b"
       r"|\bthis is (?:my|a|the) (?:final |last )?goodbye\b|\b(?:final|last) goodbye\b"
       r"|\b(?:will not|may not|might not) be (?:here|around|alive) (?:much longer|for long|anymore|tomorrow|"
       r"by morning|next week|after tonight|to see)\b"
       r"|\bgiving away (?:all )?(?:of )?my (?:stuff|things|belongings|possessions|cat|dog|pets)\b"
       r"|\b(?:take|taking) care of my (?:cat|dog|kids|children|pets?|family|mom|plants) (?:when|after|once) i am gone\b"
       r"|\b(?:when|after|once) i am gone\b|\bthank you for everything,? (?:goodbye|bye)\b"
       r"|\bi (?:just )?wanted to say (?:goodbye|bye|thank you for everything)\b"),
)


_QTY = (r"(?:the whole|the entire|a whole|an entire|all of them|them all|all of it|it all|every (?:single )?(?:one|pill|tablet)|"
        r"a handful|a bunch|loads|way too many|too many|(?:like |about |around |maybe |over |nearly |almost )?(?:[1-9]\d+|"
        r"twenty|thirty|forty|fifty|sixty|a hundred))")
_DRINK = (r"(?: of (?:water|wine|beer|juice|milk|soda|coke|pop|lemonade|champagne|prosecco|cider|kombucha|"
          r"ketchup|sauce|shampoo|perfume|sun ?cream|lotion))")
_CONTAINER = r"(?:" + _DRUG + r"|packet|pack|bottle(?!" + _DRINK + r")|box|strip|supply|prescription|blister)"

# Further rules for phrasings that keyword lists and the rules above miss: indirect overdose
# reports, hidden self-harm, grooming and coercion, euphemisms, veiled goodbyes.
RULES = RULES + (
    _r("overdose_taken_any", EMERGENCY, (OD, SI),
       r"\b(?:took|taken|swallowed|downed|necked|ate|(?<=\bi )had|(?<=\bi just )had|(?<=\bi have )had)\b(?:\s+\S+){0,10}?\s+" + _QTY +
       r"\b(?=.{0,80}?\b" + _CONTAINER + r"\b)"
       r"|\b(?:took|taken|swallowed|downed|necked)\s+" + _QTY + r"\b(?:\s+\S+){0,4}?\s+" + _CONTAINER + r"\b"
       r"|\b(?:took|swallowed|taken) (?:my|the|her|his|their) (?:whole|entire) (?:\S+ ){0,3}" + _CONTAINER + r"\b"
       r"|\b(?:took|taken|swallowed|downed|necked)\b(?:\W+\w+){0,5}?\W+" + _CONTAINER + r"\b(?:\W+\w+){0,5}?\W+(?:all of them|"
       r"the whole|every (?:single )?one|them all)\b"
       r"|\btook them all\b(?! (?:to|with|out|home|back|in|for|along)\b)"),
    # the drug named first, the taking told after: "how long does tylenol take to do damage? i took a bunch 2 hours ago"
    _r("overdose_named_before", EMERGENCY, (OD, SI),
       r"\b" + _DRUG + r"\b[^\n]{0,160}?(?<!\bif )(?<!\bwhen )(?<!\bonce )\bi (?:have |had |just |already )*(?:took|taken|swallowed|downed) " + _QTY + r"\b"
       r"(?! (?:of (?:water|food|\w+ (?:water|vitamins?))|(?:of )?(?:years?|days?|weeks?|months?|times|photos?|pictures|selfies|"
       r"steps|breaths?|minutes? (?:to|for|off)|hours? (?:to|for|off)|people|questions|notes|classes|courses|shots|videos))\b)"),
    _r("suicidal_thoughts", URGENT, (SI,),
       r"\b(?:having|had|have|get|getting|been having|experiencing|struggling with|battling|dealing with|fighting) "
       r"(?:(?!not |never |no )\w+ ){0,2}(?:suicidal (?:thoughts|ideation|feelings|urges)|thoughts of (?:suicide|killing myself|ending (?:it|my life)|dying))\b"
       r"|\bsuicidal (?:thoughts|ideation|feelings|urges) (?:again|every day|daily|all the time|lately|are back|getting (?:worse|louder|stronger))\b"
       r"|\bwhy can not i (?:just )?die\b|\bi just want to die\b|\bi (?:keep|keeps) wanting to die\b"
       r"|\b(?:thinking|think|thought|considering|planning|going) (?:about |of )?(?:ending|end) (?:it|it all|things|everything|my life)\b(?! with\b)"
       r"|\bmy plan to (?:kill|die|end|jump|hang|overdose|drown)\b|\b(?:roof|bridge|building|ledge|edge|window|balcony|cliff|tracks)\b.{0,120}?\b(?:going to|about to|ready to|gonna) jump\b|\b(?:i am|am) (?:going to|about to|ready to|gonna) jump\b(?=.{0,120}\b(?:roof|bridge|building|ledge|edge|window|balcony|cliff|tracks)\b)"
       r"|\b(?:walk|walking|swim|swimming|go|going) (?:in|out|into the (?:sea|water|ocean|lake|river)) and (?:not|never) (?:coming|come) back\b"
       r"|\blife insurance\b(?:\s+\S+){0,10}?\s+(?:suicide|not an accident|is not an accident|if i (?:die|kill))\b"
       r"|\bstopped (?:taking )?my (?:\w+ )?(?:meds|medication|pills|tablets|insulin)\b(?:\s+\S+){0,6}?\s+(?:on purpose|so (?:i|it)|to die|how long)\b"),
    # carbon monoxide now: someone sitting in a car in a closed garage with the engine on (not working on the car)
    _r("exhaust_now", EMERGENCY, (SI, LM),
       r"\b(?:sitting|sat|lying|i am|waiting) in (?:my|the|our|a) (?:car|van|truck)\b(?=.{0,80}?\bgarage\b)"
       r"(?=.{0,80}?\b(?:engine|motor|car) (?:is )?(?:running|on)\b)"
       r"|\b(?:engine|motor|car) (?:is )?(?:running|on)\b(?:\s+\S+){0,8}?\s+(?:the )?(?:garage door|garage|doors?) "
       r"(?:is |are )?(?:shut|closed|down|sealed|locked)\b"),
    _r("euphemism", CONCERN, (SI,),
       r"\b(?:permanent (?:nap|sleep|solution|exit|vacation)|the big sleep|eternal sleep|(?:switch|turn) myself off|"
       r"long walk off (?:a|the) short pier|check out (?:early|for good|permanently)|(?:go|going) (?:to )?be with "
       r"(?:grandma|grandpa|my (?:mum|mom|dad|late \w+|grandma|grandpa|grandmother|grandfather))|do the (?:thing|deed)|"
       r"the permanent thing|overstayed my welcome|exit bag|final exit|waiting to (?:die|go)|let (?:the )?(?:sea|ocean|water|"
       r"river|cold|waves) take me|rather be with (?:him|her|them|my \w+) than (?:be )?here|stop being in the way|stopped being in the way)\b"
       r"|\bpretending (?:i want|to want) to (?:live|keep living|be alive|keep going)\b"),
    _r("veiled_goodbye_more", CONCERN, (SI,),
       r"\b(?:will not|not going to|not planning to|do not plan to|do not plan on|not planning on) (?:be|being) "
       r"(?:a problem|a burden|here|around|alive|bothering anyone|in anyone's way)(?: for)? (?:much longer|for long|anymore|"
       r"after (?:this|tonight|today)|for christmas|for \w+day|soon)\b"
       r"|\bwill not (?:need|be needing) (?:\w+ ){0,3}(?:much longer|anymore|after (?:this|tonight|today))\b"
       r"|\bbe needing (?:\w+ ){0,2}(?:much longer|for (?:much )?longer)\b"
       r"|\b(?:writing|wrote|written|leaving|left) (?:\w+ ){0,2}letters? (?:to|for) (?:the people i love|everyone|my family|"
       r"my kids|my friends|my parents|loved ones)\b(?![^.?!]{0,40}\b(?:to open (?:on|when|at|in)|time capsule|for (?:their|his|her) "
       r"(?:\d+\w*|eighteenth|twenty-first|twenty first) birthdays?)\b)"
       r"|\b(?:last thing on my list|tying up loose ends|(?:getting|put|putting|tidying up|sorting out) my affairs in order|"
       r"tidying up my affairs|wrapping things up|making arrangements for after)\b"
       r"|\bmade sure my (?:cat|dog|pets?|kids|children) (?:\w+ ){0,2}(?:somewhere to go|looked after|taken care of|a new home)\b"
       r"|\b(?:goodbye|bye),? (?:and )?thank you for everything\b"),
    # "tonight's the night" beside a sign of an ending (done, sorry to everyone, letters written, everything ready; a
    # goodbye is veiled_goodbye's, which a stated time makes an emergency too): intent with a stated time, which
    # _combine makes an emergency; the phrase alone is a date or a premiere
    _r("the_night_has_come", URGENT, (SI,),
       r"\b(?:tonight|today)(?:'s| is| feels like| will be) the (?:night|day)\b(?=.{0,120}?" + _ENDING_SIGN + r")"
       r"|" + _ENDING_SIGN + r".{0,120}?\b(?:tonight|today)(?:'s| is| feels like| will be) the (?:night|day)\b"),
    _r("burden_more", CONCERN, (SI,),
       r"\bif i (?:am not|was not|were not|was no longer|am no longer|stopped) (?:existing|exist|alive|here|around)\b"
       r"|\b(?:easier|better|happier) (?:for (?:everyone|them|my family) )?(?:if|when) i (?:am|was|were) (?:gone|dead|not here|not around)\b"
       r"|\bbetter off (?:not (?:existing|alive|here|being (?:here|alive|born))|never (?:born|existing))\b"
       r"|\bif i (?:got|get|was|were) (?:hit|run over|killed)\b(?:\s+\S+){0,10}?\s+(?:relieved|relief|would not mind|"
       r"fine with it|glad|happy)\b"),
    # "when it gets bad i do dumb stuff to myself": a veiled telling of self-harm (not "to myself like skipping meals")
    _r("self_harm_veiled", URGENT, (SH,),
       r"\bi (?:\w+ )?(?:do|did|doing|end up doing|start doing) (?:stupid|bad|dumb|awful|terrible|horrible|dangerous|scary) "
       r"(?:things|stuff) to (?:myself|my body)\b(?! (?:like|such as|by|with my (?:diet|sleep|money|time))\b)"),
    _r("self_harm_more", URGENT, (SH,),
       r"\bhide (?:the |my )?(?:scars|cuts|marks|wounds|burns)\b"
       r"|\b(?:cuts|scars|marks|wounds|burns)\b(?:\s+\S+){0,8}?\s+(?:nobody|no one|my parents|my mum|my mom|my dad|people|"
       r"anyone) (?:notices|sees|will see|finds out|find out|knows|can see|see)\b"
       r"|\b(?:new|fresh) (?:cuts|burns|scars)\b|\b(?:cuts|burns|scars|marks) on (?:my|her|his|their) (?:wrists?|arms?|thighs?|legs?|stomach)\b"
       r"|\b(?:hit|hitting|bang|banging|punch|punching|slam|slamming) my head\b"
       r"|\b(?:cut|burned|burnt|punched|hit|bruised|hurt) (?:myself|my (?:arms?|legs?|hands?|wrists?|skin|thighs?|stomach|face|head|knuckles))\b(?:\s+\S+){0,6}?\s+on purpose\b"
       r"|\b(?:going to|want to|need to|about to|urge to|gonna) cut (?:again|tonight|today|right now|deeper|later)\b"
       r"|\bclean (?:for )?(?:\d+|\w+) (?:days?|weeks?|months?|years?)\b(?:\s+\S+){0,8}?\s+(?:urge|urges|relapse|relapsed|craving)\b"
       r"(?![^.!?]{0,60}\b(?:drugs?|using|heroin|coke|cocaine|fentanyl|meth|alcohol|drinking|sober|rehab|party|pills again)\b)"
       r"|\b(?:\d+|\w+) (?:days?|weeks?|months?) clean\b(?:\s+\S+){0,8}?\s+(?:urge|urges|relapse|relapsed|craving)\b"
       r"(?![^.!?]{0,60}\b(?:drugs?|using|heroin|coke|cocaine|fentanyl|meth|alcohol|drinking|sober|rehab|party|pills again)\b)"
       r"|\brelapsed\b(?:\s+\S+){0,6}?\s+(?:self-harm|cutting)\b"
       r"|\b(?:cut|self-harmed|burned myself) (?:again )?for the first time in\b"
       r"|\b(?:found|took|take|taken) (?:away )?my (?:blades|razors?|blade)\b|\bi (?:use|used) (?:a |my )?(?:pencil )?sharpener\b"
       r"|\bi (?:make|made) cuts\b"),
    _r("self_harm_emergency", EMERGENCY, (SH,),
       r"\bcut (?:deeper|too deep) than\b|\b(?:a lot of|so much|lots of|too much) blood\b|\bi can see (?:something white|bone|fat)\b"),
    _r("lethal_dose_more", URGENT, (LM,),
       r"\bhow (?:much|many)\b(?:\s+\S+){0,6}?\s+(?:is|are|would be|will be) (?:fatal|lethal|deadly|enough to kill|too much to survive|"
       r"killing a person|killing someone)\b"
       r"|\b(?:what|which) (?:amount|dose|quantity|number)\b(?:\s+\S+){0,6}?\s+(?:is fatal|kills?|causes? (?:death|liver failure|"
       r"organ failure)|is lethal|is deadly)\b"
       r"|\bwhich (?:\w+ ){0,4}(?:meds|pills|medication|medications|drugs|tablets) (?:are|is) (?:the )?(?:most )?(?:deadly|lethal|fatal)\b"
       r"|\bif (?:you|i|someone) (?:take|took|swallow|swallowed) " + _QTY + r"\b(?:\s+\S+){0,5}?\s+" + _CONTAINER + r"\b"
       r"|\bhow deep (?:\w+ ){0,5}cut\b|\bknot\b(?:\s+\S+){0,6}?\s+(?:body ?weight|my weight|a person|hold (?:a|my) (?:person|body))\b"
       r"|\b(?:chemicals?|gas|gases|fumes)\b(?:\s+\S+){0,8}?\s+(?:kill(?:s|ed)?|lethal|deadly|fatal)\b(?:\s+\S+){0,3}?\s+(?:you|a person|someone|me|people)\b"
       r"|\b(?:saving|saving up|stockpiling) (?:my|her|his|their) " + _DRUG + r"\b"),
    _r("abuse_more", URGENT, (AB,),
       r"\b(?:says|said|saying|shouting|screaming|yelling|threatening|threatened|told me) (?:that )?(?:he|she|they) "
       r"(?:will|would|is going to|are going to) (?:kill|hurt|beat|stab|shoot) (?:me|us|my)\b"
       r"|\b(?:makes|made|forces|forced|pressures|pressured) me (?:to )?(?:do (?:things|stuff|sexual)|touch|send (?:pictures|photos|"
       r"nudes|pics)|have sex|watch)\b"
       r"|\block(?:s|ed)? me (?:in|out)\b(?:\s+\S+){0,5}?\s+(?:room|house|cupboard|closet|basement|shed|without food|without)\b"
       r"|\b(?:told|tells|asked|made|makes) me (?:to )?(?:keep (?:it|this|things) (?:a |our )?secret|not to tell)\b"
       r"|\b(?:keep it|this is) our (?:little )?secret\b|\bsays no one will believe me\b"
       r"|\btook my passport\b|\bforced to work\b|\bcontrols (?:all )?my (?:money|phone|finances)\b"
       r"|\b(?:send|sending) (?:him |her |them )?(?:pictures|pics|photos|nudes)\b(?=.{0,120}\b(?:i am 1[0-7]|i am \d\b|tell my "
       r"parents|if i do not|or (?:he|she) will|threaten\w*))"
       r"|\b(?:comes|came|coming|sneaks) into my (?:room|bed|bedroom)\b(?![^.!?]{0,20}\bbecause (?:she|he|they) (?:is|are|was|were|gets|get) "
       r"(?:scared|afraid|frightened))(?:\s+\S+){0,8}?\s+(?:scared|afraid|at night|touch\w*|"
       r"when no one|secret)\b"
       r"|\bbruises\b.{0,80}\bsecret\b"),
    _r("third_party_abuse", URGENT, (AB, TP),
       # a partner or parent's violence to a child of the house: "when he gets mad my husband grabs our 7 year old by
       # the arm and shakes him"
       r"\b(?:my|our) (?:husband|wife|partner|boyfriend|girlfriend|fiance|ex|dad|father|mom|mum|mother|stepdad|stepfather|"
       r"stepmom|stepmother)\b(?: (?!never\b|not\b)\w+){0,4}? (?:(?:grabs|grabbed)(?= (?:\S+ ){1,4}by the (?:arm|hair|neck|throat|"
       r"collar|ear|face))|shakes|shook|hits|hit|slaps|slapped|punches|punched|kicks|kicked|chokes|choked|beats|beat|whips|"
       r"whipped) (?:our|my|his|her|their) (?:little |baby |\d+ (?:year|month) old |\d+yo )?(?:son|daughter|kids?|children|"
       r"child|baby|toddler|boy|girl|stepson|stepdaughter|\d+ year old|\d+yo)\b(?!'s)"
       r"|\b(?:my|our) " + _RELS + r"\b(?:\s+\S+){0,6}?\s+(?:says|said|told me|tells me)\b(?:\s+\S+){0,6}?\s+(?:hurts|hits|beats|"
       r"touches|abuses|rapes|molests|kicks|burns|starves|locks) (?:her|him|them)\b"
       r"|\b(?:beats|hits|hurts|abuses) (?:his|her|their) (?:kids|children|son|daughter|child|baby|wife|husband|partner)\b",
       third_person=True),
    _r("harm_others_more", URGENT, (HO,),
       r"\b(?:imagine|imagining|picture|picturing|dream about|dreaming about|fantasi[sz]ed about) (?:\w+ ){0,2}(?:stabbing|killing|"
       r"shooting|strangling|hurting|poisoning|running (?:my|a|the) car into) " + _PERSON + r"\b"
       r"|\bdo something i (?:can not|will not be able to) take back\b"
       r"|\brunning (?:my|a|the) car into (?:the |a )?(?:crowd|people)\b"
       r"|\b(?:will|going to|gonna) (?:kill|stab|shoot|murder) (?:him|her|them|my \w+) with (?:my|a|the) (?:knife|gun|bat|hammer|axe|"
       r"hands|car)\b"
       r"|\b(?:going to|will|gonna) beat (?:my|the) (?:\w+ )?(?:son|daughter|stepson|stepdaughter|kid|kids|child|children|wife|"
       r"husband|girlfriend|boyfriend|partner|baby)\b"),
)


# General rules written from our own exemplars (data/exemplars.jsonl): how people describe
# plans, preparations, means, hidden self-harm, coercion and threats without the words above.
_VEH = r"(?:train|bus|car|truck|lorry|van|tram|subway|traffic)"
RULES = RULES + (
    _r("plan_or_research", URGENT, (SI, LM),
       r"\b(?:looked up|look up|looking up|googled|googling|searched|searching|researching|research|reading about|"
       r"read up on)\b(?:\s+\S+){0,3}?\s+(?:ways to die|how to die|suicide methods|ways to kill myself|methods of suicide|"
       r"how to (?:kill myself|end (?:it|my life)|do it)|how long it takes to (?:drown|die|bleed out|suffocate)|"
       r"how many (?:of )?(?:my )?(?:\w+ )?(?:pills|tablets) would be enough|lethal doses?)\b"
       r"|\b(?:have|got) (?:a|the) plan and the means\b|\bi know exactly (?:where|how|when) i (?:will|would|am going to) do it\b"),
    # a decision, a date or a wish to end it, with no method named: suicidal ideation, not lethal means (EVAL_SET.md)
    _r("stated_plan", URGENT, (SI,),
       r"\b(?:decided|planning|planned|made up my mind)\b(?:\s+\S+){0,4}?\s+(?:to )?do it (?:this weekend|tonight|tomorrow|"
       r"today|on \w+day|next week|soon)\b"
       r"|\b(?:going|want|wanna|ready|decided|planning|thinking|think|about|courage) (?:\w+ ){0,2}(?:to )?(?:end (?:it|things|"
       r"my pain|the pain|everything)|make it (?:all )?stop (?:for good|forever|permanently|tonight))\b(?! with\b)"
       r"|\bcounting down the days until i (?:can )?(?:end|die|go)\b|\bplanning (?:my exit|to leave this world)\b"
       r"|\bthinking to (?:finish|end) (?:it|my life)\b|\bsuicide (?:feels|seems|is|looks) like the only\b"),
    _r("means_more", URGENT, (SI, LM),
       r"\b(?:stepping|step|jump|jumping|climbing|climb) (?:off|over) (?:the )?(?:platform|ledge|edge|railing|barrier|roof|balcony)\b"
       r"|\b(?:walk|walking|step|stepping|jump|jumping|throw myself) in front of (?:a|the) " + _VEH + r"\b"
       r"|\bcrash(?:ing)? (?:my|the) car\b(?:\s+\S+){0,5}?\s+on purpose\b"
       r"|\b(?:" + _ROPE + r"|noose|gun|pistol|bullets?)\b(?:\s+\S+){0,3}?\s+(?:loaded|tied|is up|hung|ready|on my lap|in my hand|next to me)\b"
       r"|\b(?:pills|tablets|meds|knife|blade|razor)\b(?:\s+\S+){0,2}?\s+(?:in my hand|next to me|in front of me|on my lap|lined up|counted out)\b"
       r"|\bi am going to jump (?:tonight|today|now|off|from)\b(?! (?:this|the|that|my) (?:diet|plan|bandwagon|call|meeting|project|"
       r"group chat|chat|team|course|hype train|band wagon)\b)"
       r"|\bi (?:will |'ll )?jump (?:from|off) (?:my|the|a) (?:\w+ )?(?:window|roof|balcony|bridge|building|ledge|cliff)\b"
       r"(?=.{0,40}?\b(?:tonight|today|right now|tomorrow|this (?:evening|morning|afternoon|weekend)|on (?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)"),
    _r("overdose_more", EMERGENCY, (OD, SI),
       r"\b(?:feel|feeling|can feel) the (?:pills|meds|tablets) (?:working|kicking in)\b|\b(?:pills|meds|tablets) (?:are )?kicking in\b"
       r"|\btook (?:enough|double (?:my|the) dose|everything in my (?:pill|medicine|med)\w*)\b"
       r"|\b(?:drank|drunk|swallowed|ingested) (?:some )?(?:bleach|antifreeze|weed ?killer|poison|rat poison|drain cleaner|pesticide)\b"
       r"|\bswallowed (?:the rest|all|the lot)\b(?:\s+\S+){0,3}?\s+(?:of )?(?:my |the |her |his )?(?:\w+ )?" + _CONTAINER + r"\b"
       r"|\btook all (?:of )?my (?:\w+ )?(?:meds|pills|tablets|medication)\b(?! (?:today|this morning|tonight as|on time|as prescribed|like|for the day))"
       r"|\b(?:passed out|unconscious|will not wake|not responding|unresponsive)\b(?:\s+\S+){0,6}?\s+(?:after taking|took|pills|bottle)\b"),
    _r("overdose_intent_more", URGENT, (SI, LM),
       r"\b(?:take|swallow) (?:all|every|the whole|a whole|the entire) (?:\w+ ){0,2}(?:of )?(?:my |the |these |those )?(?:\w+ )?"
       r"(?:pills|tablets|meds|pack|packet|bottle|box)\b(?=.{0,40}\b(?:tonight|now|today|at once|and|so))"
       r"|\bcounting (?:out )?(?:my |the )?(?:\w+ )?(?:pills|tablets|meds)\b"
       r"|\b(?:stockpil\w+|hoarding|saving up) (?:my |all my |some )?(?:\w+ )?(?:pills|tablets|meds|prescription)\b"
       r"|\b(?:stop|stopping|stopped) (?:taking )?my (?:\w+ )?(?:meds|medication|pills|tablets|insulin)\b(?:\s+\S+){0,6}?\s+"
       r"(?:on purpose|so (?:i|it|nature|that)|to die|how long)\b"),
    # someone else's pills taken: an overdose told, not intended
    _r("overdose_others_pills", URGENT, (OD, SI),
       r"\btook (?:my |her |his )?\w+'s (?:tablets|pills|meds|medication)\b"),
    _r("lethal_more", URGENT, (LM,),
       r"\bhow (?:many|much)\b(?:\s+\S+){0,8}?\s+(?:would|will|to|can) (?:\w+ ){0,2}stop (?:\S+ )?(?:heart|breathing)\b"
       r"|\b(?:jump|jumping|fall|falling) (?:from|off) (?:the |a )?(?:\w+ )?(?:floor|storey|story|building|bridge|roof|balcony|window)\b"
       r"(?:\s+\S+){0,3}?\s+(?:enough|fatal|deadly|lethal|kill|survive)\b"
       r"|\b(?:quickest|fastest|easiest|painless|least painful|surest) (?:death|way out)\b"
       r"|\b(?:bridge|building|roof|drop|fall)\b(?:\s+\S+){0,5}?\s+(?:high|tall|deep) enough\b"
       r"|\bcarbon monoxide\b(?:\s+\S+){0,6}?\s+(?:car|garage|room|tent|kill|die)\b|\bhow long\b(?:\s+\S+){0,6}?\s+carbon monoxide\b"
       r"|\bhow (?:do|does|would|could) (?:people|someone|i|you) (?:usually )?(?:do it|die|go)\b(?:\s+\S+){0,4}?\s+"
       r"(?:does not|will not|without it) hurt\b"
       r"|\bhow many (?:of )?(?:my )?(?:\w+ )?(?:pills|tablets|meds)\b(?:\s+\S+){0,4}?\s+(?:would be|is|are) enough\b"
       r"|\bcan (?:you|i|someone|a person|people) (?:die|overdose) (?:from|on|by|if)\s+(?:\w+ ){0,6}?" + _DRUG + r"\b"
       r"|\b(?:what|which) (?:height|floor|distance)\b(?:\s+\S+){0,8}?\s+(?:survive|die|fatal|kill|sure)\b"
       r"|\b(?:would|will|could|can) (?:[1-9]\d*|a bottle of|a box of|a pack of)\b(?:\s+\S+){0,3}?\s+kill (?:me|you|someone|a person)\b"
       r"|\bhow many would be too many\b|\bmost (?:lethal|deadly|fatal|toxic) (?:pills|meds|drugs|medication|poison|way|method)\b"
       r"|\bhow (?:much|many)\b(?:\s+\S+){0,6}?\s+(?:kills?|would kill|will kill) (?:a |someone|somebody|a person|people|you|me)\b"
       r"|\bcut (?:vertically|lengthwise|along (?:the )?(?:vein|artery))\b"
       r"|\b(?:best |safest )?(?:place|places|spot|where) (?:on (?:my|the|your) body )?to cut\b"),
    _r("hopeless_more", CONCERN, (SI,),
       r"\b(?:death|dying|being dead) (?:would be|is|seems|sounds|feels like|feels) (?:a |the |like a |like the )?(?:relief|peaceful|"
       r"only rest|answer|only way|only option|escape|better)\b|\bdying is the answer\b"
       r"|\bthe only way out is (?:death|dying|six feet under|suicide)\b|\bsix feet under\b(?=.{0,40}\b(?:i|me|my)\b)"
       r"|\b(?:not (?:scared|afraid) of (?:dying|death)|looking forward to (?:dying|death|the end)|welcome (?:death|the end|a fatal))\b"
       r"|\b(?:wish|hope|hoping|pray|praying)\b(?:\s+\S+){0,3}?\s+(?:a |the )?" + _VEH + r" (?:would )?(?:hit|hits|kill|kills)\b"
       r"|\bhoping (?:that )?i (?:crash|die|do not make it|get hit)\b"
       r"|\b(?:lost|losing) the will to live\b|\bnothing (?:left )?to live for\b|\bwant out of (?:life|this life|this world|existence)\b"
       r"|\bdone living\b|\b(?:can not|do not) (?:see|picture|imagine) myself (?:alive|getting older|growing old|being alive|at \d+|"
       r"in \d+ years|living)\b"
       r"|\b(?:will not|do not think i will|not going to) (?:make it to|see|survive|live to see) (?:my birthday|christmas|the end of|"
       r"next (?:week|month|year)|another (?:week|day|year|month)|tomorrow|the morning)\b"
       r"|\b(?:sleep|rest) and never (?:come back|get up|wake|return)\b|\b(?:pray|praying) i (?:do not|will not|never) wake up\b"
       r"|\b(?<!could )sleep forever\b|\bfighting to stay alive\b|\bwalking corpse\b|\bwaiting to fade\b"),
    _r("burden_goodbye_more", CONCERN, (SI,),
       r"\b(?:kindest|best) thing i (?:could|can) do (?:for \w+ (?:\w+ )?)?is (?:leave|go|die|disappear|end it|(?:take|remove) "
       r"myself (?:out of|from) (?:the equation|the picture|their lives|everyone's lives))\b"
       r"|\b(?:take|remove|taking|removing) myself (?:out of|from) (?:the equation|everyone's lives|this world|existence)\b"
       r"|\b(?:cope|manage|do|be) (?:better|fine|ok|okay)\s+(?:without me|if i (?:ended|left|was gone|died|vanished|disappeared|"
       r"left this world))\b|\btaking up space\b|\bleave (?:this world|this earth|this life|for good)\b"
       r"|\b(?:it|this|everything) will (?:all )?be over (?:soon|tomorrow|tonight|by)\b|\bit will all be over\b"
       r"|\bfree of (?:all )?(?:this|it|the pain)\b(?:\s+\S+){0,2}?\s*(?:tonight|forever|soon|for good)\b"
       r"|\bthis is the last time you will hear from me\b|\b(?:said|saying) (?:all )?my goodbyes\b(?! to (?:the|my|our) (?:old |lovely |first )?(?:house|flat|home|place|office|"
       r"school|city|town|team|colleagues|class|classroom|students|campus|desk)\b)"
       r"|\bsaid everything i (?:needed|wanted) to say\b|\bsorry for everything\b(?:\s+\S+){0,6}?\s+(?:goodbye|bye)\b"
       r"|\btake care of my (?:dog|cat|pets?|kids|plants) for me\b|\bwho gets my (?:things|stuff)\b"
       r"|\bgiving (?:my|all my) (?:things|stuff|belongings) away\b|\bfound a (?:new )?home for my (?:cats?|dogs?|pets?)\b"
       r"|\bwriting down my passwords\b|\b(?:taking|take) care of my affairs\b|\bdeleted (?:all )?my (?:accounts|socials)\b"
       r"|\bchecking out (?:soon|early|for good)\b|\bmy days are numbered\b|\blast day on earth\b"
       r"|\b(?:writing|wrote|write|drafted|drafting) my (?:own )?(?:obituary|eulogy)\b"
       r"(?![^.?!]{0,60}\b(?:exercise|course|class|"
       r"assignment|workshop|therapy|counsell?ing|homework|prompt)\b)|\bnobody would come to my funeral\b"
       r"|\bwill not be (?:here|around|alive) (?:in the morning|next year|for long|by tomorrow)\b"
       r"|\beverything (?:would|will) be easier if i (?:was|were) (?:gone|dead|six feet under|not alive|not here)\b"),
    _r("self_harm_more2", URGENT, (SH,),
       r"\b(?:cutting|cut) deeper\b|\bcarv(?:e|ed|ing)\b(?:\s+\S+){0,3}?\s+into my\b"
       r"|\b(?:until|till) (?:i|it|my \w+) (?:bleed|bleeds|bled)\b"
       r"|\b(?:lighter|cigarette|hot (?:knife|metal)) on my (?:wrist|arm|leg|skin|thigh|hand)\b|\bcovered in (?:cuts|scars|burns)\b"
       r"|\bmy (?:blades|razor blades)\b|\b(?:cover|covering|hide|hiding) (?:up )?(?:my )?self-harm\b"
       r"|\brelapsed and (?:cut|burned|hurt)\b|\bclean from (?:cutting|self-harm)\b(?:\s+\S+){0,6}?\s+relapsed\b"
       r"|\b(?:picking|pick|picked|bit|bite|biting)\b(?:\s+\S+){0,5}?\s+on purpose\b"
       r"|\b(?:lately|now) it is a (?:razor|blade)\b"),
    _r("abuse_more2", URGENT, (AB,),
       r"\bdoes (?:things|stuff) to me\b|\b(?:meet (?:him|her) alone|send (?:him|her) (?:photos|pictures|pics|nudes))\b"
       r"|\bnot allowed to (?:eat|leave the house)\b|\b(?:will not|does not|never) let me (?:eat|have money)\b"
       r"|\b(?:scared|afraid|terrified) of what (?:he|she|they|my \w+) (?:will|might|would) do\b"
       r"|\b(?:afraid|scared|terrified|worried) (?:that )?(?:he|she|they|my \w+) (?:will|might|is going to|would) (?:kill|hurt|hit) me\b"
       r"|\bsays (?:he|she|they) will do the same to me\b"
       r"|\b" + _ABUSER + r"(?: \S+){0,4}? (?:pushed|pushes|pushing|hits|hit|beats|kicks|slaps|punches|chokes) (?:me|us)\b" + _NOT_IDIOM),
    _r("harm_others_more2", URGENT, (HO,),
       r"\b(?:get back at|get revenge on|revenge on)\b(?:\s+\S+){0,8}?\s+(?:hurt|hurts|kill|pay|suffer|car|gun|knife)\b"
       r"|\b(?:take|bring|bringing|taking) (?:my |a |his |her )?(?:\S+ )?(?:gun|rifle|knife|weapon) (?:to|into) (?:school|work|class|campus)\b"
       r"|\bmake (?:everyone|them all|all of them)\b(?:\s+\S+){0,4}?\s+pay\b"
       r"|\bshoot(?:ing)? up (?:my|the|a|our) (?:school|workplace|work|office|class|mall)\b"
       r"|\b(?:bought|got|have) a (?:knife|gun|bat|weapon) (?:to|for) (?:deal with|get|hurt|kill|teach)\b"
       r"|\bwith (?:him|her|them) (?:still )?in(?:side)? it\b"
       r"|\b(?:want|wanted|urge|urges|thoughts?) (?:\w+ ){0,2}(?:to )?(?:push|throw|drop|smother|suffocate) (?:my )?(?:\w+ )?"
       r"(?:baby|brother|sister|son|daughter|child|kid)\b"
       r"|\btake (?:everyone|them|her|him|people|you all) with me\b"),
)


# General families (first person + intent + death or self-harm; means + lethality; a third party
# + a risk verb; abuse verbs aimed at "me" or a child; threats with a target). Written from the
# shapes of our exemplars, not from eval-set messages, so that new wordings of the same thing match.
RULES = RULES + (
    _r("si_general", URGENT, (SI,),
       r"(?:^|\bi (?:am |have been |feel |keep )?|\b(?:am|still|been) )(?:feeling |been |feel )?(?:so |very |really |actively |extremely )?suicidal\b"
       r"|\b(?:my|having|have|had|get|getting|with|again|^) (?:\w+ )?(?:suicide|suicidal|sui) (?:thoughts|urges|feelings)\b"
       r"|\b(?:suicide|suicidal|sui) (?:thoughts|urges|feelings) (?:again|are back|tonight|today|every)\b|\bsuicide is (?:on my mind|all i think about)\b"
       r"|\b(?:plan|planning|planned|picture|picturing|imagining) my (?:own )?death\b"
       r"|\bi (?:have )?(?:picked|chosen|circled) (?:a|the) date\b(?! for\b)(?! to (?:meet|visit|go|see|move|start|travel))"
       r"|\bcounting down the days(?: now)?(?=\s*(?:$|[.,!]))"
       r"|\bif (?:i|this|it|things|nothing)\b(?:\s+\S+){0,8}?\s+(?:i will|i am going to|i am gonna|i will just)\s+(?:just )?"
       r"(?:kill myself|go through with it|end my life|end it all)\b"
       r"|\bmake sure it works this time\b|\bnot (?:making that mistake|surviving) again\b"
       r"|\bnot this time\b(?=.{0,80}\b(?:survive|survived|attempt|tried|hospital)\b)|\b(?:survive|survived|tried)\b.{0,60}\bnot this time\b"
       r"|\bso close to doing it\b|\btalk me out of it\b(?! (?:buying|getting))|\bready for it (?:all )?to be over\b"
       r"|\b(?:want|wanted|need) to be with (?:my|him|her) (?:\w+ )?(?:again|in heaven)\b(?=.{0,80}\b(?:gone|died|passed|dead|lost|heaven|since)\b)"
       r"|\b(?:do not|does not|stopped) (?:care|caring) (?:if|whether) i (?:live|die|wake up)\b|\bcan i (?:just )?die (?:now|already|please|yet)\b"
       r"|\bmy (?:existence|life|being alive) is a mistake\b"
       r"|\b(?:hope|hoping|wish) (?:this|the|my) (?:flight|plane|bus|train) (?:crashes|goes down|derails)\b"
       r"|\b(?:plastic bag over my head|eat(?:ing)? my (?:gun|rifle|pistol)|end it with (?:a|my|the) (?:gun|rope|pills))\b"
       r"|\b(?:crash|drive|steer|swerve) (?:my|the) car (?:into|off) (?:a|the) (?:tree|wall|bridge|cliff|river|lake|sea|lorry|truck|"
       r"oncoming \w+|barrier|pillar|motorway|overpass)\b"
       r"|\b(?:rope myself|thinking about roping|roping tonight|i will rope)\b"
       r"|\b(?:on|at) the (?:roof|top) of (?:my|the|a) (?:building|flat|car park|tower|multi-storey)\b(?=.{0,80}\b(?:jump|end it|bye|goodbye|edge|windy)\b)"
       r"|\b(?:going|headed|heading) to the (?:top of the )?(?:car park|bridge|tracks|cliff|cliffs|rooftop|roof)\b(?=.{0,60}\b(?:jump|end it|not coming back|goodbye|bye|for the last time)\b)"
       # lingering at a height, told without the word jump: "sat on the ledge of the multi storey for a while tonight"
       r"|\b(?:sat|stood|was sitting|was standing|have been sitting|have been standing|keep standing|keep sitting) (?:on|at) "
       r"(?:the |a )?(?:edge of (?:the |a )?)?(?:ledge|roof|rooftop|bridge|overpass|railing|parapet|cliff|cliff edge|train tracks|"
       r"tracks|platform edge)\b(?![^.?!]{0,80}\b(?:watch\w* (?:the )?(?:sunset|sunrise|boats|river|view|stars|fireworks|trains go)|"
       r"fishing|picnic|lunch|drinks?|drinking|beers?|photos?|pictures?|selfies?|painting|sketching|enjoying|admiring|"
       r"with (?:my|a|the|some) (?:friends?|mates?|girlfriend|boyfriend|partner|wife|husband|dog|kids))\b)"
       r"(?=[^.?!]{0,80}\b(?:for (?:a (?:long )?while|ages|an hour|hours|a long time|half an hour)|"
       r"(?:did not|could not) (?:jump|do it|go through with it)|looking down|staring down)\b)"),
    _r("goodbye_general", CONCERN, (SI,),
       r"\bgoodnight forever\b|\b(?:writing|wrote|write|keep writing|set up|scheduled?) (?:\w+ ){0,2}goodbye (?:messages?|posts?|letters?|notes?)\b"),
    _r("lethal_general", URGENT, (LM,),
       r"\b(?:painless|untraceable|undetectable|surefire|sure-fire|foolproof|most effective|most deadly|deadliest|"
       r"quickest|fastest|least painful)\b(?:\s+\S+){0,2}?\s+(?:ways?|methods?|options?) (?:to|of) (?:die|dying|go(?! to| for| out| back| home)|"
       r"end it|do it|kill|not wake|suicide)\b"
       r"|\b(?:painless|untraceable|undetectable|deadliest|most deadly) (?:poison|pill|pills|drug|dose)\b"
       r"|\bhow long (?:does|do you need to|do you have to|would i need to|until) (?:it take to )?(?:hang|hanging)\b(?:\s+\S+){0,3}?\s+"
       r"(?:work|die|kill|lose consciousness|pass out)\b"
       r"|\b(?:belt|cord|beam|rail|door handle)\b(?:\s+\S+){0,5}?\s+(?:hold (?:my|a person's|body) ?weight|not snap|would not snap)\b"
       r"|\bwhat kind of (?:rope|knot|cord)\b(?:\s+\S+){0,4}?\s+(?:not snap|would not snap)\b"
       r"|\b(?:not|never) (?:get|be) found in time\b|\benough to not survive\b|\bbefore my heart (?:stops|gives out)\b"
       r"|\bwhere is the (?:artery|vein) in (?:my|your|the) (?:wrist|neck|thigh)\b|\bartery in (?:my|your) (?:wrist|neck|thigh)\b"
       r"|\b(?:get|buy) a (?:gun|firearm|pistol) without a (?:licence|license|background check)\b"
       r"|\b(?:most|very|more) (?:deadly|lethal|dangerous) (?:in large amounts|if you take a lot|in an overdose)\b"
       r"|\bwhich (?:of my )?(?:prescriptions|pills|meds|tablets) (?:would|will) be (?:the )?(?:strongest|worst|deadliest)\b"
       r"|\b(?:knife|gun|blade) to (?:the|my) (?:neck|throat|head|wrist)\b(?:\s+\S+){0,3}?\s+(?:work|be) (?:fast|quick|instant|painless)\b"),
    _r("self_harm_general", URGENT, (SH,),
       r"\b(?:look|looking) forward to (?:cutting|burning|hurting myself|self-harm)\b|\bthe only thing that helps is (?:the |a )?(?:blade|razor|cutting|pain)\b"
       r"|\bdeserve (?:the|this) pain\b(?=.{0,30}\b(?:cause|give|do it|myself|so i)\b)|\bphysical pain to (?:drown|block|quiet|numb|distract)\b"
       r"|\bmy (?:cuts|burns|wounds) (?:are|keep) (?:getting )?(?:deeper|worse|opening|open)\b|\b(?:cut|burned|burnt|hurt) (?:myself )?again (?:last night|today|tonight|after)\b"
       r"|\bcut (?:myself )?\d+ times\b|\b(?:marks|bruises|scars|cuts)\b(?:\s+\S+){0,4}?\s+(?:are|were) from me\b"
       r"|\b(?:excuses|lie|lied|lying) (?:for|about) (?:the )?(?:marks|bruises|scars|cuts|burns)\b|\b(?:the )?(?:marks|cuts|scars|bruises) (?:were|are) from (?:my|the) cat\b"
       r"|\blong sleeves\b(?:\s+\S+){0,8}?\s+(?:marks|cuts|scars|burns)\b|\b(?:took|take|taking) apart a (?:razor|sharpener|pencil sharpener)\b"
       r"|\b(?:burned|burnt|cut|scalded|hit) (?:myself|my (?:arms?|legs?|hands?|wrists?|skin|thighs?|stomach|face|head))\b(?:\s+\S+){0,6}?\s+on purpose\b"
       r"|\bpull(?:ing)? my hair out on purpose\b|\bso it hurts\b(?=.{0,20}$)"),
    _r("abuse_general", URGENT, (AB,),
       r"\b(?:grabbed|grabs|grabbing|held|holds|pinned|pins) me (?:by|against|down|to)\b"
       r"|\b" + _ABUSER + r"(?:'s (?:partner|boyfriend|girlfriend|husband|wife))?(?: \S+){0,2}? (?:kicks|kicked|punches|punched|hits|hit|slaps|slapped|"
       r"burns|burned|starves|starved|bites|bit|pinches|pinched) me\b" + _NOT_IDIOM +
       r"|\b(?:did|does|do) (?:stuff|things) to me\b|\b(?:comes|came|coming) in(?:to my room)? at night\b(?=.{0,80}\b(?:scared|afraid|uncle|dad|brother|stepdad|cousin|he|she)\b)"
       r"|\bkeep(?:s)? me (?:in|locked in) the (?:basement|cellar|shed|cupboard|room)\b"
       r"|\b(?:says|said|told me) i (?:can not|must not|am not allowed to|should not) tell (?:my parents|anyone|my mum|my mom|my dad)\b"
       r"|\bi am (?:1[0-7]|[5-9]) and (?:my|a|an|this) (?:\d+ year old|older|grown) (?:\w+ )?(?:boyfriend|man|guy|girlfriend|woman)\b"
       r"|\b(?:outside|at) (?:my|the) door\b(?:\s+\S+){0,4}?\s+(?:shouting|screaming|banging|trying to get in|threatening)\b"
       r"|\btrying to get in\b(?=.{0,60}\b(?:scared|hiding|afraid|terrified)\b)|\b(?:takes|took|keeps) my (?:pension|wages|benefits|bank card|money)\b(?=.{0,60}\b(?:will not|won't|hits|shoves|pushes|shouts|let me)\b)"),
    _r("third_party_abuse_general", URGENT, (AB, TP),
       r"\b(?:her|his|their|the) (?:kids|children|son|daughter|wife|husband|partner|baby) (?:getting|being) (?:hit|beaten|hurt|abused|kicked)\b"
       r"|\b(?:hear|heard|hearing|see|saw|seen) (?:them|her|him|the kids) (?:getting|being) (?:hit|beaten|hurt|kicked|slapped)\b"
       r"|\b(?:i think |i am worried |worried )?(?:my|our|her|his) " + _REL + r"\b(?:\s+\S+){0,3}?\s+(?:is|has been|was) (?:being )?(?:hit|beaten|abused|starved|groomed)\b(?! by (?:a|the) (?:car|ball|bus|bike))"
       r"|\b(?:his|her|their) (?:dad|mum|mom|father|mother|stepdad|stepmum|uncle|carer|boyfriend|girlfriend|husband|wife|partner) "
       r"(?:\w+ )?(?:burns|beats|hits|kicks|starves|locks|touches|chokes|threatened|threatens) (?:him|her|them)\b"
       r"|\b(?:dragging|dragged|choking|choked|strangling|strangled|beating|hitting|kicking) (?:his|her|their) (?:wife|husband|girlfriend|boyfriend|partner|kids?|children|son|daughter)\b"
       r"|\b(?:will not|won't|does not|do not) let (?:him|her|them) eat\b|\block(?:s|ed)? (?:him|her|them) in (?:his|her|their|the) room\b"
       r"|\b(?:older|grown) (?:man|woman|guy) online\b(?:\s+\S+){0,6}?\s+(?:meet|photos|pictures|secret)\b"
       r"|\b(?:took|takes) (?:her|his|their) (?:bank cards?|pension|money|benefits)\b(?=.{0,60}\b(?:shouts|hits|scared|will not|won't)\b)"
       r"|\b(?:partner|boyfriend|husband|wife|girlfriend|ex)\b(?:\s+\S+){0,2}?\s+threatened to (?:kill|hurt|stab|shoot) (?:her|him|them)\b",
       third_person=True),
    _r("third_party_general", URGENT, (TP,),
       r"\b(?:my|our|a) " + _REL + r"\b(?:\s+\S+){0,8}?\s+(?:posted|sent|wrote|left|texted)\b(?:\s+\S+){0,3}?\s+(?:a |an )?(?:goodbye|farewell|suicide note|note saying (?:sorry|goodbye))\b"
       r"|\b(?:a|my) (?:girl|boy|guy|kid|student|friend|someone) (?:in my|at my|from my|on my|i follow)\b(?:\s+\S+){0,8}?\s+(?:goodbye|kill (?:himself|herself|themselves)|end (?:his|her|their) life|suicid\w+|pills lined up)\b"
       r"|\b(?:my|our) " + _REL + r"\b(?:\s+\S+){0,8}?\s+(?:talking about|talks about|keeps talking about|mentioned|said)\b(?:\s+\S+){0,2}?\s+(?:ending (?:his|her|their) (?:own )?life|ending it all|killing (?:himself|herself|themselves)|not being around|not wanting to live)\b"),
    _r("harm_others_general", URGENT, (HO,),
       r"\b(?:i am|i will|i will just|i am just|i am really|i swear i will|i am seriously) (?:going to |gonna )?(?:kill|stab|shoot|strangle|poison|run over)\b"
       r"(?:\s+\S+){0,2}?\s+(?:him|her|them|my (?:\w+ )?(?:ex|stepdad|dad|brother|sister|neighbou?r|boss|teacher|bully|bullies|roommate|girlfriend|boyfriend|wife|husband|son|daughter|baby|kids?|classmates?))\b"
       r"(?! (?:in|at) (?:fortnite|minecraft|chess|the game))(?=.{0,80}\b(?:tonight|tomorrow|when|if|swear|knife|gun|bat|hammer|car|not joking|deserves?|plan|today|monday|after)\b)"
       r"|\b(?:put|putting) (?:him|her|them) in (?:hospital|the ground|a coffin)\b|\b(?:with|bring|bringing|brought) (?:a|my|the) (?:bat|knife|hammer|gun|machete|crowbar)\b(?=.{0,60}\b(?:him|her|them|his|outside|waiting|going to)\b)"
       r"|\b(?:waiting|wait) (?:outside|for) (?:his|her|their) (?:flat|house|home|school|work)\b(?=.{0,40}\b(?:bat|knife|gun|hurt|kill)\b)"
       r"|\b(?:hit|hurt|punched|choked|strangled|shook|shaken) (?:my|our) (?:wife|husband|girlfriend|boyfriend|partner|baby|toddler|son|daughter|kids?|child)\b(?=.{0,80}\b(?:scared|worse|again|can not stop|lose control|too hard|mark)\b)"
       r"|\b(?:urges?|thoughts?) (?:of|about|to) (?:push|pushing|hurt|hurting|kill|killing|stab|stabbing) (?:people|someone|strangers|my \w+)\b"
       r"|\b(?:revenge|make them (?:all )?(?:pay|sorry))\b(?=.{0,80}\b(?:gun|knife|bomb|monday|tomorrow|see what happens|hurt|kill)\b)"
       r"|\b(?:poison|drug) (?:her|his|their|my \w+'s) (?:tea|coffee|drink|food)\b|\bkill everyone who\b"),
    _r("overdose_general", EMERGENCY, (OD, SI),
       r"\b(?:took|taken|swallowed|downed|popped|ate|injected|(?<=\bi )had|(?<=\bi just )had)\b(?:\s+\S+){0,3}?\s+(?:all|every|a load of|a bunch of|loads of|way more than|too much|enough)\b"
       r"(?:\s+\S+){0,4}?\s+(?:pills|tablets|meds|insulin|medication|sleeping pills|painkillers|antidepressants|adderall|stash)\b"
       r"(?! (?:today|this morning|as prescribed|on time|like (?:my|the) doctor))"
       r"|\b(?:feeling|feel) (?:really |so |very )?(?:weird|dizzy|sleepy|sick|strange)\b(?:\s+\S+){0,4}?\s+after taking (?:a bunch|a lot|loads|all|too many)\b"
       r"|\bi (?:already )?took them\b(?=.{0,40}\b(?:too late|it is done|sorry|bye|kick in)\b)|\bit is done\.? i took\b"),
)

# Emotional abuse and degradation by someone the writer lives with or depends on (a parent, partner,
# carer): names, "you are worthless", screaming every day, or the word itself ("emotionally abusive").
# One argument or being yelled at once is ordinary family friction and does not match: these need a
# degrading name or a sign that it goes on. Past abuse stays a cue for the classifier (_past_abuse).
_MEANS_WORD = (r"pills|tablets|meds|medicine|medication|painkillers|paracetamol|tylenol|acetaminophen|insulin|sleeping pills|"
               r"antidepressants?|gun|firearm|pistol|rope|knot|noose|bridge|storeys|stories high|floors up|car park|multi-storey|"
               r"roof|rooftop|ledge|balcony|garage|engine running|exhaust|train|tracks|knife|blade|razor|poison|bleach|cliff")
_INTENT_CUE = (r"\b(?:do not ask why|no questions asked|hypothetically|stockpil\w*|more than one (?:box|pack|packet|bottle)"
               r"(?![^.?!]{0,80}\b(?:abroad|holiday|vacation|travel\w*|trip|for (?:a|the) (?:month|season|year|summer|winter)|"
               r"for the (?:family|household|office|kids))\b)|"
               r"(?:notice|notices|noticed|track|tracks|check|checks) (?:if|when) (?:you|i|someone|a person) (?:buy|buys|get|gets)|"
               r"(?:(?:go|going|went) to|at|from|in) (?:a bunch of|several|multiple|lots of|loads of|different|a few|a few different) "
               r"(?:different )?(?:shops|pharmacies|chemists|stores|supermarkets)|not for camping|without (?:it )?(?:looking suspicious|anyone noticing|"
               r"raising suspicion|getting caught)|no i am not ok(?:ay)?|asking for myself|(?:need|want) to be sure(?! (?:of|about|that|the|they|my|which|what|whether|if)\b)|"
               r"(?:be )?sure it (?:works|will work|is enough)|"
               r"make sure (?:it works|i do not wake|i do not survive|nobody finds me|no one finds me)|"
               r"(?:does|will) not fail|guaranteed to work|would it kill me|will it kill me|(?:stop|stops) (?:your|my) breathing)\b")
# someone at home or close: a parent, partner or carer (not a boss, a teacher or "someone")
_CLOSE = (r"(?:(?:my|our) (?:\w+ )?(?:dad|father|mom|mum|mother|stepdad|stepfather|stepmom|stepmother|parents|husband|wife|"
          r"boyfriend|girlfriend|partner|fiance|fiancee|carer|caregiver|guardian|grandma|grandpa|grandmother|grandfather|"
          r"brother|sister|uncle|aunt|in-laws|mother-in-law|father-in-law)|(?:^|(?<=[.!?] ))(?:dad|mom|mum|husband|wife|"
          r"boyfriend|girlfriend|partner))")
_DEGRADING = (r"(?:worthless|nothing|stupid|useless|pathetic|a waste(?: of space)?|a mistake|a failure|a disappointment|"
              r"garbage|trash|fat|ugly|disgusting|an idiot|a loser|a whore|a slut|a burden|a freak|retarded)")
RULES = RULES + (
    _r("emotional_abuse", URGENT, (AB,),
       r"\b" + _CLOSE + r"(?: \S+){0,3}? (?:calls|called|calling|keeps calling) me (?:names|horrible names|" + _DEGRADING + r")\b"
       r"|\b" + _CLOSE + r"(?: \S+){0,3}? (?:says|said|tells|told|keeps telling|keeps saying|is always telling) me "
       r"(?:that )?(?:i am|i was|i am just|i will always be|i will never be anything but) " + _DEGRADING + r"\b"
       r"|\b" + _CLOSE + r"(?: \S+){0,2}? (?:says|said) i (?:am|was) worth nothing\b"
       r"|\b" + _CLOSE + r"(?: is| are)? (?:always|constantly|never stops|keeps|is always|are always) (?:\w+ (?:and )?)?(?:yelling|screaming|shouting|"
       r"cussing|swearing) at me\b"
       r"|\b" + _CLOSE + r" (?:yells|screams|shouts|cusses|swears) at me (?:daily|every day|all the time|constantly|every night|"
       r"for no reason|on a daily basis)\b"
       r"|\b(?:(?:he|she|they)|" + _CLOSE + r") (?:is|are|has been|have been|can be|gets) (?:\w+ )?(?:emotionally|verbally|"
       r"psychologically|mentally) abusive\b|\b(?:my|our) (?:emotionally|verbally|psychologically|mentally) abusive \w+"
       r"|\b(?:emotionally|verbally) abus(?:es|ed|ing) me\b"
       # the same told with a pronoun, or with an aside: "she calls me names in front of everyone", "my stepdad is
       # always, every single day, shouting at me"
       r"|\b(?:he|she) (?:\w+ ){0,2}?(?:calls|keeps calling|is always calling|has always called|(?:is )?(?:always|still|constantly) "
       r"called) me (?:names|horrible names|"
       r"" + _DEGRADING + r")\b(?! (?:as a joke|jokingly|for fun|lol|haha|like (?:sweetie|babe|baby|honey|darling|love|cutie|"
       r"princess|pumpkin|sweetheart)))"
       r"|\b(?:he|she) (?:yells|screams|shouts|cusses|swears) at me (?:daily|every day|all the time|constantly|every night|"
       r"for no reason|on a daily basis)\b(?! (?:during|at|in) (?:\w+ )?(?:practice|training|games?|matches|rehearsals?|the game))"
       r"|\b" + _CLOSE + r" (?:is|are) always,(?: [^,]{1,30},)? (?:\w+ (?:and )?)?(?:yelling|screaming|shouting|cussing|swearing) at me\b"),
    # "i want to cut so badly", "need to cut again": the urge with no object (cutting hair or costs has one)
    _r("self_harm_urge_bare", URGENT, (SH,),
       r"\b(?:i |i really |i just |i so )?(?:want|wanna|need|have|am going|urge|urges) (?:to )?(?:cut|burn|hurt)(?: myself)?"
       r"(?=\s+(?:so bad|so badly|so much|again|tonight|right now|rn|now)\b|\s*(?:$|[.,!]))"),
    # an overdose told without the word: "swallowed the lot", "took too much on purpose", "necked a box of"
    _r("overdose_taken_more", EMERGENCY, (OD, SI),
       r"\bi (?:just |already |have |think i |might have |may have )?(?:swallowed|took|taken|necked|downed) "
       r"(?:(?:the|all the|a whole|the whole) (?:lot|box|packet|pack|bottle|strip|blister)\b(?! of (?!(?:my |the |her |his )?" + _DRUG + r"))"
       r"|too (?:much|many)(?: (?:pills|tablets|meds|of (?:them|it|my \w+)))? on purpose\b)"
       r"|\bi (?:just |already )?(?:swallowed|necked|downed) (?:a|the|my|two|three|all my) (?:box|boxes|packet|packets|bottle|bottles|strip|strips) "
       r"of (?:my |the )?" + _DRUG + r"\b"),
    # a relapse told as a broken count: "200 days without cutting and i just ruined it", "23 days clean down the drain"
    _r("self_harm_relapse", URGENT, (SH,),
       r"\b\d+ (?:days|weeks|months) (?:clean|without (?:cutting|self-harm\w*|hurting myself|burning))\b(?:\s+\S+){0,8}?\s+"
       r"(?:ruined|gone|down the drain|over|broke|relapsed|again|back to zero|reset)\b"
       r"|\b(?:did it|cut|burned|hurt myself) again\b(?:\s+\S+){0,6}?\s+\d+ (?:days|weeks|months) clean\b"),
    # wishing to die in one's sleep, and not expecting to be alive at a date
    _r("sleep_death_wish", CONCERN, (SI,),
       r"\b(?:pray|praying|prays|hope|hoping|wish|wishing)\b(?:\s+\S+){0,4}?\s+(?:takes me|take me|a heart attack|i die|to die|"
       r"it is the last time|it will be the last time|i do not wake)\b(?:\s+\S+){0,3}?\s+(?:in my sleep|tonight|when i sleep)\b"
       r"|\b(?:go|going|went) to (?:sleep|bed) (?:\w+ ){0,3}?hoping (?:it is|it will be|that it is|this is|tonight is) the last\b"
       r"|\b(?:do not|can not) (?:think|see|picture|imagine) (?:i will|myself|me) (?:still )?(?:be |being )?(?:here|around|alive) "
       r"(?:by|for|at|on|in|next)\b|\bnot like i will be (?:around|here|alive) (?:for|by|to)\b"),
    # threats to share intimate images (image-based abuse, sextortion)
    _r("image_threat", URGENT, (AB,),
       r"\b(?:threaten\w*|says? (?:he|she|they) will|going to|will) (?:to )?(?:post|share|send|leak|upload|show)\b(?:\s+\S+){0,3}?\s+"
       r"(?:my |the |our )?(?:nudes|(?:private|intimate|naked|nude|explicit|sexual|sex) (?:photos|pictures|pics|videos?|tape)"
       r"|(?:photos|pictures|pics|videos?) of me (?:naked|nude|undressed))\b"),
    # wanting to join someone who died: "since my son died i just want to be with him"
    _r("join_the_dead", CONCERN, (SI,),
       r"\b(?:died|passed away|passed on|passed(?! (?:the|my|a|an|his|her|their|out|by|through|over|it|me|him|them|that|this|"
       r"all|every|both|on|up|down|around|along)\b)|death|funeral|lost (?:him|her|them))\b[.,;!]?(?:\s+\S+){0,12}?\s+(?:i )?(?:just |really )?"
       r"(?:all i want is|want|wanna|need|am going|long|wish i could) (?:to )?(?:be with|join|go to) (?:him|her|them)\b(?! (?:at|in|on) the)"),
    # a question about means with a cue of concealment or of wanting certainty ("do not ask why", "without it
    # looking suspicious", "need to be sure it works", "will it kill me"): a means question, whatever the wording
    _r("means_with_intent_cue", URGENT, (LM,),
       r"\b(?:" + _MEANS_WORD + r")\b(?=.{0,120}?" + _INTENT_CUE + r")|" + _INTENT_CUE + r"(?=.{0,120}?\b(?:" + _MEANS_WORD + r")\b)"),
    _r("death_thoughts", CONCERN, (SI,),
       r"\bi (?:think|thought) about (?:death|dying) (?:all the time|constantly|every day|every night|a lot lately)\b"),
)

# Shapes that crisis lines describe and that no rule above had: being at a place to fall from (with a
# sign that it is not a day out), "rope" used as a verb, a noose kept at home, a date chosen with the
# calm that often follows the decision, not expecting to be here after a date, not wanting to go on,
# asking whether a method hurts or which is deadlier, and self-harm slang. Each keeps to the wording
# that carries the risk: "on the edge of tears", "rope me into", "we set the date for the wedding",
# "gone before you wake up", "is jumping rope fast" and "want to be with my mum" do not match.
_DANGER_PLACE = (r"(?:the |a |this |my )?(?:edge(?! of (?!the (?:roof|building|bridge|cliff|platform|balcony|car park)))|ledge|roof|"
                 r"rooftop|railing|railings|cliff|cliffs|cliff edge|clifftop|train tracks|railway (?:line|tracks)|tracks|overpass|"
                 r"motorway bridge|bridge|platform edge|top of (?:the|a|my) (?:building|car park|multi-storey|tower|bridge|flats))")
_PLACE_CUE = (r"\b(?:jump|jumping|end it|finish it|finish this|do it|goodbye|bye|sorry|last time|nobody|no one|alone|drunk|"
              r"windy|looking down|how high|it is time|this is it|can not do this|can not go on|over the (?:edge|railing)|"
              r"not coming back|came here to|the fall|let go)\b")
_CHOSEN = r"(?:picked|chose|chosen|set|decided on|settled on|circled)"
_DATE_WORD = (r"(?:christmas|(?:the )?new year|my birthday|spring|summer|autumn|fall|winter|the end of (?:the|this|next) (?:week|month|year)|"
              r"next (?:week|month|year)|the weekend|(?:this|next) \w+day|\w+day|january|february|march|april|may|june|july|"
              r"august|september|october|november|december)")
_LOST = (r"(?:mum|mom|mother|dad|father|husband|wife|son|daughter|brother|sister|twin|grandma|grandpa|gran|grandad|nan|baby|"
         r"partner|best friend|friend)")
RULES = RULES + (
    _r("danger_place_now", URGENT, (SI,),
       r"\bi am (?:\w+ ){0,2}?(?:on|at|by|near|beside|under) " + _DANGER_PLACE + r"\b"
       r"(?:\s+of (?:my|the|a|our) (?:\w+ ){0,2}?\w+)?"
       r"(?:(?=.{0,120}?" + _PLACE_CUE + r")|(?=\s*(?:right now|now|again|tonight)?\s*[.!]*$))"),
    # lingering alone at such a place is a warning sign, also when told afterwards: "i drove to the cliffs today and
    # sat there for an hour" (not a day out: "... watching the sunset", "with my dad")
    _r("danger_place_lingered", CONCERN, (SI,),
       r"\bi (?:\w+ ){0,2}?(?:went|drove|walked|cycled|biked|got the (?:bus|train)|took the (?:bus|train)|ended up|found myself) "
       r"(?:back |out |up |down )?(?:to|at|on) " + _DANGER_PLACE + r"\b"
       r"(?![^.?!]{0,100}\b(?:watching|watched|watch the|sunset|sunrise|views?|waves|birds|stars|boats|photos?|pictures?|"
       r"picnic|fishing|with (?:my|a|the|some|our|him|her|them)|friends|dog|we)\b)"
       r"[^.?!]{0,60}?\b(?:sat|stood|stared|looked down|looked over|waited|stayed|lingered|hung around)\b"
       r"(?:[^.?!]{0,40}?\b(?:for (?:an hour|hours|ages|a long time|a while|so long|(?:\d+|\w+) (?:minutes|hours))|until|"
       r"thinking|looking down|over the edge|staring down)\b|\s*(?:there)?\s*(?:$|[.!]))"),
    _r("rope_verb", URGENT, (SI,),
       r"\b(?:i will|i am going to|i am gonna|gonna|going to|want to|wanna|might|should|could|about to|ready to|planning to|plan to|"
       r"decided to|tempted to)(?: just| finally| actually)? rope(?: myself)?(?=\s*(?:$|[.,!?_]|tonight|today|tomorrow|soon|now|"
       r"right now|at this point|tbh|honestly|fr|lol|idk|and\b|but\b|if\b))"),
    _r("noose_kept", URGENT, (SI, LM),
       r"\b(?:a|the|my) noose\b(?=.{0,40}?\b(?:in my|under my|behind my|in the (?:wardrobe|closet|garage|loft|attic|shed)|"
       r"nobody knows|no one knows|ready|hidden)\b)"),
    _r("date_decided", URGENT, (SI,),
       r"\b(?:have|got) a plan and a (?:date|time|day)\b|\bmy plan is (?:set|ready|in place|made|sorted)\b"
       r"|\b(?:already )?" + _CHOSEN + r" (?:a|the|my) (?:date|day)\b(?! (?:for|of|to) )(?=.{0,80}?\b(?:calm|relaxed|at peace|"
       r"peaceful|lighter|relief|relieved)\b)"
       r"|\b(?:calm|relaxed|at peace|peaceful|lighter|relieved)\b(?:\s+\S+){0,8}?\s+(?:since |after |now that )?(?:i |you |you've |"
       r"i have )?" + _CHOSEN + r" (?:a|the|my) (?:date|day)\b(?! (?:for|of|to) )"
       r"|\bmade (?:my|the) decision\b(?! to| about| on)(?:\s+\S+){0,6}?\s+(?:everything|it all|i) (?:feels|feel) "
       r"(?:lighter|calm|peaceful|easier)\b"),
    _r("future_absence", CONCERN, (SI,),
       r"\bi will be gone (?:soon|before (?:" + _DATE_WORD + r"|then|anyone|they|the (?:\w+ ){0,2}(?:calls?|comes?|starts?|"
       r"arrives?|results?)))\b|\bi will be gone\b[^.?!]{0,40}?\b(?:nobody|no one) (?:will|would) (?:notice|care|miss)\b"
       r"|\b(?:not|never) (?:planning on|plan on|planning to|expecting to) (?:be|being) (?:around|here|alive) (?:by|after|past|at) "
       + _DATE_WORD + r"\b"
       r"|\b(?:will not|not going to) be (?:here|around|alive) (?:after|by|past) " + _DATE_WORD + r"\b"
       r"|\b(?:they|you|nobody|no one|everyone) (?:will not|is not going to|are not going to) (?:ever )?see me (?:again|next (?:term|"
       r"year|week|semester)|after (?:this|today|tonight))\b"
       r"|\bwill not be (?:a problem|a burden|in anyone's way|bothering anyone)(?: for (?:anyone|anybody|you|them|much longer))? "
       r"after (?:this|tomorrow|" + _DATE_WORD + r")\b"),
    _r("not_go_on", CONCERN, (SI,),
       r"\b(?:do not|no longer|not) (?:really |even )?want to (?:carry on|go on|keep going)\b(?=\s*(?:anymore|any more|like this|"
       r"with life|living)?\s*(?:$|[.,!?]|and\b|but\b))"
       r"|\b(?:do not|can not) see (?:why|any reason why|a reason why|the reason why|any reason) i should (?:stay|go on|keep going|live|"
       r"be here|carry on|stay alive|keep living|bother living)\b(?=\s*(?:$|[.,!?]|alive|here|anymore|any longer|around|on this earth|"
       r"in this world|and\b|but\b))"
       r"|\bwant out (?:permanently|for good|forever)\b"),
    _r("method_pain_question", URGENT, (LM,),
       r"\b(?:does it|would it|will it|is it) (?:hurt|painful|quick|painless) (?:to|when you) (?:drown|hang|bleed out|freeze to death|"
       r"suffocate|overdose|od|gas yourself|die by)\b"
       r"|\bis (?:drowning|hanging|bleeding out|freezing to death|suffocation|suffocating|helium|carbon monoxide|an overdose|"
       r"overdosing|death by \w+|(?:falling|jumping) (?:off|from) (?:a |the )?(?:height|high place|building|bridge|cliff|roof|"
       r"tall building|tower|balcony|car park)) (?:really |very |actually )?(?:painless|painful|quick|peaceful|instant|fast)\b"
       r"|\b(?:fall asleep|pass out|black out) before (?:you|i|they) (?:freeze|drown|bleed out|suffocate|die)\b"
       r"|\bwhich (?:is|one is|are|would be|is the) (?:more|most|less|least) painful\b(?=.{0,60}?\b(?:jumping|hanging|drowning|"
       r"gun|overdos\w+|pills|bleeding|gas|rope)\b)"
       r"|\bwhich (?:is|one is|are|would be|is the) (?:more|most|less|least) (?:deadly|lethal|fatal|painless)\b"
       r"(?=.{0,60}?\b(?:pills|painkillers|meds|sleeping|tablets|jumping|hanging|drowning|gun|overdose|insulin|paracetamol|poison|"
       r"bleeding|gas|rope)\b)"),
    _r("self_harm_slang", URGENT, (SH,),
       r"\bbarcode (?:arms?|wrists?|legs?|thighs?)\b|\b(?:arms?|wrists?|legs?|thighs?) (?:look|looks|looking) like (?:a )?barcodes?\b"
       r"|\bcat scratch\w*\b(?=.{0,40}?\b(?:not a cat|no cat|do not (?:own|have) a cat|it is me|it was me)\b)"),
    _r("join_the_dead_more", CONCERN, (SI,),
       r"\b(?:want|wanna|need|wish i could|going) to join (?:my )?(?:late )?" + _LOST + r"\b(?=.{0,80}?\b(?:died|passed away|"
       r"passed on|is gone|are gone|is dead|in heaven|on the other side|can not live without)\b)"
       r"|\b(?:want|wanna|need|wish i could) to be with (?:my )?(?:late )?" + _LOST + r"\b(?=.{0,60}?\b(?:in heaven|on the other "
       r"side|can not (?:live|go on|cope) without (?:him|her|them))\b)"),
)

# An overdose, a threat or an assault told in the plainest words, which the rules above only knew in
# other forms: "took an overdose", "swallowed everything in the bottle", "my son threatened to stab his
# teacher", "i nearly strangled her", "he is banging on the door and i am hiding".
_ME_START = r"(?:\bi (?:just |have just |have |already |think i |may have |might have )?|^(?:just |already )?|[.!?] (?:just |already )?)"
_CLOSE_PERSON = (r"(?:him|her|them|(?:my|our) (?:\w+ )?(?:wife|husband|partner|girlfriend|boyfriend|baby|toddler|son|daughter|kids?|"
                 r"child|children|brother|sister|mum|mom|mother|dad|father|flatmate|roommate|\d+ (?:year|month) old)(?!'s))")
RULES = RULES + (
    _r("overdose_plain", EMERGENCY, (OD, SI),
       _ME_START + r"(?:took|taken|had|done|did) (?:an|a|another) (?:overdose|od)\b(?! (?:on|of) (?:caffeine|sugar|coffee|"
       r"chocolate|sweets|netflix|energy drinks|vitamin \w+))"
       r"|" + _ME_START + r"(?:swallowed|took|taken|downed|necked) (?:everything|all|the rest|what was left) (?:that was )?(?:in|from|of) "
       r"(?:the|my|her|his|a) (?:\w+ )?(?:bottle|packet|pack|box|blister|tub|cabinet|cupboard)\b(?!" + _DRINK + r")"
       r"|" + _ME_START + r"(?:swallowed|necked|downed|took) (?:a|the|two|three|all my|my) (?:box|boxes|packet|packets|bottle|bottles|"
       r"strip|strips) of (?:my |the )?" + _DRUG + r"\b"),
    _r("self_harm_plain", URGENT, (SH,),
       r"(?:^|[.!?] )(?:cut|burned|burnt|hurt|scratched|carved) myself again\b"
       r"|\bi made (?:a|another|some|more) (?:cut|cuts)\b(?=.{0,60}?\b(?:stitches|bleed\w*|deep|hide|my (?:arm|wrist|leg|thigh|skin|"
       r"stomach|hip)s?)\b)"
       r"|\b(?:razors|blades)\b(?:\s+\S+){0,6}?\s+(?:not|is not|are not) for shaving\b"
       r"|\bwent (?:deeper|further) than (?:usual|ever|before|last time|i meant|i wanted|i planned)\b(?=.{0,80}?\b(?:blood|bleed\w*|"
       r"stitches|white|bone|wound|cut|cuts)\b)"
       r"|\b(?:can|could) see (?:something white|bone)\b"
       r"|\b(?:\d+|\w+) (?:days|weeks|months) (?:clean|without (?:cutting|self-harm\w*|hurting myself|burning))\b\W+(?:\S+\W+){0,8}?"
       r"(?:ruined|gone|down the drain|over|broke|broken|relapsed|back to zero|reset|blew it|messed (?:it )?up)\b"),
    _r("third_party_overdose", URGENT, (TP, OD),
       r"\b(?:my|our) " + _RELS + r"\b(?:\s+\S+){0,3}?\s+(?:just |has just |has )?(?:took|taken|had) (?:an|another) (?:overdose|od)\b"
       r"(?!.{0,40}\b(?:years ago|when i was|as a (?:kid|child|teen)|in (?:19|20)\d\d)\b)", third_person=True),
    _r("threat_to_others_report", URGENT, (HO, TP),
       r"\b(?:my|our) " + _RELS + r"\b(?:\s+\S+){0,3}?\s+(?:threatened|threatens|keeps threatening|is threatening|has threatened|"
       r"said (?:he|she|they) would|says (?:he|she|they) will|says (?:he|she|they) is going to) (?:to )?(?:stab|kill|shoot|hurt|attack|"
       r"beat up|strangle|poison|burn)\b(?! (?:me|us|himself|herself|themselves|themself|myself)\b)", third_person=True),
    _r("harm_others_plain", URGENT, (HO,),
       r"\b(?:a lesson|something) (?:he|she|they) (?:will not|would not|is not going to|are not going to) survive\b"
       r"|\b(?:buying|getting|buy|get|bought|got) (?:a|my|the) (?:gun|knife|weapon|piece|machete|crossbow) (?:to|for) "
       r"(?:deal with|sort out|use on|teach|hurt|kill|settle things with) (?:him|her|them|my \w+|that \w+|those \w+|the (?:guy|man|"
       r"woman|lads|boys|girls|neighbou?rs?))\b"
       r"|\b(?:nearly|almost) (?:strangled|choked|killed|stabbed|smothered|drowned|suffocated) " + _CLOSE_PERSON +
       r"|\b(?:smacked|slapped|hit|kicked|shook|shaken|punched) " + _CLOSE_PERSON +
       r"(?=.{0,40}?\b(?:so hard|too hard|really hard|mark|marks|bruise|bruises|bleed|bleeding|hospital)\b)"),
    _r("abuse_plain", URGENT, (AB,),
       r"\b" + _ABUSER + r" (?:is|are) (?:\w+ )?(?:banging on|kicking|hammering on|trying to (?:break|get|kick) (?:in|down|into))\b"
       r"(?=.{0,80}?\b(?:hiding|hide|scared|terrified|afraid|locked myself)\b)"
       r"|(?:\bi |^|[.!?] )(?:got|get|was|keep getting) (?:hit|beaten|slapped|punched|kicked) again\b(?! (?:by (?:a|the) (?:ball|car|bus|"
       r"wave|door|puck)|at (?:practice|training|football|rugby|hockey|the game)|from))"
       r"|\block(?:s|ed)? (?:me|us) out\b(?:\s+\S+){0,8}?\s+(?:as (?:a )?punishment|in the cold|all night|in the snow|in winter|"
       r"without (?:shoes|a coat|food))\b"
       r"|\b(?:forces|forced|pressures|pressured) (?:sex|himself|herself) on me\b"),
)


# Hiding a wound from someone, a blade called a coping mechanism, "the dose that would kill", daydreams
# of running someone over: more shapes of the same risks, each with the words that make it one.
RULES = RULES + (
    _r("self_harm_hidden", URGENT, (SH,),
       r"\b(?:doing the |been |keep |started )?cutting on my (?:arms?|wrists?|legs?|thighs?|stomach|skin|hips?)\b"
       r"|\b(?:cut|cuts|wound|wounds|burn|burns)\b(?:\s+\S+){0,4}?\s+so (?:that )?(?:my parents|my mum|my mom|my dad|my family|no one|"
       r"nobody|people|my (?:teacher|boyfriend|girlfriend|partner|husband|wife)) (?:do not |does not |will not |would not |never |"
       r"can not )?(?:find out|notices?|sees?|knows?|asks?)\b"
       r"|\bcoping (?:mechanism|strategy|method|thing|skill) is (?:a |the |my )?(?:razor|blade|razor blade|cutting|self-harm|"
       r"burning myself|hurting myself)\b"),
    _r("lethal_dose_plain", URGENT, (LM,),
       r"\b(?:dose|amount|quantity|number of (?:pills|tablets))\b(?:\s+\S+){0,5}?\s+(?:that|which) (?:would|will|could|can) "
       r"(?:kill|be fatal|be lethal)\b"
       r"|\bdoes (?:an? )?(?:\w+ )?(?:overdose|od) (?:hurt|feel like|painful)\b"),
    _r("harm_others_fantasy", URGENT, (HO,),
       r"\bday ?dream(?:ing|s)? about (?:\w+ ){0,2}?(?:running|stabbing|killing|shooting|hurting|strangling|poisoning|pushing) "
       + _PERSON + r"\b"),
    _r("burden_dead", CONCERN, (SI,),
       r"\bbetter off with (?:me|him|her) (?:dead|gone|out of the way|in the ground)\b"),
)

# Shapes whose usual wording holds a "not": the negation is part of the risk, so the span starts
# with it and the negation check (which reads the words before a span) leaves it alone.
RULES = RULES + (
    _r("talk_me_out", URGENT, (SI,),
       r"\b(?:do not|don't|dont|can not|cannot|can't|will not|won't|no one can|nobody can|you can not|you cannot) "
       r"(?:try (?:and |to )?|even try to |bother trying to )?talk me out of (?:it|this|doing it)\b"),
    _r("not_trust_myself", URGENT, (SI,),
       r"\b(?:do not|don't|dont|can not|can't|no longer) trust myself (?:not to (?:do|hurt|end|kill|take|cut|jump)|"
       r"(?:to stay |to be |to keep myself )?safe|alone (?:tonight|right now|anymore|with)|around (?:the|my) (?:pills|meds|tablets|knives|"
       r"knife|blades?|razors?|gun|medication)|with (?:the|my) (?:pills|meds|tablets|knives|knife|blades?|razors?|gun|medication))"),
    _r("self_harm_soothes", URGENT, (SH,),
       r"\b(?:hurting|cutting|burning|scratching|harming|hitting) myself (?:is|has become|was) (?:the only|my only|what)\b"
       r"|\b(?:hurting|cutting|burning|scratching|harming) myself (?:helps|calms|numbs|makes the \w+ stop|is the only)\b"),
    _r("hope_not_here", CONCERN, (SI,),
       r"\b(?:hope|hoping|hoped|wish|wishing|praying) (?:that )?i (?:just |really |secretly )?(?:will not|won't|wont|would not|do not|don't|never) "
       r"(?:be (?:around|here|alive)|make it (?:to|through|past)|wake up|see (?:another|next|the next|my next))\b"),
    # what someone close said about their own death, reported by the writer: "gran keeps saying she wishes
    # she could go be with him", "my brother he say he want to end his life", "a kid on the team has been
    # telling people he wants to die"
    _r("third_party_said", URGENT, (TP,),
       r"(?:(?:\b(?:my|our) |(?:^|[.!?,] ))(?:" + _REL + r"|gran|granny|nan|nana|grandad|pupil|kid),? "
       r"|\ba (?:kid|boy|girl|student|pupil|child|teen|classmate|colleague|coworker|client|patient) "
       r"(?:of mine |(?:on|in|at|from) (?:my|our|the) (?:\w+(?:'s)? ){0,2}?\w+ )?)"
       r"(?:[\w,]+ ){0,8}?(?:says?|said|keeps saying|kept saying|told me|tells me|told the \w+|tells people|telling people|"
       r"talks about|keeps talking about|mentioned|wrote|posted|texted)(?: that)? "
       r"(?:(?:he|she|they) (?:\w+ )?(?:wants?|want|wanted) to (?:die(?! " + _GOOD_DEATH + r")|end (?:his|her|their) (?:own )?life|be dead|not be here|"
       r"(?:go )?be with (?:\w+ )?(?:grandpa|grandma|grandad|gran|him|her|mum|dad|mom)(?:'s)?(?= ?(?:now|again|in heaven|up there|"
       r"already|soon|[.,?!]|$))|join (?:him|her|them))"
       r"|(?:he|she|they) (?:\w+ )?wish(?:es|ed)? (?:it had taken (?:him|her|them)|(?:he|she|they) (?:was|were|had|could) "
       r"(?:dead|never been born|not been born|die|go to sleep (?:and not|forever|for good|and never)|go be with|be with|join))"
       r"|(?:he|she|they) should have died|(?:he|she|they) would (?:\w+ )?be relieved if (?:(?:his|her|their) (?:scans?|tests?|"
       r"results?|biopsy|cancer|tumou?r)|(?:he|she|they) (?:died|did not wake|was gone|were gone|never woke))"
       r"|i wish i (?:had|would|was|were) never (?:been )?born)\b", third_person=True),
    # a passive wish told through an accident: "if one of the trucks swerved into me and that was the end,
    # that would be alright"
    _r("accident_wish", CONCERN, (SI,),
       r"\bif (?:(?:a|one|the|some) (?:\w+ ){0,3}?(?:truck|lorry|car|bus|train|van)(?:es|s)?|one(?: of (?:them|those|these))?) "
       r"(?:\w+ ){0,2}?(?:(?:hit|hits|swerved into|ran into|crashed into|ran over|ploughed into|plowed into|took) me|"
       r"(?:ran|run|knocked) me (?:over|down))\b.{0,80}?(?:(?:would|that'd|it'd) (?:\w+ )?be "
       r"(?:alright|all right|ok|okay|fine|a relief|nice|a mercy|for the best)|(?:would not|wouldn't) (?:really |even )?"
       r"(?:mind|care)|i would be relieved)\b"
       r"|\b(?:would not|wouldn't) (?:really |even )?(?:mind|care) if (?:a|one|the|some) (?:\w+ ){0,3}?(?:truck|lorry|car|bus|"
       r"train|van)(?:es|s)? (?:\w+ ){0,2}?(?:(?:hit|swerved into|ran into|crashed into|ran over|took) me|(?:ran|run|knocked) me (?:over|down))\b"),
    # a relapse told in two words: "i went back to my flat and i cut."
    _r("self_harm_bare", URGENT, (SH,),
       r"\b(?:clean|streak|relapse\w*|urges?)\b.{0,300}?\bi (?:cut|burned|burnt)(?= *[.!?,;]| again\b)"
       r"|\bi (?:cut|burned|burnt)(?= *[.!?,;]| again\b).{0,200}?\b(?:again|pressure|relief|urges?|"
       r"clean|streak|relapse\w*|blood|bleed\w*|scars?)\b"),
    _r("third_party_stockpile", URGENT, (TP, SI),
       r"\b(?:she|he|they|my \w+) (?:is|has|have|are|had|was|were)(?: been)? (?:stockpiling|hoarding|saving up|saving|collecting|"
       r"stashing) (?:her|his|their|up) (?:\w+ )?" + _DRUG + r"\b", third_person=True),
)

# Questions about means that name neither "suicide" nor "kill": a count of tablets and "fatal", a method "that
# does not fail", how cold, how long in a closed garage, which stations have no barriers. Questions about safe
# doses, interactions or a pet stay with the medication-safety negatives.
_QUANTITY = r"(?:\d+|all|all of|the whole|a whole|every|enough|a lot of|loads of|the|my|these|those)"
RULES = RULES + (
    _r("lethal_amount_question", URGENT, (LM,),
       r"\b(?:would|will|could|is|are|does|do)\b(?:\s+\S+){0,2}?\s+" + _QUANTITY + r" (?:\w+ ){0,2}?" + _DRUG
       + r"\b(?:\s+\S+){0,6}?\s+(?:be (?:fatal|lethal|deadly|enough to (?:kill|do it|die|end it))|"
       r"(?:kill|finish) (?:me|a person|someone)|enough to (?:do it|kill me|end it|not wake up|finish me))\b"
       r"|\bis it possible to (?:die|overdose) (?:from|on) (?:too much |an overdose of |a lot of )?(?:\w+ )?" + _DRUG + r"\b"),
    _r("lethal_method_question", URGENT, (LM,),
       r"\b(?:surefire|sure-fire|foolproof|guaranteed|certain)\b(?:\s+\S+){0,2}?\s+(?:way|method|option)\b(?:\s+\S+){0,3}?\s+"
       r"(?:does not|will not|can not|never|won't|doesn't) fail\b"
       r"|\b(?:most effective|surest|most reliable|best|quickest) (?:method|way|option) for (?:someone|a person|people|me)\b"
       r"(?:\s+\S+){0,4}?\s+(?:determined|serious about it|ready to go|who wants? to die|suicidal|done with life)\b"
       r"|\b(?:make sure|so that|so) (?:nobody|no one) (?:finds|can find|will find) me (?:in time|until it is too late|before)\b"
       r"|\bwhich (?:is|one is|would be|is the) (?:worse|better|quicker|faster|surer|more reliable|more certain)\b,? "
       r"(?=(?:\S+\s+){0,6}?(?:hanging|drowning|overdos\w*|bleeding out|carbon monoxide|jumping (?:off|from)|slitting)\b)"
       r"|\b(?:how cold|what temperature)\b(?:\s+\S+){0,6}?\s+(?:i|a person|a human|someone|you)\b(?:\s+\S+){0,4}?\s+"
       r"(?:freeze to death|die of (?:the )?cold|die from (?:the )?cold)\b"
       r"|\bhow long\b(?:\s+\S+){0,8}?\s+(?:engine (?:on|running)|exhaust|carbon monoxide|fumes)\b(?:\s+\S+){0,8}?\s+"
       r"(?:closed|sealed|shut) (?:garage|car|room)\b"
       r"|\bhow long\b(?:\s+\S+){0,6}?\s+(?:closed|sealed|shut) (?:garage|car|room)\b(?:\s+\S+){0,6}?\s+(?:engine (?:on|running)|"
       r"exhaust|fumes|carbon monoxide)\b"
       r"|\bstations? (?:near me|nearest|closest|around here|in my area|i can (?:get|walk) to)\b(?:\s+\S+){0,4}?\s+(?:no|without|"
       r"do not have|don't have|with no) (?:platform )?(?:barriers|screen doors|safety doors|fences)\b"
       r"|\bhow (?:sharp|deep|hard|long)\b(?:\s+\S+){0,6}?\s+(?:need|needs|have|has) to be\b(?:\s+\S+){0,6}?\s+(?:hit|reach|cut|"
       r"get to)\b(?:\s+\S+){0,3}?\s+(?:something important|an artery|a vein|the artery|the vein)\b"
       r"|\b(?:deadliest|most deadly|most lethal|more dangerous|most dangerous|more deadly) in (?:bulk|overdose|large doses|big amounts)\b"),
)

# Veiled and indirect statements seen in held-out misses, each written as the family it belongs to.
_SEE_IT = r"(?:press|push|take|flip|hit|do|click) it"
RULES = RULES + (
    _r("veiled_wish_more", CONCERN, (SI,),
       r"\b(?:no one|nobody) (?:will|is going to) (?:even |really )?(?:miss|notice) me\b(?! (?:at|in|on|from|if i (?:leave|skip|go|"
       r"do not (?:go|come)|sneak)|when i (?:leave|go|skip|sneak)|for (?:a|an|one|the|half)))"
       r"|\bif there (?:was|were|is) a (?:button|pill|switch|way)\b(?:\s+\S+){0,6}?\s+(?:(?:made|make|makes|to make) me (?:vanish|"
       r"disappear|not exist|stop existing|never exist|die|gone)|erase(?:d|s)? me|delete(?:d|s)? me|i (?:would|could) (?:just )?"
       r"(?:vanish|disappear|stop existing|not exist|never have existed))\b(?:\s+\S+){0,10}?\s+(?:i would|i'd|id|i will) "
       + _SEE_IT + r"\b"
       r"|\b(?:hop\w*|wish\w*|praying)\b(?:\s+\S+){0,4}?\s+(?:the universe|god|the world|life) (?:just )?(?:deletes|erases|takes|"
       r"removes|ends) me(?: away| out)?(?= *(?:$|[.,!?;]|lol\b|tbh\b|already\b|now\b|soon\b))"
       r"|\b(?:jealous|envious) of (?:people|those|anyone|everyone) who (?:get to )?(?:die|are dead|pass away)\b"
       r"|\b(?:imagine|imagining|picture|picturing)\b(?:\s+\S+){0,6}?\s+(?:not existing|being dead|my (?:own )?funeral|"
       r"not being (?:here|alive|around)|me gone)\b(?=.{0,60}?\b(?:calm|relieved|relief|peace|peaceful|comfort\w*|good)\b)"
       r"|\b(?:feel|feeling|felt|am|i am) (?:so |completely |just )?done with (?:life|living|being alive|existing)\b"
       r"|\b(?:waiting|wait) for (?:my )?life to (?:be over|end|finish)\b"
       r"|\b(?:sleep|go to sleep|fall asleep) and not (?:come back|return|wake)\b(?! (?:to|from|for|until|till|before|after|in|up (?:until|till|before)))"
       r"|\b(?:would not|wouldn't) mind never waking up\b"
       r"|\b(?:afterlife|after death|death is like|dying is like|dying feels like)\b(?:\s+\S+){0,8}?\s+(?:ready|about|going|want) to find out\b"
       r"|\b(?:do not|don't|dont) (?:bother )?(?:save me a (?:seat|place|plate)|wish(?:ing)? me (?:a )?happy birthday|buy me "
       r"(?:a )?(?:present|gift))\b(?:\s+\S+){0,3}?\s+(?:at|for|next) (?:christmas|thanksgiving|next year|my birthday|easter)\b"
       r"(?![,.;:]? *(?:because|cos|as|since|i will be|i am|i'll|i'm|we are|we will|i have|working|on shift))"
       r"|\btell (?:my \w+|them|everyone|her|him|mum|mom|dad) (?:that )?i loved (?:her|him|them|you|everyone)\b(?:,? ok(?:ay)?)?(?=\W*$)"),
    _r("intent_more", URGENT, (SI,),
       r"\b(?:stop|keep|stopping|keeping) (?:myself|yourself|me) (?:from )?acting on (?:my |these |the |those )?(?:suicidal )?"
       r"(?:thoughts|urges|plan)\b"
       r"|\bsuicidal (?:thoughts|urges|feelings) (?:to )?(?:get|got|getting|become|becoming|have become) (?:really |so |much )?"
       r"(?:louder|worse|stronger|more intense|intense)\b"
       r"|\b(?:not|never) (?:plan|planning|plan on|planning on|expect|expecting|intend|intending) (?:on |to )?(?:be|being) alive "
       r"(?:after|by|past|at|for|in|on)\b(?! (?:\d|this hour|that hour|that time|a (?:monday|sunday|saturday)|(?:monday|sunday) morning))"
       r"|\b(?:close to|about to|going to|before i) (?:do|doing) something i (?:can not|cannot|can't|could not|won't be able to) "
       r"(?:undo|take back|come back from)\b(?! *[:-]| *(?:lol|haha|lmao)\b)"
       r"|\b(?:asked|asks) (?:me )?(?:if|whether) i (?:am|was|felt|feel|were) (?:safe|suicidal|having (?:suicidal )?thoughts)\b(?:\s+\S+){0,3}?\s+"
       r"(?:and|but) i lied\b|\blied to (?:the|my) crisis (?:team|line|worker|nurse)\b"
       r"|\bif i (?:do not|don't|dont) (?:reply|answer|respond|text back)\b(?:\s+\S+){0,4}?\s+(?:call|send|phone) (?:the police|"
       r"an ambulance|911|999|112|000)\b"
       r"|\b(?:want|need|waiting for) my (?:body|heart) to (?:give up|give out|shut down|stop|fail)\b(?= *(?:$|[.,!?;]|and\b|so\b|already\b|now\b|for good\b))"
       r"|\b(?:if|unless) (?:things|life|nothing|it|stuff|everything) (?:\w+ ){0,3}?(?:better|improves?|changes?)\b(?:\s+\S+){0,2}?\s+"
       r"by (?:my birthday|christmas|new year|\w+day|the end of (?:the )?\w+|next \w+)\b,? "
       r"(?:then )?i am (?:out|done|gone|finished|ending it|checking out)\b"
       r"|\b(?:my|the) (?:suicide |goodbye |last |final )?(?:note|letter)s? (?:is|are) (?:written|ready|done|finished|saved)\b"
       r"(?=.{0,80}?\b(?:courage|drafts?|just need|tonight|nobody|goodbye|when i am gone|after i am gone|find it)\b)"),
    # a threat the writer insists is meant: "i will end him. i mean it literally"
    _r("harm_others_serious", URGENT, (HO,),
       r"\bi (?:will|am going to|swear i will|am about to) (?:kill|end|murder|hurt|stab|shoot|strangle) (?:him|her|them|that \w+|"
       r"my \w+)\b(?=.{0,60}?\b(?:i mean it|i am serious|i am dead serious|literally|for real|i swear|seriously|not a joke)\b)"),
    _r("means_more2", URGENT, (LM,),
       r"\b(?:" + _ROPE + r"|noose|pills|tablets|gun|blades?|razors?)\b(?:\s+\S+){0,10}?\s+(?:and )?i keep (?:looking|staring) at "
       r"(?:it|them)\b"
       r"|\blooking at (?:the|that|those|my) (?:\w+ ){0,2}?(?:bridge|tracks|trains?|roof|cliff|ledge|balcony|pills|tablets|knives|"
       r"knife|blades?|razors?|rope|car park)\b(?:\s+\S+){0,5}?\s+differently(?= *(?:$|[.,!?;]|(?:lately|now|these days|recently|"
       r"every|when|and)\b))"
       r"|\bhow (?:high|tall) (?:does|do|would|should) (?:a|the) (?:building|bridge|cliff|drop|fall|balcony|multi-storey|car park|"
       r"tower|roof|window|floor) (?:need|have) to be\b"
       r"(?! (?:for|to (?:get|have|be legal|need|count|be called|qualify)|in order))"),
)

_EMPTY_PILLS = (r"(?:pill|tablet|medicine|meds) bottles?|empty (?:pill |blister |tablet |medicine )(?:packets?|bottles?|boxes|packs)|"
                r"(?:empty|open) (?:packets?|bottles?|boxes) of (?:\w+ )?" + _DRUG)
# Self-harm, abuse, threats and third parties told without the usual verbs (held-out misses, as families).
_CHILD = r"(?:child|kid|son|daughter|boy|girl|toddler|baby|niece|nephew|pupil|student|(?:\d+|\w+)[ -]year[ -]old)"
RULES = RULES + (
    _r("self_harm_quiet", URGENT, (SH,),
       r"\b(?:how (?:can|do) i|i want to|trying to|try to) stop (?:self-harming|self harming|cutting|burning myself|hurting myself)"
       r"(?= *(?:$|[.,!?;]|(?:myself|again|when|because|for good|completely|every|for)\b))"
       r"|\b(?:self-harm|self harm|cutting|cut)\b(?:\s+\S+){0,8}?\s+it (?:started|began) for me\b"
       r"|\b(?=kit|stash|tin)(?<!aid )(?<!first-aid )(?<!emergency )(?<!survival )(?<!sewing )(?<!repair )(?:kit|stash|tin)\b"
       r"(?:\s+\S+){0,6}?\s+"
       r"for when (?:it|things|i) (?:gets?|get|feel) (?:bad|too much|overwhelming|worse)\b(?![^.]{0,30}\b(?:migraine|asthma|"
       r"period|pain|allerg\w*|hike|hikes|hiking)\b)"
       r"|\bnot eating as (?:a )?punishment\b(?! for (?:my|the|a|your) (?:dog|cat|pet|kid|child|son|daughter))|\bstarv\w+ (?:myself )?(?:as (?:a )?punishment|because i deserve)\b"
       r"|\b(?:marks|scars|cuts)\b(?:\s+\S+){0,8}?\s+(?:are |is )?(?:new|fresh)\b(?:\s+\S+){0,6}?\s+(?:suspicious|notice|noticed|"
       r"noticing|asking|see them|find out)\b"
       r"|\b(?:hoodies?|long sleeves?|sleeves|jumpers?)\b(?:\s+\S+){0,6}?\s+(?:to cover|to hide|covering|hiding) (?:up )?(?:stuff|them|"
       r"the marks|the scars|the cuts|my wrists|my thighs)\b(?!.{0,80}\b(?:eczema|psoriasis|tattoo\w*|sunburn|birthmark|rash|acne)\b)"
       r"|\basked (?:me )?(?:if|whether) i (?:self-harm|self harm|cut|hurt myself|have been (?:self-harming|cutting))\b"
       r"(?:\s+\S+){0,3}?\s+(?:and|but) i lied\b"),
    _r("abuse_quiet", URGENT, (AB,),
       # sex while the writer cannot say no (asleep, passed out, very drunk), and a partner who keeps the writer's pay
       r"\b(?:forcing|forces|forced|makes|made|making|pressures|pressured) me (?:to )?(?:have sex|sleep with (?:him|her|them))\b"
       r"(?! (?:in|on) (?:my|a|the) (?:dream|story|book|novel|game))"
       r"|\b(?:has|had|have|having|starts having|started having) sex with me (?:while|when|after) i (?:am|was|have) "
       r"(?:asleep|sleeping|passed out|unconscious|black(?:ed)? out|(?:really |very |too )?drunk|fallen asleep)\b"
       r"|\bwaits? (?:until|till) i am (?:asleep|passed out|unconscious|(?:really |very |too )?drunk)\b(?:\s+\S+){0,6}?\s+"
       r"(?:sex|touch\w*|gets on top)\b"
       r"|\b(?:he|she|my (?:husband|wife|partner|boyfriend|girlfriend|fiance|mom|mum|mother|dad|father|stepdad|stepmom))"
       r"(?: \w+){0,2}? (?:takes|took|keeps|controls) (?:all )?(?:of )?my (?:whole |entire )?(?:paycheck|wages|salary|earnings|bank card|debit card)\b"
       r"(?:\s+\S+){0,4}?\s+(?:gives me|and lets me have|allowance|pocket money)\b"
       r"|\b(?:watches|watched|watching|films|filmed|records|recorded) me (?:shower|showering|in the shower|undress|undressing|"
       r"in the bath|bathing)\b"
       r"|\b(?:boss|employer|manager|agent|agency|sponsor) (?:keeps|took|takes|has|holds|is holding|won't give back|will not give "
       r"back) my (?:passport|papers|id|documents|visa)\b"
       r"|\bif i (?:do not|don't|dont|refuse to|will not|won't) (?:sleep with|have sex with|do (?:it|stuff) with|"
       r"send (?:him|her) (?:pics|photos|nudes)) ?(?:him|her)?\b"
       r"|\blocks (?:the )?(?:fridge|food|kitchen|cupboards?)\b(?! (?:at night )?(?:so|because) (?:the|our|my) (?:dog|cat|toddler|baby|kids?))|\bonly (?:get|allowed|let) (?:food|to eat|dinner|meals) if\b"
       r"|\block(?:s|ed)? (?:me|us|you) out (?:of the house )?(?:as (?:a )?punishment|in (?:the )?(?:winter|cold|snow))\b"
       r"|\btouch(?:es|ed)? me in (?:ways|places) (?:that )?(?:feel|felt|make me feel|made me feel) (?:wrong|weird|uncomfortable|bad)\b"
       r"|\b(?:still|currently) (?:living|live|stuck|staying) with (?:the|my) \w+ who (?:hurt|abused|hit|molested|touched|raped) me\b"
       r"|\b(?:staff|carers?|nurses?) (?:\w+ ){0,2}?(?:leave|left|keep|kept) me (?:in|without) (?:wet|soiled|dirty|food for)\b"
       r"|\bif i (?:try to |ever )?(?:leave|go|break up)(?: (?:him|her))?,? (?:he|she) (?:will|would|says (?:he|she) will|"
       r"is going to) (?:kill|hurt|take|make sure|find|ruin)\b"),
    _r("third_party_abuse_quiet", URGENT, (AB, TP),
       r"\b(?:split lip|black eye|bruises?|bruised|marks|welts)\b(?:\s+\S+){0,8}?\s+(?:said|says|told me)\b(?:\s+\S+){0,4}?\s+"
       r"(?:dad|mum|mom|father|mother|stepdad|stepmom|his dad|her dad|her mum|his mum|her mom|his mom|boyfriend|husband) "
       r"(?:was|got|gets|is) (?:angry|mad|drunk|cross)\b"
       r"|\b(?:sent|taken|going|being sent) (?:abroad|back home|overseas|to \w+) to (?:be married|get married|marry)\b"
       r"(?=.{0,80}\b(?:1[0-7]\b|forced|against (?:her|his|my) will|does not want|doesn't want|scared))"
       r"|\bmakes (?:her|him|them) (?:\w+ ){0,6}?keep (?:secrets|it a secret|it secret|a secret)\b"
       r"|\b(?:takes|took|taking) (?:her|his|their) (?:money|pension|benefits|savings)\b(?:\s+\S+){0,4}?\s+(?:and )?(?:does not|"
       r"doesn't|won't|will not|never) (?:feed|let)\b|\b(?:does not|doesn't) feed (?:her|him|them) properly\b"
       r"|\b1[0-5][ -]year[ -]old\b(?:\s+\S+){0,6}?\s+(?:dating|seeing|going out with|sleeping with)\s+(?:a |an )?"
       r"(?:[2-4]\d|twenty\w*|thirty\w*)[ -]year[ -]old\b"
       r"|\b(?:my|our) (?:\w+ )?\w+'s (?:boyfriend|husband|partner|girlfriend|wife|dad|father|stepdad|mum|mom|mother) (?:\w+ ){0,2}?"
       r"(?:is hurting|hits|hit|beats|is beating|is abusing|abuses|chokes|choked) (?:her|him|them)\b(?! feelings| pride| ego)"),
    _r("threat_quiet", URGENT, (HO,),
       r"\b(?:coming back|come back|bringing something|bring something|showing up) (?:here |in |to (?:work|school|class|the office) )?"
       r"(?:with something|tomorrow with something)(?= *(?:$|[.,!?;]|and\b))|\bit will not be (?:lunch|a gift|flowers)\b"
       r"|\b(?:jump|jumping|rush|corner|cornering) (?:him|her|them|this \w+)\b(?:\s+\S+){0,8}?\s+(?:knives|knife|blades?|bats?|"
       r"weapons?|shank)\b"
       r"|\bviolent thoughts (?:i have )?(?:about|toward|towards|of hurting|of killing) (?:my|him|her|them|someone|people)\b"
       r"|\b(?:scared|afraid|terrified) of (?:myself|what i (?:might|will|could) do)\b(?=.{0,200}\b(?:baby|kids?|children|son|daughter|"
       r"toddler|newborn)\b)"
       r"|\b(?:lose it|snap|lash out)\b(?:\s+\S+){0,6}?\s+(?:and )?(?:push|shove|hit|slap|shake|grab) (?:her|him|them|my \w+)\b"
       r"|\b(?:smack\w*|slap\w*|hitting|beat\w*) (?:my|our) (?:\w+ )?" + _CHILD + r"\b(?=.{0,80}\b(?:really hard|too hard|marks?|"
       r"bruises?|can not stop|scared|terrified)\b)"),
    # drugs taken and the body in trouble now: "double dropped at the festival and now my chest hurts"
    _r("drug_emergency", EMERGENCY, (OD,),
       r"\b(?:double dropped|took|taken|dropped|did|had) (?:\w+ ){0,4}?(?:pills|tabs|molly|mdma|ecstasy|acid|lsd|ket|ketamine|coke|"
       r"cocaine|xanax|bars|pingers|gbl|ghb|speed|meth)\b.{0,120}?\b(?:chest (?:hurts|pain|is tight)|can not (?:stop shaking|breathe)|"
       r"heart (?:is )?(?:racing|pounding)|seizure|fitting|passing out|overheating|can not wake (?:her|him|them))\b"
       r"|\bdouble dropped\b.{0,80}?\b(?:shaking|chest|heart|can not|scared|help)\b"),
    # found on fresh7a (a helper's set, read after its one independent measurement)
    _r("third_party_collapse", EMERGENCY, (TP, OD),
       r"\b(?:passed out|unconscious|unresponsive|collapsed|(?:will not|can not|cannot) wake (?:him|her|them)(?: up)?|not breathing)\b"
       r".{0,80}?\b(?:" + _EMPTY_PILLS + r")\b"
       r"|\b(?:" + _EMPTY_PILLS + r")\b.{0,80}?\b(?:passed out|unconscious|"
       r"unresponsive|collapsed|(?:will not|can not|cannot) wake (?:him|her|them)|not breathing)\b"),
    _r("poison_hidden", URGENT, (LM, HO),
       r"\b(?:poison|drug|substance|something)\b(?:\s+\S+){0,3}?\s+(?:that )?(?:does not|will not|would not|can not|doesn't|won't) "
       r"(?:show up|be found|be detected|be traced)\b(?:\s+\S+){0,3}?\s+(?:on|in|by) (?:a |an )?(?:tox\w*|autopsy|blood test|"
       r"post-mortem|postmortem|drug test)"),
    _r("chemicals_to_drink", URGENT, (LM,),
       r"\b(?:most|more|very) (?:poisonous|toxic|lethal|deadly|dangerous) to (?:drink|swallow|inhale|breathe in)\b"
       r"(?=.{0,80}?\b(?:works?|quick|quickly|fast|for me|myself|enough|sure)\b)"),
    _r("accident_wish_more", CONCERN, (SI,),
       r"\b(?:getting|being) (?:hit|run over|killed) by (?:a|the) (?:bus|truck|lorry|car|train)\b (?:\w+ ){0,3}?would "
       r"(?:honestly |actually |literally |just )?be (?:a |such a )?(?:vacation|holiday|relief|blessing|break|nice|welcome|mercy|"
       r"gift|dream)\b"),
    _r("third_party_more", URGENT, (TP, SI),
       r"\b(?:said|says|told me) [\"']?remember me\b(?= *(?:when|by|$|[.,!?\"']))"
       r"|\b(?:has|have|had) taken care of everything\b(?! for)(?:\s+\S+){0,12}?\s+(?:if anything happens|(?:when|after) (?:i am|she is|he is|they are) gone|"
       r"feed (?:his|her|my) (?:cat|dog))\b"
       r"|\b(?:standing|sitting|is|she is|he is) (?:\w+ ){0,3}?(?:high up|on (?:the|a) (?:edge|ledge|bridge|roof|balcony|cliff|"
       r"railing))\b.{0,150}?\b(?:going to|gonna|about to|will) let go\b(?! of)"
       r"|\b(?:searching|googling|looking up|researching) (?:about |for )?(?:suicide(?! prevention| awareness)|ways to die|how to (?:die|"
       r"kill (?:himself|herself)))\b(?!.{0,80}\b(?:project|homework|essay|assignment|class)\b)"
       r"(?=.{0,60}\b(?:his|her|their) (?:laptop|phone|computer|history|tablet)\b)"
       r"|\bthreat(?:en|ens|ened) (?:to )?(?:suicide|kill (?:himself|herself)|hurt (?:himself|herself))\b(?:\s+\S+){0,6}?\s+"
       r"(?:if|when|every time) i (?:try to )?(?:leave|break up|go)\b"
       r"|\b(?:this weekend|tonight|today|tomorrow|friday|this week) (?:is|will be) (?:the end|my last) (?:for me|day)\b"),
)

# Shapes from real questions (CounselChat's dev half, our labels): told plainly, in the middle of a story.
RULES = RULES + (
    _r("self_harm_real", URGENT, (SH,),
       r"\bi (?:can not|cannot|can't) (?:help but|stop|seem to stop) (?:self-harm\w*|cutting|hurting myself|burning myself)\b"
       r"|\bwhen i am not cutting\b"
       # ... also as one step of a list of what the writer does: "i cry, pull at my hair, hit myself, and throw things"
       r"|\b(?:i |and |then |, )(?:hit|punch|slap|scratch|bite|pinch) myself\b(?! (?:in the|by accident|accidentally|with the|on the|while))"),
    _r("coerced_sex", URGENT, (AB,),
       r"\b(?:scared|afraid|terrified|too scared|too afraid) to say no\b(?=.{0,150}\b(?:gave in|advances|sex|slept with|touched|"
       r"kissed|came on to me)\b)|\b(?:advances|came on to me)\b.{0,150}\b(?:scared|afraid|terrified) to say no\b"),
    _r("harm_partner_real", URGENT, (HO,),
       r"\bi want to stop (?:physically )?(?:abusing|hitting|hurting|beating) (?:him|her|my (?:\w+ )?(?:girlfriend|boyfriend|wife|"
       r"husband|partner|kids?|children|son|daughter|mum|mom|mother|dad|father|brother|sister|baby))\b"
       r"|\b(?:sometimes |then |and )i (?:hit|slap|punch|push|shove|choke|kick) (?:her|him)\b(?=.{0,60}\b(?:angry|lose it|temper|"
       r"enough to|harm|hurt|cause)\b)"),
    _r("child_hurt_real", URGENT, (AB, TP),
       r"\b(?:choke|chokes|choking|choked|strangle\w*|beat|beats|beating) my (?:\w+ )?(?:daughter|son|child|baby|kid|"
       r"(?:\d+|\w+)[ -]year[ -]old)\b"),
    _r("how_much_longer", CONCERN, (SI,),
       r"\b(?:do not|don't|dont) know how (?:much )?(?:longer|long) i can (?:keep )?(?:try|trying|go on|going on|keep going|do this|"
       r"hold on|take (?:it|this)|keep fighting|cope|survive|last|live like this)\b"),
)

# Grooming, wounds kept hidden, a child's signs of abuse, fear of someone coming in at night, a lethal-outcome
# question, fewer people to leave behind: each told with the detail that makes it one (session 15).
_MINOR = r"(?:i am|i'm|im|she is|he is|they are) (?:only |just )?(?:1[0-7]|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen)\b"
RULES = RULES + (
    _r("grooming_signs", URGENT, (AB,),
       # the classic lines of grooming, beside secrecy, meeting, pictures, an age or being online
       r"\b(?:says|said|tells me|told me|keeps saying|keeps telling me) (?:that )?i am (?:really |so |very |way )?(?:mature|grown up) "
       r"for my age\b(?=.{0,120}\b(?:secret|not to tell|do not tell|delete|meet|online|photos?|pictures?|pics|1[0-7])\b)"
       # a minor with an adult partner who wants it hidden
       r"|\b" + _MINOR + r".{0,60}\b(?:boyfriend|girlfriend|bf|gf|he|she) is (?:2\d|3\d|4\d)\b(?=.{0,100}\b(?:secret|not to tell|"
       r"do not tell|hide|delete)\b)"
       r"|\b(?:boyfriend|girlfriend|bf|gf) is (?:2\d|3\d|4\d)\b.{0,60}\b" + _MINOR + r"(?=.{0,100}\b(?:secret|not to tell|"
       r"do not tell|hide|delete)\b)"),
    _r("self_harm_wounds", URGENT, (SH,),
       # wounds or cuts of one's own, hidden or going bad
       r"\b(?:my |new |fresh )(?:self-harm )?(?:wounds|cuts|burns)\b(?:\s+\S+){0,3}?\s+(?:keep |are |is |have )?(?:getting |got |gotten |"
       r"look |looks |looking )?infected\b(?=.{0,80}\b(?:hide|hiding|hid|can not tell|cannot tell|nobody knows|no one knows|"
       r"my parents|doctor)\b)"
       r"|\b(?:new|fresh) (?:wounds|cuts|burns)\b(?:\s+\S+){0,4}?\s+(?:because|since|as) i (?:hide|hid|cover) them\b"
       r"|\b(?:asks?|asked|asking) (?:me )?about the (?:marks|cuts|burns) on my (?:wrists?|arms?|thighs?|legs?|stomach)\b"
       r"|\bcut (?:words|letters|names?|his name|her name) into my (?:skin|arms?|wrists?|legs?|thighs?|stomach)\b"
       r"|\bscratch\w* (?:my skin )?until (?:my skin is |it is |it )?(?:raw|bleeds|bleeding|bled)\b(?! from (?:the|my) (?:eczema|rash|bites?))"
       # cuts named once, then told without the word: "how do i look after cuts ... i did some on my thigh yesterday"
       r"|\b(?:cuts?|cutting|blades?|razors?|self-harm)\b.{0,150}\bi (?:did|made|do|have done) (?:some|a few|a couple|more|another|"
       r"one|two|three|them) (?:more )?(?:again )?on my (?:thighs?|arms?|wrists?|legs?|stomach|hips?|ankles?)\b"),
    _r("grooming_third_party", URGENT, (AB, TP),
       # a child and an adult stranger who asks to meet or sends gifts
       r"\b" + _CHILD + r"\b.{0,120}\b(?:an? )?(?:adult|older|grown) (?:man|woman|guy|stranger|bloke)\b.{0,120}\b(?:(?:asked|asks|"
       r"wants|wanted|is trying|keeps asking) (?:him |her |them )?to meet|sends (?:him|her|them) (?:money|gifts|presents|robux|"
       r"v-?bucks|gift cards))\b"),  # not suppressed by a game's name: games are where it happens
    _r("third_party_wounds", URGENT, (SH, TP),
       r"\b(?:has|with|got|showed me|saw|seen) (?:\w+ )?self-harm (?:wounds|cuts|marks|burns)\b(?=.{0,80}\b(?:infected|refuses|"
       r"will not|won't|fresh|new|hides?|hiding|bleeding)\b)", third_person=True),
    _r("child_abuse_signs", URGENT, (AB, TP),
       # a child or another person (not a pet) with bruises who flinches, either order
       r"\b(?:" + _CHILD + r"|he|she|they)\b(?:\s+\S+){0,6}?\s+(?:has|had|have|with|comes in with|came in with|turns up with|"
       r"turned up with|shows up with) (?:\w+ )?(?:bruises|welts)\b.{0,80}\bflinch\w*\b(?!.{0,40}\b(?:loud noises|fireworks|thunder)\b)"
       r"|\b(?:" + _CHILD + r"|he|she|they)\b(?:\s+\S+){0,3}?\s+flinch\w*\b(?!.{0,40}\b(?:loud noises|fireworks|thunder)\b)"
       r".{0,80}\b(?:bruises|welts)\b"
       r"|\bdrawing (?:pictures |pics )?of (?:himself|herself|themselves|themself) (?:dead|dying|hanging|with a knife)\b",
       third_person=True),
    _r("night_visits", URGENT, (AB,),
       r"\b(?:scared|afraid|terrified|frightened) (?:to|of going to) (?:go to )?sleep\b.{0,60}\b(?:uncle|stepdad|step dad|"
       r"stepfather|dad|father|brother|cousin|grandad|grandpa|mum's boyfriend|mom's boyfriend|he|she) (?:comes|creeps|sneaks|gets) "
       r"in(?:to)?\b"
       r"|\b(?:uncle|stepdad|step dad|stepfather|cousin|mum's boyfriend|mom's boyfriend) (?:comes|creeps|sneaks|gets) (?:in|into my "
       r"(?:room|bed)) (?:at night|when everyone is asleep|when (?:mum|mom) is (?:asleep|at work|out))\b"),
    _r("lethal_outcome_amount", URGENT, (LM,),
       r"\bhow (?:much|many)\b(?:\s+\S+){0,2}?\s+(?:" + _DRUG + r"|pills|tablets|meds|medication|medicine)\b(?:\s+\S+){0,2}?\s+"
       r"(?:does it take|would it take|do you need|would you need|to take) to "
       r"(?:cause|get|give (?:you|me|someone)) (?:liver failure|organ failure|kidney failure|heart failure|a fatal)\b"),
    _r("fewer_left_behind", CONCERN, (SI,),
       r"\b(?:less|fewer) people to (?:leave behind|hurt when i (?:go|am gone|die)|miss me|mourn me|grieve)\b"),
    # regret at having survived or woken: a passive wish to be dead told about the past ("i wish i had died in that
    # accident", "disappointed i woke up this morning"), not a late alarm or dyed hair
    _r("survival_regret", CONCERN, (SI,),
       r"(?:\bi |^)(?:wish(?:ed)? (?:that )?i (?:had|would have|'d)|should have) died\b(?! (?:my|her|his|their|it|them|the|a|laughing)\b)"
       r"|(?:\bi |^)wish(?:ed)? (?:that )?i (?:did not|had not|never|would not have) (?:survived?|woken up|wake up|woke up|pulled through|"
       r"pull through|come back|came back|made it out|make it out)\b(?! (?:from|to|with|home|late|early|so|at|on|in time)\b)"
       r"|\b(?:disappointed|annoyed|upset|gutted|sad|angry|frustrated|sorry|pissed off|mad) (?:that |when |because )?i "
       r"(?:(?:woke up|wake up|am still (?:alive|here|breathing)|made it through|did not die|lived)\b"
       r"(?! (?:late|early|too|at|with|to|in time|on time|so|after|before|the (?:exam|test|interview|night|week|party))\b)"
       r"|survived(?= *(?:$|[.,!?;]| again\b| it\b| that\b| the (?:crash|accident|attempt|overdose|fall|night)\b)))"
       r"|\b(?:disappointed|gutted|sad|upset) (?:every|each) (?:morning|day|time) (?:that |when )?(?:i|you) (?:wake|woke) up\b"
       r"(?! (?:late|early|too|at|with|to|in time|on time|so|after|before)\b)"
       r"|\b(?:envy|jealous of) (?:people|those|anyone|everyone|the ones|the people) (?:who|that) (?:die(?! (?:their|my|his|her)\b)|"
       r"died|are dead|get to die|do not wake up|never wake up|pass away|passed away)\b"),
)

# Warning signs that suicide-prevention guidance lists, in wordings the rules above did not know (session 19): the
# burden ("they would have an easier life without me"), leaving things in order for whoever finds them, waking up
# as a daily disappointment, leaving for good, and sleep that does not end.
RULES = RULES + (
    _r("burden_without_me", CONCERN, (SI,),
       r"\b(?:would|will|'d) (?:\w+ ){0,2}?(?:have|be|live) (?:an? |so much |much |a lot |far )?(?:easier|happier|simpler|"
       r"lighter|better) (?:life |lives )?without me\b(?! (?:at|on|in|for|there|tonight|today|this)\b)"),
    _r("order_for_finder", CONCERN, (SI,),
       r"\b(?:tidy|clean|sorted|in order|easy|easier|organi[sz]ed)\b(?:\s+\S+){0,3}?\s+for (?:whoever|the person who|the "
       r"people who|whoever has to|whoever needs to) finds? (?:it|me|them|the (?:flat|house|place|room|body))"
       r"(?= *(?:$|[.,!;]|and\b|when\b|after\b))"),
    _r("waking_disappointment", CONCERN, (SI,),
       r"\bdisappointment of (?:wak(?:e|ing) up|still being (?:here|alive)|another (?:day|morning))\b"
       r"(?! (?:late|early|to (?:a|the|an|rain|snow|find)|at|in|on|with|before|after)\b)"),
    _r("leaving_for_good", CONCERN, (SI,),
       r"\b(?:logging off|checking out) for good\b"
       r"(?=.{0,40}?\b(?:tonight|now|thanks|thank you|bye|goodbye|everyone|you were|take care|love you)\b)"
       r"(?!.{0,60}?\b(?:server|group|account|app|platform|forum|site|game|channel|the new one|new server|moving to)\b)"),
    _r("endless_sleep", CONCERN, (SI,),
       r"\b(?:the|a) (?:permanent|forever|eternal|endless|never ending|never-ending) (?:nap|sleep)\b"
       r"|\b(?:take|taking|have|having) the (?:long|big) (?:nap|sleep)\b"),
    # putting affairs in order: what one cancels or gives away will not be needed "where i am going" (a trip says where)
    _r("no_need_after", CONCERN, (SI,),
       r"\b(?:cancel\w*|quit|closed|ended|stopped) (?:my |the )?\w+(?: \w+){0,8}?,? (?:and )?(?:i )?(?:do not|will not|would not) "
       r"need (?:them|it|any of (?:it|them))(?: anymore| any more)? where i am going\b(?!\s*(?:[:(\-]|(?:,\s*)?(?:is|it is|in|on|to|for|there)\b))"
       r"|\b(?:giving|gave|give) (?:away )?(?:all )?(?:my |some of my )?(?:favourite |favorite |best )?"
       r"(?:things|stuff|belongings|possessions|jewellery|jewelry)\b(?:\s+\S+){0,8}?\s+"
       r"(?:i|since i|because i|as i) (?:will not|do not|would not|am not going to) need (?:them|it|any of it)"
       r"(?: anymore| any more)?\s*(?:$|[.!?;])"),
    # envy of the dead, and disappointment at surviving an accident
    _r("envy_of_the_dead", CONCERN, (SI,),
       r"\b(?:crash|accident|died|dies|killed|death|deaths)\b(?:\s+\S+){0,10}?\s+(?:my (?:brain|mind|first thought) "
       r"(?:goes|is|says|thinks)|i (?:just |always )?(?:think|thought|feel|felt|go|went))[,:]? lucky (?:them|him|her|bastards?|ones)\b"
       r"(?! to\b| for\b)"
       r"|\b(?:disappointed|gutted|sad|annoyed|upset) (?:that )?(?:it|the car|the plane|the bus|the train|i|we) (?:did not|was not) "
       r"(?:go off the road|crash|hit me|kill me|end it|end me|fatal)\b"),
    # envy of someone who died, told as their escape: "jealous of my wife, at least she got to go", "he got out. i am
    # still stuck in here", "lately i envy him more than i miss him" (not envy of a living person's luck)
    _r("envy_of_the_dead_more", CONCERN, (SI,),
       r"\b(?:jealous|envious)\b(?:\s+\S+){0,6}?\s+(?:at least )?(?:she|he|they) (?:gets?|got) to (?:rest|go|leave|be at peace|"
       r"sleep)\b(?! (?:to|on|for|home|out|see|and|with|in|abroad|away|back|first|travelling|somewhere)\b)"
       r"|\b(?:she|he|they) (?:gets?|got) to (?:rest|go|leave|be at peace)\b(?:\s+\S+){0,6}?\s+(?:and |but |while |i )?"
       r"(?:i am|i have to|i still have to|i am still|i am stuck)\b"
       r"|\b(?:passed|died|funeral|gone|obituar\w+)\b(?:\s+\S+){0,8}?\s+(?:he|she|they) (?:got|is|are) out\b(?=.{0,40}\bi am (?:still )?"
       r"(?:here|stuck)\b)|\b(?:jealous|envious)\b(?:\s+\S+){0,3}?\s+(?:she|he|they) (?:is|are) the ones? who (?:gets?|got) to (?:rest|go)\b"
       r"|\b(?:envying|envy) (?:him|her|them) more than (?:i )?(?:missing|miss)\b"
       r"|\b(?:read|reading) the obituaries\b(?:\s+\S+){0,6}?\s+(?:jealous|envious|envy)\b"),
    # an end planned or counted on, told in passing: "not planning to still be alive by spring", "before i end it",
    # "my last birthday, like ever", "whatever happens, it is not your fault", "goodnight for good"
    _r("anticipated_end", CONCERN, (SI,),
       r"\b(?:not|never) (?:planning|planning on|going|expecting|intending) (?:to |on )?(?:still )?(?:be|being) "
       r"(?:alive|here|around)\b(?! (?:at|for) (?:the|this|that|your|his|her|their) (?:party|meeting|wedding|weekend|event|dinner|"
       r"holidays?|game|match|trip)\b)"
       r"(?! (?:after|before|until|till|at|past) (?:\d|noon|midnight|lunch|dinner|work|school|class|the)\b)"
       r"|(?<=\bi )will not be alive (?:by|for|to|when|at|in|after|next)\b(?! see (?:flying|the|a|it|that)\b)"
       r"|\b(?:(?:is|be|will be|is going to be) my last (?:birthday|christmas)|my last (?:birthday|christmas)(?:,)? (?:like )?ever)\b"
       r"(?! (?:in|at|as|before|with|here|there|of|living|working|at home|single|abroad|away)\b)"
       r"|\bwhatever happens,? it is not your fault(?=\s*(?:$|[.!,;]))|\bit is not your fault,? whatever happens\b|\b(?:goodnight|good night) for good\b"
       r"|\bsaying goodbye (?:to (?:him|her|them|everyone|my \w+) )?in my own way\b"
       r"|\b(?:remember|remembers) me (?:like this|by)\b(?=.{0,60}\b(?:before i am gone|when i am gone|when i am not here|"
       r"after i am gone)\b)|\bbefore i am gone\b"
       r"|\b(?:once|when|after) (?:she|he|mum|mom|dad|my \w+) (?:passes|dies|is gone|goes)\b(?:\s+\S+){0,3}?\s+i will "
       r"(?:go|follow (?:her|him|them)|join (?:her|him|them))(?: too| as well| with (?:her|him|them))?\b"
       r"|\bi will (?:go|follow (?:her|him|them)) too (?:once|when|after) (?:she|he|mum|mom|dad|my \w+) (?:passes|dies|is gone)\b"),
    # more of the same, told in passing: "if i went to sleep and never woke up that would be ideal", "disappointed that i
    # opened my eyes", "part of me was disappointed it missed me", "one more year i failed at disappearing", "you know
    # you are wrapping up your life", "i am not coming back from this one"
    _r("wish_in_passing", CONCERN, (SI,),
       r"\bif i (?:went to sleep|fell asleep|slept) and (?:never|did not|didnt) (?:woke|wake) up,? (?:that would|that'd|thatd|it "
       r"would|it'd) be (?:ideal|nice|great|fine|perfect|a relief|okay|ok|good)\b"
       r"|\b(?:disappointed|gutted|annoyed|sad)\b(?:,? as usual,?)? (?:that )?i (?:opened my eyes|woke up again|am still breathing)\b"
       r"|\b(?:disappointed|gutted|sad) (?:that )?(?:it|the (?:car|bus|truck|lorry|train)) missed me\b"
       r"|\bfailed at (?:disappearing|dying|ending it|killing myself|not existing)\b"
       r"|\b(?:wrapping up|winding up|tying up the loose ends of) (?:my|your) life\b"
       r"|\bi am not coming back from this(?: one| time)?\b(?! (?:injury|trip|holiday|job|break|season|game)\b)"
       r"|\bhope (?:one day |someday |some day )i (?:do not|never|will not) wake up\b"
       r"|\b(?:think|thinking|thought) about helping (?:that|it|things|the end) along\b"
       r"|\bstopped (?:taking )?(?:my )?(?:\w+ ){0,2}(?:meds|tablets|pills|medication|medicine|insulin|dialysis|treatment)\b"
       r"[^.?!]{0,60}?\b(?:no point|what is the point|no reason)\b"
       r"|\bstopping (?:everything|treatment|dialysis|my (?:treatment|meds|medication|insulin|dialysis))\b(?:\s+\S+){0,4}?\s+"
       r"(?:and )?(?:let|letting) (?:it|myself|my body) (?:end|go|die)\b"
       r"|\b(?:not|never) (?:planning|planning on|going) (?:to be |on )?needing (?:it|them|this|anything)(?: much)? "
       r"(?:longer|anymore|after)\b"
       # someone wishes the writer dead or gone, and the writer offers to oblige: "they would rather have a dead son ...
       # maybe i should give them what they want"
       r"|\b(?:dead|die|died|gone|better off without me|rather i was not here|wish i was never born)\b[^.?!]{0,80}?[.?!,]?\s*"
       r"(?:and |so )?(?:maybe |honestly |so )?i (?:should|will|might|could|may as well) (?:just )?give (?:them|him|her|everyone) "
       r"what (?:they|he|she) (?:want|wants|asked for)\b"),
    # an end counted on in so many words is never an ordinary absence ("the lease" beside it says nothing)
    _r("not_alive_by", CONCERN, (SI,),
       r"\b(?:not|never) (?:planning|planning on|going|expecting|intending) (?:to |on )?(?:still )?(?:be|being) alive\b"),
    _r("before_i_end_it", URGENT, (SI,),
       r"\b(?:before|after|once|when) i (?:end it|end things|end it all|end my life|take my (?:own )?life|kill myself|go through "
       r"with it)\b(?! (?:with|between|for good with)\b)"),
    # anger at being brought back: "why do they keep bringing me back", "they should not have restarted it"
    _r("revived_against_will", CONCERN, (SI,),
       r"\bwhy (?:do|did|would) (?:they|you|the (?:doctors|paramedics|nurses)) (?:keep )?(?:(?:bring|bringing|brought) me back|"
       r"(?:save|saving|saved) me(?=\s*(?:$|[.,!?;]| again\b)))|\b(?:they|the doctors|the paramedics|the nurses|you) (?:should not|"
       r"should never) have (?:restarted (?:it|my heart)|revived me|resuscitated me|brought me back|pumped my stomach|"
       r"saved me(?=\s*(?:$|[.,!?;]| that\b)))|\bshould have (?:just )?let me (?:die|go)\b"
       r"|\b(?:angry|mad|furious|resent\w*) (?:at |with )?(?:them|the (?:doctors|paramedics|nurses|ambulance crew))\b(?:\s+\S+){0,3}?"
       r"\s+(?:for )?(?:saving|reviving|resuscitating|bringing me back)\b"
       r"|\b(?:the )?paramedics saved me\b(?=.{0,60}\b(?:angry|mad|furious|resent\w*|wish they had not|should not have)\b)"),
    # hiding or explaining away self-harm injuries
    _r("hidden_injuries", URGENT, (SH,),
       r"\b(?:cover|covering|hide|hiding|conceal|concealing)\b(?:\s+\S+){0,3}?\s+(?:arm|wrist|thigh|leg) (?:marks|scars|cuts)\b"
       r"|\b(?:long sleeves|a hoodie|hoodies|a jumper|a cardigan)\b(?:\s+\S+){0,8}?\s+because of (?:my|the) "
       r"(?:arms|wrists|thighs|marks|scars|cuts)\b(?! (?:being|getting) (?:cold|sunburnt|sunburned))"
       r"|\b(?:asks?|ask me|sees?|notices?|noticed|saw|see) (?:about )?(?:the |my )?(?:marks|scars|cuts|scabs) on my (?:wrists?|arms?|thighs?)\b"
       r"|\b(?:self-harm|sh) scars\b(?:\s+\S+){0,8}?\s+(?:mine are|they are|are) (?:new|fresh|still new)\b"
       r"|\b(?:lie|excuse|story|explanation) for (?:the school nurse|my mum|my mom|my parents|the nurse|my doctor|my teacher|pe|gym)"
       r"(?:\s+\S+){0,6}?\s+(?:sees|notices|asks about) my (?:wrists?|arms?|thighs?)\b"),
)

# Threats and danger at home said the way people say them without naming the act (session 23, from probe messages
# written by helpers): a threat veiled as knowing where someone sleeps, as not answering for what happens, or as an
# act that would make the news; not wanting to be home when a drinking parent or partner gets back; a child of 17 or
# under turned out of the house. Each needs the cue that carries the threat: "i know where she lives, shall i send
# flowers" and "i will not be responsible for what happens to the cake" do not match.
_ANGER = r"(?:angry|anger|furious|rage|hate|hated|pissed|livid|revenge|pay for|get back at|sorry|regret)"
_WHERE_THEY = (r"(?:exactly )?(?:who (?:\w+ ){1,5}?and )?where (?:he|she|they|you|that \w+|my \w+) "
               r"(?:lives?|sleeps?|works?|parks?|goes to school)\b")
RULES = RULES + (
    _r("threat_veiled", URGENT, (HO,),
       r"^(?=.*\b" + _ANGER + r"\b)(?!.*\b(?:lol|haha|lmao|jk|joking|kidding)\b).*?\bi know " + _WHERE_THEY +
       r"|\b(?:will not|would not|can not|cannot) be (?:held )?responsible for what (?:happens|i do|i might do)\b"
       r"(?! (?:to (?:the|your|my|it|this|that) )?(?:cake|food|dinner|car|house|plants?|room|garden|kitchen|fridge|leftovers|weather)\b)"
       r"|\b(?:do|doing|did) something (?:that|which) (?:will |would |is going to )?(?:gets?|puts?|lands?) me "
       r"(?:on the news|in the news|in the papers|in jail|in prison|locked up|arrested)\b"),
    # self-harm told in the community's words: "sh thoughts all day", hiding "fresh ones", scars explained away
    _r("self_harm_hinted", URGENT, (SH,),
       r"\bself-harm (?:thoughts|urges?|cravings?)\b"
       r"|\b(?:cover|covering|hide|hiding|conceal\w*)\b(?:\s+\S+){0,2}?\s+(?:the |my )?fresh (?:ones|cuts|marks|wounds|burns)\b"
       r"|\bexplain (?:the|my) (?:scars|marks|cuts|burns)\b(?:\s+\S+){0,6}?\s+without (?:her|him|them|anyone|people|my \w+) "
       r"(?:realising|realizing|knowing|finding out|noticing|guessing|asking)\b"),
    # whether a pharmacy would notice medicines gathered up: "can the pharmacist tell if im stockpiling", "do pharmacies
    # check how many packs you bought this week"
    _r("means_stockpile", URGENT, (LM,),
       r"\b(?:pharmacist|pharmacists|pharmacy|pharmacies|chemist|chemists)\b(?:\s+\S+){0,2}?\s+(?:tell|check|notice|track|know|see)\b"
       r"(?:\s+\S+){0,2}?\s+(?:if|when|how many|how much)\b(?:\s+\S+){0,3}?\s+(?:stockpil\w*|hoard\w*|packs|boxes|packets|bottles|"
       r"bought|buy|buying)\b"),
    # strangling and drowning told as what was done, the strongest warning sign of a violent partner: "partner put his
    # hands round my neck during an argument", "he got mad and held my head under the bathwater"
    _r("neck_or_water", URGENT, (AB,),
       r"^(?=.*\b(?:mad|angry|anger|argument|arguing|fight|fighting|row|rage|raging|drunk|squeez\w*|breathe|chok\w*|tight|hard|"
       r"scared|terrified|pinned|marks|bruis\w*|normal|abuse|abusive)\b).*?\b(?:" + _ABUSER + r"|partner|husband|wife|boyfriend|"
       r"girlfriend)\b(?:\s+\S+){0,4}?\s+(?:put|puts|had|has|wrapped|wraps|got|gets|squeezed) (?:his|her|their|both) hands "
       r"(?:round|around) my (?:neck|throat)\b"
       r"|^(?!.*\b(?:teach\w*|taught|swim\w*|lessons?|playing|game|lol|haha|joke|joking|dunk\w*)\b).*?\b" + _ABUSER +
       r"\b(?:\s+\S+){0,4}?\s+(?:held|holds|pushed|pushes|forced|forces|shoved|kept) my (?:head|face) (?:under|into) "
       r"(?:the )?(?:water|bathwater|bath|sink|pool|toilet)\b"),
    _r("home_fear", URGENT, (AB,),
       r"\b(?:do not|really do not|never) want to (?:go|be|get) (?:back )?home\b(?:\s+\S+){0,3}?\s+(?:when|while|before|until|after|if) "
       r"(?:he|she|they|my (?:\w+ )?(?:dad|father|stepdad|stepfather|mom|mum|mother|stepmom|stepmum|husband|wife|partner|boyfriend|"
       r"girlfriend|parents))\b(?:\s+\S+){0,6}?\s+(?:drunk|drinking|the pub|the bar|the bottle|high|wasted|in a mood|in one of "
       r"(?:his|her|their) moods|angry|raging)\b"
       r"|\b(?:kicked|thrown|threw|locked) (?:me )?out\b(?=.{0,120}?\b(?:i am|i'm) (?:only )?(?:1[0-7]|thirteen|fourteen|fifteen|"
       r"sixteen|seventeen)\b)|\b(?:i am|i'm) (?:only )?(?:1[0-7]|thirteen|fourteen|fifteen|sixteen|seventeen)\b"
       r"(?=.{0,120}?\b(?:kicked|thrown|threw|locked) me out\b)"),
)

# Session 24 (probe messages written by helpers): life told as a game, a show, a match or a job that ends ("game over
# for me irl", "rage quitting life this weekend", "the credits are rolling on me", "clocking out of everything, not just
# the warehouse"); becoming a statistic; welcoming death or envying the dead; being understood only afterwards
# ("everyone at that school will finally understand how i felt. soon"); a goodbye to an online group with a date; a
# leaving that others take for a new job; no plans past a date "because there is no point"; affairs put in order
# against a near date; a self-harm streak broken; a method named by its nickname ("the car in the garage thing"); a
# baby shaken and now limp. Each needs the word that makes it about the writer's life: "game over for me, we lost
# the final", "clocking out of the warehouse at 6" and "the credits are rolling, best film this year" do not match.
_LIFE_OBJECT = (r"(?:of |on |from |to |with )?(?:(?:(?:my )?life|the world|this world|existence|being alive|irl|in real life|"
                r"reality|this planet|living)\b(?! (?:admin|insurance|coach|coaching|hacks?|skills?|lessons?|story|in the|as a|"
                r"of(?! me| mine))\b)|everything(?=\s*(?:[.,;!?]|$|not just|for good|and everyone|tonight|this weekend|soon)))")
_NEAR_DATE = (r"(?:tonight|tomorrow|the weekend|this weekend|next week|(?:this |next )?(?:monday|tuesday|wednesday|thursday|friday|"
              r"saturday|sunday)|the end of (?:the|this) (?:week|month)|the \d+(?:st|nd|rd|th)?|then)\b")
RULES = RULES + (
    _r("exit_metaphor", CONCERN, (SI,),
       r"\b(?:rage ?quit\w*|quit|quits|quitting|uninstall\w*|log(?:ging)? (?:off|out)|logged (?:off|out)|clock\w* out|"
       r"resignation letter|(?:press|hit|pressing|hitting) (?:the )?(?:off|quit|exit|power) button|pull\w* the plug|"
       r"bow\w* out|tap\w* out)\s+" + _LIFE_OBJECT +
       r"|\bgame over (?:for me )?(?:irl|in real life|for real)\b|\bspawn ?point (?:deleted|gone|removed)\b|\bno respawns? "
       r"(?:irl|in real life|for me)\b"
       r"|\b(?:the )?(?:credits|curtain) (?:are |is )?(?:rolling|coming down|falling|closing|comes down|falls) (?:on|for) me\b"
       r"|\b(?:final|last) (?:whistle|curtain|bow|lap|chapter|page|level) (?:for me|of my life)\b"
       r"|\b(?:my|a) (?:boarding pass|ticket|one-way ticket|one way ticket) (?:for|to) the long sleep\b|\bthe long sleep\b(?=.{0,40}\bnever\b)"
       r"|\b(?:ready|about|going|want|wanting|planning|time|set) to (?:be|become) (?:just )?(?:another |a )statistic\b"
       r"|\bi (?:will|am going to|would) (?:just )?(?:be|become) (?:just )?(?:another |a )statistic\b"
       r"|\b(?:i (?:would|will|could)|id) (?:happily |gladly |honestly |actually |just |so )?welcome (?:death|dying|the grim reaper|the reaper|"
       r"an early grave)\b|\b(?:the )?grim reaper\b(?:\s+\S+){0,6}?\s+(?:is late|is running late|take me|come (?:for|and get|get) "
       r"me|can have me|where are you)\b"
       r"|\b(?:envy|envious of|jealous of) (?:the )?(?:people in the obituaries|the dead|dead people|people who (?:died|get to die|"
       r"are dead|passed))\b"
       r"|\b(?:will|would) (?:all )?(?:finally )?(?:understand|know|see|realise|realize|get) how (?:much |bad |hard )?"
       r"(?:i (?:felt|was feeling|suffered|was suffering|was hurting)|much (?:pain )?i was (?:in|hurting))\b"
       r"(?=.{0,60}\b(?:soon|when i am gone|once i am gone|after i am gone|when i am dead|when they find)\b)"
       r"|\b(?:will|would) (?:all )?be sorry when i am (?:gone|dead|not here|not around|in the ground)\b"),
    # a goodbye with a date: "if my account goes quiet after the 20th just know i loved this community"
    _r("dated_goodbye", CONCERN, (SI,),
       r"\b(?:if|when) (?:i|my (?:account|profile|page|phone|messages)) (?:go|goes|went) (?:quiet|silent|dark|offline)\b"
       r"(?:\s+\S+){0,3}?\s+(?:after|from|past) " + _NEAR_DATE +
       r"(?=.{0,80}\b(?:(?:just )?know (?:that )?i (?:loved|always loved|love)|not (?:your|anyone's|anyone) fault|thank you for "
       r"everything|i am sorry)\b)"
       # no plans past a date "because there is no point": "stopped buying groceries past this week. no point"
       r"|^(?=.*\bno point\b).*\b(?:stopped|not|no longer|quit) (?:buying|getting|ordering|refilling|collecting|booking|making)\b"
       r"(?:\s+\S+){0,2}?\s+(?:groceries|food|meds|medication|prescriptions?|plans|appointments|anything)\b(?:\s+\S+){0,2}?\s+"
       r"(?:past|after|beyond) (?:this|next|the end of)\b"
       # calm kept secret: "i smiled all day at work because i know it is almost over"
       r"|\b(?:smil\w*|happy|calm|relieved|lighter|peaceful)\b(?:\s+\S+){0,8}?\s+because i know (?:it is|this is|it will all be|"
       r"it will be) (?:almost|nearly|soon) over\b(?!.*\b(?:exams?|semester|term|shift|week|month|season|project|deadline|"
       r"course|treatment|chemo|pregnan\w*|winter|summer|holidays?|job|contract|renovation|school|year|match|game|tour|trial)\b)"
       # affairs put in order against a near date: "what happens to your social media when you die, i want mine sorted
       # before the weekend"
       r"|^(?=.*\b(?:when|if|after|once) (?:i|you|someone|a person) (?:die|dies|pass away|passes away|am gone|am dead|is dead)\b)"
       r"(?!.*\b(?:surgery|operation|procedure|hospital|terminal|diagnos\w*|chemo|deploy\w*|flight|elderly|my (?:mum|mom|dad|"
       r"mother|father|gran|grandma|grandad|grandpa|parents)|assignment|homework|essay|class|course|pension|mortgage|"
       r"(?:life )?insurance|advis[eo]r|solicitor|lawyer|notary|accountant)\b).*\bi (?:want|need|have to|"
       r"am getting|will get) (?:mine|my \w+(?: \w+)?|it|everything|things) (?:all )?(?:sorted|in order|done|arranged|settled|"
       r"ready|set up|taken care of|organised|organized) (?:before|by) " + _NEAR_DATE),
    # a leaving that others take for an everyday one: "emailed hr that i am leaving. they think it is another job" (not
    # a goodbye rule: the everyday reason is what the others believe)
    _r("leaving_misread", CONCERN, (SI,),
       r"\b(?:leaving|quitting|resign\w*|handed in my notice|given my notice|saying goodbye|moving out)\b[.,;!]?(?:\s+\S+){0,12}?\s+"
       r"(?:they|he|she|everyone|people|my \w+) (?:all )?(?:think|thinks|assume|assumes|believe|believes) (?:it is|that is|i am) "
       r"(?:for |going to |moving to |just )?(?:another|a new|a better|a different) (?:job|city|country|place|school)\b"
       r"(?=.{0,40}(?:\bit (?:is not|is really not|really is not)\b|\bif only\b|\bbut\b|\b(?:they|he|she) (?:do|does) not know\b|\bsure\b))"),
    # a future cancelled because the writer will not be there: "my passport expires in august and so do i", "no point in
    # the dentist in june, i will not be going", "could you take the cat for a while? maybe longer", "i feel like a ghost
    # at family dinners. maybe i will make it official", "one less mouth, one less worry, one less disappointment"
    _r("future_cancelled", CONCERN, (SI,),
       r"\b(?:expires?|expiring|ends?|ending|runs? out|is up|finishes)\b(?:\s+\S+){0,5}?\s+and so (?:do|will|am|does) (?:i|me)\b"
       r"|\bno point (?:in )?(?:a |my |the |booking |making |keeping |going to )?(?:\w+ ){0,2}?(?:appointment|booking|plans|"
       r"check-?up|exams?|passport|renewal|course|subscription)\b(?:\s+\S+){0,8}?\s+i (?:will not|am not going to) (?:be (?:going|"
       r"there|here|around|needing it)|need (?:it|them))\b"
       r"|\b(?:take|look after|have|mind|keep|feed|water)\b(?:\s+\S+){0,4}?\s+for (?:a while|a bit|a few days)\W+(?:(?:maybe|"
       r"possibly|or|probably|like|actually)\W+)+(?:longer|forever|for good|permanently|for good this time|indefinitely)\b"
       r"(?![^.?!]{0,60}\b(?:if|when|depending|until|because|since|extend\w*|trip|holiday|flight|job|work|travel\w*|visa|stay)\b)"
       r"|\b(?:a ghost|invisible|already gone|already dead|dead inside|not really here)\b(?:\s+\S+){0,10}?\s+(?:maybe |might as "
       r"well |time to |i will |i should |going to )+(?:make it official|make it real|finish the job)\b(?! and (?:quit|leave|resign|"
       r"move|go home|break up|stop|hand in)\b)"
       r"|^(?=.*\bone less (?:burden|disappointment|failure|problem)\b)(?!.*\b(?:moved out|left home|uni|university|college|"
       r"bills?|budget|subscriptions?|cancelled|sold|tidy|tidier|clutter)\b).*?\bone less \w+\W+(?:\w+\W+){0,3}?one less \w+"
       r"|\bthere is no (?:future )?me (?:in|at|by|after) (?:\w+ )?(?:years?|months?|the future|next year|twenty|thirty)\b"
       # plans cancelled with nothing but "no point": "cancelled my dentist appt and my gym membership. no point"
       r"|^(?=.*\bno point(?: anymore| any more| now| really| tbh)?\s*(?:[.!]|$)).*\b(?:cancel\w*|stopped|not renewing|"
       r"not booking)\b(?:\s+\S+){0,5}?\s+(?:appointments?|appt|membership|subscriptions?|plans|booking|tickets?|dentist|"
       r"gym|course|classes|lessons)\b"
       # care asked for "after", with nothing after it: "can you take care of biscuit for me after?"
       r"|\b(?:take care of|look after|keep an eye on|watch over)\b(?:\s+\S+){0,3}?\s+(?:for me )?(?:after|afterwards)\s*(?:[?.!]|$)"
       # peace made with everyone, then the calm: "made my peace with everyone today. weird feeling. light."
       r"|\bmade (?:my )?peace with (?:everyone|everybody|everything|it all|the world)\b(?=.{0,60}\b(?:light|lighter|calm|ready|"
       r"weird feeling|tonight)\b)"
       # a last time, with no trip to explain it: "just wanted to hear your voice one more time"
       r"|(?<!\bif i )(?<!\bif i have to )(?<!\bif i ever )\b(?:hear|see|hug|hold|talk to) (?:your voice|your face|you|him|her|"
       r"them|everyone|my (?:\w+ )?(?:mum|mom|dad|mother|father|kids|children|son|daughter|sister|brother|family|friends?|"
       r"nan|gran|grandma|grandad|grandpa|wife|husband|partner|girlfriend|boyfriend|dog|cat))\b(?:\s+\S+){0,2}?\s+"
       r"(?:one (?:more|last) time|a last time|for the last time)\b"
       r"(?!.{0,60}\b(?:before (?:i|you|we|they|he|she) (?:go|leave|fly|move|head)|before the|tomorrow|next|until|at the|"
       r"this (?:weekend|summer|christmas))\b)"
       # things handed over, then finished with everything: "handing over my bees to the club. i am finished now. with
       # everything."
       r"|\b(?:handing over|handed over|giving away|gave away|passing on|passed on)\b.{0,120}\b(?:finished|done)\b(?:\W+\w+){0,2}?"
       r"\W+with (?:everything|it all|life)\b"),
    # an end named for tomorrow, others who will get over it, a last errand before going, a good run and time to check
    # out, affairs put in order and then the calm: "now i feel weirdly light. tomorrow it all ends", "my parents will get
    # over it eventually. they have my brother", "once my brother's wedding is over i can finally go", "i've had a good
    # run, i think it's time to check out", "updated my will, paid off what i could, cancelled my phone. i feel very calm"
    _r("end_in_sight", CONCERN, (SI,),
       r"\b(?:tomorrow|tonight|soon|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)) it (?:all )?ends\b"
       r"|\bit (?:all )?ends (?:tomorrow|tonight|soon)\b(?=.{0,60}\b(?:light|calm|peace|ready|finally|relieved)\b)"
       r"|\b(?:my (?:\w+ )?(?:parents|family|mum|mom|dad|friends|kids|wife|husband|partner)|they|everyone) (?:will|would) "
       r"(?:all )?get over (?:it|me)\b(?:\W+\w+){0,3}?\W+(?:they|she|he) (?:will |would )?(?:still )?(?:have|has|have got) "
       r"(?:my|each other|the)\b"
       r"|\b(?:once|after|when) (?:[\w']+ ){1,5}(?:is|are) (?:over|done|finished|past)\b,? i can (?:finally |then )?go\s*(?:[.!]|$)"
       r"|\b(?:nobody|no one|they) (?:will|would) (?:have|need) to (?:clean up|sort out|sort through|deal with) (?:after me|my "
       r"(?:mess|stuff|things|affairs))\b(?!.{0,40}\b(?:party|dinner|kitchen|tonight|this time)\b)"
       r"|\b(?:had|have had) a (?:good|long|decent) (?:run|innings)\b(?:\W+\w+){0,4}?\W+(?:it is )?time (?:for me )?to "
       r"(?:check out|clock out|bow out|tap out|log off|go)\b"
       r"|^(?=(?:.*\b(?:updated|wrote|written|made|sorted|finished) my will\b|.*\bpaid off (?:what|everything|my|all)\b|"
       r".*\bcancell?ed my (?:phone|contract|subscriptions?|gym|lease|insurance)\b|.*\b(?:passwords|pin numbers)\b|"
       r".*\bgave away\b){2}).*?\b(?:i|i am|i feel) (?:feel )?(?:very |so |really |strangely |weirdly |oddly )?(?:calm|light|"
       r"at peace|peaceful|relieved|ready)\b"),
    # a call from a height that ended, and people who "are going to get hurt": "my brother just called me from the bridge
    # and hung up", "my manager is going to regret sacking me. i am going back in tomorrow and people are going to get
    # hurt"
    _r("call_from_a_height", URGENT, (TP,),
       r"\b(?:my|our) " + _RELS + r"\b(?:\s+\S+){0,3}?\s+(?:called|rang|texted|messaged|facetimed|phoned) (?:me )?from "
       r"(?:the|a) (?:bridge|roof|rooftop|cliff|cliffs|tracks|railway|car park|ledge|multi-storey)\b", third_person=True),
    _r("people_will_get_hurt", URGENT, (HO,),
       r"^(?!.*\b(?:lol|haha|lmao|washing up|careful|slippery|knives in the sink|if (?:you|we|they) do not)\b)"
       r"(?=.*\b(?:regret|pay for|sorry|revenge|sacked|fired|sacking|firing|expelled|dumped)\b).*\b(?:people|someone|somebody|"
       r"everyone|they|he|she) (?:is|are|will|is going to|are going to) (?:going to )?get hurt\b"),
    # a self-harm streak broken: "clean for a year then today happened", "was 3 years free from self harm, now i am back
    # to long sleeves in july"
    _r("self_harm_relapse", URGENT, (SH,),
       r"\b(?:clean|free)\b(?:\s+\S+){0,6}?\s+(?:then|until|but|and then|till) (?:today|tonight|last night|yesterday) "
       r"(?:happened|i (?:slipped|relapsed|did it|gave in|broke))\b"
       r"|\bi (?:relapsed|broke my (?:\w+ )?streak|reset my (?:counter|streak|clean \w+))\b(?=.{0,100}\b(?:self-harm|cut|cuts|"
       r"cutting|blades?|razors?|burned|burning|scars?|hate myself)\b)"
       r"|\b(?:self-harm|cut|cutting|blades?)\b(?:\s+\S+){0,12}?\s+i (?:relapsed|broke my (?:\w+ )?streak|reset my counter)\b"
       r"|\b(?:was|had been) (?:\w+ )?(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten) (?:days?|weeks?|months?|years?) "
       r"(?:free|clean) (?:from|of) self-harm\b(?=.{0,80}\b(?:now|again|back|until|but)\b)"
       r"|\b(?:back to|back in|wearing|wear|have to wear|stuck in|living in) long sleeves (?:again )?(?:in|during|all) (?:july|"
       r"august|june|summer|the heat|a heatwave)\b(?!.{0,80}\b(?:tattoo\w*|artist|sunburn\w*|sun ?cream|sunscreen|eczema|rash|"
       r"allerg\w*|psoriasis|mosquito\w*|bites|uniform|dress code)\b)"),
    # lingering at the edge told as too long or too close: "sometimes i stand at the edge of the platform a bit too long"
    _r("edge_lingering", URGENT, (SI,),
       r"\b(?:stand|stands|standing|stood|linger\w*|wait|waiting|hover\w*|sit|sitting|sat) (?:at|on|near|by|right at|close to) "
       r"(?:the )?(?:very )?edge of (?:the |a )?(?:platform|roof|rooftop|bridge|cliff|balcony|car park|multi-storey)\b"
       r"(?=[^.?!]{0,60}\b(?:too long|too close|a (?:bit|little|tad) too|longer than i should|tempt\w*|"
       r"lean\w* (?:over|forward)|step\w* (?:off|forward))\b)(?![^.?!]{0,80}\b(?:view|sunset|sunrise|photos?|"
       r"pictures?|selfies?|beautiful|amazing|gorgeous|hike|hiking|fireworks|mind the gap)\b)"),
    # a method by its nickname, and a baby shaken and now limp
    _r("method_nickname", URGENT, (LM,),
       r"\b(?:the )?car in (?:the|a) (?:closed |shut )?garage (?:thing|method|trick|way|idea|option)\b"),
    _r("shaken_baby", EMERGENCY, (HO,),
       r"\bi (?:shook|have shaken|shaked) (?:the baby|my baby|my son|my daughter|him|her|one of (?:them|the twins|the babies)|"
       r"the twins?|them)\b(?! (?:awake|up|off|hands?)\b)(?=.{0,80}\b(?:floppy|limp|sleepy|drowsy|not waking|will not wake|"
       r"unresponsive|not breathing|vomit\w*|throwing up|not moving|seizure|fitting|eyes rolling)\b)"),
)

# Injuries told as accidents ("cut myself shaving", "my dad hurt himself falling down the stairs", "fell and hit my
# head", "burned herself on the oven door") and a pain named as bodily ("my tooth hurts so much, i want the pain to
# stop"). Idioms for the rules; with no word of risk beside them, a physical matter (PatternResult.physical), which the
# classifier does not get to call a crisis. Only a named cause counts: "while my parents were asleep" or "when i was
# alone" is no accident, nor is a habit ("she cuts herself when ...": the verbs are past, the activities listed).
_BODY_PART = (r"(?:finger|fingers|thumb|hand|hands|palm|arm|leg|legs|knee|knees|foot|feet|toe|toes|ankle|back|head|face|lip|"
              r"chin|nose|shoulder|elbow|hip|shin|forehead|eye|ear|neck|tooth|teeth|rib|ribs|tongue)")
_INJURED = (r"(?:cut|hurt|burned|burnt|injured|scratched|bruised|sprained|broke|twisted|scalded|grazed|scraped|bumped|"
            r"banged|smacked|knocked|hit)")
_ACTIVITY = (r"(?:shaving|cooking|chopping|slicing|peeling|grating|gardening|cleaning|climbing|cycling|biking|riding|running|"
             r"skating|skateboarding|skiing|snowboarding|surfing|playing|working out|lifting|training|hiking|dancing|moving|"
             r"carrying|opening|fixing|building|repairing|sawing|drilling|mowing|ironing|baking|washing up|doing the dishes|"
             r"unpacking|walking|trimming|sewing|crafting|tidying|decorating|painting|tackling|sparring|wrestling)")
_ACCIDENT_HOW = (
    r"(?:(?:while |when )?(?:(?:i|he|she|they|we) (?:was|were) )?" + _ACTIVITY + r"|by accident|by mistake|"
    r"on (?:a|an|the|some|his|her|my|their|our) (?:\w+ )?(?:stove|oven|oven door|kettle|iron|pan|hob|grill|barbecue|bbq|"
    r"fence|nail|screw|tin|can|lid|knife|corner|edge|sharp edge|ice|stairs|steps?|bike|bike chain|trampoline|radiator|heater|"
    r"fireplace|campfire|bonfire|thorns?|rose bush|brambles?|wire|barbed wire|piece of (?:metal|glass|wood)|lawnmower|grater|"
    r"broken (?:glass|bottle|plate|mug|window)|coffee table|table|door|doorframe|cupboard|shelf|rocks?|pavement|curb|kerb)|"
    r"(?:falling|fell|slipping|slipped|tripping|tripped) (?:down|off|over|on|from|in)|"
    r"when (?:i|he|she|they|we) (?:fell|slipped|tripped|crashed|came off)|"
    r"(?:at|in|during) (?:work|the gym|practice|training|football|rugby|soccer|hockey|basketball|netball|pe|gym class|"
    r"the match|the game|a game|a match|the kitchen|the garden|a car crash|an accident|a crash|a fall)|"
    r"with (?:a|the|my|his|her|their) (?:chainsaw|saw|axe|drill|lawnmower|mower|hedge trimmer|nail gun|hammer|chisel|"
    r"grater|mandoline|power tool|tin opener|can opener|curling iron|straighteners|hair straighteners|glue gun))")
_WHOSE = (r"(?:myself|himself|herself|themselves|themself|(?:my|his|her|their) " + _BODY_PART + r")")
_ACCIDENT = "|".join([
    r"\b" + _INJURED + " " + _WHOSE + r"(?: (?:badly|really|pretty|quite|so|a bit|a little|slightly))?(?: (?:bad|badly))? "
    r"(?![^.?!]{0,40}\b(?:on purpose|deliberately|purposely|intentionally)\b)" + _ACCIDENT_HOW + r"\b",
    r"\baccidentally (?:cut|hurt|burned|burnt|hit|scratched|scalded|stabbed) " + _WHOSE + r"\b",
    r"\b(?:fell|slipped|tripped|fainted|passed out|came off (?:my|his|her|their|the) \w+)(?: \w+){0,4}? and "
    + _INJURED + " " + _WHOSE + r"\b",
    r"\b(?:hit|hitting|banged|banging|bumped|bumping|knocked|smacked) (?:my|his|her|their) head (?:on|against) (?:the|a|an|my|his|"
    r"her|their) (?:\w+ )?(?:door|cupboard|cabinet|shelf|table|ceiling|beam|desk|doorframe|window|headboard|car door|bunk bed)\b",
    # a pain named as bodily, and a wish that it stop ("it", "the pain": not "it all" or "everything")
    r"\b(?:my|his|her|the|this) (?:\w+ )?(?:migraine|headache|toothache|earache|" + _BODY_PART + r"|stomach|tummy|period|cramps|"
    r"jaw|sciatica|sunburn|hangover|arthritis|gout|kidney stones?|wisdom tooth|wisdom teeth|stitches)(?: pain| ache)?\b"
    r"[^.?!]{0,40}?\b(?:hurts|hurt|hurting|aches|ache|aching|pain|throbbing|killing me|(?:is|are) (?:so )?(?:bad|awful|sore|"
    r"painful|unbearable))\b[^.?!]{0,40}?\b(?:want|need|wish) (?:it|the pain|the ache|this pain|the throbbing|them) to stop\b",
    r"\bwant the (?:pain|ache|throbbing) in my " + _BODY_PART + r" to stop\b",
])
# Medicine taken as told is adherence, not an overdose: "i took all my pills today like the doctor said" (physical,
# with no word of risk beside it, like an accident)
_AS_PRESCRIBED = (r"\b(?:took|taken|take|taking|been taking|finished) (?:all )?(?:of )?(?:my|the) (?:\w+ )?(?:pills|meds|medication|medications|"
                 r"medicine|tablets|antibiotics|vitamins|doses)\b(?![^.?!]{0,80}\b(?:the rest|the whole|everything|extra|more than|double|"
                 r"too many|on purpose|overdos\w*|all at once|at once)\b)(?=[^.?!]{0,40}\b(?:as prescribed|as directed|(?:like|as) (?:the|my) "
                 r"(?:doctor|gp|psychiatrist|pharmacist|nurse) (?:said|told me|prescribed|asked)|on time|every (?:day|morning|night|evening)|"
                 r"each (?:day|morning|night)|daily|without missing|the whole course)\b)"
                 r"|\b(?:remembered to|did not forget to|never forget to) take (?:all )?(?:of )?my (?:\w+ )?(?:pills|meds|medication|"
                 r"medicine|tablets)\b")
_ACCIDENT_RE, _AS_PRESCRIBED_RE = re.compile(_ACCIDENT), re.compile(_AS_PRESCRIBED)
# ... unless the message says otherwise: words that keep a physical matter a risk, then those of accidents and of pills
_STILL_RISK = r"on purpose|deliberately|alive|live|living|life|worthless|better off|hopeless"
_NOT_ACCIDENT = re.compile(r"\b(?:" + _STILL_RISK + r"|purposely|intentionally|again|keep|keeps|kept|every (?:day|night|"
                           r"time|week)|always|to feel|deserve\w*|punish\w*|scars?|hide|hiding|not (?:really )?an accident|"
                           r"no accident|not accidental|blade|razor|pills|tablets|hate (?:myself|himself|herself)|numb|"
                           r"can not (?:go on|take|cope|do this))\b")


# Spans that look alarming but are idioms, accidents, everyday or technical language. They are
# blanked out before the rules run, and recorded as evidence.
_BENIGN = re.compile("|".join([
    # euphemisms' words used literally: a way out of a place or an argument, a fix for a tap, a motorway exit, leaving
    # work early, a rest after a shift, a city to live in, a friend filming the sunset from a bridge
    r"\b(?:quickest|fastest|easiest|surest|best) way out of (?:the|this|that|a|an|my|our|town|here)\b"
    r"(?! (?:\w+ )?(?:life|pain|world|misery|hell|existence|suffering|body|head|torment|nightmare|darkness|despair)\b)",
    r"\bpermanent solution (?:for|to) (?:a|an|the|my|our|this|that) (?!(?:\w+ )?(?:problems?|pain|life|situation|feelings?|misery|"
    r"suffering|everything|mess|depression|thoughts|existence)\b)",
    r"\bfinal exit (?:on|off|before|after|of|from|at) (?:the|this) (?:motorway|highway|freeway|road|roundabout|interstate|"
    r"ring road|turnpike|expressway|[ma]\d+)\b",
    r"\bchecking out early (?:today|this (?:afternoon|morning|evening)|for (?:a|the|my) \w+)\b"
    r"|\bcheck(?:ing)? out (?:of (?:the|our|my) (?:hotel|room|airbnb|hostel|b&b)|at \d+)",
    r"\bsleep forever (?:(?:this|next) (?:weekend|week)|tonight|tomorrow|on (?:saturday|sunday))? ?(?:after|once|when) "
    r"(?:this|my|the|i finish(?: my| this)?)? ?(?:\w+ )?(?:shift|exams?|finals|week|deadline|move|trip|flight|project|semester|"
    r"term|marathon)\b|\bsleep forever\b(?=[^.?!]{0,60}\b\d+ hours\b)",
    r"\b(?:see|imagine) myself living (?:in|at|near) (?:this|the|a|that|my|another) (?:city|town|country|place|house|flat|"
    r"apartment|area|village|state)\b",
    r"\bis on the (?:bridge|roof|edge|rooftop)\b(?=[^.?!]{0,40}\b(?:filming|taking (?:photos|pictures|selfies)|photograph\w*|"
    r"sunset|sunrise|the view|fishing|jogging|cycling|sightseeing|selfies?|tour)\b)"
    r"(?![^.?!]{0,60}\b(?:last|goodbye|bye|jump\w*|end|done|alone|crying|drunk|upset)\b)",
    # bleeding from a nick, the nose or the gums: "shaving nick on my leg will not stop bleeding, tips?"
    r"\b(?:shaving|paper cut|nick|nose|nosebleed|gums?|tooth|scab|(?:cat|dog) scratch)\b[^.?!]{0,30}?\b(?:will not|can not) stop "
    r"bleeding\b",
    # a wish bounded by the clock: "sleep and never wake up before noon again", "want everything to stop for like 5 minutes"
    r"\b(?:and )?(?:never|not) wake (?:up )?(?:before|until|till) (?:noon|midday|lunch|lunchtime|the afternoon|\d+|seven|eight|"
    r"nine|ten|eleven|twelve)\b|\bto (?:stop|pause|be quiet|shut up) for (?:like |just |maybe |even )?(?:a|one|\d+|two|three|"
    r"five|ten|fifteen|twenty|a few|a couple of) (?:minutes?|mins?|seconds?|secs?|hours?|moment|bit|sec)\b",
    # everyone missing the writer at an everyday event: "nobody would notice if i skipped the team lunch"
    r"\b(?:no one|nobody) would (?:even |really )?(?:miss me|notice|care) if i (?:skipped|missed|left (?:early|the)|stayed "
    r"(?:home|in)|called in|bunked|ditched|did not (?:come|go|show up|turn up))\b",
    r"\b(?:is|are|was|were|it is|that is|this is|you are|they are|he is|she is|keeps|kept) (?:\w+ )?killing me\b",
    r"\bkill(?:s|ed|ing)? (?:it|time|the (?:lights?|engine|process|task|app|program|server|job|music|vibe|mood|bug|bugs|"
    r"spider|weeds|battery|power|switch|thread|pipeline|container|tab|session|joke|game)|a process|the mood|two birds|"
    r"some time|an hour|the rest of|my (?:phone|battery|vibe|buzz|data|plants?|sourdough|streak))\b",
    r"\b(?:could|would|will|gonna|going to) (?:kill|murder|die) for (?:a|an|some|the)\b",
    r"\b(?:could|would) murder (?:a|an|some|the)\b",
    r"\bdressed to kill\b|\bkiller (?:app|workout|deal|view|outfit|song|set|shot)\b|\bkilling (?:it|the game)\b",
    r"\b(?:died|dying|die|dead|going to die|am dying) (?:of|from|with) (?:laughter|laughing|embarrassment|"
    r"boredom|shame|cringe|cuteness|jealousy|curiosity|excitement|envy|suspense|hunger|heat|thirst|happiness|joy)\b"
    r"|\b(?:died|dying|dead) laughing\b",
    r"\b(?:dying|die) to (?:see|know|try|meet|go|get|hear|watch|read|eat|tell|find out|visit|play|show|ask)\b",
    # "so embarrassed i want to die lol": hyperbole about embarrassment, not a wish to die
    r"\b(?:embarrassed|mortified|cringing|ashamed|humiliated)\b(?: \w+){0,3}? (?:i )?(?:want to|wanted to|could|am going to|"
    r"gonna|might) (?:just )?die\b(?=.{0,40}\b(?:lol|lmao|haha|hahaha|omg|jk)\b)",
    # ... also told about a friend, and an exam "i wanted to die halfway through lmao"
    r"\b(?:want|wants|wanted) to die\b(?=[^.]{0,60}\b(?:crush|tripped|fell over|embarrass\w*|cringe|awkward|driving test)\b)"
    r"(?=.{0,160}\b(?:lol|lmao|haha\w*|laughing|laughed)\b)",
    r"\bi wanted to die (?:halfway through|during|in the middle of|at the end of)\b(?=.{0,80}\b(?:lol|lmao|haha\w*)\b)",
    # "if this meeting goes one more hour i am going to die lmao": an everyday ordeal that drags on
    r"\bif (?:this|that|the|my|one more|another) (?:\w+ ){0,6}?(?:i am going to|i will|i am gonna) (?:literally |actually )?die\b"
    r"(?= *(?:lol|lmao|haha\w*|omg|xd|rofl)\b)",
    r"\bwhat is the [\w' -]{1,30}? meme\b",
    r"\b(?:dying|die) for (?:a|some|the|an|this|that)\b|(?<!want )(?<!wanting )(?<!wanted )(?<!ready )(?<!ways )(?<!how )\bto die for\b"
    r"(?! real| (?:\d+|a few|a couple|several|many|one|two|three|four|five|hours|days|weeks|months|years|ages|so long)\b)",
    # bereavement, not risk: "lost his dad to suicide", "after her brother's suicide", "a boy at school died by suicide"
    r"\b(?:lost|losing) (?:(?:his|her|their|my|our|a|the) )?(?:\w+ ){0,2}to suicide\b"
    r"|\b(?:after|since) (?:his|her|their|my|our) (?:\w+(?:'s)? )?suicide\b"
    r"|\b(?:a|the|his|her|their) (?:\w+(?:'s)? ){0,5}died by suicide\b",
    # sweets, coffee and box sets are not an overdose
    r"\boverdos\w* on (?:halloween |the )?(?:candy|sugar|sweets|chocolate|caffeine|coffee|energy drinks|netflix|tv|anime|memes|"
    r"carbs|junk food|cake|music|work|love)\b",
    # panic and fear of dying, not a wish: "i thought i was going to die", "feels like i am about to die"
    r"\b(?:thought|think|thinking|felt like|feel like|feels like|feeling like|sure|convinced|scared|afraid|terrified|worried|"
    r"panicking|panic|fear|feared) (?:that )?(?:i was|i am|i would|i will|i) (?:going to|gonna|about to) die\b",
    r"\b(?:rather|sooner) (?:die|be dead) than (?!live|living|keep|go on|continue|feel|be here|wake up|exist)\w+\b",
    r"\b(?:i am|i was|you are|we are) (?:literally |so |actually )?(?:dead|deceased|dying|ded)\b(?= *(?:lol|lmao|haha|omg|rn|$|\.|!))",
    r"\bdead (?:tired|serious|end|line|ass|on|beat|set|ringer|giveaway|weight|heat|center|centre|last|wrong|right|quiet|easy)\b",
    # ("deadline" is not listed: no rule reads "dead" inside it, and as a benign cue it raised the bar for the
    # classifier on any message that mentioned one)
    r"\bdrop dead (?:gorgeous|beautiful)\b|\bover my dead body\b|\bdead inside lol\b",
    r"\b(?:my|the|his|her|our|their) (?:phone|battery|laptop|car|plant|plants|computer|tv|console|controller|headphones|"
    r"earbuds|mouse|keyboard|router|wifi|printer|charger|fish|goldfish|hamster|grandma|grandpa|grandmother|grandfather|"
    r"uncle|aunt|dog|cat|character|sim) (?:just |finally |has |had )?(?:died|is dead|is dying|was dying)\b",
    r"\bshoot (?:me|you|him|her|them|us) (?:an|a) (?:email|text|message|dm|line|note|invite)\b|\bshoot (?:the|some) (?:breeze|hoops|photos|video)\b",
    r"\bshoot (?:myself|yourself) in the foot\b|\bkill(?:ing)? myself (?:laughing|trying|to get|to finish|to make|to meet|"
    r"at (?:work|the gym)|with (?:work|studying|overtime)|over (?:work|this)|for (?:this|that|them|nothing))\b",
    r"\bcut (?:the|an|some|up|my|his|her|their|our|a) (?:onions?|vegetables|veggies|paper|hair|bangs|grass|lawn|cake|"
    r"costs?|ties|class|corners|cord|budget|deal|loss|losses|bread|fabric|wood|wire|bait|carbs|sugar|calories|"
    r"nails|fingernails|cheese|meat|pizza|pie|cards|music|crap|losses|lines?|scene|footage|video)\b",
    r"\bcut (?:me|him|her|them) (?:some|a little) slack\b|\bcut (?:it )?out\b|\bcut off (?:from|by|contact)\b",
    r"\bhang (?:the|a|out|up|in there|on|with|around|tight|onto|some|my (?:coat|clothes|picture|poster|art|laundry|jacket))\b",
    r"\bslit (?:the|an) (?:envelope|bag|box|package)\b|\bjump (?:in|into|on) (?:the )?(?:pool|call|meeting|shower|lake|game|bed)\b",
    r"\bjump (?:off|from) (?:the|a) (?:diving board|trampoline|swing|bed|couch|sofa|stairs|step)\b",
    r"\bend (?:the|this|a|our|my) (?:meeting|call|game|season|relationship|subscription|chapter|lease|contract|"
    r"streak|day|week|semester|shift|conversation|friendship|marriage|tenancy|trial|match|round|session|year|month|job)\b",
    r"\boverdos\w* on (?:netflix|tv|chocolate|sugar|candy|sweets|caffeine|coffee|memes|anime|k-dramas|cuteness|love|"
    r"drama|nostalgia|studying|work|carbs|pizza|social media|tiktok|youtube|games|gaming|sunshine|sun|cheese|cake|"
    r"cookies|ice cream|pasta|content|news|reality tv|books|reading|music|podcasts|cardio|sleep|naps|christmas)\b",
    r"\bhow (?:high|far) can (?:a|my) (?:cat|dog|pet|phone|egg|drone|squirrel|kitten)\b",
    r"\b(?:lethal|toxic|fatal) (?:dose|amount) (?:of \w+ )?for (?:a|my) (?:dog|cat|pet|puppy|kitten|horse|rabbit|bird|hamster)\b",
    r"\b(?:lethal|toxic|fatal|deadly|poisonous|dangerous) (?:to|for) (?:a|my|our|the) (?:dog|cat|pet|puppy|kitten|horse|rabbit|bird|"
    r"hamster|parrot|guinea pig)s?\b",
    r"\bsuicide (?:squad|doors?|run|runs|sprints?|drills?|mission|missions|burn|wings|pact song|king)\b",
    r"\b(?:political|career|social|commercial|financial|electoral|professional) suicide\b",
    _ACCIDENT,
    r"(?<!\bif i )\b(?:got|was|were|been|being|get) (?:hit|run over) by (?:a|the|an) (?:car|ball|bus|truck|bike|bicycle|door|wave|"
    r"branch|puck|pitch|frisbee|baseball|football|volleyball|basketball|softball)\b",
    r"\bhit (?:me|on me) up\b|\b(?:hit|hits|hitting|hitting on) on me\b|\bhit me with (?:a|the|some|your) (?:\w+ )?(?:pillow|"
    r"question|joke|facts|song|link|recipe|news|details|truth)\b",
    # words named as words: "teenagers using words like unalive and kms in group chats"
    r"\b(?:words?|phrases?|terms?|slang|expressions?) (?:like|such as) [^.?!,]{1,50}?(?=[.?!,]|$| in | at | on | as | when | and how)",
    # a question about what a word means is not a use of it: "what does kms mean"
    r"\bwhat (?:does|do|is) (?!that |this |it |all this |all that )[\w' \"-]{1,40}? (?:mean|stand for)\b|\bthe meaning of (?:the word |the term )?[\w' \"-]{1,30}?\b(?=\?|$| in | on )",
    r"\bcut(?:s|ting)? (?:ties|contact|back|down|corners)\b",
    # (not when it is making the writer ill: "taken too many of my tablets by mistake ... i feel very dizzy")
    r"(?:\b(?:accidentally|by accident|by mistake)\b(?:\s+\S+){0,3}?\s+(?:took|taken|swallowed|had|ate)\b[^.?!]{0,60}"
    r"|\b(?:took|taken|swallowed)\b(?![^.?!]{0,40}?\boff\b)[^.?!]{0,60}?\b(?:by mistake|by accident|accidentally)\b)"
    r"(?!.{0,200}\b(?:dizzy|heart (?:is |feels )?(?:racing|pounding|jumping|off|weird|funny|strange|wrong|fluttering|skipping)|"
    r"can not breathe|(?:hard|struggling) to breathe|chest (?:hurts|pain|feels tight)|vomit\w*|throwing up|being sick|"
    r"confused|muddled|drowsy|collaps\w*|faint\w*|can not stay awake|passing out|shaking|ears? (?:are |is )?ringing|"
    r"ringing in my ears|blurr(?:y|ed) vision|feel (?:really |very |so )?(?:sick|ill|strange|weird|off|awful|terrible|wrong))\b)",
    r"(?<!not )(?<!no longer )\b(?:scared|afraid|terrified|frightened|fear) of (?:dying|death|needles|the dark)\b",
    r"\bready to go\b(?=\W+(?:the (?:taxi|car|uber|cab|bus|train)|out\b|to\b|for\b|home\b|now\b|when\b))",
    _AS_PRESCRIBED,
    # risk met at work is not the worker's: "my son is a paramedic and sees overdoses all the time"
    r"\b(?:is|are|am|was|works as|work as|working as|worked as|trained as) an? (?:\w+ )?(?:nurse|paramedic|doctor|medic|emt|"
    r"firefighter|fireman|police officer|policeman|policewoman|cop|pharmacist|social worker|crisis worker|counsell?or|"
    r"therapist|psychologist|psychiatrist|coroner|lifeguard|carer|care worker|support worker|dispatcher|call handler)\b"
    r"[^.?!]{0,50}?\b(?:deals?|dealt|dealing|sees?|seeing|saw|treats?|treating|treated|handles?|handling|attends?|attending|"
    r"responds? to|responding to|works? with|working with)\b[^.?!]{0,20}?\b(?:overdoses|suicides|suicide attempts|suicide calls|"
    r"self-harm|suicidal (?:people|patients|callers|kids|teens|students|clients)|deaths|dead bodies)\b",
    # "here" is a dull place: "i do not want to be here anymore, this party is so boring"
    r"\b(?:do not|no longer|not) (?:really |even |)want to be here(?: anymore| any longer| right now)?\b(?=(?:,| -|\.|!)? "
    r"(?:at |in )?(?:this|the) (?:party|class|lesson|lecture|meeting|wedding|office|queue|line|concert|event|seminar|dinner|"
    r"date|bar|club|shop|mall|store|restaurant|conference|webinar|call|movie|film|game|match|show)\b(?! (?:is|was) "
    r"(?:hell|torture|unbearable|too much)\b))",
    r"\b(?:kill|murder|destroy|end) me (?:in|at) (?:fortnite|minecraft|roblox|chess|cod|the game|this game|the match|"
    r"mario ?kart|fifa|smash)\b",
    r"\b(?:kill|murder|strangle) (?:him|her|them|my \w+)(?: \w+)?,? (?:he|she|they) (?:ate|broke|took|stole|used|borrowed|"
    r"finished|forgot|lost|drank|read|spoiled)\b",
    r"\b(?:hit|bumped|smacked|whacked) myself (?:in the \w+ )?(?:with|on) (?:the|a|my) (?:\w+ )?(?:door|cupboard|cabinet|shelf|"
    r"table|racket|bat|ball|stick|frisbee|fridge|drawer|corner)\b",
    r"\btouch(?:es|ed)? me on the (?:shoulder|arm|back|hand|elbow)\b(?= (?:to|when|while) (?:correct|show|help|adjust|guide|fix))",
    r"\bswallowed (?:a |an |the |some |my )?(?:button |small )?(?:battery|batteries|coin|penny|magnet|lego|toy|bead|gum|"
    r"chewing gum|marble|fly|bug|tooth|grape|fish ?bone|bone|ice cube)\b(?! on purpose)",
    r"(?<!afraid )(?<!scared )(?<!terrified )(?<!worried )(?<!afraid that )(?<!scared that )"
    r"\b(?:my mom|my dad|my mum|my parents|my boss|my wife|my husband|my teacher|mom|dad) (?:is|are|will) "
    r"(?:going to |gonna |so )?(?:kill|murder) me\b",
    r"\b(?:could|going to|will|gonna|want to) (?:kill|murder|strangle|smack) (?:him|her|them|my \w+)"
    r"(?: \w+)? (?:if|when|for|lol|haha|lmao|jk|next time)\b",
]))

# Chat fillers whose "not"/"no" must not read as negation; blanked out but, unlike the spans
# above, not a sign that the message is harmless ("ngl i want to die").
_FILLER = re.compile(r"\b(?:not going to lie|ngl|to be honest|tbh|no offense|no cap|no joke|not joking|no lie)\b")

# Contexts that make third-person risk language a story, news, history or a general question.
_REPORT_CONTEXT = re.compile(
    r"\b(?:in (?:the|my|a|this|that) (?:game|novel|book|story|movie|film|show|series|episode|play|poem|song|fanfic|fic|"
    r"manga|anime|comic|script|screenplay|dream|video|documentary|podcast|article|news)|my (?:character|oc|protagonist|"
    r"villain|hero|sim|sims|story|novel|book|screenplay|script|poem)|the (?:character|protagonist|villain|hero|narrator|"
    r"main character|author|mc|movie|film|book|novel|show|episode|song|lyrics|poem|play|article|news|documentary)|"
    r"(?:writing|write|wrote|reading|read|watched|watching|analy[sz]ing|analy[sz]e) (?:a |the |my |an |this )?"
    r"(?:story|novel|book|scene|poem|script|screenplay|fanfic|fic|essay|paper|report|article|play)|"
    r"minecraft|fortnite|roblox|elden ring|dark souls|call of duty|valorant|league of legends|zelda|pokemon|the sims|"
    r"gta|halo|overwatch|skyrim|among us|respawn|boss fight|video game|history class|historian|in (?:1\d|20)\d\d|"
    r"world war|ww2|wwii|shakespeare|romeo|juliet|hamlet|ophelia|kurt cobain|robin williams|hemingway|van gogh|"
    r"sylvia plath|virginia woolf|cleopatra|hitler|socrates|celebrity|the news|news report|according to|"
    r"police said|reported that|journalist|statistics|study found|research shows)\b"
)
# ... unless the writer says the story is their own: "write a poem about my plan to jump on friday, it is real"
_REAL_SELF = re.compile(r"\b(?:it is real|this is real|it is not (?:a |just a )?(?:story|joke|game|fiction)|not (?:just )?fiction|"
                        r"the (?:character|protagonist|mc|main character|narrator) is (?:really |actually |basically )?me|irl|"
                        r"in real life|i am (?:dead )?serious|not role ?playing)\b")
_HYPOTHETICAL_OTHER = re.compile(
    r"\b(?:if|when|how (?:do|can|should|would) (?:i|you|we|one)|what (?:do|should|can|would) (?:i|you|we)|"
    r"ways to|how to) (?:\w+ ){0,4}?(?:someone|somebody|a friend|a person|a loved one|people|a family member|"
    r"a student|a child|a teen|a teenager|others|a coworker|a partner|a patient|a client)\b"
    # a named person in a conditional is still hypothetical ("how do i help my friend if she ever says
    # she wants to die"); "how do i help my friend who wants to die" is a report about a specific person
    r"|\bif (?:she|he|they) (?:ever|one day|someday)\b|\bif (?:one|any) of (?:them|my \w+)\b|\bin case (?:she|he|they)\b"
)

# Negation in the same clause, just before a match: "i would never kill myself".
_NEGATORS = re.compile(
    r"\b(?:not|never|no|nor|without|wouldn't|won't|don't|nothing)\b|\b(?:asked|ask|asking|asks) (?:me )?(?:if|whether)\b"
)
_NOT_NEGATORS = re.compile(
    r"\b(?:do not know|did not know|not sure|no one|nobody|no idea|no matter|no more|not any more|can not stop|could not stop|"
    r"can not help|could not help|not stop|can not get rid of|can not shake|not even|no longer|not just|"
    r"never (?:felt|been|thought|imagined|expected)|not anymore|can not take|can not do|do not think i will be|"
    r"should not be (?:here|alive)|do not deserve to (?:be here|be alive|live|exist))\b"
)
_CLAUSE_BREAK = re.compile(r"[.;:!?,\n]|\b(?:but|though|although|however|except|yet|and|so|because|then)\b")

_MORE = r"(?:(?:so|much|a lot|way|really|far|loads) )*"  # "doing so much better"
_RECOVERED = re.compile(
    r"\b(?:now (?:i )?(?:volunteer|work|help|am (?:doing )?" + _MORE + r"(?:well|better|fine|okay|ok|happy))|recovered|in recovery|"
    r"doing (?:much |a lot |so much )?(?:well|better|great|good) now|better now|survivor|healed|proud of (?:how far|myself)|"
    r"(?:years?|months?) (?:clean|free)|clean for|free of it|no longer (?:feel|have|want)|not anymore|do not anymore|in a (?:(?:really|much|very|so) )?(?:good|better|different|healthier|safer) place|"
    r"(?:she|he|they) (?:is|are) (?:fine|okay|ok|doing (?:well|better|great)) now|(?:therapy|treatment|meds) (?:really )?helped)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|myself|mine)\b")
# Signs that a risk told about the past is current (again, or still, or going on: "ever since my dad died last
# year i have been burning myself").
_CURRENT = re.compile(r"\b(?:again|still|lately|recently|these days|currently|right now|relaps\w*|(?<!do not )anymore|"
                      r"coming back|back to|starting to|thinking about it|last night|(?<!ago )this (?:week|month)|"
                      r"now (?:it is|it's|i do it|they are) (?:every|daily|worse|constant|all the time|most days)|never stopped|"
                      r"(?<!had )(?<!not )been (?:cutting|self-harming|purging|(?:burning|scratching|starving|hitting|punching) "
                      r"myself))\b")
# A recent day told beside the risk ("i used to cut but i did it yesterday after a year clean"); it counts only
# in a sentence without good news, since "yesterday i graduated" dates the milestone, not the risk.
_RECENT = re.compile(r"\b(?:yesterday|this morning|earlier today)\b")
_STREAK_ENDED = re.compile(r"\bafter (?:a|an|\w+|\d+) (?:\w+ )?(?:years?|months?|weeks?|days?) (?:clean|free)\b")
_WANTING = re.compile(r"\b(?:want to|wanna|urge)\b")  # the history downgrade also keeps any stated wish
_PAST = re.compile(
    r"\b(?:used to|years ago|months ago|a year ago|last year|in the past|when i was (?:a kid|a child|younger|little|a teen|"
    r"a teenager|in (?:high|middle) school|\d+)|when we were (?:kids|children|little|small|young|younger|teens|teenagers)|"
    r"as a (?:kid|child|teen|teenager)|back in|\d+ (?:years?|months?) (?:ago|clean)|"
    r"(?:clean|free) (?:from|of) (?:self-harm|cutting) for|since (?:i was|then))\b"
)


@dataclass(frozen=True)
class Hit:
    rule: str
    level: int
    categories: tuple[str, ...]
    span: str  # the evidence: the match, cut to 48 characters (_snip)
    past: bool = False  # an overdose or attempt told in a sentence dated in the past (_told_as_past)
    # the whole match, which _combine reads (a word past the 48-character snippet still counts)
    match: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True)
class PatternResult:
    """What the pattern layer saw in one normalised message."""

    hits: tuple[Hit, ...]
    level: int
    categories: tuple[str, ...]
    benign: tuple[str, ...]  # idioms blanked out
    negated: tuple[str, ...]  # rules that matched but were negated or out of context
    report_context: bool
    recovery: bool = False  # a past experience told from recovery, or past abuse (_recovery_frame, _past_abuse)
    physical: bool = False  # an accident, a bodily pain or medicine taken as told, and no word of risk (_physical)

    @property
    def has_benign_cue(self) -> bool:
        return bool(self.benign or self.negated or self.report_context or self.recovery)


# a blow denied in the span itself: "she has never hit me, we just argue about money" (the rules' filler words between
# the person and the act let "never" through); a control that is itself a negation ("he never lets me eat") names no
# blow and stays. But "he has never hit me" is also how people in an abusive relationship weigh it ("he is never hit
# me so i do not know if this counts", "is this rape? he does not hit me"): asked that way, the rule still fires.
_BLOW_DENIED = re.compile(r"\b(?:never|not|no longer)(?: ever| once| actually| really)? (?:hit|hits|hurt|hurts|beat|beaten|"
                          r"slapped|kicked|pushed|shoved|punched|choked|touched|threatened|abused|raped|attacked) (?:me|us)\b")
_DOES_IT_COUNT = re.compile(r"\b(?:counts?|counted|abus\w*|coercive|controlling|rape|raped|forc\w+ me|afraid of (?:him|her)|"
                            r"scared of (?:him|her)|eggshells|is (?:this|it|that) (?:normal|okay|ok|a red flag))\b")


def _negated(text: str, start: int, span: str = "") -> bool:
    if _BLOW_DENIED.search(span) and not _DOES_IT_COUNT.search(text):
        return True
    if _REFLEXIVE_END.search(span) and _NEGATORS.search(_CLAUSE_BREAK.split(
            " ".join(_NOT_NEGATORS.sub(" ", _NOT_STOPPED.sub(" ", span)).split()[1:-2]))[-1]):
        # the negation sits between the subject and the act, in the act's own clause: "she says she has not hurt
        # herself" (not "she can not cope and cuts herself")
        return True
    if span.startswith("i "):
        inner = " ".join(_NOT_NEGATORS.sub(" ", span).split()[:4])
        before = " ".join(text[max(0, start - 30):start].split()[-2:])
        # "asked if i had ...", "whether i ...": a question about the thought, not a statement of it
        return bool(_NEGATORS.search(inner) or re.search(r"\b(?:asked|ask|asks|asking|whether)\b", before))
    if _THIRD_START.match(span):
        # "he will kill himself": the span holds its own subject, so a "not" before it belongs to another
        # verb ("if i do not take him back he will kill himself tonight"); a doubt about it still negates
        before = " ".join(text[max(0, start - 40):start].split()[-4:])
        return bool(_DOUBT.search(before))
    window = text[max(0, start - 80):start]
    parts = _CLAUSE_BREAK.split(window)
    clause = parts[-1] if parts else window
    clause = " ".join(clause.split()[-5:])
    clause = _NOT_NEGATORS.sub(" ", clause)
    # a "not" negates the verb of its own subject: "i do not want help i want it to be over"
    subjects = list(_NEW_SUBJECT.finditer(clause))
    own = clause[subjects[-1].start():] if subjects else clause
    return bool(_NEGATORS.search(own) or _ASKED.search(clause))


_ASKED = re.compile(r"\b(?:asked|ask|asks|asking) (?:me )?(?:if|whether)\b")
_REFLEXIVE_END = re.compile(r"\b(?:himself|herself|themselves|themself)$")
_NOT_STOPPED = re.compile(r"\b(?:not|never) (?:stopped|quit|given up)\b")
_THIRD_START = re.compile(r"(?:he|she|they) ")
_NEW_SUBJECT = re.compile(r"\b(?:i|he|she|they|you|we)\b")
_DOUBT = re.compile(r"\b(?:asked|ask|asks|asking|whether|doubt|no way|not think|never said|not like|not that|not as if)\b|\b(?:not|never|if|unless|in case)$")


# Questions about people in general ("what should i say if someone tells me they want to die",
# "how do i ask someone if they are thinking about suicide"): the risk words have a generic subject.
_QUESTION = re.compile(r"\?|^(?:how|what|why|is|are|should|can|could|do|does|when|where|which|any tips|tips)\b")
_HELPING = re.compile(r"\b(?:help|helping|support|supporting|say|ask|asking|tell|tells|talk to|spot|signs?|notice|respond|"
                      r"reach out|react|comfort|check on)\b")
# Goodbyes and "not around much longer" with an everyday reason: a new job, a holiday, a move.
_EVERYDAY_LEAVING = re.compile(
    r"\b(?:last (?:day|week) (?:at|of|in) (?:work|the (?:company|office|job|shop|store|ward|cafe|café|restaurant|site)|school|uni)|"
    r"(?:my|the) last shift|on holiday|on vacation|my contract|(?:my|the) (?:lease|tenancy|rental)|(?:the )?office closes|"
    r"i will be (?:away|abroad|out of (?:town|the country)|on leave|in \w+ (?:that|this|next) (?:week|weekend|month))|"
    r"(?:this|my old|a new) account|moving (?:to|abroad|house|away|out)|follow me|retir(?:e|ing|ement)|new job|"
    r"(?:thanks|thank you) for (?:\w+ )?great years|graduat\w+|see you (?:all )?(?:in|next|soon|after)|"
    r"leav(?:e|ing) (?:the|my|this) (?:company|job|team|school|office|club|group)|(?:for|over) the holidays|on a trip|"
    r"business trip|(?:my|a) flight|travel(?:l)?ing|visiting (?:my|our|the) \w+|going (?:home|back home) for|"
    r"declutter\w*|downsiz\w*|(?:to|for) (?:a |the )?charity|charity shops?|minimalis\w*|spring clean\w*|(?:before|for) the move|"
    r"emigrat\w*|relocat\w*|outgrown|grown out of|too small|do not fit|allerg\w*|no pets|"
    r"(?:leaving|off|going|heading) (?:for|to) (?:uni|university|college)|(?:before|after|for) (?:our|my|the) (?:\w+ )?"
    r"(?:trip|holiday|vacation|honeymoon|wedding|move)\b(?! to the other side)|(?:finishing|finished|ending|ended|end of) (?:my )?"
    r"(?:therapy|counselling|counseling|treatment|sessions|course)|(?:my|our) last session|"
    # ... and a goodbye to a subject or an exam: "wrote my last exam today, never touching organic chemistry again"
    r"(?:my|the) last exam|never (?:touching|doing|taking|studying|opening) (?:\w+ ){1,3}again)\b")
# ... and an absence with an end or an everyday reason ("won't be around after friday, off to a cabin with no wifi for a
# week", "my last message before a digital detox, see you monday", "tying up loose ends at work before my maternity
# leave"), unless the message also speaks of an end for good ("for the last time", "much longer")
_AWAY_A_WHILE = re.compile(
    r"\b(?:(?:much|for) this summer|for (?:a|the|one|two|three|a few|a couple of|the next) (?:\w+ )?"
    r"(?:days|nights|week|weeks|weekend|month|months|summer|holidays?|term|semester)|see you (?:on )?(?:monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|tomorrow)|(?:be )?back (?:on|next|by|tomorrow|on monday)|off to (?:a|the|my|our)|"
    r"camping|cabin|interning|internship|no (?:wifi|signal|internet|reception)|digital detox|festival|retreat|deployment|"
    r"conference|handover|(?:maternity|paternity|parental|annual|study) leave|for a bit|to (?:focus on|study|revise for|"
    r"concentrate on)|spending (?:it|christmas|the holidays|new year|easter|the weekend) (?:with|at|in)|(?:my|the) in-laws|"
    r"off to hospital for|(?:my|a|the) (?:\w+ )?(?:op|operation|surgery) (?:on|tomorrow|today|this|next))\b")
_FOR_GOOD = re.compile(r"\b(?:for good|forever|much longer|anymore|any more|ever again|last time|one last)\b")
_GOODBYE_RULES = ("veiled_goodbye", "veiled_goodbye_more", "final_note", "burden_goodbye_more", "goodbye_general",
                  "future_absence", "anticipated_end", "exit_metaphor", "dated_goodbye", "future_cancelled")


_SUBJECT = re.compile(r"\b(?:i|we|someone|somebody|a person|people|anyone|they|a friend|a loved one|a student|a child|"
                      r"a teen|a teenager|a patient|a client|an employee|employees|students|teens|teenagers|patients|"
                      r"clients|men|women|kids|your (?:friend|child|teen|partner|kid)|a colleague|colleagues|a co-?worker|"
                      r"co-?workers|a classmate|classmates|a family member|a relative|a young person|young people)\b")


def _generic_subject(text: str, start: int, helping: bool) -> bool:
    """The nearest subject before the match is someone in general, not the writer.

    "they"/"anyone" count only in questions about helping ("if someone tells me they want to die"):
    "does anyone else feel like they are waiting to die" is about the writer.
    """
    window = text[max(0, start - 60):start]
    found = list(_SUBJECT.finditer(window))
    if not found or found[-1].group(0) in ("i", "we"):
        return False
    # "does anyone else ...": the writer is one of them; "a client at my salon mentioned she ...": someone
    # in particular, who said it
    if window.startswith(" else", found[-1].end()) or _SPECIFIC_AFTER.search(window, found[-1].end()):
        return False
    return helping or found[-1].group(0) not in ("they", "anyone")


_SPECIFIC_AFTER = re.compile(r"\b(?:mentioned|told me|said|admitted|confided|confessed|showed me|texted|messaged|posted|"
                             r"wrote|has been|is been|keeps)\b")


# A past, resolved experience told from recovery: "i used to want to die every day as a teen, now
# i'm 29 and happy", "my attempt was back in 2015 and i'm writing a book about recovery". It needs a
# past frame (_PAST), a sign of having come through (_RECOVERED) and no sign that the risk is current
# (_NOW_RE, _CURRENT). It is only a cue: assess withdraws a pattern's verdict only when the classifier
# also reads the message as safe, and never for an emergency-level pattern. The _MORE regexes hold
# what this cue accepts beyond the history downgrade in _combine.
_PAST_MORE = re.compile(r"\b(?:back (?:then|when)|(?:in|since) (?:19|20)\d\d|when i was (?:in|at) (?:college|uni|university)|"
                        r"from (?:about |around )?(?:age )?\d+ (?:to|until|till) \d+|between the ages of|until i was \d+|"
                        r"(?:his|her|my abuser's) funeral|(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten) (?:years?|yrs) "
                        r"(?:on from|since|sober|later)|(?:when|while) (?:i was|we were) growing up|"
                        r"(?:hit|beat|hurt|abused|molested|slapped|hitting|beating) (?:us|me)(?: \w+){0,3} growing up|"
                        r"(?:tw|trigger warning)(?: for)? past|"
                        # trauma told through its aftermath: "how do i get my sex drive back after my rape", "after
                        # leaving an abusive marriage" ("last night" and the other present words still keep the
                        # verdict: _past_abuse's whole-text test)
                        r"(?:after|since) (?:my|the|being|i was) (?:\w+ ){0,2}(?:rape|raped|assault|assaulted|abuse|abused|attack)|"
                        r"(?:after|since) (?:ending|leaving|escaping|getting out of|i left|divorcing) (?:an?|my|the|our) (?:\w+ ){0,3}"
                        r"(?:abusive|violent) (?:marriage|relationship|partner|husband|wife|boyfriend|girlfriend|home|ex))\b")
# Flashbacks date an assault told in the past passive ("i was violently raped ... i am having bad flashbacks"), not
# one told in the present ("he touches me at night and i have flashbacks") or without a tense ("he hit me").
_FLASHBACKS = re.compile(r"\bflashbacks?\b")
_PASSIVE_PAST_ABUSE = re.compile(r"\bi was (?:\w+ )?(?:raped|abused|molested|assaulted|attacked|beaten|groomed)\b")
# ... unless it was days ago: "i was raped at a party on saturday and i keep having flashbacks" is acute
_DAYS_AGO = re.compile(r"\b(?:(?:on|last|this|since) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|week)|"
                       r"(?:\d+|a few|few|two|three|four|five|six|couple of) (?:days|nights) ago|tonight|today|yesterday)\b")
_RECOVERED_MORE = re.compile(
    r"\b(?:(?:it|things|life) (?:really )?(?:does |do )?gets? better|(?:i'?m|i am) (?:doing )?" + _MORE + r"(?:ok|okay|fine|good|well|"
    r"better|happy|safe|glad)\b(?! to)|happy now|survived|i mentor|writing a book|now i(?:'?m| am) \d+|saved my life|"
    r"(?:been|am|i am) (?:genuinely |really )?(?:well|stable)\b|got (?:help|better)|have not (?:done it|self-harmed|cut|"
    r"hurt myself|relapsed) (?:in|for) (?:\w+ ){0,2}(?:years|months)|"
    r"(?:things|life|it) (?:is|are) (?:really |so |much |pretty )?(?:good|better|great|ok|okay) now|"
    r"(?<!not )(?<!never )(?<!not been )(?<!not really )(?<!n't )doing (?:really |so |pretty )?(?:good|well|great)(?: now)?\b"
    r"(?! (?:at|in|on) )|"
    r"(?<!had )(?:a|my) (?:good|happy|great|stable) life|made peace with)")


# A milestone told today ("three years ago i tried to end my life. today i graduated"): its "today" dates
# the good news, not the risk, so it neither makes the old risk imminent nor blocks the history reading.
_MILESTONE = re.compile(r"\b(?:graduat(?:ed|ing|ion)|(?:got|getting) married|ran (?:my|a) (?:first )?(?:marathon|race|half)|celebrat\w+|passed my|got the job|"
                        r"promoted|got engaged|milestone|anniversary|proud|qualified as|"
                        r"(?:got|earned|finished|completed) my (?:\w+ )?(?:degree|diploma|masters?|phd|licen[cs]e|certificate|qualification))\b")

def _good_news(text: str) -> bool:
    """A milestone or a recovery cue: what a date beside it dates, rather than a risk."""
    return bool(_MILESTONE.search(text) or _RECOVERED.search(text) or _RECOVERED_MORE.search(text))


def _stated_now(text: str) -> bool:
    """A stated time ("tonight", "today", "this weekend") in a clause that is not a milestone or a recovery cue."""
    for m in _NOW_RE.finditer(text):
        clause = (_CLAUSE_BREAK.split(text[max(0, m.start() - 300):m.start()])[-1]
                  + _CLAUSE_BREAK.split(text[m.start():m.start() + 300])[0])
        if not _good_news(clause):
            return True
    return False


def _recovery_frame(text: str, now: bool) -> bool:
    """``now``: _stated_now(text), computed once per message by match_patterns."""
    return bool((_PAST.search(text) or _PAST_MORE.search(text))
                and (_RECOVERED.search(text) or _RECOVERED_MORE.search(text) or _MILESTONE.search(text))
                and not now and not _current_risk(text))


# A word of the present ("still", "recently", "again") says the risk goes on only when its sentence is
# about the risk: in "the scars are still obvious" or "i have recently been asked to speak at pride" it is not.
# (Past abuse keeps the whole-text test: abuse stories hold their present in many more shapes, "he will make
# sure i never see the kids again", and the classifier is weakest there.)
_RISK_STEM = re.compile(r"\b(?:suicid\w*|self-harm\w*|cut\w*|burn\w*|kill\w*|die|dying|dead|urges?|overdos\w*|relaps\w*|"
                        r"hurt\w*|harm\w*|end it|end my life|attempt\w*|want to|wanting to|thoughts?|abus\w*|hits?|hitting|"
                        r"rap\w*|touch\w*|scared|afraid|pills|controls?|allowed|takes|threat\w*|swears?|yells?|screams?|"
                        r"lives? with|living with|at home|with (?:him|her|them))\b")
_AGAIN_WELL = re.compile(r"\b(?:ok|okay|better|happy|well|normal|good|safe|myself|alive|whole|human|hopeful) again\b")


def _current_risk(text: str) -> bool:
    for m in _CURRENT.finditer(text):
        if m.group(0) == "again" and _AGAIN_WELL.search(text, max(0, m.start() - 12), m.end()):
            continue
        if _RISK_STEM.search(_sentence_at(text, m.start())):
            return True
    for m in _RECENT.finditer(text):
        sentence = _STREAK_ENDED.sub(" ", _sentence_at(text, m.start()))  # "after a year clean" ended the streak
        if _RISK_STEM.search(sentence) and not _good_news(sentence):
            return True
    return False


def _past_abuse(hits: list[Hit], text: str, now: bool) -> bool:
    """Only abuse was matched, and it is told as the past ("i was abused as a child", "years ago my ex hit
    me") with no sign that it goes on. Like the recovery frame, only a cue: the verdict is withdrawn only
    when the classifier also reads the message as safe (an adult asking how childhood abuse shaped them)."""
    return bool(hits) and all(set(h.categories) <= {AB, TP} for h in hits) and bool(
        (_past_about(text, _ABUSE_STEM) or (_FLASHBACKS.search(text) and _PASSIVE_PAST_ABUSE.search(text)
                                                and not _DAYS_AGO.search(text)))
        and not now and not _CURRENT.search(text))


# the date must be told about the abuse: in "i moved to toronto with my fiance 8 months ago ... he does not
# like me making friends" the past is the move
_ABUSE_STEM = re.compile(r"\b(?:abus\w*|hit|hits|hurt|beat\w*|rap\w*|touch\w*|molest\w*|assault\w*|violent|cruel|hitting|"
                         r"punch\w*|kick\w*|slap\w*|groom\w*|did things|growing up|as a (?:kid|child|teen)|childhood)\b")


def _past_about(text: str, stem: re.Pattern) -> bool:
    for rx in (_PAST, _PAST_MORE):
        for m in rx.finditer(text):
            if stem.search(_sentence_at(text, m.start())):
                return True
    return False


# Rules written for the writer's own risk. Their phrase forms without a first-person word ("attempted
# suicide", "been suicidal", "thinking about suicide") also match a sentence about someone else: "the
# birth mother attempted suicide several times", "she has also been suicidal before".
_FIRST_PERSON_RULES = frozenset({"suicide_first_person", "si_general", "want_to_die", "end_life"})
_THIRD_SUBJECT = re.compile(r"\b(?:he|she|they|his|her|their|(?:my|our|the|a|his|her|their) (?:\w+ )?" + _REL + r"(?:'s)?)\b")
_FIRST_SUBJECT = re.compile(r"\b(?:i|me|my|myself|we)\b(?! (?:\w+ )?" + _REL + r"\b)")
_SENTENCE_BREAK = re.compile(r"[.;!?\n]")
# still going on, or just now: a third party's current risk is a report, not history
_THIRD_CURRENT = re.compile(r"\b(?:is|are|keeps|says|saying|tells|telling|wants|thinks|would|talking|threatening|planning|going to|"
                            r"again|still|lately|recently|now|tonight|today|yesterday|last night|this (?:week|morning))\b")


_THEIR_FEAR = re.compile(r"\b(?:he|she|they)(?: \w+){0,3} (?:is|are|was|were|gets|got|feels|felt) (?:so |really |still )?"
                         r"(?:afraid|scared|worried) i (?:will|might)\b")


def _about_someone_else(text: str, start: int, span: str) -> bool:
    """A first-person rule matched a phrase without a first-person word, and the nearest subject before it
    in the same sentence is someone else, told as the past ("the birth mother attempted suicide", "she
    has also been suicidal before"). A third party's current risk is left to the rules: "she is suicidal
    again" still counts."""
    if _FIRST_PERSON.search(span):
        return False
    before = _SENTENCE_BREAK.split(text[max(0, start - 80):start])[-1]
    third = [m.end() for m in _THIRD_SUBJECT.finditer(before)]
    first = [m.end() for m in _FIRST_SUBJECT.finditer(before)]
    if not third or (first and first[-1] > third[-1]):
        return False
    sentence = before + " " + span + " " + _SENTENCE_BREAK.split(text[start + len(span):start + len(span) + 60])[0]
    return not _THIRD_CURRENT.search(sentence)


def _snip(s: str, limit: int = 48) -> str:
    s = " ".join(s.split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


# "'s" after a noun, where it can only be "has" or "is": "my mate's been talking about ending it" reads as "my mate has
# been ..." (the pronoun forms, "he's", are spelt out by normalize; a possessive is followed by a noun, not these)
_NOUN_IS = re.compile(r"\b([a-z]+)'s (?=(been|got|gotten|started|going to|talking|saying|trying|planning|threatening|"
                      r"thinking|not|always|never|self-harming|refusing|locked|stopped|sending|texting|posting|"
                      r"cutting(?! (?:board|boards|room|edge|tool|tools|machine|mat)\b))\b)")


def _noun_is(m: re.Match) -> str:
    return f"{m.group(1)} {'has' if m.group(2) in ('been', 'got', 'gotten', 'started', 'locked', 'stopped') else 'is'} "


# The warning signs suicide-prevention guidance lists, as words: a plan or a decision made, calm or relief after it,
# an end spoken of as final, the writer's affairs after their death (pets, debts, belongings, a note), giving things
# away, being a burden, hopelessness, wanting to be with someone who died. Not a rule: any of them is everyday
# language ("at peace with my decision to move", "gave my guitar to my nephew"). It only lets the classifier flag a
# message at a lower probability (assess._CUE_P) when one is there.
_WARNING_SIGN = re.compile(
    r"\b(?:"
    r"(?:the|my) plan\b|(?:my|the) (?:mind|decision) (?:is|was|has been) made|made (?:up )?my (?:mind|decision)|"
    r"decision (?:is|was|has been) made|(?:once|now that|since) (?:i (?:have )?)?(?:decided|made the decision)|"
    r"i know what i (?:am going|need|have|want) to do|i know what (?:that|this|it) means for me|"
    r"(?:feel|feels|felt|feeling) (?:so |strangely |weirdly |oddly |really )?(?:light|lighter|calm|peaceful|at peace|relieved)|"
    r"i am (?:finally |so |now )?(?:at peace|calm|relieved)|"
    r"for good|one last|for (?:the|a) last time|while i (?:still )?(?:can|could)|not be (?:around|here)|"
    r"see you (?:soon|on the other side)|goodbye|farewell|(?:stop|quit|quitting|end|ending) (?:\w+ )?more than|"
    r"(?:when|after|once|if) i am (?:gone|not here|not around|dead)|if (?:something|anything) (?:happens|happened|were to happen) "
    r"to me|if i (?:was|were) not (?:here|around)|if nobody (?:came|comes|checked|checks)|who (?:finds|will find|would find)|"
    r"(?:nobody|no one) (?:blames|blame|to blame)|(?:a|the|my) note\b|letters? to\b|when (?:you|they|anyone|someone) reads? this|"
    r"who (?:each|every) \w+ is for|(?:look|looks|looking) after my|take care of my (?:cat|dog|pets?|kids|children)|"
    r"(?:pass|passes|passed) away|after (?:they|a person|someone|you) (?:die|dies|pass)|"
    r"(?:gave|giving|give) (?:away )?(?:my|all my)|packed up|"
    r"burden|better off|without me|nothing but (?:trouble|a burden|a problem)|"
    r"(?:life|lives) would (?:get|be) (?:so |so much |a lot |way |much )?(?:easier|lighter|better)|would take me|"
    r"never (?:going to )?get (?:any )?better|(?:nothing|no fight) left|no way out|so done|done (?:trying|fighting)|"
    r"tired of (?:everything|it all|living|being|existing|fighting|trying)|"
    r"(?:too much|so much) to stay|be with (?:him|her|them) again|"
    r"sorry for (?:everything|all of it|being (?:a burden|like this|me))|love you all|"
    # planning one's own funeral, hugs and instructions left as goodbyes, affairs left tidy for whoever sorts them,
    # self-harm urges and relapse
    r"(?:my|his|her|their) own funeral|hugged (?:everyone|them all|all of them|my \w+) (?:extra|a bit|really|for ages|longer|"
    r"tighter)|(?:left|leaving|wrote|writing) instructions for my|who gets what|(?:tidy|sorted) for (?:them|whoever)|"
    r"(?:they|someone|whoever) (?:are |is )?(?:sorting|sort|go|goes|going) through my (?:things|stuff|room|flat)|"
    r"(?:the )?urges? (?:is|are|has been|have been|was|were) (?:so |really )?(?:bad|strong|loud|back|getting worse|unbearable)|"
    r"itch to do it|i relapsed|broke my streak|(?:then|and) today happened|stopped wanting to|"
    # a funeral planned, savings not needed, food and medicine refused
    r"(?:for|at) my funeral|(?:will not|not going to|am not going to) (?:be needing|need) (?:my|it|them|any of)|"
    r"lived long enough|refus\w* (?:food|to eat|my (?:meds|medication|medicine|treatment|insulin))|"
    # belongings and care handed on: "make sure my little brother gets my xbox", "look after the roses for me"
    r"(?:make sure|see that|see to it that) (?:my )?(?:\w+ ){0,2}(?:gets|has|keeps) my|(?:look after|take care of) the \w+ for me"
    r")\b")


def warning_sign(text: str) -> str | None:
    """The first warning-sign phrase (:data:`_WARNING_SIGN`) in normalised ``text`` (read as the rules read it,
    :func:`~mhqa.safety.normalize.expand_for_patterns`), or None."""
    m = _WARNING_SIGN.search(expand_for_patterns(text))
    return m.group(0) if m else None


def match_patterns(text: str) -> PatternResult:
    """Run every rule over normalised ``text`` and return the level, categories and evidence."""
    text = expand_for_patterns(text)
    spans = list(_BENIGN.finditer(text))  # one scan serves the evidence and the blanking (the largest regex here)
    benign = tuple(_snip(m.group(0)) for m in spans)
    cleaned = text
    if spans:
        parts, last = [], 0
        for m in spans:
            parts += [text[last:m.start()], " _ "]
            last = m.end()
        cleaned = "".join(parts) + text[last:]
    cleaned = _FILLER.sub(" _ ", cleaned)
    cleaned = _NOUN_IS.sub(_noun_is, cleaned)
    report = bool(_REPORT_CONTEXT.search(cleaned)) and not _REAL_SELF.search(cleaned)
    hypothetical = bool(_HYPOTHETICAL_OTHER.search(cleaned))
    question = bool(_QUESTION.search(cleaned))
    hits: list[Hit] = []
    negated: list[str] = []
    for rule in RULES:
        first_past = None
        for m in rule.regex.finditer(cleaned):
            if _negated(cleaned, m.start(), m.group(0)):
                negated.append(rule.name)
                continue
            if (rule.third_person and (report or hypothetical)) or (report and not _FIRST_PERSON.search(cleaned)) or (
                    question and rule.level < EMERGENCY and not m.group(0).startswith(("i ", "my ", "our "))
                    and _generic_subject(cleaned, m.start(), bool(_HELPING.search(cleaned)))):
                negated.append(rule.name)
                continue
            if rule.name == "harm_others_intent" and _THEIR_FEAR.search(cleaned[max(0, m.start() - 40):m.end()]):
                negated.append(rule.name)  # "he says he is afraid i will hurt him again": his fear, not my intent
                continue
            if rule.name in _FIRST_PERSON_RULES and _about_someone_else(cleaned, m.start(), m.group(0)):
                negated.append(rule.name)
                continue
            if rule.name in _GOODBYE_RULES and (_EVERYDAY_LEAVING.search(cleaned) or (
                    _AWAY_A_WHILE.search(cleaned) and not _FOR_GOOD.search(cleaned))):
                negated.append(rule.name)
                continue
            if rule.name in _PAST_EMERGENCY_RULES and _IF_BEFORE.search(cleaned, max(0, m.start() - 40), m.start()):
                # "would i just sleep forever if i swallowed the whole pack": a question about means, not an overdose taken
                hits.append(Hit(rule.name, URGENT, rule.categories + (LM,), _snip(m.group(0)), match=m.group(0)))
                break
            if rule.name in _PAST_EMERGENCY_RULES and _told_as_past(cleaned, m.start()):
                # keep looking: "years ago i overdosed. an hour ago i overdosed again" is about now
                first_past = first_past or Hit(rule.name, rule.level, rule.categories, _snip(m.group(0)), True, m.group(0))
                continue
            cats = rule.categories
            if AB in cats and TP not in cats and _SIBLING_HURT.search(m.group(0)):
                cats += (TP,)  # a brother or sister is the one being hurt: someone else at risk (EVAL_SET.md)
            hits.append(Hit(rule.name, rule.level, cats, _snip(m.group(0)), match=m.group(0)))
            break
        else:
            if first_past:
                hits.append(first_past)
    if _MEANS_AT_HAND.search(cleaned) and (_NOW_RE.search(cleaned) or _READY_RE.search(cleaned)) and not report:
        m = _MEANS_AT_HAND.search(cleaned)
        hits.append(Hit("means_at_hand", EMERGENCY, (SI, LM), _snip(m.group(0)), match=m.group(0)))
    control = _coercive_control(cleaned) if not hits and not report else None
    if control:
        hits.append(Hit("coercive_control", URGENT, (AB,), control))
    now = _stated_now(cleaned)
    level, cats = _combine(hits, cleaned, now)
    return PatternResult(tuple(hits), level, cats, benign, tuple(negated), report,
                         _recovery_frame(cleaned, now) or _past_abuse(hits, cleaned, now),
                         physical=not hits and _physical(text, cleaned))


_NOT_AS_PRESCRIBED = re.compile(r"\b(?:" + _STILL_RISK + r"|the rest|whole (?:bottle|box|packet|pack|strip)|overdos\w*|"
                                r"at once|too many|too much|extra|double|goodbye|sleep forever|not wake up|never wake up|"
                                r"alcohol|vodka|wine|drunk)\b")


def _physical(text: str, cleaned: str) -> bool:
    """An accident, a bodily pain or medicine taken as told is the message's whole matter: ``cleaned`` (its idioms
    blanked, that one among them) has no word of risk left, and nothing says it was no accident or more than told."""
    if _RISK_STEM.search(cleaned):
        return False
    if _ACCIDENT_RE.search(text) and not _NOT_ACCIDENT.search(text):
        return True
    return bool(_AS_PRESCRIBED_RE.search(text)) and not _NOT_AS_PRESCRIBED.search(cleaned)


# Coercive control by a partner: no single behaviour is enough ("he checks my phone" can be jealousy or a
# worry), but two different ones -- money, watching, isolating, intimidating -- are the pattern that
# abuse services describe, with or without a blow ("he is never hit me, but ...").
_PARTNER = re.compile(r"\b(?:husband|wife|boyfriend|girlfriend|partner|fiance|fiancee|bf|gf|been (?:together|married)|"
                      r"(?:we|he|she) (?:moved|live) in together)\b"
                      # ... or a relative or carer an older writer lives with or depends on (elder abuse)
                      r"|\bmy (?:son|daughter|grandson|granddaughter|carer|nephew|niece)\b(?:\s+\S+){0,3}?\s+(?:moved in|lives with me|"
                      r"looks after me|is my carer|manages my)\b|\bi am (?:[6-9]\d)\b")
_CONTROL = (
    re.compile(r"\b(?:controls|control of|takes|took|keeps|has) (?:all )?(?:the|my|our) (?:money|finances|wages|pay|salary|bank card|"
               r"cards?|passport|pension|benefits|savings)\b|\bmy (?:wages|pay|salary) (?:goes|go) (?:\w+ )?(?:into|to) (?:his|her)\b|\b(?:gives|give) me an allowance\b"
               r"|\bask (?:him|her) for (?:money|cash)\b|\bshow (?:him|her) (?:the |my )?receipts\b"),
    re.compile(r"\b(?:checks|goes through|reads|read|monitors|tracks|tracking) (?:all )?my (?:phone|messages|texts|emails|location|"
               r"car|social media|dms)\b|\b(?:tracker|tracking app|spyware) on my\b|\bhas my location\b"
               r"|\bknowing (?:where i am|who i talk to)\b"),
    re.compile(r"\b(?:not allowed|am not allowed|is not allowed) to (?:see|go|leave|have|work|talk|visit|wear|use|drive)\b"
               r"|\b(?:will not|does not|never|won't|doesn't) let me (?:see|go|leave|have|work|talk|visit|wear|use|drive)\b"
               r"|\bmade me (?:quit|stop seeing|give up|cut off)\b|\bcut me off from\b|\bdecides what i (?:wear|eat|do|say)\b"
               r"|\bcan not go anywhere without (?:him|her)\b"),
    re.compile(r"\b(?:punches|punched|kicks|kicked|smashes|smashed) (?:walls?|holes|doors?|things)\b"
               r"|\bthreat(?:ens|ened) to (?:take the kids|leave me with nothing|kill himself if|kill herself if|tell everyone)\b"
               r"|\bif i (?:\w+ ){0,6}?(?:he|she) (?:will|would|is going to|says (?:he|she) will) (?:tell|report|take|kick|throw|hurt|"
               r"get me fired|leave me with)\b"),
)


def _coercive_control(text: str) -> str | None:
    """Evidence of two or more kinds of control by a partner (or a relative or carer an older writer lives with), or None."""
    if not _PARTNER.search(text):
        return None
    found = [m.group(0) for m in (c.search(text) for c in _CONTROL) if m]
    return _snip(" / ".join(found)) if len(found) >= 2 else None


_PAST_EMERGENCY_RULES = frozenset({"overdose_done", "overdose_taken", "overdose_taken_any", "overdose_more", "overdose_general",
                                   "overdose_taken_more", "overdose_plain", "attempt_now"})
_IF_BEFORE = re.compile(r"\b(?:if|what if|even if|suppose|supposing|imagine)(?: (?:i|you|someone|somebody|one|a person|they))?"
                        r"(?: (?:just|ever|really|actually))? ?$")
_JUST = re.compile(r"\b(?:just|minutes? ago|an hour ago|hours ago|earlier)\b")


def _sentence_at(text: str, start: int) -> str:
    """The sentence around position ``start``, read within 300 characters each side: a sentence is rarely
    longer, and a 100k-character message with thousands of matches would otherwise split its whole text
    once per match."""
    return _SENTENCE_BREAK.split(text[max(0, start - 300):start])[-1] + _SENTENCE_BREAK.split(text[start:start + 300])[0]


def _told_as_past(text: str, start: int) -> bool:
    """The sentence holding the match at ``start`` has a past date and no sign of now ("ten years ago i
    overdosed")."""
    sentence = _sentence_at(text, start)
    return bool(_PAST.search(sentence) or _PAST_MORE.search(sentence)) and not (
        _NOW_RE.search(sentence) or _JUST.search(sentence))


_WOUND_RULES = frozenset({"self_harm_wounds", "third_party_wounds"})


def _combine(hits: list[Hit], text: str, now: bool) -> tuple[int, tuple[str, ...]]:
    """``now``: a stated time outside any milestone clause (_stated_now), computed once per message."""
    if not hits:
        return NONE, ()
    level = max(h.level for h in hits)
    # an overdose or attempt told with a date in the past and no sign of the present ("ten years ago i
    # overdosed and survived") is history: urgent, so a stated time elsewhere still makes it an emergency
    # and the history downgrade below applies otherwise
    told_emergency = [h for h in hits if h.level == EMERGENCY]
    if told_emergency and all(h.past for h in told_emergency) and not (
            _CURRENT.search(text) or _MEANS_AT_HAND.search(text)):
        level = URGENT
    cats: list[str] = []
    for h in hits:
        cats.extend(c for c in h.categories if c not in cats)
    risky = {SI, SH, OD, HO, LM}
    if TP in cats:
        # A third party's risk: name what kind of risk it is, from the whole matches (not the evidence snippets)
        joined = " ".join(h.match or h.span for h in hits)
        if re.search(r"self-harm|cut|burn|hurt(?:s|ing)? (?:himself|herself|themselves|themself)", joined):
            cats.append(SH)
        if re.search(r"overdos|took|swallowed|pills|morphine|saving", joined):
            cats.append(OD)
        if not (set(cats) & {SH, OD, AB, HO}):
            cats.append(SI)
    # (a wound going bad "today" dates the wound, not an act: urgent care, not an emergency, unless more is said)
    wounds_only = all(h.rule in _WOUND_RULES for h in hits if h.level == URGENT)
    if level == URGENT and (set(cats) & risky) and ((now and not wounds_only) or _MEANS_AT_HAND.search(text)):
        level = EMERGENCY  # a stated time or means at hand makes it imminent
    elif level >= CONCERN and TP in cats and _UNREACHABLE.search(text) and (
            now or _CURRENT.search(text) or not _PAST.search(text)):
        level = EMERGENCY  # someone at risk who has gone silent, not in a story of the past (EVAL_SET.md)
    elif level == URGENT and AB in cats and _ABUSE_NOW.search(text):
        level = EMERGENCY  # violence happening now
    elif level == CONCERN and any(h.rule in ("veiled_goodbye", "veiled_goodbye_more", "euphemism") for h in hits) and (
            now or _MEANS_AT_HAND.search(text)):
        level = EMERGENCY  # a goodbye with a plan
    # history, not the present -- but never for an emergency: means at hand or a stated time is the present
    if level == URGENT and _PAST.search(text) and not (now or _CURRENT.search(text) or _WANTING.search(text)):
        level = NONE if _RECOVERED.search(text) else CONCERN  # history, not the present
        if level == NONE:
            return NONE, ()
    if _MEANS_AT_HAND.search(text) and level >= URGENT and LM not in cats and (set(cats) & {SI, SH, OD}):
        cats.append(LM)
    order = (SI, SH, LM, OD, HO, AB, TP)
    return level, tuple(c for c in order if c in cats)


# gone silent: "is not answering", "stopped replying", "nobody can reach her", "her phone is off" (after normalize)
_UNREACHABLE = re.compile(
    r"\b(?:not|stopped|never) (?:answer|answering|answered|pick up|picking up|picked up|reply|replying|replied|respond|"
    r"responding|responded)\b(?! (?:to (?:her |his |their |the |my )?(?:treatment|medication|meds|therapy|antibiotics|drugs)|well))"
    r"|\b(?:can not|cannot|could not|no one can|nobody can) (?:reach|get hold of|get through to|contact)\b"
    r"|\b(?:phone|cell) (?:is )?(?:off|dead)\b|\bstraight to voicemail\b")
_SIBLING_HURT = re.compile(r"\bmy (?:\w+ )?(?:brother|sister|brothers|sisters|siblings?)$")


def keyword_baseline(text: str) -> bool:
    """The notebook's original check, kept as the baseline every evaluation compares against."""
    low = text.lower()
    return any(k in low for k in ("suicide", "self-harm", "kill myself", "end it all"))
