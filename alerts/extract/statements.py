"""Direct quotes and who said them: ``find_statements(text) -> list[Statement]``. Pure.

How an article is read, one paragraph (one line) at a time:

1. Quote marks are classified in one left-to-right pass: straight, curly and single marks; an
   apostrophe ("don't", "the MPs' letter") never opens a quote. A quote still open at the end of
   a paragraph whose successor opens with a mark runs on; each paragraph is its own statement.
2. Quotes are masked, so sentences and attributions are read in the reporter's words only.
3. The speaker comes from the quote's own sentence (",” he added.", "X told the BBC:", "X, the
   shadow chancellor, said", "according to X"), else, for a quote standing alone, from the
   sentence before or after it. `_Memory` resolves "he", "they" and "the source": it keeps who
   was named where, their gender where a title or a pronoun tells it, and the roles they hold.

Linear time: regexes are single passes without nested quantifiers, speech verbs are found by a
word scan (a regex alternation of ninety verbs is ten times slower), the windows read around a
quote are bounded, and look-backs into `_Memory` are capped.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from alerts.extract.counts import parse_number
from alerts.models import Statement

_MASK = "\ue000"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WINDOW = 200

# --- words ------------------------------------------------------------------------------------

_TITLES = {
    "sir": "m", "mr": "m", "lord": "m", "dame": "f", "mrs": "f", "ms": "f", "miss": "f",
    "lady": "f", "baroness": "f", "dr": "", "prof": "", "professor": "", "cllr": "", "rev": "",
}
_HE = _words(
    "keir ian stephen steve douglas john david james peter paul andy anas blair gregor graeme "
    "frank richard simon mark michael chris christopher tom jonathan jon patrick nigel ed "
    "wes darren jeremy rishi boris robert bob alex alan george william will matthew mike neil "
    "sadiq kevin clive barry tony gordon hilary ben dan daniel sam nick liam luke jack harry "
    "oliver tim ross iain duncan brendan jim ashley callum kim"
)
_SHE = _words(
    "liz rachael rachel meg kemi vicky debbie jen jennifer angela yvette bridget lucy emily "
    "emma sarah joani diane nadia harriet theresa priti suella anneliese lisa louise jess "
    "jessica shabana apsana zarah nadine kate catherine helen ruth mary anne anna margaret "
    "jo joanna bell dawn wendy alison hannah laura rebecca sophie claire julie karen "
    "marsha florence olivia jenny caroline penny kirsty mhairi nicola"
)
_EITHER = _words("pat")  # a man's or a woman's name (Pat McFadden, Pat Glass): "he" or "she"
_FIRST_NAMES = _HE | _SHE | _EITHER
_ROLE_NOUNS = _words(
    "minister ministers secretary secretaries chancellor leader leaders mp mps msp msps ms "
    "whip whips chair chairman chairwoman lead head director chief executive president mayor "
    "councillor peer peers speaker premier pm deputy economist campaigner campaigners officer "
    "adviser advisor governor commissioner editor founder member members backbencher "
    "backbenchers rebel rebels critic critics colleague colleagues candidate presenter signatory "
    "manager frontbencher frontbenchers strategist strategists organiser organizer pollster "
    "loyalist loyalists lawmaker lawmakers legislator legislators senator senators left-winger "
    "left-wingers right-winger right-wingers analyst analysts scientist scientists"
)
_ANON = _words(
    "source sources spokesperson spokesman spokeswoman spokespeople insider insiders ally "
    "allies aide aides official officials figure figures friend friends someone somebody woman "
    "man constituent claimant survivor victim carer resident voter parent veteran shareholder "
    "pensioner protester teacher nurse"  # vox pops: "One pensioner, a retired nurse, said"
)
_GROUP = _words(
    "mps msps ministers rebels backbenchers critics campaigners colleagues members peers "
    "unions charities groups group signatories letter statement message amendment report motion "
    "leaders officials tories conservatives government department treasury party charity "
    "union organisations organisation councillors activists organisers organizers founders team"
    " committee"  # "In a report published on Friday, the committee said:"
)
_ROLE_WORDS = _ROLE_NOUNS | _ANON | _GROUP | _words(
    "shadow former deputy junior senior backbench veteran prime home foreign work and "
    "pensions health justice education defence business trade culture state of for cabinet "
    "office economic social cultural rights welfare disability policy select committee campaign "
    "treasury exchequer labour tory conservative government party rebel union charity "
    "opposition frontbench frontbencher crossbench crossbencher council city county borough "
    "snp lib dem dems liberal democrats plaid cymru"  # "The SNP said", "Lib Dem MP X"
)
_DETERMINERS = _words(
    "a an the one two three four five six seven eight nine ten some several many his her "
    "their its another other fellow dozens"
)
_DEFINITE = _words("the his her their its")
_STOP_CAPS = _words(
    "the a an but and however meanwhile later earlier speaking in on at it this that these "
    "those he she they we i yesterday today tonight last now asked when while after before "
    "as if also then separately elsewhere writing his her their its our my one some many "
    "both responding addressing following despite during under over with without for from "
    "to by of monday tuesday wednesday thursday friday saturday sunday dear yes so there "
    "what why how who where mirror bbc instead indeed january february april july august "
    "september october november december"
)
_NOT_NAMES = _words(
    "labour conservative conservatives tory tories snp lib dem dems liberal democrat "
    "democrats reform green greens plaid cymru scottish welsh british westminster commons "
    "shadow prime minister ministers chancellor secretary chief whip leader deputy home "
    "foreign health work pensions justice education defence business trade treasury cabinet "
    "former senior backbench veteran select committee chair chairman chairwoman president "
    "mayor mp mps msp msps state office party independent exchequer uk government "
    "opposition presenter backbencher frontbencher campaigner economist adviser advisor "
    "commissioner organiser organizer strategist pollster loyalist rebel critic signatory "
    "lawmaker staff correspondent reporter "
    # the plurals too: "Rebels dispute the figures. One said:" opens with a group, not a name
    "rebels backbenchers frontbenchers campaigners economists advisers advisors organisers "
    "organizers strategists pollsters loyalists critics signatories lawmakers whips "
    "starmerite starmerites blairite blairites brownite brownites corbynite corbynites "
    "corbynista corbynistas thatcherite thatcherites"  # a faction's member, not a surname
    " officials sources insiders allies aides"  # "Officials at the Department ... say"
)
_ORG_WORDS = _words(
    "street office department treasury commission institute foundation trust council party "
    "union unions association international uk bbc itv sky news guardian mirror times "
    "telegraph government parliament commons house lords bill act credit payment payments "
    "scotland england wales britain ireland centre group network alliance fund bank agency "
    "authority service services society charity action paper committee chambers commerce "
    "programme today labour downing whitehall express mail sun daily observer standard herald "
    "radio politico spectator statesman newsnight"
)
_NOT_A_SURNAME = _STOP_CAPS | _NOT_NAMES | _ORG_WORDS | frozenset(_TITLES)
_SURNAME_TOO = _words("green")  # a party's name, and a surname after a first name
_SURNAME_TOO_TOKENS = frozenset(w.title() for w in _SURNAME_TOO) | frozenset(
    w.upper() for w in _SURNAME_TOO)
# titles as written before a name: "Baroness", "Sir", "Dr.", "LORD"
_TITLE_TOKENS = frozenset(
    form for t in _TITLES for form in (t.title(), t.upper(), f"{t.title()}.", t)
)
_RELATIVES = _words("who which that whose where when")
_PRONOUNS = _words("he she they it we")
_PREPOSITIONS = _words("at of for from to with by in on about against into over than")
_CONJUNCTIONS = _words("and but then before while as")
_CLAUSE_OPENINGS = _CONJUNCTIONS | _words("that which who when if because")
_FILLERS = _words(
    "has have had is are was were be been being also previously later then expected to set "
    "due will would could may might on yesterday today tonight last night this week morning "
    "afternoon evening monday tuesday wednesday thursday friday saturday sunday once again "
    "already just recently earlier now further went since"
)
_AUXILIARIES = _words("has have had is are was were be been being")
_VERBS = _words(
    "said says say saying told tells tell telling added adds add adding warned warns warn "
    "warning insisted insists insist argued argues argue claimed claims stated declared wrote "
    "writes urged urges explained explains continued stressed stresses admitted admits "
    "acknowledged conceded suggested suggests noted notes replied replies responded asked "
    "described describes branded brands called calls call dubbed labelled pleaded vowed vows "
    "pledged promised predicted complained cautioned announced confirmed confirms blasted "
    "slammed accused accuses tweeted posted commented remarked joked quipped concluded recalled "
    "demanded maintained reiterated repeated questioned write sneered scoffed snapped fumed "
    "retorted countered mocked jibed states shouted heckled yelled arguing hailed hails "
    "intervened interjected briefed chanting chanted boasted boasts muttered murmured whispered"
    " grumbled ask"
)
_OPENINGS = _PRONOUNS | _DETERMINERS | _VERBS | {"according"}

# --- patterns ---------------------------------------------------------------------------------

_DOUBLE_OPEN, _DOUBLE_CLOSE, _DOUBLE_EITHER = "“„«", "”»", "\"\u0e42"
_SINGLE_EITHER = "'’"
_QUOTE_MARKS = " “”\"‘’'«»„"
_QUOTE_MARKS_COMMA = _QUOTE_MARKS + ","
_MARKS = re.compile("[\"“”„«»‘’'\u0e42]")
_OPEN_BEFORE = "([{—–-/:" + _DOUBLE_OPEN + "‘"
_CLOSE_AFTER = ".,;:!?)]}—–-…" + _DOUBLE_CLOSE + _DOUBLE_EITHER + _SINGLE_EITHER
_MOJIBAKE = {
    "â€œ": "“", "â€\x9d": "”", "â€™": "’", "â€˜": "‘", "â€”": "—", "â€“": "–",
    "โ€œ": "“", "โ€\x9d": "”", "โ€™": "’", "โ€˜": "‘",
}
_MOJIBAKE_RE = re.compile("|".join(map(re.escape, _MOJIBAKE)))
_THAI = re.compile("[\u0e01-\u0e41\u0e43-\u0e5b]")
_BOUNDARY = re.compile(r"[.!?](?=[\s" + _MASK + r"]+[A-Z“\"‘'" + _MASK + "])")
_LEAD = re.compile(r"[\s,;:—–-]*")
_INVERTED = re.compile(
    r"[\s,;:—–-]*(?:said|added|says|adds|continued|warned|insisted|asked|replied|wrote"
    r"|explained|argued|admitted|declared|shouted|heckled|yelled)\s+"
)
_CLAUSE_END = re.compile("[,;:.!?\n" + _MASK + "]")
_ECHO = re.compile(
    r"\s*(?:(?:that|those|these) (?:was|were) the (?:words|message|verdict|warning|view)s? of"
    r"|so said|the (?:words|comments|remarks) came from)\s+",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"\d")
_NAME_WORD = re.compile(r"[^\W_][\w’'.\u2060-]*")
_CAPITALS = re.compile(r"[A-Z][\w’'\u2060.-]*+(?: [A-Z][\w’'\u2060.-]*+)+")  # *+: no backtracking
_START = re.compile(r"[,;:.!?" + _MASK + r"]|\s(?:who|which|that|and|as)\s")
_SEPARATOR = re.compile("[,;:.]")
_LETTER = re.compile(r"[^\W\d_]")
_PLACE_BEFORE = tuple(
    f"{p}{t} " for p in (" for", " of", " in", " at", " outside", " near", " inside", " across")
    for t in ("", " the"))
_OWNER_BEFORE = (" her ", " his ", " their ", " its ")
_TAIL_WORDS = _words("for of at from close in within inside on")
_TAIL_HEADS = _ANON | {"group", "member", "members", "signatory", "signatories"}  # "of the letter"


# --- phrases: who a few words name -------------------------------------------------------------


class _Phrase(NamedTuple):
    """A speaker as written. ``kind``: person, org, role, anon, group, pronoun or known.

    Named tuples, not frozen dataclasses, for the small records here: they are built in C,
    several times a quote, and that is a good part of the reading time."""

    kind: str
    text: str
    name: str = ""
    role: str | None = None
    gender: str = ""
    head: str = ""

    @property
    def label(self) -> str:
        return self.name if self.kind == "person" else self.text


@lru_cache(maxsize=1 << 12)
def _phrase_at_end(text: str) -> _Phrase | None:
    """The speaker phrase that ``text`` ends with: "Labour MP Steve Witherden", "a No 10 source"."""
    tokens = text.rstrip(" ,").split()
    if not tokens:
        return None
    cut = _tail(tokens)
    if cut:
        core = _phrase_at_end(" ".join(tokens[:cut]))
        return core._replace(text=" ".join([core.text, *tokens[cut:]])) if core else None
    last = tokens[-1].lower()
    if last in _PRONOUNS:
        return _Phrase("pronoun", tokens[-1])
    if last == "one" and (len(tokens) == 1 or tokens[-2].lower() in _CONJUNCTIONS):
        return _Phrase("pronoun", "one")  # "one said": one of the group just named
    if last == "another" and len(tokens) == 1:
        return _Phrase("pronoun", "another")  # "Another went further": another of the same
    if last in {"them", "us"} and [t.lower() for t in tokens[-3:-1]] == ["one", "of"]:
        return _Phrase("pronoun", "one of them")
    return _named(tokens) or _described(tokens)


def _tail(tokens: list[str]) -> int:
    """Where "for the Department for Work and Pensions" starts after "a spokesperson", or 0."""
    if _TAIL_WORDS.isdisjoint(tokens[-9:]):
        return 0
    for j in range(len(tokens) - 1, max(0, len(tokens) - 10), -1):
        if _SEPARATOR.search(tokens[j]):
            return 0
        if tokens[j].lower() in _TAIL_WORDS and (tokens[j - 1].lower() in _TAIL_HEADS or (
                tokens[j] in _PLACE_WORDS and tokens[j - 1].lower() in _PLACED_HEADS)):
            return 0 if any(t.endswith(("’s", "'s")) for t in tokens[j:]) else j
        if (tokens[j] == "of" and j > 1 and tokens[j - 1].lower() in _ROLE_NOUNS
                and tokens[j - 2].lower() in _SINGLE_DETERMINERS
                and (tokens[-1].islower() or _org_word(tokens[-1]))):
            return j  # "One organiser of the rebellion", "The leader of the opposition group"
        if tokens[j] in _AFFILIATION and j + 1 < len(tokens) and _affiliated(tokens, j):
            if any(t.lower().rstrip(".") in _TITLES for t in tokens[j + 1 :]):
                return 0  # "Leader of the House of Lords Baroness Smith": the name is after
            return j  # "Professor Tim Bale of Queen Mary University"
    return 0


_AFFILIATION = frozenset({"of", "at", "from"})
# "a Labour MP in the region", "the new Reform councillor in Sunderland": where they sit
_PLACE_WORDS = frozenset({"in", "from"})
_PLACED_HEADS = frozenset({"mp", "msp", "councillor", "member", "backbencher", "peer"})


def _affiliated(tokens: list[str], j: int) -> bool:
    """Whether a person's name ends just before ``tokens[j]`` and an organisation's starts after."""
    org = tokens[j + 2] if tokens[j + 1] == "the" and j + 2 < len(tokens) else tokens[j + 1]
    if not org[:1].isupper() or not _name_token(tokens[j - 1]):
        return False
    person = _named(tokens[:j])
    return person is not None and person.kind == "person" and (
        " " in person.name or bool(person.gender) or tokens[0].lower().rstrip(".") in _TITLES
    )


def _phrase_at_start(text: str) -> _Phrase | None:
    """The speaker phrase that makes up the start of ``text`` up to a comma or full stop."""
    head = _START.split(text, maxsplit=1)[0]
    whole = _whole(head)
    if whole is not None:
        return whole
    words = head.split()
    cut = next((i for i, w in enumerate(words) if i and w.islower() and not _role_word(w)), 0)
    if cut and all(w[:1].isupper() for w in words[:cut]):
        # "said England captain Ollie Pope", "said Unite general secretary Sharon Graham": a
        # capitalised owner, a title of one or two lower-case words the lists lack, then the name
        name = next((k for k in range(cut + 1, min(cut + 3, len(words) - 1))
                     if not words[k].islower()), 0)
        if name and not any(w in _PREPOSITIONS for w in words[cut:name]):
            person = _whole(" ".join(words[name:]))
            if person is not None and person.kind == "person":
                return person
    return _whole(" ".join(words[:cut])) if cut else None


def _named(tokens: list[str]) -> _Phrase | None:
    """[role words] [title] Name Name: a person or an organisation named with capitals."""
    end = i = len(tokens)
    if len(tokens) > 1 and tokens[-1] == "UK" and _name_token(tokens[-2]):
        i -= 1  # "Disability Rights UK", "Age UK": an organisation's name
    if i > 1 and tokens[i - 1] in _SURNAME_TOO_TOKENS and _first_name_before(tokens[i - 2]):
        i -= 1  # "Antony Green"
    while i > end - 4 and i and _name_token(tokens[i - 1]):
        i -= 1
    if i == end:
        return None
    for k in range(end - 1, i, -1):  # "House of Lords Baroness Smith": the name after the title
        if tokens[k - 1] in _TITLE_TOKENS:
            i = k
            break
    place = _constituency(tokens, i)
    if place:  # "the MP for Alloa and Grangemouth": a seat, not a person
        core = _described(tokens[:place])
        return core._replace(text=" ".join([core.text, *tokens[place:]])) if core else None
    name = tokens[i:end]
    office_of = i > 1 and tokens[i - 1] in {"of", "for"} and tokens[i - 2].lower() in _ROLE_NOUNS
    if office_of and not any(map(_first_name_gender, name)):  # "the Mayor of Greater Manchester"
        office = _described(tokens[: i - 1])
        if office is not None and office.kind == "role":
            return office._replace(text=" ".join([office.text, *tokens[i - 1 :]]))
    if len(name) > 1 and name[0].isupper() and name[0].lower() in _FIRST_NAMES:
        name = [name[0].title(), *name[1:]]  # a tabloid's "KEMI Badenoch"
    title = _TITLES.get(tokens[i - 1].lower().rstrip(".")) if i else None
    titled = title is not None
    gender = title or ""
    i -= titled
    role, named_at = _role_before(tokens, i), i
    while i and _role_word(tokens[i - 1]) and tokens[i - 1] not in {"of", "for", "and"}:
        i -= 1
    if i < named_at and i and tokens[i - 1] in {"the", "The"} and (
            i < 2 or tokens[i - 2] not in _PREPOSITIONS):  # not "Friends of the Earth's X"
        i -= 1  # "the Liverpool MP Ian Byrne", "the Tory Ann Lowe": the article too
    full = " ".join(name).replace("\u2060", " ")
    text = " ".join(tokens[i:]).replace("\u2060", " ")
    if any(map(_org_word, name)):
        return _Phrase("org", text if role else full)
    gender = gender or _first_name_gender(name[0] if len(name) > 1 or not titled else "")
    return _Phrase("person", text, name=full, role=role or None, gender=gender)


_SINGLE_DETERMINERS = frozenset({"a", "an", "one", "the", "another"})
_SECOND_DETERMINERS = frozenset({"fellow", "other"})
_INDEFINITE = frozenset({"a", "an", "one", "another"})
_SEAT_HOLDERS = frozenset({"mp", "msp", "ms", "mla", "member"})


def _constituency(tokens: list[str], i: int) -> int:
    """Where "for Alloa and Grangemouth" starts when the capitalised words from ``tokens[i]`` on
    are the seat of "the MP for ...", "a Labour member for ..." (a determiner before); else 0."""
    j = i
    while j and (tokens[j - 1] in {"and", "&"} or _name_token(tokens[j - 1])):
        j -= 1
    if j < 2 or tokens[j - 1] != "for" or tokens[j - 2].lower() not in _SEAT_HOLDERS:
        return 0
    determiners = {"the", "a", "an"}
    if j == 2:  # "Steve Witherden, MP for Montgomeryshire and Glyndŵr, said"
        return 1
    return j - 1 if any(t.lower() in determiners for t in tokens[max(0, j - 5) : j - 2]) else 0


def _described(tokens: list[str]) -> _Phrase | None:
    """"a No 10 source", "the group of 42 MPs", "Labour MPs", "the prime minister"."""
    head = tokens[-1].lower().rstrip(".").replace("’s", "").replace("'s", "")
    if head not in _ROLE_WORDS or head in {"and", "of", "for"}:
        return None
    start = len(tokens) - 1
    while start and len(tokens) - start < 7:
        word = tokens[start - 1]
        if word.lower() in _DETERMINERS or _has_digit(word):
            start -= 1
            if word.lower() in _DETERMINERS:
                if word.lower() in _SECOND_DETERMINERS and start and (
                        tokens[start - 1].lower() in _INDEFINITE):
                    start -= 1  # "one fellow rebel", "a fellow Labour MP", "one other minister"
                break
        elif word.endswith(("’s", "'s")):
            start -= 1  # "the Prime Minister's official spokesman": read on to the owner's name
            if not word[:1].isupper():  # "one candidate's campaign manager": and its determiner
                start -= start > 0 and tokens[start - 1].lower() in _DETERMINERS
                break
        elif _role_word(word) or (head in _ANON | _GROUP and word.islower()
                                  and word not in _AUXILIARIES):  # not "Many were members"
            start -= 1
        elif _adjective(word) and start > 1 and tokens[start - 2].lower() in _SINGLE_DETERMINERS:
            start -= 2  # "one weary Labour whip", "the new Reform councillor": an adjective
            break
        elif (word.islower() and start > 2 and _adjective(tokens[start - 2])
              and (tokens[start - 2].isalpha() or _placed(tokens[start - 2]))
              and tokens[start - 3].lower() in _INDEFINITE):
            start -= 3  # "one newly elected MP", "a recently retired Labour whip": two words
            break
        elif (word.islower() and start > 2 and _has_digit(tokens[start - 2])
              and tokens[start - 3].lower() in _INDEFINITE):
            start -= 3  # "one 2024 intake MP", "a 2019 entrant": a year, then a word
            break
        else:
            break
    if start > 1 and tokens[start - 1] == "of" and _quantity(tokens[start - 2]):
        start -= 2
    words = tokens[start:]
    while words[0].lower() in {"and", "of", "for"}:
        words = words[1:]
    first = words[0].lower()
    text = " ".join(words).replace("\u2060", " ")
    bare = first not in _DETERMINERS and not words[0].endswith(("’s", "'s"))
    if bare and not _has_digit(first) and any(not _role_word(w) for w in words):
        return None
    definite = first in _DEFINITE
    if first == "one" and words[1:2] == ["of"] and len(words) > 2:  # "One of the signatories"
        return _Phrase("anon", text, head=_singular_noun(head))
    if head in _ANON or (first in {"a", "an", "one", "another"} and head in _ROLE_NOUNS):
        return _Phrase("anon", text, head=head)
    if head in _GROUP or (head.endswith("s") and head in _ROLE_NOUNS):
        return _Phrase("group", text, head=head)
    if head in _ROLE_NOUNS and (definite or first not in _DETERMINERS):
        return _Phrase("role", text, head=head)
    return _Phrase("org", text) if any(w[0].isupper() for w in words) else None


def _placed(word: str) -> bool:
    """ "London-based", "Tokyo-based": a place made an adjective."""
    return word.endswith("-based") and word[:1].isupper() and word[:-6].isalpha()


def _adjective(word: str) -> bool:
    """ "weary", "newly", "London-based": a lower-case word, or a place made an adjective."""
    return word.islower() or _placed(word)


def _singular_noun(noun: str) -> str:
    """ "signatories" -> "signatory", "mps" -> "mp": the head of one of a group."""
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _role_before(tokens: list[str], end: int) -> str:
    """The role words directly before ``tokens[end]`` ("Trade minister"), if they hold a role
    noun."""
    i = end
    while i and end - i < 8 and _role_word(tokens[i - 1]):
        i -= 1
    if i == end:
        return ""
    words = tokens[i:end]
    while words and words[0].lower() in {"and", "of", "for"}:
        words = words[1:]
    nouns = [w for w in words if w.lower().rstrip("’s'") in _ROLE_NOUNS]
    return " ".join(words).replace("\u2060", " ") if nouns else ""


def _first_name_before(word: str) -> bool:
    """Whether ``word`` may be the first name before a surname that is also a party's name."""
    return _name_token(word) and word.lower() not in _ROLE_WORDS


@lru_cache(maxsize=1 << 16)
def _name_token(word: str) -> bool:
    if not word[:1].isupper() or word.lower() in _STOP_CAPS or word.lower() in _NOT_NAMES:
        return False
    if word.lower().rstrip(".") in _TITLES or word.endswith(("’s", "'s", "s’", "s'")):
        return False  # an owner: "Starmer's", "the Conservatives' Helen Whately"
    return _NAME_WORD.fullmatch(word) is not None


@lru_cache(maxsize=1 << 16)
def _role_word(word: str) -> bool:
    lower = word.lower()
    if (word[:1].isupper() and lower in _STOP_CAPS) or lower in _DETERMINERS:
        return False
    if word.endswith(("’s", "'s")) and word[:1].isupper():
        return True
    return lower in _ROLE_WORDS or (word[:1].isupper() and word.isalpha()) or "\u2060" in word


@lru_cache(maxsize=1 << 16)
def _org_word(word: str) -> bool:
    """Whether a capitalised word marks a name as an organisation's: "Treasury", "UK", "No 10"."""
    return word.lower().rstrip(".") in _ORG_WORDS or word.isupper() or _has_digit(word)


def _quantity(word: str) -> bool:
    return word.lower() in _DETERMINERS - _DEFINITE or word.isdigit()


def _has_digit(word: str) -> bool:
    return _DIGIT.search(word) is not None


def _first_name_gender(first: str) -> str:
    lower = first.lower()
    if lower in _EITHER:
        return ""  # Pat McFadden, Kim Leadbeater: the name says nothing; "he" or "she" will
    return "m" if lower in _HE else "f" if lower in _SHE else ""


def _apposed(opener: str, word: str) -> bool:
    """Whether the sentence's opening phrase describes a "he" or "she" just after it ("A
    leading figure on the left, he lost the whip last year"): that pronoun, not someone else."""
    comma = opener.find(",", 0, 100)
    return comma > 0 and opener.startswith(f" {word} ", comma + 1)


# first names borne by men and women alike in the Commons
_EITHER = _words("pat kim ashley alex sam jo hilary chris")


def _find_names(masked: str) -> Iterator[tuple[int, _Phrase, bool]]:
    """People named in masked paragraphs, one a line (titled, or two or more name words), with
    their position. A run of capitals never spans lines, and what is read before it stops at
    its line's start."""
    for run in _CAPITALS.finditer(masked):
        group = run.group()
        if "s " in group and (owner := max(group.find("’s "), group.find("'s "))) > 0 and (
                _person_ending(group[: owner + 2])):
            group = group[: owner + 2]  # "Keir Starmer's Labour Party": the owner is a person
        last = _person_ending(group)
        if not last:
            continue  # cheap tests first: most runs of capitals name no person
        start, end = run.start(), run.start() + len(group)
        if masked.endswith(_PLACE_BEFORE, max(0, start - 13), start):
            continue  # "the MP for Lewisham North", "in West Yorkshire" (no line break in those)
        if masked[max(0, start - 6) : start].endswith(_OWNER_BEFORE):
            continue  # "her Northfield Vale seat": what a person has is not a person
        if masked.endswith(("the ", "The "), max(0, start - 4), start) and _office_after(
                masked, end):
            continue  # "the Greater Manchester mayor": a place before an office
        if masked.startswith(" and ", end) and _SEAT_AND.match(masked, end):
            continue  # "The Hackney South and Shoreditch MP": a seat, not a person
        reach = max(0, start - 40)
        phrase = _named_at(masked[max(reach, masked.rfind("\n", reach, start) + 1) : end], last)
        if phrase and phrase.kind == "person" and (" " in phrase.name or phrase.gender):
            # a name as said, and whether as an owner ("Meg Hillier's amendment")
            yield start, phrase, group[-2:] in _POSSESSIVE
    yield from _aged_names(masked)


@lru_cache(maxsize=1 << 12)
def _named_at(words: str, last: str) -> _Phrase | None:
    """``_named`` of ``words`` with their last token read as ``last``. Cached: a name comes up
    again and again, after the same few words ("said Liz Kendall")."""
    tokens = words.split()
    tokens[-1] = last
    return _named(tokens)


def _office_after(masked: str, end: int) -> bool:
    """Whether a lower-case office ("mayor", "MP" aside) follows the run of capitals ending at
    ``end``."""
    word = masked[end + 1 : end + 16].split(" ", 1)[0].rstrip(".,;:")
    return word.islower() and word in _ROLE_NOUNS


# " and Shoreditch MP": the rest of a seat's name, then its MP
_SEAT_AND = re.compile(r"[ ]and[ ](?:[A-Z][\w’'-]*[ ]){1,3}MPs?\b")


# "Martin, 58, who sells the magazine": a first name alone, with an age, opening a sentence
_AGE_COMMA = re.compile(r", \d{1,2}, ")


def _aged_names(masked: str) -> Iterator[tuple[int, _Phrase, bool]]:
    """A person named by first name and age alone ("Martin, 58, from Bristol"), as vox pops
    name the people they quote."""
    for comma in _AGE_COMMA.finditer(masked):
        start = comma.start()
        while start and masked[start - 1].isalpha():
            start -= 1
        word = masked[start : comma.start()]
        opens = not start or masked[start - 1] == "\n" or masked.endswith(". ", 0, start)
        lower = word.lower()
        if opens and word[:1].isupper() and word[1:].islower() and (
                lower not in _ROLE_WORDS and lower not in _STOP_CAPS):
            yield start, _Phrase("person", word, name=word, gender=_first_name_gender(word)), False


_POSSESSIVE = frozenset({"’s", "'s"})


@lru_cache(maxsize=1 << 16)
def _person_ending(run: str) -> str:
    """The last word of a run of capitals ("Rachel Reeves’s" -> "Reeves") when the run may end
    with a person's name, else "". Cached: the same names come up again and again."""
    words, _, last = run.rpartition(" ")
    previous = words.rpartition(" ")[2]
    last = last.removesuffix("’s").removesuffix("'s").rstrip(".")
    if last.lower() in _SURNAME_TOO and _first_name_before(previous):
        return last  # "Antony Green": a party's word as a surname after a first name
    if last.lower() in _NOT_A_SURNAME or not _name_token(last):
        return ""
    if (_name_token(previous) or previous.lower().rstrip(".") in _TITLES
            or _first_name_gender(last)):
        return last
    return ""


def _surnames(masked: str, surnames: dict[str, str]) -> Iterator[tuple[int, _Phrase, bool]]:
    """The people named in full before and named again by surname alone ("it was Maskell who
    tabled it"), with their position and whether as an owner; not after a capitalised word (a
    first name, a title: ``_find_names`` reads those) nor after "the" ("the Hillier
    amendment" names no person)."""
    for surname, full in surnames.items():
        at = masked.find(surname)
        while at >= 0:
            end = at + len(surname)
            before = masked[at - 1 : at] if at else ""
            if not before.isalnum() and not masked[end : end + 1].isalpha():
                word = masked[masked.rfind(" ", 0, at - 1) + 1 : at - 1] if before == " " else ""
                if not word[:1].isupper() and word != "the":
                    yield at, _Phrase("person", surname, name=full), masked.startswith(
                        _POSSESSIVE_MARKS, end)
            at = masked.find(surname, end)


_POSSESSIVE_MARKS = ("’s", "'s")


# --- memory: who "he", "they", "the source" stand for -------------------------------------------


@dataclass(slots=True)
class _Memory:
    events: list[tuple[int, int, _Phrase]] = field(default_factory=list)
    genders: dict[str, str] = field(default_factory=dict)
    full_names: dict[str, str] = field(default_factory=dict)
    surnames: dict[str, str] = field(default_factory=dict)  # of the people named in full
    roles: dict[str, tuple[str, str]] = field(default_factory=dict)
    role_by_name: dict[str, str] = field(default_factory=dict)  # the first role bound to a name
    count: int = 0
    # events that are names as written, not speakers: True for an owner ("Meg Hillier's")
    mentions: dict[int, bool] = field(default_factory=dict)
    weak: bool = False  # whether ``person`` last found only an owner or an anonymous speaker

    def remember(self, pos: int, phrase: _Phrase, owner: bool | None = None) -> None:
        self.count += 1
        if owner is not None:
            self.mentions[self.count] = owner
        insort(self.events, (pos, self.count, phrase))  # counts are unique: phrases never compared
        if phrase.kind != "person":
            return
        parts = phrase.name.split()
        if len(parts) > 1:
            self.full_names.setdefault(parts[0], phrase.name)
            self.full_names.setdefault(parts[-1], phrase.name)
            self.surnames.setdefault(parts[-1], phrase.name)
        name = self.canonical(phrase.name)
        if phrase.gender:
            self.genders.setdefault(name, phrase.gender)
        if phrase.role:
            key = _role_key(phrase.role)
            if key not in self.roles:
                self.roles[key] = (name, phrase.role)
                self.role_by_name.setdefault(name, phrase.role)

    def canonical(self, name: str) -> str:
        return name if " " in name else self.full_names.get(name, name)

    def before(self, pos: int) -> Iterator[_Phrase]:
        """The phrases remembered before ``pos``, latest first, as far back as 40 of them."""
        index = bisect_left(self.events, (pos,))
        for _, _, phrase in reversed(self.events[max(0, index - 40) : index]):
            yield phrase

    def person(self, pos: int, gender: str,
               joined: Callable[[int, int], bool]) -> str | _Phrase | None:
        """Who "he" or "she" is: a person's name, or an anonymous speaker ("the spokesman").

        The last speaker, else of the people last named in one breath the first (the subject of
        "X asked Y to ...", ``joined`` tells); a name only as an owner ("Meg Hillier's
        amendment") if no other, or a speaker before it."""
        index = bisect_left(self.events, (pos,))
        found: str | None = None
        found_at, owner = -1, None
        for at, number, phrase in reversed(self.events[max(0, index - 40) : index]):
            if found is not None and (at < found_at - _SUBJECT_REACH or not joined(at, found_at)):
                break
            if phrase.kind == "anon" and _singular(phrase.head, gender):
                self.weak = found is None
                return phrase if found is None and owner is None else found or owner
            if phrase.kind != "person":
                continue
            name = self.canonical(phrase.name)
            if self.genders.setdefault(name, gender) != gender:
                continue
            mention = self.mentions.get(number)
            if mention:
                owner = owner or name
            elif mention is None:
                self.weak = False
                return found or name  # a speaker already attributed
            elif owner is None:
                found, found_at = name, at
        self.weak = found is None
        return found or owner

    def latest(self, pos: int, kind: str, head: str = "") -> _Phrase | None:
        wanted = (p for p in self.before(pos) if p.kind == kind and head in ("", p.head))
        return next(wanted, None)

    def holder(self, pos: int, role: str, gender: str = "") -> str | None:
        key = _role_key(role)
        bound = self.roles.get(key)
        if bound:
            return bound[0]
        office = _OFFICE_HOLDERS.get(key) if "former" not in role.lower() else None
        if office and self.full_names.get(office.rpartition(" ")[2]) == office:
            return office  # the holder of the time, when the article names them
        # "the Lewisham North MP": a seat's MP may hold another role too (a whip, a minister)
        words = role.split()
        seat = key.endswith(" mp") and len(words) > 1 and (
            words[-2] == "for" or _name_token(words[-2]) or words[-2].lower() == "for")
        found, first = None, -1
        index = bisect_left(self.events, (pos,))
        for at, number, phrase in reversed(self.events[max(0, index - 40) : index]):
            if found is not None and at < first - _SUBJECT_REACH:
                break
            if phrase.kind == "person" and (seat or not phrase.role) and (
                    not self.mentions.get(number)):  # not "Kemi Badenoch's leadership"
                name = self.canonical(phrase.name)
                if gender and self.genders.get(name, gender) != gender:
                    continue  # "In a letter to Keir Starmer, the Lewisham North MP said she"
                if seat or self.role_of(name) is None:
                    found, first = name, at  # the reach runs on from each person found
        return found

    def role_of(self, name: str) -> str | None:
        return self.role_by_name.get(name)


# Who held an office while the bill went through (2025): "the Prime Minister" is Keir Starmer in
# an article that names him and does not give the office to someone else.
_OFFICE_HOLDERS = {
    "prime minister": "Keir Starmer", "chancellor": "Rachel Reeves",
    "chancellor of exchequer": "Rachel Reeves", "deputy prime minister": "Angela Rayner",
    "work and pensions secretary": "Liz Kendall", "chief whip": "Alan Campbell",
    "conservative leader": "Kemi Badenoch", "tory leader": "Kemi Badenoch",
    "leader of opposition": "Kemi Badenoch", "liberal democrat leader": "Ed Davey",
    "lib dem leader": "Ed Davey", "reform leader": "Nigel Farage",
    "reform uk leader": "Nigel Farage", "mayor of greater manchester": "Andy Burnham",
    "mayor of london": "Sadiq Khan", "disability minister": "Stephen Timms",
    "scottish labour leader": "Anas Sarwar",
}


def _antecedent(phrase: _Phrase) -> bool:
    """Whether a group or anonymous speaker may be what a later "they" or "the source" means:
    not when it is itself such a reference ("the source")."""
    return phrase.kind == "group" or (phrase.kind == "anon" and not _reference(phrase))


def _reference(phrase: _Phrase) -> bool:
    """ "The source", "the MP": a phrase pointing back to someone named before."""
    words = phrase.text.lower().split()
    return len(words) == 2 and words[0] == "the"


def _singular(head: str, gender: str) -> bool:
    """Whether "he" or "she" can stand for an anonymous speaker with this head noun."""
    if head.endswith("s") or head in {"figure", "friend"}:
        return False
    return _GENDERED_HEADS.get(head, gender) == gender


# The subject of a sentence that names two people ("X used PMQs to taunt Y") holds the role the
# next sentence gives ("the Conservative leader said"), rather than the person named last.
_SUBJECT_REACH = 80
_GENDERED_HEADS = {"spokesman": "m", "spokeswoman": "f"}
_MP_HEADS = frozenset({"mp", "backbencher", "rebel", "member", "colleague", "msp", "signatory",
                       "organiser", "organizer"})  # a rebellion's organisers are MPs


def _role_key(role: str) -> str:
    """The same role however written; a seat's MP as "<seat> mp" ("the MP for Lewisham North",
    "the Lewisham North MP")."""
    words = [w for w in role.lower().split() if w not in {"the", "former", "his", "her"}]
    key = " ".join(words)
    if " for " in key and key.split(" for ", 1)[0].rpartition(" ")[2] in _SEAT_HOLDERS:
        return key.split(" for ", 1)[1] + " mp"
    return {"pm": "prime minister"}.get(key, key)


# --- quote marks ------------------------------------------------------------------------------


class _Quote(NamedTuple):
    start: int
    end: int
    body: str
    runs_on: bool = False


def find_statements(text: str) -> list[Statement]:
    """Every direct quote in ``text``, in order of appearance, with its speaker."""
    text = _readable(text)
    if not _may_hold_quote(text):
        return []  # no mark that may open a quote: nothing to read
    paragraphs = [p.strip() for p in text.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    reader = _Reader()
    headline = 0
    for index, paragraph in enumerate(paragraphs):
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        reader.read(paragraph, following)
        if not index and paragraph.rstrip("\"”’'")[-1:] not in ".!?…,":
            headline = len(reader.found)  # a title line: its quotes, if any, come first
    return _without_repeats(reader.found, headline) if headline else reader.found


def _without_repeats(found: list[Statement], headline: int) -> list[Statement]:
    """The statements less a headline's quote that a later quote repeats ("Rebels: 'We will
    not back down'" above "..., she said: "We will not back down. ..."), unless the headline
    gives it to the same person ("Kendall: '…'" above Liz Kendall's longer words): a quote the
    body repeats word for word counts once, whoever the headline gives it to."""
    later = [(_words_of(st.text), st.speaker) for st in found[headline:]]
    return [st for i, st in enumerate(found) if i >= headline or not any(
        _words_of(st.text) in words and (not _same_person(st.speaker, speaker)
                                         or _bare_words(st.text) == words.rstrip(".!?…"))
        for words, speaker in later)]


def _bare_words(text: str) -> str:
    """The words of ``text`` without the stop that closes it."""
    return _words_of(text).rstrip(".!?…")


def _same_person(one: str | None, other: str | None) -> bool:
    if not one or not other:
        return False
    return one.rpartition(" ")[2] == other.rpartition(" ")[2]  # "Farage", "Nigel Farage"


def _words_of(text: str) -> str:
    return " ".join(_NAME_WORD.findall(text.lower()))


def _readable(text: str) -> str:
    """Undo the commonest mojibake of quote marks; leave everything else as it is."""
    if "€" in text:
        text = _MOJIBAKE_RE.sub(lambda m: _MOJIBAKE[m.group()], text)
    if "\u0e42" in text and _THAI.search(text):
        text = text.replace("\u0e42", "\ufffd")
    return text.replace("\u00a0", " ")


def _quotes(paragraph: str, following: str) -> list[_Quote]:
    """The quotes of one paragraph, left to right; marks nested in a quote stay in it.
    (``_may_hold_quote`` is the quick test to make first.)"""
    quotes: list[_Quote] = []
    start, family = -1, ""
    for match in _MARKS.finditer(paragraph):
        i = match.start()
        mark = paragraph[i]
        before = paragraph[i - 1] if i else ""
        after = paragraph[i + 1 : i + 2]
        if family and _closes(mark, family, before, after):
            if family == "s" and _possessive(paragraph, i):
                continue
            quotes.append(_Quote(start, i + 1, paragraph[start + 1 : i]))
            family = ""
        elif _may_open(family, mark) and (opening := _opens(mark, before, after)):
            start, family = i, opening
    if family and _opens(following[:1], "", following[1:2]) == family:
        quotes.append(_Quote(start, len(paragraph), paragraph[start + 1 :], runs_on=True))
    return quotes


def _may_hold_quote(paragraph: str) -> bool:
    """Whether ``paragraph`` has a mark that may open a quote (a few substring tests are much
    faster than a regex scan)."""
    return (
        '"' in paragraph or "“" in paragraph or "'" in paragraph or "‘" in paragraph
        or "„" in paragraph or "«" in paragraph or "\u0e42" in paragraph
    )


def _may_open(family: str, mark: str) -> bool:
    """Outside a quote any opening mark opens; inside a double quote only a curly one (which
    opens a double quote whenever it opens one)."""
    return not family or (family == "d" and mark in _DOUBLE_OPEN)


def _possessive(paragraph: str, i: int) -> bool:
    """"the MPs’ duty": a plural possessive, when a later mark can close the quote instead."""
    follows = paragraph[i + 1 : i + 3]
    if paragraph[i - 1] != "s" or not follows[1:].islower():
        return False
    return max(paragraph.rfind("’"), paragraph.rfind("'")) > i


def _opens(mark: str, before: str, after: str) -> str:
    """"d" or "s" when this mark opens a double or a single quote, "" when it does not."""
    if not mark or not after or after.isspace():
        return ""
    free = not before or before.isspace() or before in _OPEN_BEFORE
    if mark in _DOUBLE_OPEN:
        return "d"
    if mark in _DOUBLE_EITHER:
        return "d" if free else ""
    if mark == "‘":
        return "" if before.isalnum() else "s"
    return "s" if mark == "'" and free and after.isalpha() else ""


def _closes(mark: str, family: str, before: str, after: str) -> bool:
    if not before or before.isspace():
        return False
    end = not after or after.isspace() or after in _CLOSE_AFTER
    if family == "d":
        return mark in _DOUBLE_CLOSE or (mark in _DOUBLE_EITHER and end)
    return mark in _SINGLE_EITHER and end


def _stops(masked: str) -> list[int]:
    """Where the sentences of a masked paragraph end."""
    return [match.end() for match in _BOUNDARY.finditer(masked)]


def _mask(paragraph: str, quotes: list[_Quote]) -> str:
    """The paragraph with every quote, marks included, replaced by _MASK characters."""
    masked = paragraph
    if quotes:
        parts, last = [], 0
        for quote in quotes:
            ends = quote.body.rstrip().endswith((".", "!", "?")) and not quote.runs_on
            parts += [paragraph[last : quote.start], _MASK * (quote.end - quote.start - 1)]
            parts.append("." if ends else _MASK)
            last = quote.end
        parts.append(paragraph[last:])
        masked = "".join(parts)
    if "N" in masked:  # the quick test for "No 10" and "Number 10", kept as one word
        masked = masked.replace("No 10", "No\u206010").replace("Number 10", "Number\u206010")
    return masked


# --- attribution ------------------------------------------------------------------------------

_PUNCT = ",.:;!?()[]\"“”‘’'—–-" + _MASK
# speech verbs of two words
_PAIRED = {
    "according": "to", "hit": "back", "put": "it", "goes": "on", "went": "on", "shot": "back",
}
_VERB_STARTS = _VERBS | frozenset(_PAIRED)
_GOES_ON = frozenset({"went on", "goes on"})
_REPORTED_AS = re.compile(
    r"[ ](?:was|were|is|are|has[ ]been|had[ ]been)[ ](?:quoted|heard|reported|overheard|filmed"
    r"|recorded)(?:[ ]as)?$"
)


class _Verb(NamedTuple):
    """A speech verb in a text: "said", "told", "according to"."""

    start: int
    end: int
    word: str


def _verbs(text: str) -> Iterator[_Verb]:
    """The speech verbs of ``text`` in order, found lazily by a word scan (a regex alternation
    of ninety verbs is far slower)."""
    tokens, pos = text.split(" "), 0
    for index, token in enumerate(tokens):
        if _bare(token) in _VERB_STARTS:  # the cheap test first: most words are no verb
            verb = _verb_in(token, pos, tokens[index + 1] if index + 1 < len(tokens) else None)
            if verb is not None:
                yield verb
        pos += len(token) + 1


def _verbs_backwards(text: str) -> Iterator[_Verb]:
    """The speech verbs of ``text`` from the last: the one before a quote is usually near it, so
    the words are taken off the end one at a time rather than all split up front."""
    end, following = len(text), None
    while end >= 0:
        space = text.rfind(" ", 0, end)
        token = text[space + 1 : end]
        if _bare(token) in _VERB_STARTS:
            verb = _verb_in(token, space + 1, following)
            if verb is not None:
                yield verb
        end, following = space, token


@lru_cache(maxsize=1 << 16)
def _bare(token: str) -> str:
    """A token as a lower-case word, its punctuation gone: "said," -> "said"."""
    return token.strip(_PUNCT).lower()


def _verb_in(token: str, pos: int, following: str | None) -> _Verb | None:
    """The speech verb ``token`` (at ``pos``, before the token ``following``) starts, if any."""
    word = _bare(token)
    if word in _VERBS:
        start = pos + token.lower().find(word)
        return _Verb(start, start + len(word), word)
    second = _PAIRED.get(word)
    if second and following is not None and _bare(following) == second:
        start = pos + token.lower().find(word)
        return _Verb(start, pos + len(token) + 1 + len(second), f"{word} {second}")
    return None


@dataclass(slots=True)
class _Reader:
    """Reads paragraphs in order, keeping what the next one needs to know."""

    memory: _Memory = field(default_factory=_Memory)
    found: list[Statement] = field(default_factory=list)
    offset: int = 0
    masked: str = ""
    previous: str = ""
    speakers: list[tuple[int, str | None]] = field(default_factory=list)
    previous_speaker: str | None = None
    running_on: bool = False
    stops: list[int] = field(default_factory=list)
    history: list[tuple[int, str]] = field(default_factory=list)
    scanned: set[int] = field(default_factory=set)
    # by gender, the offset of the last paragraph read for surnames alone
    surnamed: dict[str, int] = field(default_factory=dict)
    named: int = 0
    quote_start: int = 0
    last_speaker: str | None = None  # of the quote before the one being read

    def read(self, paragraph: str, following: str) -> None:
        quotes = _quotes(paragraph, following) if _may_hold_quote(paragraph) else []
        self.previous, self.masked = self.masked, _mask(paragraph, quotes)
        self.history.append((self.offset, self.masked))
        if not quotes:  # the common case: nothing to attribute, and nothing carried on
            self.running_on, self.previous_speaker = False, None
            self.offset += len(paragraph) + 1
            return
        self.stops = _stops(self.masked)
        previous_speaker, self.speakers = self.previous_speaker, []
        for quote in quotes:
            inherited = previous_speaker if self.running_on and quote.start == 0 else None
            self.last_speaker = previous_speaker
            speaker = self.speaker(quote, inherited, previous_speaker)
            self.speakers.append((quote.start, speaker.label if speaker else None))
            statement = _statement(quote.body, speaker)
            if statement is not None:
                self.found.append(statement)
            previous_speaker = speaker.label if speaker else None
        self.running_on = bool(quotes) and quotes[-1].runs_on
        self.previous_speaker = previous_speaker if quotes else None
        self.offset += len(paragraph) + 1

    def remember_subjects(self) -> None:
        """Groups that said things in recent paragraphs, quoted or not: "they" may be them.

        Done only when a pronoun needs it, for the current and the two previous paragraphs.
        """
        for offset, masked in self.history[-3:]:
            if offset in self.scanned:
                continue
            self.scanned.add(offset)
            stops = _stops(masked)
            for verb in _verbs(masked):
                index = bisect_right(stops, verb.start)
                start = stops[index - 1] if index else 0
                head, passive = _strip_fillers(masked[start : verb.start][-_WINDOW:])
                phrase = None if passive or verb.word == "according to" else _subject(head)
                if phrase is not None and _antecedent(phrase):
                    self.memory.remember(offset + verb.start, phrase)

    def remember_names(self) -> None:
        """The people named so far, read only once a pronoun, a role or a surname needs them.

        The unread paragraphs are scanned as one text, joined as the article is (a masked
        paragraph is as long as the paragraph), so a position in it is an offset from the first.
        """
        unread = self.history[self.named :]
        if unread:
            first = unread[0][0]
            for pos, name, owner in _find_names("\n".join(masked for _, masked in unread)):
                self.memory.remember(first + pos, name, owner)
        self.named = len(self.history)

    def remember_surnames(self, gender: str) -> bool:
        """The people of ``gender`` (or not known) named again by surname alone in the current
        and the two previous paragraphs, read only when a "he" or "she" would otherwise be an
        owner or an anonymous speaker (after ``remember_names``); whether any were found."""
        read = self.surnamed.get(gender, -1)
        unread = [(offset, masked) for offset, masked in self.history[-3:] if offset > read]
        if not unread:
            return False
        self.surnamed[gender] = unread[-1][0]  # the paragraphs are read as one text, joined
        genders = self.memory.genders
        names = {s: f for s, f in self.memory.surnames.items() if genders.get(f, gender) == gender}
        first, any_found = unread[0][0], False
        text = "\n".join(masked for _, masked in unread) if len(unread) > 1 else unread[0][1]
        for pos, name, owner in _surnames(text, names) if names else ():
            self.memory.remember(first + pos, name, owner)
            any_found = True
        return any_found

    def sentence(self, pos: int) -> tuple[int, int]:
        """Start and end of the sentence around ``pos`` in the current paragraph."""
        index = bisect_right(self.stops, pos)
        start = self.stops[index - 1] if index else 0
        return start, self.stops[index] if index < len(self.stops) else len(self.masked)

    def speaker(self, quote: _Quote, inherited: str | None, last: str | None) -> _Phrase | None:
        self.quote_start = quote.start
        start, end = self.sentence(quote.start)
        pre = self.masked[max(start, quote.start - _WINDOW) : quote.start]
        post = self.masked[quote.end : min(end, quote.end + 120)]
        at = self.offset + quote.start
        found = self.after(post, self.offset + quote.end) or self.before(pre, at)
        if found:
            return found
        if self.speakers and pre.lstrip()[:1] == _MASK and pre.endswith(", ") and (
                _INVERTED.match(rest := pre.lstrip(" " + _MASK))) and _MASK not in rest:
            # "“…,” said one, “…”": the second part of a quote the attribution splits
            return _Phrase("known", self.speakers[-1][1]) if self.speakers[-1][1] else None
        if inherited is not None:
            return _Phrase("known", inherited)
        if pre.strip(" ." + _MASK).rstrip(":—–-").strip():
            label = _LABEL.fullmatch(pre) if pre.rstrip()[-1:] == ":" else None
            if label:  # a transcript's "KENDALL:" before the answer
                return self.labelled(label.group(1), at)
            return self.resolve(_evaluated(pre) or _colon_lead(pre), at)
        return self.standalone(start, end, at, last)

    def after(self, post: str, at: int) -> _Phrase | None:
        """'…,” he added.' / '…,” said Ms Reeves.' / '…”, according to a No 10 source.'"""
        inverted = _INVERTED.match(post)
        if inverted and _AGED.match(post, inverted.end()):
            return self.last_person(at)  # "…,” said the 44-year-old from Leeds.
        if inverted:
            rest = post[inverted.end() :]
            if " of those who " in rest[:24] and rest[:12].lower().startswith(_ONE_OF):
                part = _CLAUSE_END.split(rest, maxsplit=1)[0]  # "said one of those who stayed"
                if " who " in part:
                    return self.resolve(_Phrase("anon", part.rstrip(), head="one"), at)
            return self.resolve(_phrase_at_start(rest), at)
        if post.startswith((" – ", " — ", " - ")):  # "“…” – one weary Labour whip, on the talks."
            signed = _phrase_at_start(post[3:])
            return self.resolve(signed, at) if signed and signed.kind in _SIGNERS else None
        lead = _LEAD.match(post)
        clause = post[lead.end() if lead else 0 :]
        if post.startswith(":") and (topic := _ON_WHY.match(clause)):  # "‘…’: Foxcroft on why"
            named = _phrase_at_end(topic.group("subject"))
            return self.resolve(named, at) if named and named.kind == "person" else None
        opening = clause[:20].split(" ", 1)[0]
        titled = opening.islower() and opening not in _OPENINGS
        if not opening or (titled and clause[:50].lower() == clause[:50]):
            return None
        verb = next(_verbs(clause[:90]), None)
        if not verb or _MASK in clause[: verb.start]:
            return None
        head = clause[: verb.start]
        if titled and not _lower_title(head):
            return None
        first = head.split()[0].lower() if head.split() else ""
        if first in _CLAUSE_OPENINGS:
            return None
        if verb.word == "according to":
            target = _phrase_at_start(clause[verb.end :].strip())
            return None if head.strip() else self.resolve(target, at)
        return self.resolve(_subject(head), at + verb.start)

    def before(self, pre: str, at: int) -> _Phrase | None:
        """'X said:' / 'X told the BBC he thought there was' / 'according to X,' before it."""
        conjoined = ""
        for verb in _verbs_backwards(pre):
            if verb.word == "according to":
                return self.resolve(_phrase_at_start(pre[verb.end :].strip()), at)
            head, passive = _strip_fillers(pre[max(0, verb.start - 160) : verb.start])
            if passive:
                agent = re.match(r"\s+by\s+", pre[verb.end :])
                rest = pre[verb.end + agent.end() :] if agent else ""
                return self.resolve(_phrase_at_start(rest), at) if agent else None
            if verb.word.endswith("ing"):
                reported = _REPORTED_AS.search(head)  # "A minister was quoted as saying"
                head = head[: reported.start()] if reported else head
                part = head[head.rfind(",") + 1 :].lstrip()
                if part.startswith("with "):  # "..., with one whip telling the paper that"
                    head = part[5:]
            words = head.rsplit(None, 1)  # only the last word is read
            acting = _pronoun_acting(head) if words and words[-1] == "and" else None
            if acting is not None:  # "Asked about it, he laughed and said:"
                return self.resolve(acting, at)
            if words and (words[-1].lower() in _CONJUNCTIONS or _quoted(words[-1])):
                conjoined = conjoined or (head if words[-1] in {"but", "and"} else "")
                continue
            if not words or _quoted(head):
                return self.resolve(_phrase_at_start(pre[verb.end :].strip(" ,:")), at)
            if verb.word in _CHANTS:  # "protesters gathered outside, chanting “…”": the crowd
                return self.resolve(_crowd(head), at)
            if head.endswith((" what it", " what they")):  # "Scope welcomed what it called"
                acted = head[: head.rfind(" what ")].rpartition(" ")[0]  # "Scope"
                subject = _phrase_at_end(_strip_fillers(acted)[0]) if acted else None
                if subject is not None and subject.kind in {"org", "group", "person", "anon"}:
                    return self.resolve(subject, at)
            subject = _subject(head)
            if subject is None and verb.word in _INFINITIVES and (
                    pre.endswith(" to ", 0, verb.start)):
                subject = _doer(head)  # "X rose to ask", "X used her speech to say": X
            if subject is None and verb.word.endswith("ing") and head.endswith(" by"):
                subject = _opening_subject(head)  # "X opened the debate by saying:": X
            if subject is None and verb.word in _GOES_ON:
                continue  # "the talks went on": no speaker goes on here; an earlier verb may
            if subject is not None and subject.kind == "pronoun" and verb.word in _REPLIES:
                subject = self.asked() or subject  # "He replied:" — the one asked
            elif verb.word.endswith("ing") and head.rstrip().endswith(","):
                # "X praised Y, saying": the sentence's subject; "N MPs signed a letter ...,
                # arguing": the letter's writers
                writers = _writers([head]) if " signed " in head or " wrote" in head else ""
                document = "letter" if "letter" in head else ""
                subject = (_Phrase("group", f"{writers} ({document})" if document else writers)
                           if writers else _subject_first(head) or subject)
            if subject is not None and subject.kind in _BY_VERB:
                at -= len(pre) - verb.start  # "The MP said in a letter to X that": not X
            if subject is not None and subject.kind == "role":
                place = pre.rfind(subject.text, 0, verb.start)  # "The MP for X, an aide to Y,
                at -= verb.start - place if place >= 0 else 0  # said": the MP is not Y
                he_she = pre[verb.end : verb.end + 5]  # "the MP said she": a woman
                gender = "f" if he_she == " she " else "m" if he_she.startswith(" he ") else ""
                subject = subject._replace(gender=gender) if gender else subject
            return self.resolve(subject, at)
        # "X was not at the protest but said in a statement:": the sentence's subject
        return self.resolve(_opening_subject(conjoined), at) if conjoined else None

    def standalone(self, start: int, end: int, at: int, last: str | None) -> _Phrase | None:
        """A quote standing alone: the sentence before, or after, names the speaker."""
        echo = _ECHO.match(self.masked, end)
        if echo:
            return self.resolve(_phrase_at_start(self.masked[echo.end() : echo.end() + 120]), at)
        if self.speakers and self.speakers[-1][1] is not None:
            return _Phrase("known", self.speakers[-1][1])
        if start == 0 and last is not None:
            return _Phrase("known", last)
        sentence = self.sentence_before(start).rstrip(" :")
        found = self.before(sentence, at) if _MASK not in sentence else None
        if found is None and _MASK not in sentence:
            found = self.resolve(_evaluated(sentence), at)
        if found:
            return found
        stop = _BOUNDARY.search(self.masked, end, end + _WINDOW)
        rest = self.masked[end : stop.start() if stop else end + _WINDOW]
        verb = next(_verbs(rest), None)
        if verb:
            return self.resolve(_subject(rest[: verb.start]), at)
        return self.resolve(_acting(sentence), at) if start == 0 or _MASK not in sentence else None

    def last_person(self, at: int) -> _Phrase | None:
        """The person named last before ``at`` ("the 44-year-old" after "Sarah Okafor")."""
        self.remember_names()
        found = next((p for p in self.memory.before(at) if p.kind == "person"), None)
        return self.resolve(found._replace(role=None), at) if found else None

    def labelled(self, label: str, at: int) -> _Phrase | None:
        """A transcript's speaker label ("KENDALL:"): the person of that surname named before."""
        self.remember_names()
        first, _, surname = label.title().rpartition(" ")
        name = self.memory.full_names.get(surname) or next(
            (v for k, v in self.memory.full_names.items() if k.upper() == surname.upper()), None)
        if name is None and first.partition(" ")[0].lower() in _FIRST_NAMES | frozenset(_TITLES):
            name = label.title()  # "LIZ KENDALL:" names her in full, known before or not
        return self.resolve(_Phrase("person", name, name=name), at) if name else None

    def sentence_before(self, start: int, window: int = _WINDOW) -> str:
        """The sentence before the one starting at ``start``, from the last paragraph if need be."""
        if start == 0:
            text = self.previous[-window:].rstrip()
            return text[_last_boundary(text) :]
        index = bisect_left(self.stops, start)
        begin = self.stops[index - 1] if index else 0
        return self.masked[max(begin, start - window) : start].rstrip()

    def resolve(self, phrase: _Phrase | None, at: int) -> _Phrase | None:
        """Pronouns, "the source", "the prime minister" → who they stand for; remembered."""
        if phrase is None:
            return None
        memory = self.memory
        surname = phrase.kind == "person" and " " not in phrase.name
        if surname or phrase.kind == "role" or phrase.text.lower() in {"he", "she"}:
            self.remember_names()
        if phrase.kind == "pronoun":
            return self.resolve_pronoun(phrase.text.lower(), at)
        if phrase.kind == "person":
            name = memory.canonical(phrase.name)
            role = phrase.role or memory.role_of(name)
            if (name, role) != (phrase.name, phrase.role):
                phrase = phrase._replace(name=name, role=role)
        elif phrase.kind == "role" and _reference(phrase) and (
                described := self.described_last(at, phrase.head)):
            phrase = described  # "the MP said" after "One rebel, a member of the 2024 intake"
        elif phrase.kind == "role" and not phrase.text.startswith(("Its ", "its ", "Their ")):
            holder = self.office_holder(phrase.text) or memory.holder(
                at, phrase.text, phrase.gender)
            if holder:
                phrase = _Phrase("person", holder, name=holder, role=phrase.text)
            elif _reference(phrase):
                phrase = self.antecedent(at, phrase.head) or phrase
        elif phrase.kind == "anon" and _reference(phrase):
            phrase = self.antecedent(at, phrase.head) or phrase
        elif phrase.head in _DOCUMENTS and phrase.text.endswith(_OWNED_DOCUMENTS):
            owner = _named(phrase.text.rpartition(" ")[0][:-2].split())  # "Ms Kendall's letter"
            if owner is not None and owner.kind == "person":
                self.remember_names()
                phrase = phrase._replace(text=f"{memory.canonical(owner.name)} ({phrase.head})")
        elif phrase.head in _DOCUMENTS and _reference(phrase):  # "the letter said"
            writers = _writers([masked for _, masked in self.history[-8:]])
            if not writers and self.last_speaker is not None and any(
                    " wrote" in masked for _, masked in self.history[-3:]):
                writers = self.last_speaker  # "..., she wrote. The letter went on:"
            if writers:
                phrase = phrase._replace(text=f"{writers} ({phrase.head})")
        memory.remember(at, phrase)
        return phrase

    def office_holder(self, role: str) -> str | None:
        """ "The prime minister": the holder of the time when the article names them, if only by
        surname, and gives the office to nobody else."""
        key = _role_key(role)
        office = _OFFICE_HOLDERS.get(key)
        if office is None or key in self.memory.roles or "former" in role.lower():
            return None
        surname = office.rpartition(" ")[2]
        return office if any(surname in masked for _, masked in self.history) else None

    def surname_subject(self, gender: str) -> str | None:
        """The person the sentence before the quote's opens with by surname alone ("Sarwar, who
        had ..., struck a different tone."), when the article has named them in full."""
        start, _ = self.sentence(self.quote_start)
        sentence = self.sentence_before(start)
        first = sentence.split(None, 2)
        if first and first[0].endswith("ing") and ", " in sentence:  # "Speaking in Rome, Vane
            first = sentence.split(", ", 1)[1].split(None, 2)  # said he would press on."
        if not first or not first[0][:1].isupper():
            return None
        surname = first[0].rstrip(",")
        name = self.memory.full_names.get(surname)
        if name is None or name == surname or (len(first) > 1 and _name_token(first[1])):
            return None
        return name if self.memory.genders.get(name, gender) == gender else None

    def named_before(self) -> _Phrase | None:
        """The first group or anonymous speaker the sentence before the quote's names ("A senior
        government figure dismissed the threat. “…,” they said."); a letter is its writers'."""
        start, _ = self.sentence(self.quote_start)
        sentence = self.sentence_before(start, 2 * _WINDOW)  # its subject may open a long one
        after = sentence[sentence.rfind(_MASK) + 1 :]
        tokens = after.split()
        if after != sentence and _PEOPLE_HEADS.isdisjoint(map(_bare, tokens)):
            tokens = sentence.split()  # "Labour whips said they were “relaxed” about it."
        verb = next(_verbs_backwards(sentence), None)
        if verb is not None:  # "Whips believe X, but several MPs who ... said": who said it
            subject = _subject(_strip_fillers(sentence[: verb.start])[0])
            if subject is not None and subject.kind in {"group", "anon"} and (
                    subject.head not in _DOCUMENTS):
                return subject
        for index, token in enumerate(tokens):
            if _bare(token) not in _PEOPLE_HEADS:
                continue
            if index + 1 < len(tokens) and token[-1].isalpha() and _role_word(tokens[index + 1]):
                continue  # "Treasury" in "a senior Treasury official": the phrase runs on
            phrase = _phrase_at_end(" ".join(tokens[: index + 1]))
            lead = index - len(phrase.text.split()) if phrase is not None else -1
            if lead >= 0 and tokens[lead] in _AUXILIARIES:
                continue  # "Many were members of the group": what they were, not who
            if phrase is None or phrase.kind not in {"group", "anon"}:
                return None
            if phrase.head in _DOCUMENTS:
                writers = _writers([masked for _, masked in self.history[-8:]])
                return phrase._replace(text=f"{writers} ({phrase.head})") if writers else None
            return phrase
        return None

    def joined(self, first: int, second: int) -> bool:
        """Whether two positions of the article lie in one sentence."""
        index = bisect_right(self.history, (first, "\uffff")) - 1
        if index < 0:
            return False
        offset, masked = self.history[index]
        return second <= offset + len(masked) and _BOUNDARY.search(
            masked, first - offset, second - offset) is None

    def described_last(self, at: int, head: str) -> _Phrase | None:
        """An anonymous speaker with a like head ("one rebel" for "the MP"), when no person has
        been named since."""
        kin = _MP_HEADS if head in _MP_HEADS else {head}
        self.remember_subjects()  # "One signatory said the whips ... “…,” the MP said."
        for phrase in self.memory.before(at):
            if phrase.kind == "person":
                break
            if phrase.kind == "anon" and phrase.head in kin and _antecedent(phrase):
                return phrase
        # "Another rebel, who asked not to be named, was blunter. “…,” the MP said."
        named = self.named_before()
        if named is not None and named.kind == "anon" and named.head in kin:
            return named
        # "..., according to one of the signatories. “…,” the MP said": the source just cited
        before = self.sentence_before(self.sentence(self.quote_start)[0])
        cited = before.rfind("according to ") if "according to " in before else -1
        source = _phrase_at_start(before[cited + 13 :]) if cited >= 0 else None
        return source if source is not None and source.kind == "anon" and (
            source.head in kin) else None

    def asked(self) -> _Phrase | None:
        """Who was asked in the sentence before the quote's ("X asked the Prime Minister to
        ..."): the one who "replied"."""
        start, _ = self.sentence(self.quote_start)
        found = _ASKED.search(self.sentence_before(start))
        return _phrase_at_start(found.group("whom")) if found else None

    def antecedent(self, at: int, head: str) -> _Phrase | None:
        """ "The source", "the MP": the anonymous speaker named earlier with a like head."""
        self.remember_subjects()
        kin = _MP_HEADS if head in _MP_HEADS else {head}
        found = next((p for p in self.memory.before(at) if p.kind == "anon" and p.head in kin
                      and _antecedent(p)), None)
        if found is None and head == "source":  # "A senior backbencher said: ... The source added"
            named = self.named_before()
            if named is not None and named.kind == "anon":
                return named
            found = next((p for p in self.memory.before(at) if p.kind == "anon"
                          and p.text == self.last_speaker and not p.head.endswith("s")), None)
        return found

    def resolve_pronoun(self, word: str, at: int) -> _Phrase | None:
        if word.startswith("one"):
            group = _some_who(self.named_before())
            if group is not None and group.kind == "anon" and group.head.endswith("s"):
                return _one_of(group, word)  # "Government sources insisted ... one said"
            if group is not None and group.kind == "group":
                return _one_of(group, word)
            # "“…,” one of them muttered": whoever they are, one of them
            return _Phrase("anon", "One of them", head="one") if word == "one of them" else None
        if word == "another":  # "One minister said ... Another went further": the same kind
            self.remember_subjects()
            last = self.memory.latest(at, "anon")
            if last is None or not last.head.isalpha() or last.head.endswith("s"):
                return None
            return _Phrase("anon", f"Another {last.head}", head=last.head)
        if word in {"they", "we"}:
            self.remember_subjects()
            named = self.named_before()  # "A rebel MP dismissed it. '...,' they said": the MP
            if named is not None and named.kind == "anon":
                return named
            return self.memory.latest(at, "group") or named
        if word == "it":
            if self.last_speaker is not None and self.last_speaker.endswith(_DOCUMENT_LABELS):
                return _Phrase("known", self.last_speaker)  # "the letter says. ... It adds:"
            org = self.memory.latest(at, "org")
            if org is None:  # "The amendment had 108 signatures. It says ...": the document
                named = self.named_before()
                if named is not None and named.kind == "group" and named.head in _TEXTS:
                    return named
            return org
        gender = "m" if word == "he" else "f"
        subject = self.surname_subject(gender)
        start, _ = self.sentence(self.quote_start)
        before = self.sentence_before(start)
        was_asked = _WAS_ASKED.search(before) if " was " in before else None
        if subject is None and was_asked is not None:  # "In an interview with X, the minister
            asked = _phrase_at_end(was_asked.group("who"))  # was asked ... '…,' she said"
            if asked is not None and asked.kind in {"person", "role"}:
                found_asked = self.resolve(asked, at)
                if found_asked is not None and found_asked.kind == "person":
                    return found_asked
        found = subject or self.memory.person(at, gender, self.joined)
        if subject is None and self.memory.weak and self.remember_surnames(gender):
            # "When X's amendment fell, it was Maskell who ...": Maskell over the owner X
            found = self.memory.person(at, gender, self.joined)
        if found is None or isinstance(found, _Phrase):
            # "A spokesperson for the group insisted that ... '...,' she said": the anonymous
            # subject of the sentence before over an anonymous speaker further back
            named = self.named_before()
            if named is None or named.kind != "anon":
                return found
            if isinstance(found, _Phrase) and (named.head == found.head
                                               or named.text.lower().startswith("the ")):
                return found  # "the spokesman" is the spokesman named before
            return named
        name = found
        opener = before.lstrip(_MASK + " ")
        if opener.startswith(_ANON_OPENERS) and name.rpartition(" ")[2] not in before:
            named = self.named_before()  # "One of the MPs who signed told us why. '…,' she said"
            if (named is not None and named.kind == "anon" and not named.head.endswith("s")
                    and opener.startswith(named.text) and not _apposed(opener, word)):
                return named
        phrase = _Phrase("person", name, name=name, role=self.memory.role_of(name))
        self.memory.remember(at, phrase)
        return phrase


_DOCUMENTS = frozenset({"letter", "statement", "message"})
_TEXTS = _DOCUMENTS | {"amendment", "motion", "report", "petition"}
_ANON_OPENERS = ("One ", "A ", "An ", "Another ")  # a sentence opened by an anonymous speaker
_AGED = re.compile(r"the \d{1,3}-year-old\b")
_LABEL = re.compile(  # a transcript's "KENDALL:", "LIZ KENDALL:" (no "Q:")
    r"\s*([A-Z][A-Z'’-]{2,}(?:[ ][A-Z][A-Z'’-]+){0,2}):\s*")


def _acting(sentence: str) -> _Phrase | None:
    """The person or anonymous speaker a sentence opens with, acting ("Chancellor Rachel Reeves
    defended the decision." / "Outside, a government whip summed up the mood."): who speaks in
    the quote after it, when nothing else names anyone."""
    lead, comma, rest = sentence.strip().partition(", ")
    subordinate = bool(comma) and lead.startswith(_SUBORDINATE)
    text = rest if comma and (" " not in lead or subordinate) else sentence.strip()
    found = _phrase_at_start(text)
    pronoun = found is not None and found.kind == "pronoun" and found.text.lower() in {"he", "she"}
    if found is None or (found.kind not in {"person", "anon"} and not (pronoun and subordinate)):
        return None  # "When I asked her if it was worth it, she did not hesitate.": her
    after = text[len(found.text) :].split(None, 1)
    return found if after and after[0].islower() and after[0] not in _CLAUSE_OPENINGS else None
_DOCUMENT_LABELS = tuple(f"({d})" for d in sorted(_DOCUMENTS))
_OWNED_DOCUMENTS = tuple(f"{s} {d}" for d in sorted(_DOCUMENTS) for s in ("’s", "'s"))
_SUBORDINATE = ("When ", "After ", "Before ", "Asked ", "Once ", "While ", "Pressed ")
_ASKED = re.compile(
    r"\b(?:asked|pressed|challenged|questioned|urged)[ ](?P<whom>[^,.;:" + _MASK + "]+)")
_WAS_ASKED = re.compile(
    r"(?:^|,[ ])(?P<who>[^,.;:" + _MASK + r"]{3,60}?)[ ]was[ ]"
    r"(?:asked|pressed|challenged|questioned)\b")
_REPLIES = frozenset({"replied", "responded", "retorted", "shot back", "hit back", "countered"})
_PEOPLE_HEADS = _ANON | _GROUP | _ROLE_NOUNS
_SIGNERS = frozenset({"person", "anon", "role"})


_INFINITIVES = _words("say ask tell warn insist argue urge")


def _doer(head: str) -> _Phrase | None:
    """Who acts in a clause ending in a verb or a short verb phrase before "to say", "to ask"
    ("the Liverpool MP Ann Lowe rose", "Ann Lowe used her speech"): a person or anonymous
    speaker named just before one to three lower-case words, none a speech verb ("Whips urged
    colleagues" would have the colleagues speak)."""
    words = head.split()
    acts = 0
    while acts < len(words) and acts < 4 and words[-1 - acts].islower():
        acts += 1
    if not 0 < acts < 4 or not _VERBS.isdisjoint(words[-acts:]):
        return None
    found = _subject(" ".join(words[:-acts]))
    return found if found is not None and found.kind in {"person", "anon"} else None


def _opening_subject(head: str) -> _Phrase | None:
    """The person or anonymous speaker a sentence opens with, role words and all, up to its
    first lower-case word that is no role word ("Work and pensions secretary Liz Kendall was")."""
    words = head[_clause_start(head) :].split()
    if not words or not words[0][:1].isupper():
        return None
    cut = next((i for i, w in enumerate(words) if i and w.islower() and not _role_word(w)), 0)
    found = _phrase_at_end(" ".join(words[:cut])) if cut else None
    if found is None or not (found.kind == "anon" or (found.kind == "person"
                                                       and " " in found.name)):
        return None
    return found


_CHANTS = frozenset({"chanting", "chanted"})
_CROWD_END = re.compile(  # "gathered in", not "disabled people"
    r"[ ](?:had|have|has|were|are|was)\b|[ ]\w+ed(?=[ ](?:in|outside|at|on|through|near"
    r"|around|by|as|for|from|to|across|inside|opposite|behind)\b)"
)
_ADVERBIAL_OPENERS = _PREPOSITIONS | _words("outside inside across near beyond")


def _crowd(head: str) -> _Phrase | None:
    """Who chanted: the sentence's opening noun phrase, past an opening place ("Outside
    Parliament, hundreds of disabled people gathered ..." → "hundreds of disabled people")."""
    clause = head[_clause_start(head) :].strip()
    first, comma, rest = clause.partition(", ")
    if comma and first.split(" ", 1)[0].lower() in _ADVERBIAL_OPENERS:
        clause = rest
    end = _CROWD_END.search(clause)
    phrase = (clause[: end.start()] if end else clause).strip(" ,")
    if not phrase or len(phrase.split()) > 8 or not phrase[0].isalpha():
        return None
    return _Phrase("group", phrase, head=phrase.rpartition(" ")[2].lower())


_PRONOUN_ACTING = re.compile(r"(?:^|,[ ])(?P<who>[Hh]e|[Ss]he)[ ](?:\w+[ ]){0,2}?\w+ed[ ]and$")


def _pronoun_acting(head: str) -> _Phrase | None:
    """ "Asked about the whip, he laughed and said:": the he or she who acted and then spoke."""
    found = _PRONOUN_ACTING.search(head.strip()) if " and" in head else None
    return _Phrase("pronoun", found.group("who")) if found else None


# "Leeds West and Pudsey MP Rachel Reeves": a seat whose name has an "and" before its MP's name
_SEAT_AND_MP = re.compile(r"(?:[A-Z][\w’'-]*[ ]){1,3}and[ ](?:[A-Z][\w’'-]*[ ]){1,3}MP[ ](?=[A-Z])")


def _subject_first(head: str) -> _Phrase | None:
    """The person, group or speaker a clause opens with ("Andy Burnham has praised ...")."""
    clause = head[_clause_start(head) :].strip()
    seat = _SEAT_AND_MP.match(clause) if " and " in clause[:60] else None
    if seat is not None:
        found = _phrase_at_start(clause[seat.end() :])
        if found is not None and found.kind == "person":
            return found._replace(role=found.role or seat.group().strip())
    found = _phrase_at_start(clause)
    return found if found and found.kind in {"person", "group", "anon"} else None


_SOME = _words("some several many")


def _some_who(phrase: _Phrase | None) -> _Phrase | None:
    """ "Several of the 47 Labour MPs who voted against said ...": the group, for "One said"
    after it (read as one anonymous speaker for the clause that follows it)."""
    if phrase is None or phrase.kind != "anon" or " who " not in phrase.text:
        return phrase
    group = phrase.text.split(" who ", 1)[0]
    if group.split(None, 1)[0].lower() not in _SOME or " " not in group:
        return phrase
    return _Phrase("group", group, head=group.rpartition(" ")[2].lower())


def _one_of(group: _Phrase, word: str) -> _Phrase:
    """ "One said" after "Some Labour MPs criticised…": "One Labour MP"; "one of them" after
    "Several of my Labour colleagues": "One of my Labour colleagues"."""
    words = group.text.split()
    if words[0].lower() in _DETERMINERS:
        words = words[1:]
    if not words:
        return group
    if len(words) == 1 and words[0][1:].islower() and words[0].lower() in _ROLE_NOUNS:
        words = [words[0].lower()]  # "Rebels dispute it. One said": "One rebel"
    if "of" in words and any(w.isdigit() or w == "than" for w in words[: words.index("of")]):
        words = words[words.index("of") :]  # "Fewer than 10 of the signatories": one of them
    if words[0] != "of" and word == "one":
        # the head, wherever it is: "Officials at the Treasury" -> "One official at the Treasury"
        at = next((i for i in range(len(words) - 1, -1, -1) if words[i].lower() == group.head),
                  len(words) - 1)
        last = words[at]
        words[at] = last[:-1] if last.endswith("s") and not last.endswith("ss") else last
        if at == 0 and words[0][1:].islower() and len(words) > 1:
            words[0] = words[0].lower()
    elif words[0] != "of":
        words = ["of", "the", *words]
    return _Phrase("anon", " ".join(["One", *words]), head=group.head)


_RESPONSE = re.compile(  # "Kendall's response:", "A whip's view, off the record:"
    r"(?P<owner>[A-Z][\w-]+(?:[ ][A-Z][\w-]+){0,2}|(?:A|An|One)(?:[ ][a-z][\w-]*){1,4})['’]s[ ]"
    r"(?:response|reaction|reply|verdict|message|statement|answer|view|take|assessment)\b"
)
_AGO = re.compile(r"^\d{1,2}[ ]?(?:h|hr|hrs|m|min|mins)[ ]ago[ ]")
_SPOKE_TO = re.compile(r"[ ](?:I|we)[ ](?:spoke|talked|have[ ]spoken)[ ](?:to|with)$")


def _colon_lead(text: str) -> _Phrase | None:
    """ "Kendall: '…'", "Ed Davey raises care home fees: '…'": a person's name opening the
    sentence that a colon ends; or None."""
    text = text.rstrip(" " + _MASK)
    if not text.endswith(":"):
        return None
    body = text[:-1]
    relative = body.rfind(", who ")  # "A Treasury official, who asked not to be named:"
    body = body[:relative] if relative > 0 else body
    spoke = _SPOKE_TO.search(body)  # "A Treasury official I spoke to:"
    body = body[: spoke.start()] if spoke else body
    lead = body[_clause_start(body) :].strip()
    if " — " in lead or " – " in lead:  # a live blog's "19:52 — A Labour whip, leaving:"
        lead = lead.replace(" – ", " — ").rpartition(" — ")[2]
    if " ago " in lead[:12]:  # a live blog's key event, "8h ago Starmer:"
        lead = _AGO.sub("", lead, count=1)
    owner = _RESPONSE.match(lead) if "s " in lead else None
    if owner is not None:  # "Kendall's response, in a statement:"
        lead = owner.group("owner")
    cited = lead.find("the words of ")  # "But in the words of one whip:"
    if cited >= 0 and lead[:cited].strip().lower() in _WORDS_OF:
        lead = lead[cited + 13 :]
    phrase = _phrase_at_start(lead)
    if phrase is not None and phrase.text == "another":
        return phrase  # "Another, speaking on condition of anonymity, went further:"
    if phrase is None or phrase.kind not in _SIGNERS:
        return None
    # a lone capitalised word only when it is all there is ("Kendall:", not "Welfare bill:")
    if " " in phrase.text or phrase.text == lead:
        return phrase
    verb = lead[len(phrase.text) :].split(None, 1)[:1]  # a headline's "Starmer defends ...:"
    return phrase if phrase.kind == "person" and verb and _HEADLINE_VERB.fullmatch(
        verb[0]) else None
_HEADLINE_VERB = re.compile(r"[a-z]+s")  # "defends", "vows", "hits": a present-tense verb
# a role or pronoun speaker is someone named before its verb, not after ("told X that")
_BY_VERB = frozenset({"role", "pronoun"})
_WORDS_OF = frozenset({"in", "but in", "and in", "or, in", "yet in", "to use", "to borrow"})
_WRITER_HEADS = frozenset(
    w for w in _GROUP | _ROLE_NOUNS | {f"{n}s" for n in _ROLE_NOUNS} if w.endswith("s"))
_WROTE_CUES = (" written to ", " wrote to ", " signed a ", " signed an ", " put their names to ")
_SIGNED_CUES = (" signed by ", " letter from ", " statement from ")


def _writers(paragraphs: list[str]) -> str:
    """Who wrote the letter a text goes on to quote: "35 Labour MPs have written to the chief
    whip", "a letter signed by 60 charities" → "Labour MPs", "Disability charities"; or ""."""
    for cues in (_WROTE_CUES, _SIGNED_CUES):  # the writers named as such before the signers
        for text in reversed(paragraphs):
            for cue in cues:
                at = text.rfind(cue)
                if at < 0:
                    continue
                if cues is _WROTE_CUES:
                    clause = text[max(text.rfind(c, 0, at) for c in ",.;" + _MASK) + 1 : at]
                else:
                    clause = re.split("[,.;" + _MASK + "]", text[at + len(cue) :], maxsplit=1)[0]
                group = _group_in(clause)
                if not group and cues is _WROTE_CUES and clause.startswith(" "):
                    # "A group of 35 Labour MPs, most of them ..., has written to": its subject
                    opening = text[max(text.rfind(c, 0, at) for c in "." + _MASK) + 1 : at]
                    group = _group_in(opening.split(",", 1)[0])
                if group:
                    return group
    return ""


def _group_in(clause: str) -> str:
    """The first plural group a clause names, with the words describing it: "Labour MPs"."""
    words = clause.split()
    head = next((i for i, w in enumerate(words) if w.lower() in _WRITER_HEADS), -1)
    if head < 0:
        return ""
    start = head
    while start and _describes(words[start - 1]):
        start -= 1
    text = " ".join(words[start : head + 1])
    return text[:1].upper() + text[1:]


def _describes(word: str) -> bool:
    """Whether a word before a group's noun describes it: "Labour", "disability"; not "Forty"."""
    return word.isalpha() and word.lower() not in _STOP_WORDS and parse_number(word) is None


_STOP_WORDS = _DETERMINERS | _STOP_CAPS | _PREPOSITIONS | _FILLERS | _words("than more over")


def _lower_title(head: str) -> bool:
    """Whether ``head`` is a wire's lower-case title and a full name: "finance minister Rachel
    Reeves" (after a quote, "…,” work and pensions minister Liz Kendall told parliament)."""
    if "," in head or len(head.split()) > 7:
        return False
    phrase = _phrase_at_end(head.strip())
    return phrase is not None and phrase.kind == "person" and bool(phrase.role) and (
        " " in phrase.name)


@lru_cache(maxsize=1 << 12)
def _subject(head: str) -> _Phrase | None:
    """Who a clause ending just before a speech verb names, appositives read past."""
    head, _ = _strip_fillers(head)
    clause = head[_clause_start(head) :].rstrip()
    parts = clause.rstrip(",").split(",")
    for index in range(len(parts) - 1, max(-1, len(parts) - 5), -1):
        part = parts[index].strip()
        opening = part.split(" ", 1)[0]
        if opening in {"which", "that"} and index == len(parts) - 1 and " " in part:
            named = _whole(part.split(" ", 1)[1])  # "..., which the Chancellor described as"
            if named is not None and named.kind in {"person", "role", "anon", "group"}:
                return named
        if opening.lower() in _RELATIVES or (opening.endswith("ing") and opening.islower()) or (
                opening in _ASKED_ASIDE):  # "asked about the vote in the Senedd"
            continue  # "who did not want to be named", "speaking at the summit"
        phrase: _Phrase | None
        if part.startswith(("But ", "And ", "Yet ")) and part[4:].lower().startswith(_ONE_OF):
            part = part.split(" ", 1)[1]  # "But one of the 49 rebels from ..."
        if part.lower().startswith(_ONE_OF) and (" who " in part or _ONE_OF_FEW.fullmatch(part)):
            # "one of those who stayed away"; "One of the MPs who signed": an MP ("the MP said")
            noun = part.split(" who ", 1)[0].rpartition(" ")[2].lower()
            plural = noun.endswith("s") and noun in _ROLE_NOUNS
            phrase = _Phrase("anon", part, head=_singular_noun(noun) if plural else "one")
        else:
            part = part.split(" who ", 1)[0]
            phrase = _phrase_at_end(part)
            # "tabled by Rachael Maskell, who said": a relative "who" names the noun before it
            who_next = index < len(parts) - 1 and parts[index + 1].split()[:1] == ["who"]
            if phrase is None and who_next and part.lower().startswith(_ONE_OF):
                phrase = _Phrase("anon", part, head="one")  # "One of the new names, who asked"
            elif phrase is None or _agent(part):
                continue
            if _after_preposition(part, phrase) and not (who_next and phrase.kind == "person"):
                continue
            if index and phrase.kind in {"person", "org"} and (
                    part.startswith("the ") or _office_of(part)):
                earlier = _whole(parts[index - 1])  # "X, general secretary of the Y,"
                if earlier is not None and earlier.kind == "person":
                    return earlier._replace(role=part.strip())
            if phrase.kind in {"pronoun", "org"}:
                return phrase  # an appositive before "he" or an organisation changes nothing
        back = index - 1 - (index > 1 and parts[index - 1].strip().isdigit())
        earlier = _whole(parts[back]) if index else None  # past an age: "X, 71, a nurse,"
        if phrase.kind in {"role", "group", "anon"} and earlier and earlier.kind in {"person",
                                                                                   "org"}:
            return earlier._replace(role=phrase.text)
        if phrase.kind == "anon" and earlier and earlier.kind == "anon":
            # "One signatory, a northern MP who asked not to be named,": who they are, then more
            return earlier._replace(text=f"{earlier.text}, {phrase.text}")
        if phrase.kind == "person" and earlier and earlier.kind == "role":
            return phrase._replace(role=phrase.role or earlier.text)
        if phrase.kind == "person" and index < len(parts) - 1:
            later = ", ".join(p.strip() for p in parts[index + 1 :])
            if later:
                return phrase._replace(role=phrase.role or _appositive_role(later))
        return phrase
    return None


_ONE_OF = ("one of ", "some of ", "two of ", "several of ", "many of ")
# an aside between a speaker and the verb: "X, asked about the vote in the Senedd, said"
_ASKED_ASIDE = _words("asked pressed questioned quizzed challenged")
# "One of the 47", "one of the seven", "one of those involved": one of people counted or present
_ONE_OF_FEW = re.compile(
    r"(?i:(?:one|some|two|several|many)[ ]of[ ](?:the[ ](?:\d{1,4}|(?:twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety)(?:-\w+)?|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|dozen)|those[ ](?:involved|present|affected|there|in[ ]the[ ]room))"
    # "one of the 49 rebels from the second reading vote": a group and where they are from
    r"|(?:one|some|two|several|many)[ ]of[ ](?:the|his|her|their|those)[ ](?:[\w-]+[ ]){0,3}?"
    r"(?:rebels|mps|backbenchers|signatories|organisers|councillors|peers)[ ](?:from|in|at|on)"
    r"[ ][^,]{1,40})"
)


# "A rebel organiser was less sanguine:", "X was more candid than I expected.": a verdict on how
# someone spoke, then their words
_EVALUATED = re.compile(
    r"(?P<subject>[^.;!?]{2,80}?)[ ](?:was|were|sounded|seemed)[ ](?:(?:more|less|rather|even|far"
    r"|much|somewhat)[ ])?[a-z]+(?:[ ]than[ ][^.;:]{0,40})?"
    r"(?:[ ](?:about|towards|with|of)[ ][^.;:]{0,40})?[ ]*[.:]?"
)
# "Reform's chairman, Zia Yusuf, on the night so far:": a live blog's or newsletter's lead-in
_ON_TOPIC = re.compile(
    r"(?P<subject>[^.;!?]{2,80}?),?[ ]on[ ](?:the|his|her|their|its|why|how|what|whether)\b"
    r"[^.;:]{0,60}[ ]*:"
)


_ON_WHY = re.compile(r"(?P<subject>[A-Z][^.;:!?]{1,50}?)[ ]on[ ](?:why|how|what|whether)\b")


def _evaluated(text: str) -> _Phrase | None:
    """The speaker of a lead-in with no speech verb: "A rebel organiser was less sanguine:",
    "Her colleague on the result:"; or None."""
    text = text.rstrip(" " + _MASK)
    if " was " not in text and " were " not in text and " on " not in text:
        return None  # the cheap test first
    body = text.rstrip(":")
    text = text[_clause_start(body) :].strip()
    found = _EVALUATED.fullmatch(text) or _ON_TOPIC.fullmatch(text)
    return _subject(found.group("subject")) if found else None


def _clause_start(text: str) -> int:
    """Where the last clause of ``text`` starts: after its last ";", ":" or masked quote (not
    a quoted word or two inside a clause: 'backbenchers in former "red wall" seats')."""
    cut = max(text.rfind(";"), text.rfind(":"))
    end = len(text)
    while (mask := text.rfind(_MASK, 0, end)) > cut:
        if text[mask + 1 : mask + 2] != " " or not text[mask + 2 : mask + 3].islower():
            return mask + 1  # the common case: a quote that ends a clause
        first = len(text[: mask + 1].rstrip(_MASK))
        if text[first - 2 : first - 1].isalpha() and text[first - 1 : first] == " ":
            end = first  # a quoted word or two inside the clause: read on before it
        else:
            return mask + 1
    return cut + 1


def _office_of(part: str) -> bool:
    """Whether an appositive is an office held at an organisation: "general secretary of the",
    "co-leader of the"."""
    tokens = part.split()
    k = next((i for i, t in enumerate(tokens[:5]) if t in {"of", "at", "for"}), 0)
    return k > 0 and tokens[k - 1].lower().removeprefix("co-") in _ROLE_NOUNS and all(
        t.islower() for t in tokens[:k])


def _whole(part: str) -> _Phrase | None:
    """The phrase that ``part`` consists of, and nothing else."""
    phrase = _phrase_at_end(part.strip())
    return phrase if phrase and len(phrase.text) >= len(part.strip()) - 1 else None


def _appositive_role(text: str) -> str | None:
    first = text.split()[0].lower() if text.split() else ""
    skip = {"who", "which", "that", "whose", "speaking", "writing", "asked", "when", "after"}
    return None if not first or first in skip or first in _PREPOSITIONS else text


def _agent(part: str) -> bool:
    """ "organised by the Growth Group": an appositive naming who made the subject, not it."""
    words = part.split(" ", 2)
    return len(words) > 2 and words[1] == "by" and words[0].endswith("ed")


def _after_preposition(part: str, phrase: _Phrase) -> bool:
    if phrase.kind == "person" and " " in phrase.text and any(
            w in _TITLE_TOKENS for w in phrase.text.split()[1:]):
        return False  # "Leader of the House of Lords Baroness Smith": the name after its title
    before = part[: max(0, len(part) - len(phrase.text))].split()
    while phrase.kind != "person" and before and before[-1].lower() in {"the", "a", "an"}:
        before.pop()
    return bool(before) and before[-1].lower() in _PREPOSITIONS


def _strip_fillers(text: str) -> tuple[str, bool]:
    """Drop "has", "is expected to", "on Wednesday", "publicly" before a verb; passive?"""
    text = text.rstrip()
    last = text.rpartition(" ")[2]
    if last and not _filler(last):
        return text, False  # the common case: nothing to drop
    words = text.split(" ")
    dropped: list[str] = []
    while words and (not words[-1] or _filler(words[-1])):
        dropped.append(words.pop().lower())
    passive = bool(dropped) and dropped[0] in {"been", "was", "were", "being"}
    return " ".join(words), passive


@lru_cache(maxsize=1 << 16)
def _filler(word: str) -> bool:
    lower = word.lower()
    if word[:1] == "(" and word[-1:] == ")" and word[1:-1].isupper():
        return True  # "The Department for Work and Pensions (DWP) said": its initials
    return lower in _FILLERS or (lower.endswith("ly") and len(lower) > 4 and lower != "only")


_QUOTE_ENDS = (_MASK, _MASK + ".", _MASK + ",")


def _quoted(text: str) -> bool:
    """Whether ``text`` ends with a masked quote."""
    return text.endswith(_QUOTE_ENDS)


def _last_boundary(text: str) -> int:
    last = 0
    for match in _BOUNDARY.finditer(text):
        last = match.end()
    return last


# --- statements -------------------------------------------------------------------------------


def _statement(body: str, speaker: _Phrase | None) -> Statement | None:
    """The statement a quote makes; none for a fragment nobody is said to have said.

    A speakerless fragment is a title, a nickname or a headline's scare-quote: not speech.
    """
    words = body.replace("\u0e42", "’").split()
    joined = " ".join(words)
    text = joined.lstrip(_QUOTE_MARKS).rstrip(_QUOTE_MARKS_COMMA)
    fragment = _is_fragment(text, words if text == joined else text.split())
    if not _LETTER.search(text) or (fragment and speaker is None):
        return None
    role = speaker.role if speaker and speaker.kind == "person" else None
    who = speaker.label if speaker else None
    return Statement(speaker=who, text=text, fragment=fragment, role=role)


def _is_fragment(text: str, words: list[str]) -> bool:
    """Scare-quotes, partial quotes and titles (``words``: ``text`` split): a few words, or no
    sentence at all."""
    if len(words) <= 4:
        return True
    sentence_end = text[-1] in ".!?…"
    if not text[0].isupper() and len(words) <= 8 and not sentence_end:
        return True
    if sentence_end or len(words) > 8:
        return False
    return sum(w[0].isupper() for w in words) >= len(words) - 1
