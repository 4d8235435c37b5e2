"""Counts of people in news text: "more than 120 Labour MPs signed the amendment". Pure.

A count is a number (digits, words, "a dozen"), a fraction ("a quarter of") or a vague amount
("dozens of") followed by a group of people who can rebel (MPs, backbenchers, peers...). Money,
people affected, dates, percentages, whole-House tallies, thresholds and party sizes are left out.
Counts of the government's supporters are kept with ``rebel=False``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache

from ahocorasick_rs import AhoCorasick

from alerts.models import Count, Qualifier

# --- the subject ---------------------------------------------------------------------------------

BILL_SUBJECT_WORDS: tuple[str, ...] = (
    "welfare", "benefit", "personal independence payment", "universal credit", "disab",
    "timms", "social security", "claimant", "two-child", "winter fuel", "work and pensions",
    "means-test", "child poverty",
)
"""Words (lower case, matched as substrings) of which an article about the welfare bill names at
least one: the bill, what it cuts (benefits, PIP, Universal Credit), who it affects (disabled
people, claimants), the Timms review, the department. Rebel counts are only news in that story:
an article that never names any of it is about something else (assisted dying, strikes, council
by-elections, a defence letter), and its "50 Labour MPs" or "121 MPs" are not counts for us.
"PIP" is matched as a whole word apart (``_PIP``): as a substring it is in "pipeline"."""
_PIP = re.compile(r"\bpip\b")
_TOPIC_MIN_CHARS = 700
"""Texts shorter than this are excerpts (a paragraph, a feed summary) whose subject may be in the
headline or the article around them: the gate only judges texts of an article's length."""


def on_subject(lowered: str) -> bool:
    """Whether lower-cased ``lowered`` names the welfare bill's subject (``BILL_SUBJECT_WORDS``),
    or is too short to tell."""
    if len(lowered) < _TOPIC_MIN_CHARS or any(w in lowered for w in BILL_SUBJECT_WORDS):
        return True
    return "pip" in lowered and _PIP.search(lowered) is not None


# --- numbers ------------------------------------------------------------------------------------

_UNITS = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORD_VALUE = {w: i + 1 for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in
                                                           enumerate(_TENS)}
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_TEN = "|".join(_TENS)
_BELOW_100 = rf"(?:(?:{_TEN})(?:[- ](?:{_UNIT}))?|{_UNIT})"
_NUMBER = (
    r"\d{1,3}(?:,\d{3})+|\d+"
    rf"|(?:a|one|two|three|four|five|six|seven|eight|nine)[ ]hundred(?:[ ]and[ ]{_BELOW_100})?"
    r"|(?:a|half[ ]a|two|three|four|five)[ ]dozen|a[ ]couple[ ]of[ ]dozen|a[ ]single"
    r"|a[ ]score(?=[ ]of[ ])"  # "backed by a score of Labour MPs": twenty
    r"|the[ ]only(?=[ ][A-Za-z]+[ ](?:MP|mp|backbencher|peer)[ ](?:to|who)\b)"
    rf"|{_BELOW_100}"
)
_FRACTION = (
    r"(?:a|one|two|three)[ -](?:third|quarter|fifth|tenth)s?[ ]of"
    r"|half[ ]of|half(?=[ ]the\b)|a[ ]majority[ ]of(?=[ ]the[ ])"
    r"|one[ ]in[ ](?:two|three|four|five|six|seven|eight|nine|ten|twenty|\d+)"
    r"|(?:two|three|four|five|six|seven|eight|nine)[ ]in[ ]ten"  # "nine in ten of his MPs"
)
_VAGUE = (
    r"(?:dozens|scores|hundreds)['’\"”]?[ ]of|a[ ]handful[ ]of|a[ ](?:small[ ])?number[ ]of"
    r"|a[ ]small[ ]group[ ]of"  # "a small group of MPs who have repeatedly voted against"
    r"|several[ ]dozen|a[ ]few[ ]dozen"
    r"|(?:dozens|scores)(?=[ ](?:more|defy|defied|rebel|rebelled|abstain|abstained)\b)"
    r"|a[ ](?:further[ ])?handful(?![ ]of)"  # "dozens more stayed away", "a further handful"
    r"|a[ ]core[ ]of|a[ ]string[ ]of|a[ ]clutch[ ]of|several(?=[ ])"  # see _SEVERAL
)
# How every number, fraction and vague amount above starts, grouped by first letter: a quick test
# that passes over most words ("the", "and", "said") before the alternatives are tried in turn.
_LEAD_START = (
    r"(?=t(?:wo|hr|hi|en|we|he[ ]o)|a[ -]|one|s(?:ix|ev|co)|f(?:ou|iv|if|or)|h(?:al|un)"
    r"|e(?:ig|le)|nin|doz|\d)"
)
_LEAD_SOURCE = (
    rf"(?<![a-z\w£$€¥.,\-]){_LEAD_START}"  # a-z before \w: most positions fail on it, quickly
    rf"(?:(?P<fraction>{_FRACTION})|(?P<vague>{_VAGUE})|(?P<number>{_NUMBER}))"
    r"(?![\w%£$]|[.,]\d)"
)
_LEAD_LOWER = re.compile(_LEAD_SOURCE)  # on lower-cased text: much faster than re.IGNORECASE
_LEAD_ANY_CASE = re.compile(_LEAD_SOURCE, re.IGNORECASE)

# --- groups -------------------------------------------------------------------------------------

_NOT_A_MODIFIER = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|The|A|An|In|On|At|But|And|If|As"
    "|It|He|She|They|We|This|That|Of|For|To|By|How|What|Why|When|Where|Who"
)
_CAPITALISED = (  # "Scotland's 37", "Wales' 27": an owner and its number
    rf"(?!(?:{_NOT_A_MODIFIER})\b)[A-Z][A-Za-z\-]*(?:(?:['’]s|(?<=s)['’])(?:[ ]\d{{1,3}})?)?"
)
_LOWER_MODIFIER = (
    r"(?:backbench|back-bench|frontbench|senior|junior|former|rebel|rebellious|left-wing"
    r"|leftwing|right-wing|moderate|loyal|loyalist|new|newly|newly-elected|elected|veteran"
    r"|female|women|male|ministerial|government|opposition|cross-party|independent|other|own"
    r"|unhappy|concerned|angry|disgruntled|party|parliamentary|select|committee|Labour-supporting"
    r"|original|founding|remaining|initial|declared|potential|likely|would-be|party['’]s|council"
    r"|newer|fellow|cabinet|wavering)"
)
_STRONG_HEADS = (
    "MPs|MSPs|MSs|AMs|MEPs|[Bb]ack-?benchers|[Rr]ebels|[Ss]ignatories|[Ss]ignatures"
    "|[Ll]awmakers|[Ll]egislators|[Ss]enators|[Pp]arliamentarians|[Ll]oyalists|[Bb]ackers|noes"
    # "100 names on it", "120-odd names on an amendment"
    "|names(?=[ ]on[ ](?:it|(?:the|an)[ ]amendment|the[ ]letter|the[ ]motion)\\b)"
    "|(?<=Labour[ ])names"  # "the list had reached 126 Labour names"
)
_WEAK_HEADS = (
    "[Ff]ront-?benchers|[Mm]embers|[Pp]eers|[Ll]ords|[Cc]ouncill?ors|[Ff]igures|[Mm]inisters"
    "|[Pp]oliticians|[Cc]hairs|[Cc]hair(?:wo)?men|Tories|Conservatives|Democrats|Republicans"
    "|[Cc]ross-?benchers|[Oo]rganisers|(?<=[Cc]ouncil[ ])leaders|[Cc]olleagues"
    "|[Pp]rivate[ ]secretaries|PPSs|[Aa]ides"  # "two parliamentary private secretaries resigned"
    "|(?<=Westminster[ ])contingent"  # "nine in ten of Sarwar's Westminster contingent backing"
)
_POSTMODIFIER = (
    r"(?:[ ](?:across|from)[ ](?:all[ ]parties|all[ ]sides|both[ ]sides|other[ ]parties"
    r"|the[ ]House|Scotland|Wales|England)|[ ]in[ ](?:Scotland|Wales|England|the[ ]Commons"
    r"|the[ ]Lords)|[ ]of[ ](?:the[ ])?(?:[A-Z][\w\-]*['’]s[ ](?=[A-Z]))?"  # "of Starmer's Labour"
    r"[A-Z][\w\-]*(?:[ ][A-Z][\w\-]*){0,3}"
    r"|[ ]of[ ](?:the[ ])?(?:select[ ])?committees?\b)?"
)
_DETERMINER = r"(?:(?:the|his|her|their|its|our|your|my|those|these)[ ]+)?"
_GROUP = (
    rf"(?P<group>{_DETERMINER}(?:(?:{_CAPITALISED}|{_LOWER_MODIFIER})[ ]+){{0,4}}"
    rf"(?P<head>{_STRONG_HEADS}|{_WEAK_HEADS})\b{_POSTMODIFIER})"
)
_TAIL = re.compile(
    r"(?P<approx>-odd|-plus|\+|[ ]or[ ]so)?"
    r"['’\"”]?"  # "they have “at least 40” MPs": a quoted figure
    r"(?P<increment>[ ](?:further|more(?![ ]than)|additional|extra))?"
    r"(?P<dash>[ ][–—])?"  # "126 – Labour MPs who signed": an explainer's bullet
    # "Two of the city region's Labour MPs": the owner is read here, not in every group
    # "Around a dozen of the city region's other Labour MPs"
    rf"(?:[ ]of)?(?:[ ]the(?:[ ][a-z]+){{1,2}}['’]s(?=[ ](?:other[ ]|own[ ])?[A-Z]))?[ ]+{_GROUP}"
)
_BARE_TAIL = re.compile(
    r"(?:[ ]or[ ]so|-odd)?['’\"”]?(?P<increment>[ ](?:further|more(?![ ]than)|additional))?"
    r"(?=(?:[ ]others)?(?:[ ](?:have|had|has|now|also|then|are|were|is|was|be|who|understood"
    r"|thought|believed|reported|known|said|to|appears?|seems?|\w+ly)){0,5}[ ]['‘\"“]?"
    r"(?:signed|backed|joined|added|voted"
    r"|abstained|rebelled|put|did[ ]not[ ]vote|stay(?:ed)?[ ]away|found[ ]reasons?|leaning"
    r"|ended[ ]up[ ](?:voting|backing|abstaining)"  # "more than 80 ended up voting with"
    r"|wavering|undecided|considering)\b)"
)
_BARE_REBELLION = re.compile(
    r"['’\"”]?(?=[ ]who[ ](?:[\w’'-]+[ ]){1,6}?(?:rebelled|abstained|voted[ ]against|defied"
    r"|switched[ ]to[ ](?:abstaining|voting[ ]against|opposing))\b"
    # "I respect the 49 who couldn't support it": who would not vote for the bill
    r"|[ ]who[ ](?P<refused>(?:could|can|would|did)(?:n['’]t|[ ]not)|cannot)[ ]"
    r"(?:support|back|vote[ ]for)\b"
    r"|(?:[ ]of[ ]them|[ ]others)?(?:[ ](?:have|had|has|also|then|more|who|will|would|could"
    r"|may|might|still|now|later|appears?|seems?|to|expected|likely|set|poised|ready|prepared|due"
    r"|planning|preparing|are|were|being|been|be|considering|understood|thought|believed"
    r"|reported|\w+ly)){0,5}"
    r"[ ](?:abstain(?:ed|ing)?|rebel(?:led)?|defied|defy|opposed?"
    r"|vot(?:ed|e|ing)[ ]against|did[ ]not[ ]vote|stay(?:ed)?[ ]away"
    r"|(?P<did_so>(?:did|do|doing)[ ]so)"  # "two dozen more are considering doing so"
    r"|(?P<suspended>suspended)"  # "the only Scottish MP among the four suspended on Wednesday"
    r"|(?:walked|went|filed|trooped)[ ]through[ ]the[ ][Nn]o[ ]lobby"
    r"|switched[ ]to[ ](?:abstain(?:ing)?|vot(?:e|ing)[ ]against|oppos(?:e|ing))"
    r"|(?:said|says?|told[ ](?:the[ ])?(?:party[ ])?\w+)[ ](?:that[ ])?they[ ]"
    r"(?:would|will|could|are[ ]prepared[ ]to)[ ](?:\w+[ ])?"
    r"(?:vote[ ]against|oppose|rebel|abstain))\b)"
)
# "only one Labour vote against", "one Labour MP, Ann Lowe, voted against": one person's rebel vote
_SINGLE = re.compile(
    r"[ ](?:(?:(?:Scottish|Welsh|English)[ ])?"
    r"(?P<party>Labour|Conservative|Tory|SNP|Lib[ ]Dem|Liberal[ ]Democrat|Green)[ ]"
    r"|(?=(?:select[ ])?committee[ ]chair\b))"  # "just one select committee chair voted against"
    r"(?:vote[ ]against|(?P<head>MP|backbencher|peer|(?:select[ ])?committee[ ]chair)"
    # "one Labour MP, veteran left-winger Jon Trickett, voted with": a description, then the name
    r"(?:,[ ](?:[a-z][\w-]*[ ]){0,3}[A-Z][^,.;:]{1,40},)?[ ](?:\w+ly[ ])?"
    r"(?:vot(?:ed|es)[ ]against|rebelled|defied|abstained|to[ ]vote[ ]against|to[ ]rebel|to[ ]defy"
    r"|who[ ](?:voted[ ]against|opposed|rebelled|defied)"  # "just one Labour MP, X, who opposed"
    # "one Labour MP, Ann Lowe, voted with the Conservatives": against their own party
    r"|voted[ ]with[ ](?:the[ ])?(?P<with>Conservatives|Tories|opposition|Labour)))\b"
)
# "the 126 who had signed it", "37 had signed the Hillier amendment": signers of the motion
_SIGNED_BARE = re.compile(
    r"(?:[ ]who)?(?:[ ](?:had|have|has))?[ ](?:signed|backed)[ ](?:it\b|(?:the[ ]|her[ ]|his[ ]"
    r"|[A-Z][\w’'-]*(?:[ ][A-Z][\w’'-]*)?['’]s[ ])"  # "the 126 who signed Meg Hillier's amendment"
    r"(?:[\w’'-]+[ ]){0,3}(?:amendment|motion|letter)\b)"
)
_OWN_SIDE = {"Conservatives": ("Con", "Tor"), "Tories": ("Con", "Tor"), "Labour": ("Lab",),
             "opposition": ("Con", "Tor", "SNP", "Lib", "Gre")}
_SPEAKS_AFTER = re.compile(r"(?:[ ][\w'’-]+){0,5}?[ ](?:said|says|told|added|admitted)\b")
_OF_THEM = re.compile(r"[ ]of[ ](?P<who>them|us|whom)\b")
_THERE_WERE = re.compile(r"\b[Tt]here[ ](?:were|are)[ ]$")
# "32, including four former ministers, told the meeting...": an aside between number and verb
_ASIDE = re.compile(r",[ ](?:including|among[ ]them)[ ][^,.;:]{1,60},")
_ELLIPTIC_BEFORE = ("as had ", "as did ", "as have ", "as has ", "as were ", "as was ", "as do ")
# "she signed it alongside 100 colleagues": they did what the sentence's subject did, when that is
# a rebel's act ("The Tories voted against, with 121 MPs" is a party's size)
_ALONGSIDE_BEFORE = ("alongside ", "along with ", "together with ", " with ", ", joining ")
_ALONGSIDE_ACTIONS = ("voted against", "signed", "rebelled", "abstained", "backed amendment")
# "Two MPs had been wrongly included": people acted upon, not acting
_PASSIVE_AFTER = re.compile(
    r"[ ]+(?:(?:had|have|has)[ ]been|were|was)[ ](?:\w+ly[ ])?"
    # "one in three of his backbenchers was prepared to ...": a stance, not a passive
    r"(?!(?:prepared|expected|poised|minded|determined|inclined|tempted)\b[ ,])\w+ed\b"
)
_VOTED_FOR = re.compile(r"[ ]+(?:\w+[ ]+)?(?:voted|backed|supported)\b")
_REBEL_WORD = re.compile(
    r"\b(?:MPs?|[Bb]ackbench\w*|Labour|[Rr]ebels?|[Rr]ebellion|[Rr]evolt|[Pp]eers|[Nn]o[ ]lobby"
    r"|rebelled|defied)\b"  # "the 49 who rebelled": the verb says whose figure it is
)
# "close to 80", "more than 40" after a copula: "the number of ... is close to 80"
_AFTER_COPULA = (
    r"(?:(?P<q>close[ ]to|nearly|almost|about|around|roughly|more[ ]than|over|at[ ]least|nearer"
    r"|closer[ ]to"
    r"|up[ ]to|fewer[ ]than|just[ ]under|just[ ]over|well[ ]over|under|north[ ]of|south[ ]of)[ ]+)?"
)
# "the number signing a rebel amendment reached 126": the people by what they do
_DOING = (
    r"signing|backing|voting[ ]against|opposing|rebelling|abstaining"
    r"|(?:likely|expected|set|prepared|ready|planning)[ ]to[ ](?:vote[ ]against|rebel|abstain)"
)
_TOTAL = re.compile(
    rf"\b(?i:number|total|tally|ranks)[ ](?:of[ ]{_GROUP}|(?P<doing>{_DOING}|who(?=[ ])))"
    r"[^.!?\n]{0,160}?"
    r"\b(?i:(?P<by>(?:risen|rose|grown|grew|increased|jumped)[ ]by)"  # "rose by 18 overnight"
    r"|risen|rose|grown|grew|climbed|increased|jumped|reached|hit|stands[ ]at|stood[ ]at|now"
    r"|to|at|is|was|(?P<beyond>passed|exceeded|topped|surpassed|rise[ ]above|rose[ ]above)"
    r"|(?P<below>(?:fall|falls|fell|fallen|drop|dropped|dip|dipped)[ ](?:below|under)|below))[ ]+"
    rf"{_AFTER_COPULA}(?P<number>(?i:{_NUMBER}))(?![\w%£$]|[.,]\d)"
    r"(?(by)(?![ ]+to[ ]))"  # "rose by 18 to 126": the total is the count
)
# "the figure is 36", "our tally stands at 39": the last count's group, the figure now given
_FIGURE = re.compile(
    r"(?i:[ ](?:figure|tally|total|count|(?P<number_word>number)|rebellion|core"
    # "the hard core of Labour opposition had shrunk to 47"
    r"(?:[ ]of[ ](?:[\w-]+[ ]){0,2}?(?:opposition|rebels|resistance|dissenters|critics))?)[ ]"
    r"(?:(?:(?:now|has|had|currently|so[ ]far|still|already)[ ])*"
    r"(?:is|was|stands[ ]at|stood[ ]at|reached|to|numbered|(?P<at>at|being)"
    r"|(?:risen|rose|shrunk|shrank|fallen|fell|dropped|dwindled|grown|grew|swelled|swollen"
    r"|climbed)"
    r"(?:[ ]from[ ]\d{1,4})?[ ]to)[ ]+"  # "the tally had risen from 98 to 109": the new figure
    r"(?:(?:still|now)[ ]+)?"  # "the hard core is still 40-plus"
    r"|(?=(?:nearer|closer[ ]to)[ ])))"  # "whips put the figure nearer 30": no verb between
    r"['‘\"“]?"  # "putting the remaining hard core at “fewer than 40”": the whips' words
    rf"{_AFTER_COPULA}(?P<between>between[ ]+)?(?P<number>(?i:{_NUMBER}))(?![\w%£$]|[.,]\d)"
)
# "it carried 108 Labour names. By Wednesday that had become 126": the last count, changed
_BECAME = re.compile(
    r"(?i:\b(?:that|this|it)[ ](?:figure[ ]|number[ ]|total[ ])?(?:had|has)[ ](?:become|risen[ ]to"
    r"|grown[ ]to|climbed[ ]to|swelled[ ]to)[ ]+)"
    rf"{_AFTER_COPULA}(?P<number>(?i:{_NUMBER}))(?![\w%£$]|[.,]\d)"
)
_BECAME_WORDS = (" had become ", " has become ", " had risen to ", " has risen to ",
                 " had grown to ", " has grown to ", " had climbed to ", " had swelled to ")
_RANGE_AFTER = re.compile(r"[ ](?:to|or)[ ]\d")
# "30 or 40 potential rebels", "40 to 50 Labour MPs", "between 30 and 60", "30-40": a range is
# about its lower end (one convention for every range); the upper end is no count of its own
_RANGE = re.compile(
    rf"(?P<sep>[ ]?[-–][ ]?|[ ](?:to|or|and)[ ])(?P<upper>(?i:{_NUMBER}))(?![\w%£$]|[.,]\d)"
)
_RANGE_SEPARATORS = (" to ", " or ", " and ", "-", "–", " -", " –")
_RANGE_BEFORE = re.compile(
    rf"(?i:(?<![\w£$€¥.,\-])(?P<lower>{_NUMBER})(?P<sep>[ ]?[-–][ ]?|[ ](?:to|or|and)[ ])$)"
)
_FIGURE_OWNER = ("the", "that", "this", "our", "their", "its", "hard",  # "the hard core"
                 "labour", "rebel")  # "taking the Labour total to 119"
# "a hard core of rebels, who number about 40"
_NUMBERING = re.compile(
    rf",?[ ]who[ ]number[ ]+{_AFTER_COPULA}(?P<number>(?i:{_NUMBER}))(?![\w%£$]|[.,]\d)"
)
_GROUP_AT_END = re.compile(rf"{_GROUP}$")
_WEAK = re.compile(rf"(?:{_WEAK_HEADS}|leaders)$")  # "council leaders" is weak too
# A row of a table: "Labour MPs voting against: 49" (found from its colon, a literal: quick)
_ROW = re.compile(  # "…: 126", "…: more than 30"
    r":[ ]*(?:(?P<q>(?i:more[ ]than|over|about|around|nearly|almost|at[ ]least|fewer[ ]than"
    r"|up[ ]to))[ ]+)?(?P<number>\d{1,4})[ ]*(?=\n|$|\|)"
)
# "For: 17 | Against: 7 | Did not vote: 3" under "How the city's Labour MPs voted": a box's cells
_CELL_ACTIONS: dict[str, tuple[str, bool]] = {
    "for": ("voted for", True), "against": ("voted against", False),
    "did not vote": ("abstained", False), "abstained": ("abstained", False),
    "voted for": ("voted for", True), "voted against": ("voted against", False),
}
_ROW_GROUP = re.compile(_GROUP)
_TO_NUMBER = re.compile(rf"[ ]+to[ ]+(?i:{_NUMBER})\b")  # "from four MPs to five": a party's size
_ELECTED_AFTER = re.compile(
    r"[ ]+(?:who[ ]+were[ ]+)?(?:first[ ]+|newly[ ]+)?(?:elected|returned)\b"
)
# "37 Scottish Labour MPs were sent here promising change": a nation's or party's contingent
_SENT_AFTER = re.compile(
    r"[ ]+(?:who[ ]+)?(?:were|was)[ ]+sent[ ]+(?:here|to[ ]+(?:Westminster|Parliament"
    r"|the[ ]+Commons))\b"
)
_FOR_BILL = re.compile(
    r"\bvot(?:ed|ing)[ ](?:for|with)[ ]the[ ](?:bill|government)|\bvot(?:ed|ing)[ ]in[ ]favour")
# "nearly a third of the parliamentary party": a fraction of the party's MPs or a council group
_PARTY_PART = re.compile(
    r"[ ]+the[ ]+(?P<group>(?:Labour[ ]|parliamentary[ ])?(?:parliamentary[ ]party|group|PLP)"
    r"|[Pp]arliamentary[ ]Labour[ ][Pp]arty"  # "a third of the parliamentary Labour party"
    r"|(?:2024|new|newer|latest)[ ]intake)\b"  # "nearly half of the 2024 intake signed"
)
_OF_THE_FIGURE = re.compile(rf"[ ]+the[ ]+\d{{1,4}}[ ]+{_GROUP}")
# "Eight of the 11 members of the committee signed": the eight did it; the 11 is the whole
_OF_THE_WHOLE = re.compile(rf"[ ]of[ ]the[ ]+(?P<whole>\d{{1,4}}|{_BELOW_100})[ ]+{_GROUP}")
# "..., alongside Ann Lowe and Tom Vane, two of the four MPs who ...": named people, described
_NAMES_BEFORE = re.compile(r"\band[ ][A-Z][\w’'-]+[ ][A-Z][\w’'-]+,[ ]$")
# "126 signed – nearly a third of the parliamentary party. The hard core shrank to 47": the
# figure after a share of the party counts its MPs
_PARTY_PEOPLE = {"parliamentary party": "MPs", "Labour parliamentary party": "Labour MPs",
                 "PLP": "Labour MPs", "Labour PLP": "Labour MPs"}
_OF_THE_NUMBER = re.compile(r"[ ]+the[ ]+(?P<number>\d{1,4})(?![\w%£$]|[.,]\d)")
_PART_CUE = re.compile(
    r"(?:[ ][–—-]|\bmakes?[ ]up|\bmade[ ]up|\baccount(?:s|ed)?[ ]for|\brepresent(?:s|ed|ing)?"
    r"|,[ ]which[ ](?:is|was)|\b(?:grown|grew|risen|rose|swelled)[ ]to)"  # "has grown to a third"
    r"[ ]+(?:(?:nearly|almost|about|around|roughly|some|more[ ]than|over|just[ ]over|just[ ]under"
    r"|close[ ]to"
    r"|under|fewer[ ]than|less[ ]than)[ ]+)?$"
)
_SWITCHED = re.compile(r"\bswitch(?:ed|ing)\b|\bchanged[ ](?:their[ ])?(?:minds?|votes?|sides)")
_REBEL_HEAD = re.compile(r"[Rr]ebels|[Ss]ignatories|[Ss]ignatures|[Bb]ackers|noes")
_PLAIN_GROUPS = frozenset({"mps", "members", "peers", "lords"})
_COMMONS_SEATS = 650
_HOUSE_SIDE = 200  # MPs of no party voting against, this many or more: the opposition and all

# --- qualifiers and context ----------------------------------------------------------------------

_QUALIFIERS: dict[str, Qualifier] = {
    "more than": "more_than", "over": "more_than", "upwards of": "more_than",
    "in excess of": "more_than", "at least": "at_least", "no fewer than": "at_least",
    "no less than": "at_least", "a minimum of": "at_least", "around": "about", "about": "about",
    "some": "about", "roughly": "about", "approximately": "about", "an estimated": "about",
    "up to": "up_to", "as many as": "up_to", "nearly": "nearly", "almost": "nearly",
    "close to": "nearly", "just shy of": "nearly", "fewer than": "fewer_than",
    "less than": "fewer_than", "under": "fewer_than", "just under": "fewer_than",
    # "just short of 50", "the best part of 50", "getting on for 130": a little short of it
    "just short of": "nearly", "shy of": "nearly",
    "getting on for": "nearly", "the best part of": "nearly",
    "just over": "more_than", "well over": "more_than", "nearer": "about", "closer to": "about",
    "something like": "about",  # "something like 40 Labour MPs saying they'll vote against"
    "north of": "more_than", "south of": "fewer_than",  # "north of a dozen"
    "another": "increment", "a further": "increment", "an additional": "increment",
    "a total of": "exact", "in total": "exact", "in all": "exact", "only": "exact", "just": "exact",
}


class _Ending:
    """A pattern anchored at the end of a text, tried only when the text's last word could end a
    match: a regex ending in ``$`` is otherwise tried from every position, which is slow."""

    def __init__(self, words: str, pattern: str, also: Callable[[str], bool] | None = None,
                 reach: int = 0):
        self.words = frozenset(words.split())
        self.pattern = re.compile(pattern)
        self.also = also
        self.reach = reach
        """When not 0: how far before the spaces and commas that close the text a match can
        start; the pattern is then tried from there only, not from every position."""

    def search(self, text: str) -> re.Match[str] | None:
        stripped = text.rstrip(" ,")
        last = stripped.rpartition(" ")[2]
        if "\n" in last:  # "...cuts\nAlmost 50": the word after a line break
            last = last.rpartition("\n")[2]
        last = last.lower()
        if last in self.words or (self.also is not None and self.also(text)):
            start = max(0, len(stripped) - self.reach) if self.reach else 0
            return self.pattern.search(text, start)
        return None


_QUALIFIER_WORDS = sorted(_QUALIFIERS, key=len, reverse=True)
_QUALIFIER_BEFORE = _Ending(
    " ".join(q.split()[-1] for q in _QUALIFIER_WORDS),
    r"(?i:\b(?P<q>" + "|".join(q.replace(" ", "[ ]") for q in _QUALIFIER_WORDS) + r")[ ,]+)$",
    reach=len(_QUALIFIER_WORDS[0]),  # the longest qualifier, then spaces and commas to the end
)
_NOT_A_COUNT_BEFORE = _Ending(
    "clause section article page chapter no no. number room figure table part question of take"
    " committee panel"
    " need needs needed require requires required takes if unless for to at",
    r"(?i:(?:\b(?:clause|section|article|page|chapter|no\.?|number|room|figure|table|part"
    r"|question|majority[ ]of|strength[ ](?:now[ ])?(?:falls|fell|drops|dropped|stands|stood"
    r"|is|was)[ ](?:to|at)|would[ ]take|would[ ]need|need|needs|needed|require|requires"
    r"|required|takes?|if|unless|enough[ ]for|(?:committee|panel)[ ]of)"
    r"|\b(?:withstand|survive|absorb|afford[ ]to[ ]lose)\b[^.,;]{0,30}"
    r"|\b(?:needs?|needed|requires?|required)[ ](?:to[ ]\w+|(?:the[ ])?(?:backing|support"
    r"|nominations?|signatures?)[ ](?:of|from)))[ ]+)$",
    lambda text: any(w in text for w in ("withstand", "survive", "absorb", "need", "requir",
                                         "afford")),
)
_OWNED_BEFORE = _Ending(
    "its their his her our all whose",
    r"(?i:(?:['’]s|s['’]|\b(?:its|their|his|her|our|all|whose))[ ]+)$",
    lambda text: text.rstrip().endswith(("'s", "’s", "s'", "s’", "S", "'S", "’S")),
)
_PARTY_SIZE_BEFORE = _Ending(
    "has have had with won elected returned are were gained lost to sent",
    r"(?i:\b(?:has|have|had|with|won|elected|returned|gained|lost|there[ ]are|there[ ]were"
    r"|reduced[ ]to|sent|links[ ](?:to|with))[ ]+)$",  # "Scottish Labour sent 37 MPs to
    # Westminster", "Unite has links to around 60 Labour MPs": a contingent, a union's MPs
)
_THRESHOLD_AFTER = re.compile(
    r"(?i:^,?[ ]*(?:would|will|are|is)?[ ]*(?:need|needs|needed|required|be[ ]needed"
    r"|have[ ]to|be[ ]enough|to[ ]overturn|to[ ]defeat|to[ ]wipe[ ]out))\b"
)
_TALLY = re.compile(
    r"(?i:\b(?=[\dbvia])(?:\d[\d,]*(?:[ ]+votes)?(?:[ ]*[-–][ ]*|[ ]+to[ ]+)\d"
    r"|\d[\d,]*[ ]+(?:votes?[ ]+)?against\b"
    r"|by[ ]+\d[\d,]*[ ]+votes|(?:vot\w*[ ]for|in[ ]favour)\b.*\bagainst\b"
    r"|against\b.*\b(?:vot\w*[ ]for|in[ ]favour)\b))"
)
_SENTENCE_END = re.compile(r"[.!?](?=[\s\"'”’]|$)|\n")
_AMONG_REBELS = re.compile(
    r"(?i:\bamong[ ]the[ ](?:\w+[ ]){0,2}(?P<who>rebels|signatories)"
    r"(?:[ ](?:of|to)[ ][^,.]{1,40}?)?[ ](?:were|are)[ ]"
    r"|\b(?:rebels|signatories)[ ](?:\w+[ ])?includ(?:ed|e|es)[ ]"
    # "Labour MPs who have signed the amendment include 10 select committee chairs"
    r"|\bwho[ ](?:have[ ]|had[ ])?(?P<signed>signed)[ ](?:[\w’'-]+[ ]){0,6}?includ(?:ed|e|es)[ ])"
)
# "..., among them a dozen committee chairs": a part of the people just counted, who did the same
# "Eleven select committee chairs are among the signatories", "Two ... were among the rebels"
_AMONG_AFTER = re.compile(
    r"[ ](?:are|were|is|was)[ ](?:\w+[ ])?among[ ]the[ ](?:\w+[ ]){0,2}?"
    r"(?P<who>rebels|signatories)\b"
)
# "Three other MPs have also been stripped of their roles": punished too, as the rebels just named
# were ("also": without it, "three other MPs were stripped of ..." may be anyone)
_SANCTIONED = re.compile(
    r"^[ ]+(?:(?:have|has|had)[ ]also[ ]been|were[ ]also|(?:have|has|had)[ ]also[ ](?:had|lost))"
    r"[ ](?:stripped|sacked|suspended|removed|disciplined|punished|dismissed"
    r"|the[ ](?:party[ ])?whip)\b"
)
# "four MPs losing the whip", "four other MPs had the party whip suspended", "seven MPs were
# suspended", "three MPs – A, B and C – have lost their roles as trade envoys", "removed three
# MPs from their posts": the party's punishment of rebels (not "were stripped of": see above;
# "three other MPs lost their posts" only when the aside names them or the party removed them)
_PUNISHED_AFTER = re.compile(
    r"^(?P<aside>[ ][–—][^–—.]{1,80}[–—])?[ ]+(?:(?:have|has|had)[ ](?:since[ ]|also[ ]|all[ ])?)?"
    r"(?:(?P<whip>(?:had|have|having|lost|losing|lose)[ ](?:the|their)[ ](?:party[ ]|Labour[ ])?"
    r"whip(?:[ ](?:suspended|removed|withdrawn))?\b|(?:been|were)[ ]suspended\b)"
    r"|(?:lost|losing|(?P<removed>from))[ ](?:their|the)[ ](?:\w+[ ]){0,2}?(?:roles|posts|jobs)\b)"
)
# "a rebellion over the Planning and Infrastructure Bill, in which 20 Labour MPs ...": another bill
_NAMED_BILL = re.compile(
    rf"(?P<name>(?!(?:{_NOT_A_MODIFIER}|Over|Under|With|From|After|Before|Since|During|Government"
    r"|Government['’]s|Labour['’]s)[ ])[A-Z][\w’'()-]*"
    r"(?:(?:[ ](?:and|of|for|the|on|to))*[ ][A-Z(][\w’'()-]*)*)[ ]Bill\b"
)
_US_PARTY = re.compile(r"\bRepublican|(?<!Liberal )\bDemocrat(?:s\b|ic\b)")
_PUNISHED = ("suspended", "sanctioned")  # the actions of "suspended" and of "sacked as envoys"
# "Of the Labour rebels, 16 were first elected in 2024": a part of a group named just before
_OF_GROUP_BEFORE = re.compile(rf"\b[Oo]f[ ]{_GROUP},[ ]*$")
# "Nearly two-thirds of those who signed the original amendment"
_THOSE_WHO = re.compile(
    r"[ ](?:those|the[ ]ones)[ ]who[ ](?:had[ ]|have[ ])?(?P<verb>signed|rebelled|voted[ ]against"
    r"|abstained|backed)\b"
)
# "Of the city's nine Labour MPs, two voted against, six voted in favour": a breakdown of a group
_BREAKDOWN = re.compile(
    rf"\W*[Oo]f[ ](?:the[ ])?[^,.]{{0,40}}?\b(?:{_STRONG_HEADS}|{_WEAK_HEADS})"
    r"(?:[ ]who[ ][^,.]{1,80})?,[ ]"  # "Of the 126 Labour MPs who had signed the amendment, "
)
_MODAL = re.compile(r"[ ](?:will|would|could|might|may|are[ ](?:expected|likely)[ ]to)[ ]\w")
_SUBSET_BEFORE = _Ending(
    "them whom including include included",
    r"(?i:(?:\bamong[ ](?:them|whom)|,[ ]including|\b(?:they|these|those)[ ]includ(?:e|ed))"
    r"[ ,]+)$",
)
_REPORTED_REBELLION = re.compile(
    r"(?i:(?:,[ ]including[ ][^,.]{1,40})?"  # "..., including Tom Vane, who have said"
    # "are understood to have told the chief whip, Sir Alan Campbell, that they would resign"
    r",?(?:[ ]\w+){0,4}[ ](?:said|say|says|told[ ](?:the[ ])?(?:party[ ]|chief[ ])?\w+"
    r"(?:,[ ][A-Z][^,.]{1,40},)?)[ ](?:that[ ])?"
    r"(?:they|it)"
    r"[ ](?:(?:will|would|could|may|might|plan[ ]to|intend[ ]to|(?:are|were)[ ]prepared[ ]to)"
    r"[ ](?:\w+[ ])?"
    r"(?:vote[ ]against|rebel|oppose|abstain|resign(?:ed)?|quit"
    # "six peers have said they will back the delay": the rebels' amendment
    r"|(?:back|support)[ ](?:the|an|her|his|its)[ ](?:[\w’'-]+[ ]){0,2}?(?:amendment|delay"
    r"|motion|pause)\b)"
    r"|(?:cannot|can[’']t|could[ ]not|couldn[’']t|will[ ]not|won[’']t|would[ ]not)[ ]"
    r"(?:support|back|vote[ ]for)))"  # "they cannot support the changes"
)
# a correction notice repeats the wrong figure: "An earlier version said 50 Labour MPs had ..."
_CORRECTED_BEFORE = re.compile(
    r"(?i:\b(?:an[ ]earlier|a[ ]previous|the[ ]original)[ ]version\b[^.]{0,40}?[ ]"
    r"(?:said|stated|reported|gave)\b|\b(?:wrongly|incorrectly|mistakenly)[ ]said\b)"
)
_PASSIVE_BEFORE = _Ending("by", r"(?i:\b(?P<verb>\w+ed)[ ]+by[ ]+)$")
# "to head off a revolt by dozens of his own Labour Party members": the rebels
_REVOLT_BY = re.compile(r"\b(?:revolt|rebellion|mutiny|uprising)[ ]by[ ]$")
# "Two-thirds of Labour Party members oppose the cuts, a survey found": members polled, not MPs
_POLLED = re.compile(r"\b(?:[Ss]urvey(?:ed)?|[Pp]oll(?:ed|ing)?|YouGov|Opinium|Savanta|Ipsos)\b")

_ACTION_WORDS: tuple[tuple[str, str], ...] = (
    ("voted against", r"vot(?:ed|ing|e|es)[ ]against|to[ ]vote[ ]against"
                      r"|(?:walked|went|trooped)[ ]through[ ]the[ ][Nn]o[ ]lobby"),
    ("abstained", r"abstain\w*|did[ ]not[ ]vote|stay(?:ed|ing)?[ ]away|to[ ]be[ ]elsewhere"
                  r"|as[ ]not[ ]voting\b"),  # "recorded as not voting"
    ("signed up to", r"sign(?:ed|ing)[ ]up"),
    ("signed", r"sign(?:ed|ing|s)?|put[ ]their[ ]names[ ]to|added[ ]their[ ]names[ ]to"
               r"|tabled"  # "a group of some 20 peers has tabled amendments"
               r"|(?:putting|adding)[ ]their[ ]names\b"),  # "considering adding their names"
    ("voted for", r"vot(?:ed|ing|e)[ ](?:for|in[ ]favour|with[ ]the[ ]government)"),
    ("backed", r"back(?:ed|ing|s)?|support(?:ed|ing|s)?|endorsed|joined"
               r"|to[ ](?:her|his|their)[ ]side"),  # "drawing 40 colleagues to her side"
    ("rebelled", r"rebel(?:led|ling|s)?|defied|defying"),
    ("warned", r"warn(?:ed|ing|s)?"),
    ("wrote", r"wrote|written|writing"),
    ("opposed", r"oppos(?:ed|e|es|ing)|criticis(?:ed|e|ing)|condemn(?:ed|ing|s)?|object(?:ed|ing)"
                r"|attack(?:ed|ing|s)?|speak(?:ing)?[ ]against|spoke[ ]against"
                r"|(?:rais|voic)(?:ed|e)[ ](?:concerns|objections)"
                r"|ha(?:ve|d)[ ](?:\w+[ ])?concerns"  # "colleagues who still have real concerns"
                r"|unhappy[ ]with|uneasy[ ](?:about|with)"),  # "said to be unhappy with the plans"
    ("called for", r"call(?:ed|ing)?[ ]for|demand(?:ed|ing|s)?|urg(?:ed|ing|e)"),
    ("threatened", r"threaten(?:ed|ing|s)?|(?:consider|weigh)(?:ing)?[ ]their[ ]positions"),
    ("wavering", r"waver(?:ing|ed|s)?"),
    ("praised", r"praised|prais(?:ing|es)|described|hailed|defended|welcomed"),
    ("resigned", r"resign(?:ed|ing)|quit"),
    # "said to have raised concerns": a hedge on what they did, not what they said
    # "said by one organiser to have raised concerns": whose word it is, not what they did
    ("said", r"said(?![ ](?:to[ ](?:have|be)|by)\b)|say|says|saying|told|telling|claimed|argued"),
)
_ACTION = re.compile(
    r"\b(?=[abcdehjopqrstuvw])(?:"  # the first letters of the verbs: a quick skip
    + "|".join(f"(?P<a{i}>{rx})" for i, (_, rx) in enumerate(_ACTION_WORDS))
    + r")\b"
)
_OBJECT = re.compile(
    r"\b(?P<obj>amendment|letter|campaign|motion|petition|statement|bill|plans|cuts|government"
    r"|reforms|legislation|changes|proposals|prime[ ]minister|Starmer|chancellor)\b"
)
# "back a bid to block the cuts", "support an attempt to halt the bill": against them
_AGAINST_OBJECT = re.compile(
    r"\bto[ ](?:block|stop|halt|scrap|delay|kill|defeat|overturn|reverse|pause|water[ ]down)\b"
)
_PROTEST_OBJECTS = frozenset({"amendment", "letter", "campaign", "motion", "petition", "statement"})
_PROTEST_WORDS = tuple(f" {o}" for o in _PROTEST_OBJECTS)
_GOVERNMENT_OBJECTS = frozenset(
    {"bill", "plans", "cuts", "government", "reforms", "legislation", "changes", "proposals",
     "prime minister", "Starmer", "chancellor"}
)
_SPEECH_ACTIONS = frozenset({"said", "warned", "wrote", "called for"})
_COMMITTING = frozenset({"signed", "backed", "signed up to"})
_DOCUMENTS = frozenset({"letter", "statement", "petition"})
_DOCUMENT_BEFORE = re.compile(
    r"(?i:\b(?:in|signed)[ ](?:a|an|the|their|its)[ ](?:\w+[ ]){0,2}?(letter|amendment|motion"
    r"|petition|statement)\b)"
)
_DOCUMENT_AFTER = re.compile(
    r"(?i:[ ]*(?:on|to|under)[ ](?:[\w’'-]+[ ]){0,3}?(letter|amendment|motion|petition)\b)"
)
_DOCUMENT_NEAR = re.compile(
    r"(?i:\b(letter|amendment|motion|petition)\b[ ](?:\w+[ ])?(?:from|by)[ ]*$)"
)
_IN_SUPPORT = re.compile(r"(?i:^\W*(?:backing|supporting|in[ ]support|praising|defending))")
_STRIP_FROM_GROUP = re.compile(
    r"^(?:the|his|her|their|its|our|your|my|those|these)[ ]+|\bown[ ]+|\bparty['’]s[ ]+"
    r"|['’]s\b(?:[ ]\d+\b)?|(?<=s)['’][ ]\d+\b"  # "Wales' 27 Labour MPs"
)


# Where a count may end. Numbers are looked for only in a short window before one of these, which
# keeps the extractor fast: most of an article is never scanned for numbers at all.
_HEAD_WORDS = (
    "mps", "msps", " mss", " ams", "meps", "bench", "rebel", "signat", "lawmakers", "legislators",
    "senators", "parliamentarians", "loyalists", "members", "peers", "lords", "council",
    "names on", "labour names", "parliamentary labour party",
    "figures", "ministers", "politicians", "chair", "tories", "conservatives", "democrats",
    "republicans", " noes", "parliamentary party", "labour group", " plp", "colleagues",
    "secretaries", "ppss", "aides", "westminster contingent",
)
_VERB_WORDS = (
    "abstain", "defied", " vot", "signed", "backe", "joined", "added", " put ", "did not vote",
    "opposed", "oppose ", " did so", "no lobby", " of them", " of us ", " of us,", " of us.",
    " do so", " doing so",  # "under 50 would do so", "two dozen more are considering doing so"
    "stayed away", "stay away", "be elsewhere", "leaning", " suspended",
    "n't support", "n’t support", " not support", "n't back", "n’t back", " not back",
)  # "backe": backed, backers
_TOTAL_WORDS = ("number of", "total of", "tally of",
                "ranks of")  # "swelling the ranks of Labour signatories to 120"
# "the number signing ... reached 126", found from the positions of " number "
_NUMBER_DOING = ("signing", "backing", "voting against", "opposing", "rebelling", "abstaining",
                 "likely to ", "expected to ", "set to ", "prepared to ", "ready to ",
                 "planning to ", "who ")  # "the number who stayed away was 12"
# "47 voted against, compared with 49 at second reading", "down from the 126 who signed": the
# figure before, of the same people, as a count of its own
_COMPARED = ("compared with ", "compared to ", "down from ", "up from ")
_BETWEEN = ("between ", "Between ")  # a range's opening, a sentence's too
# "a third of the 47 were first elected in 2024": a part of a figure given before, no group after
_FRACTION_CUES = (" a third of the ", " a quarter of the ", " half of the ", " two-thirds of the ")
# "between 40 and 60 will follow", "the remaining 12 had not", "there were dozens of us"
_FORWARD_CUES = (*_COMPARED, " between ", *_FRACTION_CUES, "the other ", "the remaining ",
                 " a further ",  # "with a further 10 said to have told the whips"
                 " core of ",  # "Rebels now talk of a hard core of a few dozen"
                 "there were ", "there are ")
# "Of the 47 Labour MPs who voted against, 19 were first elected in 2024": a sentence opening
# "Of the" breaks down a group, its parts after the comma (found from the capital "Of the")
_OF_THE_REACH = 200
_COMPARED_BEFORE = tuple(f"{c}{the}" for c in _COMPARED for the in ("", "the "))
_FIGURE_WORDS = (" figure ", " tally ", " total ", " count ", " number ", "hard core ")
_HEAD_REACH, _VERB_REACH = 80, 64
# "49 voted against at second reading and 47 at third reading": a bare figure just before a
# reading (only after a digit: the words are common)
_READING_STAGES = (" at second", " at third")
# Every word above, each once, found together by ``_occurrences``
_LOCATING_WORDS = tuple(dict.fromkeys(
    (*_HEAD_WORDS, *_VERB_WORDS, *_FORWARD_CUES, *_TOTAL_WORDS, *_FIGURE_WORDS, *_BECAME_WORDS)))
_LOCATING = AhoCorasick(_LOCATING_WORDS)
_GROUP_THEN_FIGURE = ("rebels, ", "signatories, ", "rebellion of ",
                      "mps, with ", "benchers, with ", "peers, with ")  # see _with_group


def find_counts(text: str) -> list[Count]:
    """Every count of people in ``text``, in order of appearance, one per figure."""
    found: list[Count] = []
    seen: set[tuple[object, ...]] = set()
    lowered = text.lower()
    if not on_subject(lowered):
        return found
    for match in _candidates(text, lowered):
        previous = found[-1] if found else None
        if match.re is _TOTAL:
            count = _total_count(text, match)
        elif match.re is _FIGURE:
            count = _figure_count(text, match, previous)
            if (count is not None and previous is not None and _identity(count) not in seen
                    and not match.group("at") and not match.group("number_word")
                    and _same_sentence(text, previous, match) and not _added(previous)):
                found.pop()  # "reports said around 30 MPs; the figure is 36": 36 replaces 30
        elif match.re is _NUMBERING:
            count = _numbering_count(text, match)
        elif match.re is _BECAME:
            count = _became_count(text, match, previous)
            if count is not None and previous is not None:
                found.pop()  # "108 names ... that had become 126": a change, 126 counts
        elif match.re is _ROW:
            count = _row_count(text, match)
        else:
            count = _count_at(text, match, previous, seen)
            if count is not None and not count.action and len(match.group()) == 7 and (
                    match.group("vague")):
                count = None  # "warning several Tory MPs": "several" counts them by their act
        if count is not None and _identity(count) not in seen:
            if _historical(text, match.start(), match.end()):
                continue
            seen.add(_identity(count))
            found.append(count)
    return found


# "Some 139 rebelled over Iraq in 2003", "118 Conservatives voted against the deal in January
# 2019": a rebellion of years before this Parliament (not "first elected in 2019", not "the
# biggest since the party returned to power in 1997")
_PAST_YEAR = re.compile(
    r"\b[Ii]n[ ](?<!elected[ ]in[ ])(?<!returned[ ]in[ ])"
    r"(?:(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December)[ ])?(?:19[5-9]\d|20(?:0\d|1\d|2[0-3]))\b"
)
_SINCE_BEFORE = re.compile(r"\bsince\b[^,.;]{0,40}$")
_YEAR_BEFORE_2024 = re.compile(r"[ ](?:19[5-9]\d|20[01]\d|202[0-3])")  # the quick test


def _past_year_near(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` may name a year before 2024 ("in 2003")."""
    return _YEAR_BEFORE_2024.search(text, start, end) is not None


def _historical(text: str, start: int, end: int) -> bool:
    """Whether the count at ``start:end`` is of a past rebellion over something else: its sentence
    dates it to an earlier Parliament and names nothing of the welfare bill's subject (a past
    welfare revolt, "47 voted against cuts to lone-parent benefit in 1997", is kept, as a count in
    a sentence naming another bill is left out and one naming the subject is kept)."""
    if not _past_year_near(text, max(0, start - 200), end + 200):
        return False  # a quick test first
    sentence = _sentence_before(text, start) + text[start:end] + _sentence_after(text, end)
    for year in _PAST_YEAR.finditer(sentence):
        if not _SINCE_BEFORE.search(sentence, max(0, year.start() - 40), year.start()):
            return not on_subject(sentence.lower() + " " * _TOPIC_MIN_CHARS)
    return False


def _candidates(text: str, lowered: str) -> list[re.Match[str]]:
    """Numbers near a word for people or a rebellious verb, and "the number of..." phrases."""
    lead, haystack = _LEAD_LOWER, lowered
    if len(lowered) != len(text):
        lead, haystack = _LEAD_ANY_CASE, text
    occurrences = _occurrences(lowered)
    heads = _positions(occurrences, _HEAD_WORDS)
    windows = [(at - _HEAD_REACH, at) for at in heads]
    # "Of the Labour rebels, 16 were first elected": a figure just after its group
    windows += [(at, at + 40) for at in heads if lowered.startswith(_GROUP_THEN_FIGURE, at)]
    windows += [(at - _VERB_REACH, at) for at in _positions(occurrences, _VERB_WORDS)]
    at = lowered.find(" reading")  # found apart: in the Aho-Corasick pass it slows it down
    while at >= 0:
        stage = lowered.rfind(" at ", max(0, at - 10), at)
        if stage > 0 and lowered[stage - 1].isdigit() and lowered.endswith(_READING_STAGES, 0, at):
            windows.append((stage - 5, stage))
        at = lowered.find(" reading", at + 8)
    # "a third of them": a lead ending in "of" runs into the words that locate it
    windows += [(at - 24, at + 3) for at in occurrences[" of them"]]
    windows += [(at, at + 24) for at in _positions(occurrences, _FORWARD_CUES)]
    at = text.find("Of the ")
    while at >= 0:
        comma = text.find(",", at, at + _OF_THE_REACH)
        if comma >= 0:
            windows.append((comma, comma + 24))
        at = text.find("Of the ", at + 7)
    found: list[re.Match[str]] = []
    for start, end in _merged(windows):  # in order and apart: ``found`` stays in text order
        found += lead.finditer(haystack, max(0, start), end)
    totals = [_TOTAL.match(text, at) for at in _positions(occurrences, _TOTAL_WORDS)]
    figures = _positions(occurrences, _FIGURE_WORDS)
    # "the rebellion had shrunk to 40": found from the positions of "rebel"
    figures += [at - 1 for at in heads if lowered.startswith("rebellion ", at)]
    for at in figures:
        if lowered.startswith("hard core ", at):
            at += 4  # " core ", owned by "hard"
        if lowered[max(0, at - 6):at].rpartition(" ")[2] in _FIGURE_OWNER:
            totals.append(_FIGURE.match(text, at))
        if not lowered.startswith(" number ", at):
            continue
        if lowered.startswith(_NUMBER_DOING, at + 8):
            totals.append(_TOTAL.match(text, at + 1))
        elif lowered.endswith(" who", 0, at):  # "a hard core of rebels, who number about 40"
            start = at - 4
            totals.append(_NUMBERING.match(text, start - (text[start - 1] == ",")))
    for at in _positions(occurrences, _BECAME_WORDS):  # "that (figure) had become 126"
        became = _BECAME.search(text, max(0, at - 13), at + 40)
        totals.append(became if became is not None and became.start() < at else None)
    if ":" in text:
        totals += _ROW.finditer(text)
    if not any(totals):
        return found
    matches = {m.start(): m for m in found}
    matches.update((total.start(), total) for total in totals if total is not None)
    return [matches[at] for at in sorted(matches)]


def _occurrences(lowered: str) -> dict[str, list[int]]:
    """Where each of the words that locate candidates occurs in ``lowered``, overlaps included,
    in text order: one Aho-Corasick pass over the text rather than a scan of it per word."""
    try:
        hits = _LOCATING.find_matches_as_indexes(lowered, overlapping=True)
    except UnicodeEncodeError:  # a lone surrogate: a "?" in its place keeps every position
        safe = lowered.encode("utf-8", "replace").decode("utf-8")
        hits = _LOCATING.find_matches_as_indexes(safe, overlapping=True)
    found: dict[str, list[int]] = {word: [] for word in _LOCATING_WORDS}
    for index, at, _ in hits:
        found[_LOCATING_WORDS[index]].append(at)
    return found


def _positions(occurrences: dict[str, list[int]], words: tuple[str, ...]) -> list[int]:
    """Where ``words`` occur, word by word (a word missing from ``_LOCATING_WORDS`` is an
    error)."""
    return [at for word in words for at in occurrences[word]]


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged

# "two fewer than", "ten more than": the figure before is how far a number is from another
_DIFFERENCE = (" fewer than", " more than", " less than", " higher than", " lower than",
               " short of", " down on", " up on")



def _total_count(text: str, total: re.Match[str]) -> Count | None:
    """ "The number of Labour MPs who have signed has risen to 132"."""
    value = parse_number(total.group("number"))
    if value is None or not 2 <= value <= 5000 or _looks_like_year(total.group("number")):
        return None
    if text.startswith(_DIFFERENCE, total.end()):
        return None  # "the number of rebels was two fewer than the 49": a difference
    group_end = total.end("group") if total.group("group") else total.start("doing")
    if total.group()[:5].lower() == "ranks" and (total.group("group") is None or text[
            group_end:total.start("number")] != " to "):
        return None  # "the ranks of rebels grew, to 10 cheers": only "ranks of <group> to N"
    action, supports = _action("", text[group_end:total.start("number")])
    if not action and total.group("doing") == "who":
        return None  # "the number who claim the benefit": people, not what rebels did
    qualifier: Qualifier = "more_than" if total.group("beyond") else "exact"  # "passed 130"
    if total.group("below"):  # "expected to fall below 50"
        qualifier = "fewer_than"
    elif total.group("by"):  # "the number ... rose by 18": those who joined
        qualifier = "increment"
    elif _RANGE_AFTER.match(text, total.end()):
        qualifier = "about"  # "put the number of rebels at 30 to 40": about 30, as every range
    if total.group("q"):  # "is close to 80"
        qualifier = _QUALIFIERS[_words(total.group("q"))]
    elif qualifier == "exact" and text.startswith(("-odd", " or so"), total.end()):
        qualifier = "about"  # "taking the number of signatories to 130-odd"
    elif qualifier == "exact" and text.startswith(("-plus", "+"), total.end()):
        qualifier = "more_than"
    group = _group_name(total.group("group")) if total.group("group") else "MPs"
    return Count(value, qualifier, group, action, total.group(), not supports)


def _figure_count(text: str, figure: re.Match[str], previous: Count | None) -> Count | None:
    """ "The BBC now understands the figure is 36": the last count's group and action."""
    value = parse_number(figure.group("number"))
    if previous is None and figure.group().startswith(" core "):
        group = "Labour MPs" if " of Labour " in figure.group() else "rebels"  # "core of Labour …"
        previous = Count(None, "vague", group, "rebelled", "", True)  # "the hard core is 40"
    elif (previous is None and figure.group().startswith(" rebellion ")
          and not _looks_like_year(figure.group("number"))):  # "the rebellion is 40"
        labour = "Labour" in _sentence_before(text, figure.start())
        previous = Count(None, "vague", "Labour MPs" if labour else "MPs", "rebelled", "", True)
    if previous is None or value is None or not 2 <= value <= 5000:
        return None
    qualifier = _QUALIFIERS[_words(figure.group("q"))] if figure.group("q") else "exact"
    if figure.group("between") and _range_end(text, figure.start("number"), figure.end(),
                                              figure.group("number"), value) is not None:
        qualifier = "about"  # "to shrink the rebellion to between 30 and 40": about the lower end
    if qualifier == "exact" and text.startswith(("-plus", "+"), figure.end()):
        qualifier = "more_than"  # "the hard core is still 40-plus"
    elif qualifier == "exact" and text.startswith((" or so", "-odd"), figure.end()):
        qualifier = "about"  # "putting the hard core at 40 or so"
    start = text.rfind(" ", 0, figure.start()) + 1  # from "the figure"
    return Count(value, qualifier, _PARTY_PEOPLE.get(previous.group, previous.group),
                 previous.action, text[start:figure.end()], previous.rebel)


def _became_count(text: str, became: re.Match[str], previous: Count | None) -> Count | None:
    """ "It carried 108 Labour names. By Wednesday that had become 126": the last count's people,
    when it was counted in that sentence or the one before."""
    value = parse_number(became.group("number"))
    if previous is None or value is None or not 2 <= value <= 5000 or previous.count is None:
        return None
    at = text.rfind(previous.span, max(0, became.start() - 300), became.start())
    if at < 0 or len(_SENTENCE_END.findall(text, at + len(previous.span), became.start())) > 1:
        return None
    qualifier = _QUALIFIERS[_words(became.group("q"))] if became.group("q") else "exact"
    return Count(value, qualifier, previous.group, previous.action, became.group(),
                 previous.rebel)


def _added(previous: Count) -> bool:
    """Whether the last count is an increment ("A further 11 signed, taking the total to 50"):
    the total is a count of its own, not a correction of it."""
    return previous.qualifier == "increment"


def _same_sentence(text: str, previous: Count, figure: re.Match[str]) -> bool:
    at = text.rfind(previous.span, 0, figure.start())
    return at >= 0 and not _SENTENCE_END.search(text, at + len(previous.span), figure.start())


def _numbering_count(text: str, numbering: re.Match[str]) -> Count | None:
    """ "A hard core of rebels, who number about 40": the group just before "who number"."""
    value = parse_number(numbering.group("number"))
    group = _GROUP_AT_END.search(text, max(0, numbering.start() - 60), numbering.start())
    if group is None or value is None or not 2 <= value <= 5000:
        return None
    qualifier = _QUALIFIERS[_words(numbering.group("q"))] if numbering.group("q") else "exact"
    action, supports = _action("", _sentence_after(text, numbering.end()))
    return Count(value, qualifier, _group_name(group.group("group")), action or "rebelled",
                 text[group.start():numbering.end()], not supports)


def _row_count(text: str, row: re.Match[str]) -> Count | None:
    """ "Labour MPs voting against: 49": a table's row names the group and what it did."""
    line = text.rfind("\n", 0, row.start()) + 1
    start = max(line, text.rfind("|", line, row.start()) + 1)
    label = text[start:row.start()].strip()
    if label.lower() in _CELL_ACTIONS:
        return _cell_count(text, row, line, label)
    start += len(text[start:row.start()]) - len(text[start:row.start()].lstrip())
    group = _ROW_GROUP.match(label) if len(label) < 80 else None
    if group is None or group.group().lower() in _PLAIN_GROUPS:
        return None  # "Ayes: 335", "MPs voting for: 335": whole-House tallies
    action, supports = _action("", label[group.end():])
    if not action and group.group("head").lower().startswith("signat"):
        document = _DOCUMENT_AFTER.match(label, group.end())  # "Signatures on the amendment: 173"
        action = f"signed {document.group(1).lower()}" if document else "signed"
    if "not recorded" in label:  # "Labour MPs not recorded as voting: 44"
        action, supports = "abstained", False
    value = parse_number(row.group("number"))
    if not action or value is None or not 2 <= value <= 5000:
        return None  # "Labour MPs: 403": a party's size
    qualifier = _QUALIFIERS[_words(row.group("q"))] if row.group("q") else "exact"
    return Count(value, qualifier, _group_name(group.group()), action,
                 text[start:row.end()], not supports)


def _cell_count(text: str, row: re.Match[str], line: int, label: str) -> Count | None:
    """ "Against: 7" in a box whose heading, the line before, names a group and their votes ("How
    Greater Manchester's Labour MPs voted"); a whole-House box ("How MPs voted") is no count."""
    heading = text[text.rfind("\n", 0, max(0, line - 1)) + 1:max(0, line - 1)]
    group = _ROW_GROUP.search(heading) if " vot" in heading and len(heading) < 100 else None
    value = parse_number(row.group("number"))
    if group is None or value is None or not 2 <= value <= 5000:
        return None
    name = _group_name(group.group())
    if name.lower() in _PLAIN_GROUPS:
        return None
    action, supports = _CELL_ACTIONS[label.lower()]
    return Count(value, "exact", name, action, text[row.start() - len(label):row.end()].rstrip(),
                 not supports)


def _identity(count: Count) -> tuple[object, ...]:
    return _key(count.count, count.qualifier, count.group)


def _key(value: int | None, qualifier: Qualifier, group: str) -> tuple[object, ...]:
    """What makes two counts the same figure: the number and qualifier, or for "dozens of",
    "a quarter of" the qualifier and the group."""
    return (value, qualifier) if value is not None else (qualifier, group.lower())


# "Several other Scottish Labour MPs voted against", "several others are understood to": a
# "several" counts named people (a capital) or others
_SEVERAL = re.compile(r"[ ](?:others[ ]|(?:other[ ])?[A-Z][a-z])")


def _count_at(
    text: str, lead: re.Match[str], previous: Count | None, seen: set[tuple[object, ...]]
) -> Count | None:
    value = _value(lead)
    if value is None and lead.end() - lead.start() == 7 and lead.group("vague") and not (
            _SEVERAL.match(text, lead.end())):
        return None  # "several MPs say", "several billion": a bare "several" is no count
    if value == 1:
        single = _single_count(text, lead)
        if single is not None or not (_breakdown(text, lead.start())
                                      or _listed(text, lead.start(), previous)):
            return single
        return _bare_count(text, lead, value, previous)  # "..., and one did not vote"
    if (value is not None and not 2 <= value <= 5000) or _looks_like_year(lead.group()):
        return None
    if value is not None and _range_upper(text, lead.start()):
        return None  # "40 to 50 Labour MPs": 50 is the range's upper end
    at = None if value is None else _range_end(text, lead.start(), lead.end(), lead.group(),
                                               value)
    tail = _TAIL.match(text, at or lead.end())
    if tail is None and lead.group("fraction"):
        figure = _OF_THE_FIGURE.match(text, lead.end())
        if figure is not None:  # "Nearly half of the 126 MPs who signed": a part of them
            return _judged(text, _qualified_start(text, lead.start()), figure.end(), None,
                           "fraction", figure, previous)
    if tail is None and lead.group("fraction") and previous is not None:
        bare = _OF_THE_NUMBER.match(text, lead.end())
        if bare is not None and (int(bare.group("number")), "exact") in seen:
            return _part_of_counted(text, lead, bare, previous)  # "a third of the 47 were ..."
        if text.startswith(" them", lead.end()) and _near_rebels(text, previous, lead.start()):
            start = _qualified_start(text, lead.start())  # "roughly a third of them were ..."
            return Count(None, "fraction", previous.group, previous.action,
                         text[start:lead.end() + 5], True)
        part = _PARTY_PART.match(text, lead.end())
        cue = _PART_CUE.search(text, max(0, lead.start() - 40), lead.start()) if part else None
        if part is not None and cue is None and _near_rebels(text, previous, lead.start()):
            cue = part  # "... 150 Labour MPs could vote against. 'You can't threaten a third of
            # the parliamentary party,' the MP said": the rebels, as a share of the party
        if part is not None and cue is not None:  # of the people just counted
            return Count(None, "fraction", part.group("group"), previous.action,
                         text[lead.start():part.end()], previous.rebel)
    of = 3 if text.startswith(" of the ", lead.end()) else 0  # "one in eight of the PLP"
    if tail is None and lead.group("fraction") and text.startswith(" the ", lead.end() + of):
        party = _PARTY_PART.match(text, lead.end() + of)  # "a third of the PLP put their names"
        action, supports = _action("", _sentence_after(text, party.end())) if party else ("", False)
        if party is not None and action.startswith((*_ALONGSIDE_ACTIONS, "opposed")) and not (
                supports):  # "half the PLP have raised concerns"
            return Count(None, "fraction", party.group("group"), action,
                         text[_qualified_start(text, lead.start()):party.end()], True)
    if tail is None and text.startswith(" of the ", lead.end()):
        whole = _OF_THE_WHOLE.match(text, lead.end())
        if whole is not None and _subset(value, whole) and not _NAMES_BEFORE.search(
                text, max(0, lead.start() - 40), lead.start()):
            share: Qualifier = "vague" if lead.group("vague") else "exact"
            start = _qualified_start(text, lead.start())
            if share == "exact" and start < lead.start():
                share = _QUALIFIERS[_words(text[start:lead.start()].strip(" ,"))]
            return _judged(text, start, whole.end(), value, share, whole, previous)
    if tail is None:
        return _bare_count(text, lead, value, previous, at)
    if value is not None and text.endswith(" of the ", 0, lead.start()) and _whole_of_subset(
            text, lead, tail, previous):
        return None  # "eight of the 11 members ...": the 11 is the whole, counted as the eight
    if tail.group("dash") and (label := text[text.rfind("\n", 0, lead.start()) + 1:lead.start()]
                               .strip(" •*·-–—")) and not (label.endswith(":") and len(label) < 30):
        return None  # "it was 49 – MPs...": a dash after a figure only in a bullet's head, or
        # after a short label ("THE NUMBER: 131 — the MPs who had signed")
    start = lead.start()
    before = text[max(0, start - 32):start]
    qualifier_match = _QUALIFIER_BEFORE.search(before)
    if qualifier_match is not None:
        start -= len(before) - qualifier_match.start()
    qualifier = _qualifier(lead, tail, qualifier_match)
    if at is not None and qualifier in ("exact", "about"):
        qualifier = "about"
        if text.endswith(_BETWEEN, 0, start):
            start -= 8
    if _key(value, qualifier, _group_name(tail.group("group"))) in seen:
        return None  # a figure already reported is not judged again
    count = _judged(text, start, tail.end(), value, qualifier, tail, previous)
    if count is not None and qualifier_match is not None and qualifier == "increment" and (
            _more_anew(text, start, tail.group("increment"), qualifier_match, count.action,
                       previous)):
        count = replace(count, qualifier=_QUALIFIERS[_words(qualifier_match.group("q"))])
    return count


def _more_anew(text: str, start: int, increment: str | None, qualifier_match: re.Match[str] | None,
               action: str, previous: Count | None) -> bool:
    """Whether "N more" opening a sentence, with a qualifier of its own, counts other people
    doing something else ("49 voted against. Around a dozen more abstained": about 12), not an
    increment on the last count ("49 voted against and roughly 30 more abstained" is one)."""
    return (increment == " more" and qualifier_match is not None
            and _QUALIFIERS[_words(qualifier_match.group("q"))] != "increment"
            and previous is not None and bool(action) and action != previous.action
            and not _sentence_before(text, start).strip(" \"“‘'"))


def _judged(
    text: str, start: int, end: int, value: int | None, qualifier: Qualifier,
    tail: re.Match[str], previous: Count | None,
) -> Count | None:
    """The count with its action, or None when the context shows it is not a rebel count."""
    before, after = _sentence_before(text, start), _sentence_after(text, end)
    words, head = tail.group("group", "head")
    group = _group_name(words)
    action, supports = _action(before, after)
    if action and _NEW_SUBJECT.match(after):
        action, supports = "", False  # "... with 120 colleagues, and I welcomed ...": not theirs
    against_party = not action and after.startswith((" going against ", " went against ")) and (
        _AGAINST_PARTY.match(after) is not None)
    if against_party:
        action = "voted against"  # "with 49 Labour MPs going against their own party"
    if not action and (" the" in after[:100] or "suspended" in after[:24]):
        punished = _PUNISHED_AFTER.match(after)
        if punished is not None and (punished.group("whip", "aside", "removed") != (None,) * 3
                                     or " other " not in f" {group} "):
            action = _PUNISHED[0] if punished.group("whip") else _PUNISHED[1]
    elliptic = before.endswith(_ELLIPTIC_BEFORE)  # "they voted against, as had dozens of MPs"
    if elliptic and not action:
        action, supports = _action("", before)
    alongside = not action and before.endswith(_ALONGSIDE_BEFORE) and not before.endswith(", with ")
    if alongside:  # "she voted against with 40 colleagues": as the sentence's subject did
        action, supports = _action("", before)
        alongside = action.startswith(_ALONGSIDE_ACTIONS)
        if not alongside:
            action, supports = "", False
    if _NOT_A_COUNT_BEFORE.search(before[-60:]) or _THRESHOLD_AFTER.search(after):
        return None
    if ("version" in before or "ly said" in before) and _CORRECTED_BEFORE.search(before):
        return None  # "An earlier version of this article said 50 Labour MPs": a correction
    # "we had 120-odd names on an amendment": names on a motion are its signatures
    rebel_head = _REBEL_HEAD.match(head) is not None or head == "names"
    if "ublican" in words or ("Democrat" in words and _US_PARTY.search(words)):
        return None  # "Two Republicans joined all Democrats": a vote in Congress, not ours
    if (" Bill" in before or " Bill" in after) and _other_bill(before + text[start:end] + after):
        return None  # "a revolt over the Planning Bill, in which 20 Labour MPs ...": another bill
    if head[1:].startswith("ignat") and ((value or 0) > _COMMONS_SEATS
                                        or "petition" in before or "petition" in after):
        return None  # "a petition with 2,140 signatures": the public's, not MPs'
    if _OWNED_BEFORE.search(before[-12:]) and not rebel_head:
        return None
    if before.endswith("from ") and _TO_NUMBER.match(after):
        return None  # "Reform UK's five MPs": the size of a party, not a rebellion
    party_size = not against_party and action not in _PUNISHED and _PARTY_SIZE_BEFORE.search(
        before[-16:]) and _inactive(after.split(",", 1)[0])  # not "with four MPs losing the whip"
    if party_size and value is None and action == "said" and _REPORTED_REBELLION.match(after):
        party_size = None  # "at odds with a handful of colleagues, who said they cannot back it"
    own = tail.group().startswith(" of ") and " own " in f" {words} "  # "N of his own MPs"
    if party_size and not rebel_head and not elliptic and not own and not alongside:
        return None  # "Labour, which has 403 MPs": but "it has 126 signatures" is a count
    plain = words.lower() in _PLAIN_GROUPS
    some_who = after.startswith(" who ") and value is not None and value < 100  # not the House
    if plain and (_TALLY.search(before + after) or (supports and _VOTED_FOR.match(after)
                                                    and not some_who) or _SWITCHED.search(after)):
        return None  # "335 MPs backed the bill", "16 MPs switched": the whole House
    if plain and value is not None and value >= _HOUSE_SIDE and action in ("voted against", ""):
        return None  # "242 MPs voted against": one side of a division of the whole House;
        # "the sound of some 400 MPs realising ...": the House itself
    if not action and before.endswith(" by ") and _REVOLT_BY.search(before, len(before) - 12):
        action = "rebelled"  # "a revolt by dozens of Labour MPs"
    if head.lower() == "members" and _POLLED.search(before + after):
        return None  # "two-thirds of party members, a poll found": the members polled
    if not action and group.startswith("wavering "):
        action = "wavering"  # "a dozen wavering MPs were called in": in doubt, acted upon or not
    if not action and _SANCTIONED.match(after):
        action = "sanctioned"  # "Three other MPs have also been stripped of their roles"
    among = _AMONG_AFTER.search(after) if not action else None
    if among is not None:
        action = "rebelled" if among.group("who") == "rebels" else "signed"
    if (not action or action == "warned") and (passive := _PASSIVE_AFTER.match(after)) and (
            not action or passive.group().endswith(" warned")):
        return None  # "two MPs had been wrongly included", "six aides were warned": acted upon
    if not action and (" other " in f" {group} " or _ELECTED_AFTER.match(after)) and not (
            previous is not None and _SUBSET_BEFORE.search(before[-16:])):  # "They include"
        return None  # "three other MPs", "243 new MPs elected in July": not those just counted
    if " sent " in after[:14] and _SENT_AFTER.match(after):
        return None  # "27 Welsh Labour MPs were sent here": the contingent, whatever they did
    among_before = _AMONG_REBELS.search(before) if not action else None
    if among_before is not None:  # "Among the signatories are at least ten committee chairs"
        action = "signed" if "signatories" in among_before.group() or among_before.group(
            "signed") else "rebelled"
    if not action and previous is not None and _SUBSET_BEFORE.search(before[-16:]):
        action = previous.action
    if action == "said" and _REPORTED_REBELLION.match(after):
        action = "threatened"  # "20 members said they would vote against"
    if _WEAK.search(head) and action in ("", "said"):
        return None
    if " cabinet " in f" {group} " and action != "opposed":
        return None  # "two cabinet ministers rang round": the government, unless objecting
    action = _with_object(action, before, after, previous)
    if head == "noes":
        if group == "noes":
            return None  # "260 noes": the whole House
        action, group = action or "voted against", group.replace("noes", "MPs")  # "49 Labour noes"
    if head == "names" and group != "names":
        group = group.replace("names", "MPs")  # "126 Labour names": the MPs who put them there
    if qualifier == "increment" and previous is not None and previous.rebel and _FOR_BILL.search(
            after):
        qualifier = "exact"  # "a further 12 ... voted for the bill": others, not more rebels
    rebel = not supports and not head.lower().startswith("loyal")
    return Count(value, qualifier, group, action, text[start:end], rebel)


_AGAINST_PARTY = re.compile(
    r"[ ]\w+[ ]against[ ](?:the|their)[ ](?:own[ ])?(?:party|government|whip)\b")
# "..., and I welcomed the concessions": a clause with a subject of its own after the count
_NEW_SUBJECT = re.compile(r",?[ ](?:and|but)[ ](?:I|we|he|she)[ ]")


def _other_bill(sentence: str) -> bool:
    """Whether ``sentence`` is about a bill other than the welfare bill: it names one ("the
    Planning and Infrastructure Bill") and nothing of the welfare bill's subject."""
    named = _NAMED_BILL.search(sentence)
    return named is not None and not on_subject(sentence.lower() + " " * _TOPIC_MIN_CHARS)


def _subset(value: int | None, whole: re.Match[str]) -> bool:
    """Whether "N of the M <group>" is a part of a group: M is more than N."""
    size = parse_number(whole.group("whole"))
    return size is not None and (value is None or value < size)


def _whole_of_subset(
    text: str, lead: re.Match[str], tail: re.Match[str], previous: Count | None
) -> bool:
    """Whether the figure at ``lead`` is the M of "N of the M <group>" counted just before (not
    "half of the 126 MPs who signed it": the 126 are counted too)."""
    if previous is None or f" of the {lead.group()} " not in previous.span or text.startswith(
            (" who ", " that "), tail.end()):
        return False
    at = text.find(previous.span, max(0, lead.start() - 60), lead.end() + 200)
    return 0 <= at < lead.start()


def _breakdown(text: str, start: int) -> bool:
    """Whether the sentence before ``start`` opens a breakdown of a group ("Of the city's nine
    Labour MPs, ...")."""
    if "Of " not in text[max(0, start - 200):start]:  # a quick test first
        return False
    return _BREAKDOWN.match(_sentence_before(text, start)) is not None


def _listed(text: str, start: int, previous: Count | None) -> bool:
    """Whether the figure at ``start`` closes a list of counts in one sentence ("Three voted
    against, while 11 backed it and one did not vote")."""
    return previous is not None and text.endswith(("and ", ", "), 0, start) and (
        previous.span in _sentence_before(text, start))


def _qualified_start(text: str, start: int) -> int:
    """Where a count starting at ``start`` starts with its qualifier ("nearly half of")."""
    qualifier = _QUALIFIER_BEFORE.search(text[max(0, start - 32):start])
    return start - (min(start, 32) - qualifier.start()) if qualifier else start


def _range_end(text: str, start: int, end: int, lower: str, value: int) -> int | None:
    """Where a range whose lower end ``lower`` is at ``start:end`` ends ("30 or 40", "between 30
    and 60", "30-40"), or None when no range starts there."""
    if not text.startswith(_RANGE_SEPARATORS, end):
        return None
    rng = _RANGE.match(text, end)
    if rng is None:
        return None
    upper = parse_number(rng.group("upper"))
    sep = rng.group("sep").strip()
    if upper is None or not value < upper <= 5000 or _looks_like_year(rng.group("upper")):
        return None
    if sep == "and" and not text.endswith(_BETWEEN, 0, start):
        return None  # "126 and 49 more": two figures
    if sep == "to" and text.endswith("from ", 0, start):
        return None  # "from 40 to 50 MPs": a change, the second figure counts
    if sep in "-–" and not (lower.isdigit() and rng.group("upper").isdigit()):
        return None
    return rng.end()


def _range_upper(text: str, start: int) -> bool:
    """Whether the number at ``start`` closes a range ("40 to 50 Labour MPs")."""
    if not text.endswith((" to ", " or ", " and ", "-", "–", "- ", "– "), 0, start):
        return False
    rng = _RANGE_BEFORE.search(text, max(0, start - 40), start)
    lower = parse_number(rng.group("lower")) if rng is not None else None
    return rng is not None and lower is not None and _range_end(
        text, rng.start("lower"), rng.end("lower"), rng.group("lower"), lower) is not None


def _near_rebels(text: str, previous: Count, start: int) -> bool:
    """Whether the last count, of rebels, is at most two sentence ends (a stop and a line break
    are two) and 300 characters before ``start``: "a third of them", "a third of the
    parliamentary party" are then a share of those rebels."""
    if not previous.rebel:
        return False
    at = text.rfind(previous.span, max(0, start - 300), start)
    return at >= 0 and len(_SENTENCE_END.findall(text, at + len(previous.span), start)) <= 2


def _part_of_counted(
    text: str, lead: re.Match[str], bare: re.Match[str], previous: Count
) -> Count:
    """ "Just over a third of the 47 were first elected in 2024": a part of the people counted
    earlier as "47 Labour MPs" (their group as it was written there)."""
    number = bare.group("number")
    earlier = [m.end() for m in re.finditer(rf"(?<![\w,.]){number}\b", text[: lead.start()])]
    tail = _TAIL.match(text, earlier[-1]) if earlier else None
    group = _group_name(tail.group("group")) if tail is not None else previous.group
    return Count(None, "fraction", group, previous.action,
                 text[_qualified_start(text, lead.start()) : bare.end()], previous.rebel)


def _single_count(text: str, lead: re.Match[str]) -> Count | None:
    """ "Only one Labour vote against", "a single Labour MP, Ann Lowe, voted against": a lone
    rebel's vote; any other "one" is no count."""
    single = _SINGLE.match(text, lead.end())
    if single is None:
        return _only_one_of_them(text, lead) if text.startswith(" of them, ", lead.end()) else None
    if " who " in single.group() and _SPEAKS_AFTER.match(text, single.end()):
        return None  # "One Labour MP who voted against at both stages said": a speaker
    party = single.group("party")
    if single.group("with") and (party is None or party[:3] in _OWN_SIDE[single.group("with")]):
        return None  # "one Tory MP voted with the Tories": with their own party
    start = lead.start()
    if text[max(0, start - 5):start].lower() in ("only ", "just "):
        start -= 5
    group, action = f"{party} MPs" if party else single.group("head"), "voted against"
    if single.group("with"):  # "one Tory backbencher, X, voted with Labour": as written
        group, action = f"{single.group('party')} {single.group('head')}", "rebelled"
    return Count(1, "exact", group, action, text[start:single.end()], True)


# "Only one of them, Ann Lowe, the MP for Whitby, voted against": the lone rebel of a group just
# named ("Scotland has 37 Labour MPs. Only one of them, ...")
_ONE_OF_THEM = re.compile(
    r"[ ]of[ ]them,[ ][A-Z][^,.;:]{1,40},(?:[ ][^,.;:]{1,60},)?[ ](?:\w+ly[ ])?"
    r"(?P<action>voted[ ]against|rebelled|defied|abstained)\b"
)


def _only_one_of_them(text: str, lead: re.Match[str]) -> Count | None:
    start = lead.start() - 5
    one = _ONE_OF_THEM.match(text, lead.end())
    if one is None or text[max(0, start):lead.start()].lower() not in ("only ", "just "):
        return None
    # the group named last, in this sentence or the one before
    named = next(reversed(list(_ROW_GROUP.finditer(text, max(0, start - 120), start))), None)
    if named is None:
        return None
    return Count(1, "exact", _group_name(named.group("group")), one.group("action"),
                 text[start:one.end()], True)


def _with_object(action: str, before: str, after: str, previous: Count | None) -> str:
    """The action with what it was done to, where the sentence or the last count tells it:
    "in a letter, 42 MPs said" signed the letter; "162 have signed it" signed the amendment."""
    if not action:  # "a letter from 42 MPs", "126 signatures on Meg Hillier's amendment"
        document = _DOCUMENT_NEAR.search(before[-24:]) or _DOCUMENT_AFTER.match(after)
        if document is not None:
            return f"signed {document.group(1).lower()}"
        return previous.action if previous is not None else ""
    if action in _SPEECH_ACTIONS:
        document = _DOCUMENT_BEFORE.search(before)
        return f"signed {document.group(1).lower()}" if document else action
    last = previous.action.rpartition(" ")[2] if previous is not None else ""
    if action in _COMMITTING and last in _PROTEST_OBJECTS:
        return f"{action} {last}"
    return action


def _inactive(clause: str) -> bool:
    return _action("", clause)[0] in ("", "said")


def _bare_count(
    text: str, lead: re.Match[str], value: int | None, previous: Count | None,
    range_end: int | None = None,
) -> Count | None:
    """ "A further 15 signed", "but 53 abstained", "a handful voting against", "about 40 of
    them", "32, including four former ministers, told...": people named by what they did."""
    vague = lead.group("vague") is not None
    if value is None and not vague:
        return _those_who(text, lead)
    if vague and text.startswith(" us", lead.end()) and (previous is None or previous.rebel):
        return _vague_us(text, lead, previous)
    if vague and text.startswith((" those who", " the ones who"), lead.end()):
        return _those_who(text, lead)
    if value is not None and text.startswith((" of those who", " of the ones who"), lead.end()):
        return _those_who(text, lead, value)  # "A dozen of those who signed the amendment"
    at = range_end or lead.end()
    plus = text.startswith("-plus ", at)
    at += 5 if plus else 0
    aside = _ASIDE.match(text, at) if text.startswith(", ", at) else None
    at = aside.end() if aside is not None else at
    tail = _BARE_TAIL.match(text, at)
    rebellion = _BARE_REBELLION.match(text, at)
    of_them = _OF_THEM.match(text, at) if tail is None and rebellion is None else None
    if of_them is not None and of_them.group("who") == "whom" and not _REBEL_WORD.search(
            text, max(0, lead.start() - 40), lead.start()):
        of_them = None  # "rebels, 120 of whom had signed": but not "claimants, 900 of whom"
    # "whips estimate that between 40 and 60 will follow through": the last count's people
    ranged = range_end is not None and previous is not None and _MODAL.match(text, at) is not None
    if tail is None and rebellion is None and of_them is None and not ranged:
        return (_of_group(text, lead, value) or _compared_count(text, lead, value, previous)
                or _signers_count(text, lead, value) or _rebellion_of(text, lead, value)
                or _further_count(text, lead, value, previous)
                or (_with_group(text, lead, value)
                    if text.find(", with ", max(0, lead.start() - 40), lead.start()) >= 0
                    else None)
                or (_apposed(text, lead, value) if text.startswith(", ", lead.end()) else None)
                or (_after_rebels(text, lead, value, previous)
                    if previous is not None and previous.rebel and value is not None else None))
    if (tail is not None and previous is None
            and (signers := _signers_count(text, lead, value)) is not None):
        return signers  # "the 90 who had signed it"
    before = text[max(0, lead.start() - 32):lead.start()]
    qualifier_match = _QUALIFIER_BEFORE.search(before)
    qualifier = _QUALIFIERS[_words(qualifier_match.group("q"))] if qualifier_match else "exact"
    start = lead.start() - (len(before) - qualifier_match.start() if qualifier_match else 0)
    end = of_them.end() if of_them is not None else tail.end() if tail is not None else at
    if range_end is not None and qualifier == "exact":
        qualifier = "about"  # "between 40 and 60 will follow through": about the lower end
        start -= 8 if text.endswith(_BETWEEN, 0, start) else 0
    elif plus and qualifier == "exact":
        qualifier = "more_than"  # "50-plus stay away"
    sentence_before = _sentence_before(text, start)
    after = _sentence_after(text, end)
    joined = previous is not None and previous.span in sentence_before  # the same sentence
    breakdown = _breakdown(text, start)  # "Of the city's nine Labour MPs, two voted..."
    did_so = rebellion is not None and rebellion.group("did_so") is not None
    action, supports = _action("", after)
    group_before = ""
    if vague:
        qualifier = "vague"
    elif tail is not None and (qualifier == "increment" or tail.group("increment")) and not (
            _more_anew(text, start, tail.group("increment"), qualifier_match, action, previous)):
        qualifier = "increment"
    elif of_them is not None:
        if action in ("", "said") and of_them.group("who") == "us" and _THERE_WERE.search(
                text, max(0, start - 12), start) and (previous is None or previous.rebel):
            action = previous.action if previous is not None else "rebelled"  # "when there
            # were 108 of us": the speaker's side, counted
        if not action and of_them.group("who") == "us":
            return None  # "if they think this is just four of us": a speaker's aside
        if not action:  # "Labour MPs who remain opposed – there are about 40 of them"
            action, supports = _action("", sentence_before)
        if action in ("", "said"):
            return None
    elif did_so or (rebellion is not None and previous is not None and _OF_THEM.match(text, at)):
        pass  # "47 did so", "60 of them could oppose": the last count's people
    elif _signers(text, lead, tail, sentence_before):
        pass  # "Of the 49 who voted against, 37 had signed the amendment"
    elif ranged:
        pass
    elif breakdown and tail is not None and action:
        pass  # "Of the city's nine Labour MPs, ..., six voted in favour": its parts
    elif (tail is not None and action.endswith(_PROTEST_WORDS) and not supports
          and (previous is not None or _REBEL_WORD.search(sentence_before + after))):
        pass  # "when more than 120 signed an amendment", "the 126 who signed her amendment"
    elif rebellion is not None and rebellion.group("refused") and text.endswith(
            ("the ", "The "), 0, start):
        action, supports = "opposed", False  # "the 49 who couldn't support it"
    elif rebellion is not None and not sentence_before.strip() and (
            group_before := _of_them_before(text, at, start)):
        pass  # "Labour MPs who opposed the bill say ... Forty-nine of them voted against it"
    elif not (rebellion is not None and (joined or _REBEL_WORD.search(sentence_before + after)
                                         or _just_after_rebels(text, previous, start, after))):
        return None
    if (previous is None and not breakdown and _TALLY.search(sentence_before + after)) or (
            _NOT_A_COUNT_BEFORE.search(before)):
        return None
    group = group_before or _elided_group(sentence_before, previous, joined)
    end += 8 if group_before else 0  # " of them"
    if of_them is not None and of_them.group("who") == "us":
        group = "MPs"  # "there were 126 of us who signed": the speaker's colleagues
    if action == "said" and _REPORTED_REBELLION.match(after):
        action = "threatened"  # "32 ... told the meeting they would vote against"
    if not action and rebellion is not None and rebellion.group("suspended"):
        action = "suspended"  # "the four suspended on Wednesday": the whip taken from them
    if did_so:  # "one of 47 who did so", "at third reading, 47 did so"
        if previous is None:
            return None
        action, supports = previous.action, not previous.rebel
    return Count(value, qualifier, group, action, text[start:end], not supports)


def _of_them_before(text: str, at: int, start: int) -> str:
    """The group "them" is when a sentence opens "Forty-nine of them voted against" and the
    sentence before names MPs ("Labour MPs who opposed the bill say ..."), or ""."""
    if _OF_THEM.match(text, at) is None or not text.startswith(" of them", at):
        return ""
    boundary = start - 1
    while boundary > 0 and text[boundary - 1] in " \n\"”’'":
        boundary -= 1
    named = _ROW_GROUP.search(_sentence_before(text, max(0, boundary - 1)))
    if named is None or (_REBEL_HEAD.match(named.group("head")) is None and not named.group(
            "head").endswith(("MPs", "benchers"))):
        return ""
    return _group_name(named.group("group"))


def _vague_us(text: str, lead: re.Match[str], previous: Count | None) -> Count | None:
    """ "There were dozens of us", "there are scores of us who ...": the speaker's side, as
    the last count's people when there is one."""
    if not lead.group().endswith(" of") or not _THERE_WERE.search(
            text, max(0, lead.start() - 12), lead.start()) or text[lead.end() + 3:][:1].isalpha():
        return None
    start = text.rfind("here", 0, lead.start()) - 1
    group, action = (previous.group, previous.action) if previous else ("MPs", "rebelled")
    return Count(None, "vague", group, action, text[start:lead.end() + 3], True)


def _just_after_rebels(text: str, previous: Count | None, start: int, after: str) -> bool:
    """Whether a rebel count was given a few lines before ``start``: "126 Labour MPs had signed
    the amendment. In the end, 49 voted against" counts the same side's rebels."""
    if previous is None or not previous.rebel:
        return False
    reach = 300 if previous.count is None else 600  # "A third of the PLP signed ... 49 voted"
    return text.rfind(previous.span, max(0, start - reach), start) >= 0 and not _TALLY.search(
        _sentence_before(text, start) + after)


def _signers(
    text: str, lead: re.Match[str], tail: re.Match[str] | None, sentence_before: str
) -> bool:
    """Whether a bare figure is of MPs who signed or backed the amendment, motion or letter
    ("37 had signed the Hillier amendment"), in a sentence about MPs."""
    return tail is not None and _SIGNED_BARE.match(text, lead.end()) is not None and (
        _REBEL_WORD.search(sentence_before) is not None)


# "The 42 MPs who signed have been joined by others, with a further 10 said to have told the
# whips ...": more of the people just counted, with no group of their own
_FURTHER_AFTER = re.compile(
    r"[ ](?:said|reported|understood|thought|believed|known|are|were|have|had|has|is|was)\b"
)


def _further_count(
    text: str, lead: re.Match[str], value: int | None, previous: Count | None
) -> Count | None:
    """ "..., with a further 10 said to have told party whips ...": an increment on a rebel count
    given in the same sentence."""
    if value is None or previous is None or not previous.rebel or _FURTHER_AFTER.match(
            text, lead.end()) is None:
        return None
    before = text[max(0, lead.start() - 32):lead.start()]
    qualifier_match = _QUALIFIER_BEFORE.search(before)
    if qualifier_match is None or _QUALIFIERS[_words(qualifier_match.group("q"))] != "increment":
        return None
    if previous.span not in _sentence_before(text, lead.start()):
        return None
    action, supports = _act_after(_sentence_after(text, lead.end()))
    start = lead.start() - (len(before) - qualifier_match.start())
    return Count(value, "increment", previous.group, action or previous.action,
                 text[start:lead.end()], not supports)


# "anger among Labour MPs, with nearly a dozen rising to raise concerns": a part of the group
# before, by what it did
_WITH_GROUP_BEFORE = re.compile(rf"{_GROUP},[ ]with[ ]$")


def _with_group(text: str, lead: re.Match[str], value: int | None) -> Count | None:
    """ "Fury among Labour MPs, with nearly a dozen standing up to raise concerns": some of the
    group just named, counted by what they did (an act, not a word said)."""
    start = _qualified_start(text, lead.start())
    if not text.endswith(", with ", 0, start) or not text.endswith(
            ("MPs", "benchers", "peers", "rebels"), 0, start - 7):
        return None
    named = _WITH_GROUP_BEFORE.search(text, max(0, start - 80), start)
    if named is None or (value is None and lead.group("vague") is None):
        return None
    action, supports = _act_after(_sentence_after(text, lead.end()))
    if action in ("", "said", "praised"):
        return None
    words = text[start:lead.start()].strip(" ,")
    qualifier: Qualifier = ("vague" if value is None else _QUALIFIERS[_words(words)] if words
                            else "exact")
    return Count(value, qualifier, _group_name(named.group("group")), action,
                 text[start:lead.end()], not supports)


# "Some rebels, perhaps as many as 40, say they will vote against": the figure set off by commas
_APPOSED_BEFORE = re.compile(rf"{_GROUP},[ ](?:(?:perhaps|possibly|maybe|probably)[ ])?$")
_APPOSED_CUE = re.compile(r",[ ](?:(?:perhaps|possibly|maybe|probably)[ ])?$")
_APPOSED_HEADS = ("MPs", "rebels", "Rebels", "signatories", "benchers", "noes", "backers")


def _apposed(text: str, lead: re.Match[str], value: int | None) -> Count | None:
    """ "Some rebels, perhaps as many as 40, say they are still minded to vote against": the
    group's number, between commas, and what they do after."""
    if value is None or not text.startswith(", ", lead.end()):
        return None
    comma = text.rfind(", ", max(0, lead.start() - 30), lead.start())
    if comma < 0 or not text.endswith(_APPOSED_HEADS, 0, comma):
        return None  # a quick test first
    start = _qualified_start(text, lead.start())
    if _APPOSED_CUE.search(text, max(0, start - 12), start) is None:
        return None
    named = _APPOSED_BEFORE.search(text, max(0, start - 60), start)
    if named is None or not (_REBEL_HEAD.match(named.group("head")) or named.group(
            "head").endswith(("MPs", "benchers"))):
        return None
    after = _sentence_after(text, lead.end() + 1)
    action, supports = _action("", after)
    if action == "said" and (_REPORTED_REBELLION.match(after) or _MINDED.match(after)):
        action = "threatened"  # "say they are still minded to vote against"
    if not action:
        return None
    words = text[start:lead.start()].strip(" ,")
    qualifier = _QUALIFIERS[_words(words)] if words else "exact"
    return Count(value, qualifier, _group_name(named.group("group")), action,
                 text[named.start():lead.end()], not supports)


_MINDED = re.compile(
    r"[ ](?:say|said|says)[ ]they[ ](?:are|were)[ ](?:still[ ])?(?:minded|determined|ready)[ ]to[ ]"
    r"(?:vote[ ]against|rebel|oppose|abstain)\b"
)


_REBELLION_OF = _Ending(
    "of", r"(?i:\b(?:a|the|its|their)[ ](?:\w+[ ]){0,2}?(?P<core>rebellion|core)[ ]of[ ]+)$"
)  # "a rebellion of 49", "a hard core of a few dozen": the rebels


def _rebellion_of(text: str, lead: re.Match[str], value: int | None) -> Count | None:
    """ "The vote produced a rebellion of 49", "a Labour rebellion of more than 40", "a hard
    core of a few dozen": the rebels."""
    if value is None and lead.group("vague") is None:
        return None
    start = lead.start()
    base = max(0, start - 60)
    before = text[base:start]
    qualifier_match = _QUALIFIER_BEFORE.search(before[-32:])
    if qualifier_match is not None:
        before = before[: len(before) - (len(before[-32:]) - qualifier_match.start())]
    rebellion = _REBELLION_OF.search(before)
    if rebellion is None or _NOT_A_COUNT_BEFORE.search(before):
        return None  # "it can absorb a rebellion of 80": a threshold
    qualifier = _QUALIFIERS[_words(qualifier_match.group("q"))] if qualifier_match else "exact"
    if value is None:
        qualifier = "vague"
    group = "Labour MPs" if "Labour" in _sentence_before(text, start) else "MPs"
    return Count(value, qualifier, group, "rebelled", text[base + rebellion.start():lead.end()],
                 True)


def _signers_count(text: str, lead: re.Match[str], value: int | None) -> Count | None:
    """ "The 126 who had signed it", "the 126 who backed the original amendment": the signers."""
    signed = _SIGNED_BARE.match(text, lead.end()) if value is not None else None
    if signed is None or not text.endswith(("the ", "The "), 0, lead.start()) or value is None:
        return None
    if not signed.group().startswith(" who"):
        return None
    action, supports = _action("", signed.group() + _sentence_after(text, signed.end()))
    obj = signed.group().rpartition(" ")[2]
    if action == "signed" and obj != "it":
        action = f"signed {obj}"
    return Count(value, "exact", "MPs", action or "signed", text[lead.start() : signed.end()],
                 not supports)


def _those_who(text: str, lead: re.Match[str], value: int | None = None) -> Count | None:
    """ "Nearly two-thirds of those who signed the amendment": a fraction of the people who did
    something; "A dozen of those who signed it have told us ...": a number of them."""
    vague = lead.group("vague") is not None  # "a handful of those who rebelled then backed it"
    at = lead.end() + 3 if value is not None else lead.end()  # after "of" ("a dozen of those")
    those = _THOSE_WHO.match(text, at) if lead.group("fraction") or vague or value else None
    if those is None:
        return None
    verb = those.group("verb")
    group = "signatories" if verb == "signed" else "MPs" if verb == "backed" else "rebels"
    action, supports = _action("", text[those.start("verb") - 1 : those.end() + 60])
    if vague or value is not None:  # what they did after: "... who rebelled the first time
        later = _act_after(_sentence_after(text, those.end()))  # backed the government"
        action, supports = later if later[0] else (action, supports)
    qualifier: Qualifier = "vague" if vague else "fraction"
    start = lead.start()
    if value is not None:
        start = _qualified_start(text, lead.start())  # "about 20 of those who signed"
        if _sentence_before(text, start).strip(" \"“‘'") and not text.endswith(
                (", ", " and ", " but ", " while "), 0, start):
            return None  # "whips have won back about 80 of those who signed": acted upon
        words = text[start:lead.start()].strip(" ,")
        qualifier = _QUALIFIERS[_words(words)] if words else "exact"
    return Count(value, qualifier, group, action, text[start : those.end()], not supports)


def _of_group(text: str, lead: re.Match[str], value: int | None) -> Count | None:
    """ "Of the Labour rebels, 16 were first elected in 2024": a part of the rebels."""
    if value is None or not text.endswith(", ", 0, lead.start()):
        return None
    named = _OF_GROUP_BEFORE.search(text, max(0, lead.start() - 60), lead.start())
    if named is None or _REBEL_HEAD.match(named.group("head")) is None:
        return None
    group = _group_name(named.group("group"))
    return Count(value, "exact", group, "rebelled" if "rebel" in group.lower() else "signed",
                 text[named.start() : lead.end()], True)


def _compared_count(
    text: str, lead: re.Match[str], value: int | None, previous: Count | None
) -> Count | None:
    """ "47 Labour MPs voted against, compared with 49 at second reading": the earlier figure of
    the last count's people, when the sentence before the cue is about rebels."""
    start = lead.start()
    if previous is None or value is None or not text.endswith(_COMPARED_BEFORE,
                                                             max(0, start - 18), start):
        return None
    cue = max(text.rfind(c, max(0, start - 18), start) for c in _COMPARED)
    if _REBEL_WORD.search(_sentence_before(text, cue)) is None:
        return None  # "compared with" what the last count's people did, in the same sentence
    return Count(value, "exact", previous.group, previous.action, text[cue:lead.end()],
                 previous.rebel)


# "The remaining 12 had not", "Where did the other 79 go?": the rest of the people just counted
_REST_BEFORE = _Ending("other remaining", r"(?i:\bthe[ ](?:other|remaining)[ ])$")
_REST_WORDS = ("other ", "remaining ")
_REST_AFTER = re.compile(
    r"(?:-odd)?(?:[.,;:?!)\"”’'—–]|[ ](?:had|have|has|were|are|was|is|did|do|does|will|would"
    r"|could|may|might|come|came|go|went|stayed|voted|signed|abstained|backed)\b)"
)
# "47 voted against at third reading, and 49 at second reading": the same people at another stage
_READING_AFTER = re.compile(
    r"[ ](?:at|in)[ ](?:the[ ])?(?:second|third|first)[ ]reading\b|[ ]at[ ](?:report|committee)"
    r"[ ]stage\b"
)


def _after_rebels(text: str, lead: re.Match[str], value: int, previous: Count) -> Count | None:
    """A bare figure after a rebel count: the rest of those people, the same people at another
    reading, or a part of a figure given before (quick tests first: most figures are none)."""
    start, end = lead.start(), lead.end()
    if text.endswith(_REST_WORDS, max(0, start - 10), start):
        return _rest_count(text, lead, value, previous)
    if text.startswith((" at ", " in "), end):
        return _reading_count(text, lead, value, previous)
    if text.startswith(" of the ", end) or text.find("Of the ", max(0, start - 200), start) >= 0:
        return _part_of_figure(text, lead, value, previous)
    return None


def _rest_count(text: str, lead: re.Match[str], value: int | None,
                previous: Count | None) -> Count | None:
    """ "126 had signed; 47 voted against. Where did the other 79 go?", "The remaining 12 had
    not": the rest of a group just counted, with no group of their own after the figure."""
    before = text[max(0, lead.start() - 16):lead.start()]
    the = _REST_BEFORE.search(before) if value is not None and previous is not None else None
    if the is None or previous is None or not previous.rebel:
        return None
    rest = _REST_AFTER.match(text, lead.end())
    if rest is None or text.rfind(previous.span, max(0, lead.start() - 400), lead.start()) < 0:
        return None
    start = lead.start() - (len(before) - the.start())
    qualifier: Qualifier = "about" if text.startswith("-odd", lead.end()) else "exact"
    end = lead.end() + (4 if qualifier == "about" else 0)
    return Count(value, qualifier, previous.group, previous.action, text[start:end], True)


def _reading_count(text: str, lead: re.Match[str], value: int | None,
                   previous: Count | None) -> Count | None:
    """ "47 Labour MPs voted against at third reading, and 49 at second reading": the last
    count's people and action at another stage of the bill, in the same sentence."""
    if value is None or previous is None or not previous.rebel or previous.count is None:
        return None
    reading = _READING_AFTER.match(text, lead.end())
    if reading is None or previous.span not in _sentence_before(text, lead.start()):
        return None
    return Count(value, "exact", previous.group, previous.action,
                 text[lead.start():reading.end()], True)


# "23 of the 49 had signed", "Of the 47, fewer than ten had held office": a part of a figure
# given before, no group of its own
_OF_FIGURE_AFTER = re.compile(
    r"[ ]of[ ]the[ ](?P<number>\d{1,4})(?=[.,;:!?]|[ ](?:had|have|has|were|are|was|is|did|do"
    r"|will|would|could|may|might|also|still|now|\w+ed)\b)"
)
_OF_FIGURE_BEFORE = re.compile(r"^\W*Of[ ]the[ ](?P<number>\d{1,4})\b[^.;:!?]{0,160},[ ]+$")
_BARE_PREDICATE = re.compile(
    r"[ ](?:had|have|has|were|are|was|is|did|do|will|would|could|may|might|also|still|now)\b"
)


def _part_of_figure(text: str, lead: re.Match[str], value: int | None,
                    previous: Count | None) -> Count | None:
    """ "23 of the 49 had signed the April letter", "Of the 47, fewer than ten had ever held
    office": a part of people counted before (the figure was a rebel count), by what they did
    or what they are."""
    if value is None or previous is None or not previous.rebel:
        return None
    end = lead.end()
    part = _OF_FIGURE_AFTER.match(text, end) if text.startswith(" of the ", end) else None
    if part is not None:
        whole, end = part.group("number"), part.end()
    else:
        if _BARE_PREDICATE.match(text, end) is None:
            return None  # a quick test first
        before = _sentence_before(text, lead.start())
        qualifier_match = _QUALIFIER_BEFORE.search(before)
        if qualifier_match is not None:
            before = before[:qualifier_match.start()]
        of = _OF_FIGURE_BEFORE.match(before) if before.lstrip().startswith("Of the ") else None
        if of is None:
            return None
        whole = of.group("number")
    if int(whole) <= value:
        return None
    earlier = [m.end() for m in re.finditer(rf"(?<![\w,.]){whole}\b", text[:lead.start()])]
    if int(whole) < 100:  # "Forty-nine Labour MPs voted against ... fewer than 20 of the 49"
        earlier += [m.end() for m in re.finditer(rf"(?i:\b{_spelled(int(whole))}\b)",
                                                 text[:lead.start()])]
    counted = next((t for t in (_TAIL.match(text, at) for at in earlier) if t is not None), None)
    if counted is None and previous.count != int(whole) and not any(
            _BARE_TAIL.match(text, at) or _BARE_REBELLION.match(text, at) for at in earlier):
        return None  # "the 47" is no figure counted before ("47 voted against" is)
    group = _group_name(counted.group("group")) if counted is not None else previous.group
    before32 = text[max(0, lead.start() - 32):lead.start()]
    qualifier_match = _QUALIFIER_BEFORE.search(before32)
    qualifier = _QUALIFIERS[_words(qualifier_match.group("q"))] if qualifier_match else "exact"
    if qualifier == "increment":
        return None
    start = lead.start() - (len(before32) - qualifier_match.start() if qualifier_match else 0)
    action, supports = _action("", _sentence_after(text, end))
    return Count(value, qualifier, group, action or previous.action, text[start:end],
                 not supports if action else previous.rebel)


def _elided_group(sentence_before: str, previous: Count | None, joined: bool) -> str:
    """Whose number a bare figure is: the last count's group when it is in the same sentence,
    else a group the sentence names before it ("Of the Labour MPs who signed, 32 ..."), else the
    last count's, else MPs."""
    if previous is not None and joined:
        return previous.group
    named = _ROW_GROUP.search(sentence_before) if "MPs" in sentence_before else None
    if named is None and "number of " in sentence_before:
        # "the number of Labour rebels was two fewer than the 49 who ...": the rebels counted
        named = _ROW_GROUP.search(sentence_before, sentence_before.find("number of "))
    if named is not None:
        return _group_name(named.group("group"))
    return previous.group if previous is not None else "MPs"


def _spelled(value: int) -> str:
    """How a number below 100 is written in words, as a pattern ("forty[- ]nine")."""
    tens, units = divmod(value, 10)
    if value < 20:
        return _UNITS[value - 1] if value else "zero"
    return _TENS[tens - 2] + (f"[- ]{_UNITS[units - 1]}" if units else "")


def _words(phrase: str) -> str:
    return " ".join(phrase.lower().split())


def _value(lead: re.Match[str]) -> int | None:
    number = lead.group("number")
    return None if number is None else parse_number(number)


@lru_cache(maxsize=4096)
def parse_number(words: str) -> int | None:
    """The value of "42", "1,200", "forty-two", "a hundred and six", "half a dozen"."""
    words = " ".join(words.lower().replace("-", " ").split())
    if words.replace(",", "").isdigit():
        return int(words.replace(",", ""))
    if words in ("a single", "the only"):
        return 1
    if words == "a score":
        return 20
    if words.endswith("dozen"):
        head = words.removesuffix("dozen").strip()
        if head == "a couple of":
            return 24
        return {"a": 12, "half a": 6}.get(head, 12 * _WORD_VALUE.get(head, 0)) or None
    if " hundred" in words:
        head, _, rest = words.partition(" hundred")
        hundreds = 1 if head == "a" else _WORD_VALUE.get(head, 0)
        return 100 * hundreds + (_small_number(rest.removeprefix(" and ")) or 0)
    return _small_number(words)


def _small_number(words: str) -> int | None:
    parts = words.split()
    if not parts or any(p not in _WORD_VALUE for p in parts):
        return None
    return sum(_WORD_VALUE[p] for p in parts)


def _looks_like_year(number: str) -> bool:
    return number.isdigit() and len(number) == 4 and 1800 <= int(number) <= 2100


def _qualifier(
    lead: re.Match[str], tail: re.Match[str], before: re.Match[str] | None
) -> Qualifier:
    if lead.group("fraction"):
        return "fraction"
    if lead.group("vague"):
        return "vague"
    if tail.group("increment"):
        return "increment"
    if before is not None:
        return _QUALIFIERS[_words(before.group("q"))]
    approx = tail.group("approx")
    if approx in ("-plus", "+"):
        return "more_than"
    return "about" if approx or lead.group("number").endswith(" of dozen") else "exact"


# Everything up to the last sentence boundary: the greedy start makes the engine look for it
# backwards from the end, which is where it usually is.
_UP_TO_LAST_BOUNDARY = re.compile(r"(?s:.*)(?:\n|[.!?][ ]|\.[\"\u201d\u2019'][ ])")


def _sentence_before(text: str, start: int) -> str:
    window = text[max(0, start - 200):start]
    cut = _UP_TO_LAST_BOUNDARY.match(window)
    return window[cut.end():] if cut else window


def _sentence_after(text: str, end: int) -> str:
    stop = _SENTENCE_END.search(text, end, end + 200)  # the window's end counts as the text's
    return text[end:stop.start() if stop else end + 200]


def _act_after(after: str) -> tuple[str, bool]:
    """``_action`` of the words after a count, where "said they would vote against" is a threat
    ("a further 10 told the whips they would vote against it")."""
    action, supports = _action("", after)
    if action == "said" and _REPORTED_REBELLION.match(after):
        return "threatened", False
    return action, supports


def _action(before: str, after: str) -> tuple[str, bool]:
    """What the counted people did, and whether that was supporting the government."""
    passive = _PASSIVE_BEFORE.search(before[-40:])
    if passive is not None:
        return passive.group("verb").lower(), False
    match = _ACTION.search(after)
    if match is None or match.lastgroup is None:
        return "", False
    verb = _ACTION_WORDS[int(match.lastgroup[1:])][0]
    if "whether " in after and " whether " in after[: match.start()]:
        return "wavering", False  # "dozens question whether they can support it": in doubt
    obj = _OBJECT.search(after, match.end(), match.end() + 60)
    noun = obj.group("obj") if obj else ""
    supports = verb == "praised" or (
        verb in ("backed", "voted for") and (noun in _GOVERNMENT_OBJECTS or match.group().endswith(
            "the government"))  # "voting with the government"
        and not (obj is not None and _AGAINST_OBJECT.search(after, match.end(), obj.start()))
    ) or (noun == "letter" and bool(_IN_SUPPORT.search(after[obj.end():])) if obj else False)
    if noun in _PROTEST_OBJECTS and verb in _SPEECH_ACTIONS:  # "warned in a letter"
        return (f"signed {noun}" if noun in _DOCUMENTS else verb), supports
    if noun in _PROTEST_OBJECTS and verb != "voted against":
        return f"{verb} {noun}", supports
    return verb, supports


@lru_cache(maxsize=4096)
def _group_name(group: str) -> str:
    return " ".join(_STRIP_FROM_GROUP.sub(" ", group).split())
