"""A safer version of a post: every identifier generalised, the text still plain English.

The checker hands over the identifiers it found as ``(kind, start, end)``; each kind has
its own generalisation (``categories.yaml``, section ``rewrite``) chosen to fit the words
around it: "at St Anne's" -> "at school", "on the Eastfield estate" -> "on a local
estate", "in Ashby" -> "in the area", "this morning" -> (dropped, with no dangling
preposition). A second mention of the same person reads "the young person", a different
one "another young person". A final pass tidies spaces and punctuation.

A safer version must be safe, not just shorter (issue 13), so `safer_version`:

1. refuses at once when no wording can help: a photo of the people, or a story people
   already know ("some of you will remember", "in the papers");
2. adds its own net of identifiers to the checker's, so a name, initials, an @handle, a
   named street, school, hospital, court or town, a named team or landmark, a first name
   told by the words around it ("Phoned Mared on", "a client of mine, Pádraig,"), an
   exact age, the day and time of a visit, or an "only one ... in the village" clause goes
   even when the checker's rules did not point at it;
3. re-checks what it wrote with the full check; while a confidentiality finding remains
   it says the make-up of the family in general ("the eldest of four", "twins" ->
   "children"), then leaves out whole sentences (never the first, never more than half
   the post, at most a few re-checks), and when that is not enough it says there is no
   safe version, with the reason, rather than offer an unsafe one. A post too long or
   too full of identifiers is refused at once.

`rewrite` is the older interface, kept for the checker: the same text, or the "no safe
version" sentence in its place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial

from kaleidoscope.check.rules import RulesError, load_rules

__all__ = ["NO_SAFE_VERSION", "Safer", "rewrite", "safer_version"]

Ident = tuple[str, int, int]  # (kind, start, end)

_MAX_REWRITES = 100
_NUMBER = re.compile(r"\d+")
_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        (
            "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen",
        )
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
_WORD = re.compile(r"[a-z]+")
_ARTICLE_START = re.compile(r"(?:a|an|the|my|this|our)\s", re.I)
_AGED = re.compile(r"\d\s?(?:yo|y/o|y\.o|yrs?\sold|years?[\s-]old|-year-old|-yr-old)|\bold\b|yo\b")
_AGE_VERB = re.compile(
    r"(is|was|were|are|turned|turns|\w+['’]s|they['’]re|shes|hes|be|now)\s(?:only\s|just\s)?",
    re.I,
)
# The noun an age describes ("15yo girl"): replaced together with the age.
_AGE_NOUN = re.compile(
    r"\s(?:(?P<young>girl|boy|lad|lass|kid|child|teen|teenager|baby|young\sperson)"
    r"|(?P<man>man|gentleman|gent|fella|bloke)|(?P<woman>woman|lady)|person)\b"
)
# Words after an age that do not start a noun phrase: "a 19 year old with autism".
_FUNCTION_WORDS = frozenset(
    {
        "with", "from", "who", "in", "at", "on", "and", "is", "was", "has", "had", "but", "so",
        "now", "that", "which", "whose", "to", "for", "by", "of", "living", "lives", "staying",
        "being", "currently", "just", "i", "we", "you", "he", "she", "they", "it", "me", "my",
        "our", "his", "her", "their", "whom", "when", "where", "because", "as", "after",
        "before", "since", "then", "or", "are", "were", "will", "would", "can", "could",
        "should", "shouldn", "couldn", "wouldn", "can't", "cannot", "didn", "did", "does",
        "doesn", "isn", "wasn", "hasn", "hadn", "won", "must", "might", "may", "gets", "got",
    }
)
_NAME_ADJECTIVE = re.compile(
    r"\b(?:poor\s+)?(little|baby|wee|young|lovely|old|auld)\s+$", re.IGNORECASE
)
_TAIL_WORD = re.compile(
    r"\b(the|a|an|her|his|their|my|our|your|its|first|second|third|new|same|every|each"
    r"|last|next)\s+$",
    re.IGNORECASE,
)
# A role noun just before a name: "my client Maggie" -> "my client" (the name just goes).
_ROLE_BEFORE = re.compile(
    r"\b(?:client|service\suser|care\sleaver|foster\schild|foster\syouth|young\sperson|yp|resident"
    r"|baby|patient|tenant|brother|sister|son|daughter|mum|mam|dad|nan|gran|stepdad|stepmum"
    r"|boyfriend|girlfriend|partner|cousin|twin|lad|lass|girl|boy|kid|child|foster\s+daughter"
    r"|foster\s+son|grandson|granddaughter|nephew|niece|fella|bloke|woman|man|gent|lady"
    r"|colleague|manager|supervisor|friend|husband|wife|hubby|student|mentor|worker)\s+$",
    re.IGNORECASE,
)
_MR_AND_BEFORE = re.compile(r"\bmr\.?\s+(?:n|&|and)\s+$")
# A name set off by commas after who the person is: "a client of mine, Pádraig, is",
# "a newly qualified colleague, Niamh O., on" (the name and one comma go).
_APPOSITION_BEFORE = re.compile(
    r"\b(?:of\s+(?:mine|ours)|colleague|client|worker|manager|student|service\s+user|son"
    r"|daughter|lad|lass|girl|boy|resident|patient|tenant|carer|friend|partner|care\s+leaver"
    r"|foster\s+(?:child|son|daughter)),\s$"
)
_OWNER_BEFORE = re.compile(r"\b(our|my|your|their|her|his)\s+$")
_NOUN_AFTER = re.compile(r"\s([a-z]+)\b")
_VOCATIVE_AFTER = re.compile(r",?\s+you\b")
# A name opening a sentence and spoken to: "Tomás, I'll be there", "Amy, you star".
_SPOKEN_TO = re.compile(
    r", (?:I\b|I['’]|[Yy]ou\b|[Ww]e\b|[Tt]hank|[Ww]ell\s+done|[Ll]ove\b|[Hh]appy\b|[Cc]ongrat)"
)
_SENTENCE_OPENS = re.compile(r"(?:^|[.!?]\s+|\n)$")
_INITIAL_END = re.compile(r" [A-Z]\.(?=,)")
_HYPHEN_NAME = re.compile(r"-[A-Z][a-z]+")
_LIST_ITEM_BEFORE = re.compile(r"(?:^|[(,;:.!?])\s*$")
_LIST_ITEM_AFTER = re.compile(r"\s*(?:,\s*|[);.!?]|$)")
_DETERMINER_BEFORE = re.compile(r"(?:^|[^\w\s'’&-])\s*$")  # a clause starts: "(", ",", "🧸"
_A_AN = re.compile(r"\b([Aa]n?)\s+$")
_LAST_WORD = re.compile(r"([A-Za-z]+)\s*$")
_PREP_BEFORE = re.compile(
    r"\b(in|at|from|to|near|of|on|off|down|round|outside)\s+(?:(the)\s+)?$", re.IGNORECASE
)
_CONTAINER_BEFORE = re.compile(r"\b(?:bottle|glass|pint|can|box|bag|packet|cup|tin|dram|shot)\s*$")
_REGION_BEFORE = re.compile(
    r"\b(?:rural|eastern|western|northern|southern|north|south|east|west|central|inner[- ]city"
    r"|outer|greater|upstate|downtown)\s+$"
)
_ISLE_BEFORE = re.compile(r"\b(?:the\s+)?(?:isle|island)\s+of\s+$", re.IGNORECASE)
# A place used as an adjective: "the Bexford area", "the Harbour Road flats".
_PLACE_NOUN = re.compile(
    r"\s+(?:area|flats|estate|site|end|shops|park|surgery|parade|precinct|district|side"
    r"|community|tower|towers|block|houses|road|village|town|city|county|coast|bridge|station"
    r"|airport|market|beach|pier|harbour|docks|library|bus\s+station|services|bookshop|shop"
    r"|cafe|café|pub|bar|restaurant|gym|hotel|firm|mall)\b"
)
# A landmark phrase ("above the", "beside the") takes the words after it as its object.
# (a closing quote after the object stays: "'hiding behind the settee'." keeps its "'")
_LANDMARK_OBJECT = re.compile(
    r"\s+(?:[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,2}|[a-z][\w&-]*(?:['’][a-z]+)?)"
)
_LANDMARK_STARTS = (
    "above", "beside", "behind", "next to", "next door to", "opposite", "round the corner",
    "across from", "near the",
)
_CONDITION_SLOT = re.compile(r"(?:\b(?:her|his|their|a|an|with|has|have|had)|['’]s)\s$")
# "-ing" words after an age that are nouns ("a 9-year-old sibling"), not a verb.
_ING_NOUNS = frozenset(
    {
        "sibling", "darling", "offspring", "king", "thing", "building", "wedding", "evening",
        "morning", "meeting", "boxing", "swimming", "training", "spring", "ring", "boarding",
    }
)
_MARRIED_FOR = re.compile(
    r"married\s+((?:for\s+)?(?:\d{1,2}|[a-z]+ty)\s*(?:yrs?|years?)(?:\s+now)?)(?![\w-])"
)
# A nationality or region said as an adjective, which with other details points to one
# person: "Eritrean", "Cornish", "Polish-speaking". The words are data for matching only.
_PROPER_ADJECTIVE = re.compile(r"(?<![\w'’-])([A-Z][a-z]+)(?P<speaking>-speaking)?(?![\w'’-])")
_ORIGIN_WORDS = frozenset(
    {
        "ukrainian", "eritrean", "brazilian", "cornish", "welsh", "polish", "romanian",
        "bulgarian", "lithuanian", "latvian", "albanian", "syrian", "iraqi", "iranian",
        "sudanese", "ethiopian", "nigerian", "ghanaian", "zimbabwean", "congolese", "vietnamese",
        "portuguese", "kurdish", "afghan", "filipino", "nepali", "hungarian", "slovak", "czech",
    }
)
# A faith said of a person, which with a place points to few: "a Sikh taxi driver", "a
# Protestant mother in the Shankill", "a Holocaust survivor".
_FAITH_BEFORE_NOUN = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Oo]ur|[Mm]y|\d+-year-old|older|young|elderly)\s+"
    r"(?P<faith>(?:Sikh|Muslim|Jewish|Hindu|Catholic|Protestant|Mormon|Amish|Orthodox|Buddhist"
    r"|Evangelical|Quaker|Rastafarian|Holocaust)\s+)(?=[a-z])"
)
# The origins of a heritage: "of mixed Somali and Welsh heritage" -> "of mixed heritage".
_HERITAGE = re.compile(
    r"(?P<origins>(?:[A-Z][a-z]+\s*(?:,|and|&|/)\s*)*[A-Z][a-z]+\s+)(?=(?:heritage|descent"
    r"|background|origin|roots|parentage)\b)"
)
_ORIGIN_ENDING = re.compile(r"(?:an|ish|ese|i|ic|ch|sh)$")  # Jamaican, Irish, Somali, Welsh
_ROOTS = frozenset({"heritage", "background", "descent", "origin", "roots", "parentage"})
_HOME_ORIGINS = frozenset({"cornish", "welsh"})  # not "from abroad"
_PLAIN_NOUN = re.compile(r"\s+(?:[a-z][\w-]*\s+){0,1}?([a-z][\w-]*)\b")
_PERSON_NOUNS = frozenset(
    {
        "nurse", "family", "families", "girl", "boy", "man", "woman", "lad", "lass", "child",
        "children", "kid", "kids", "mum", "dad", "mother", "father", "couple", "teenager",
        "student", "worker", "carer", "lady", "gent", "fella", "bloke", "baby", "grandmother",
        "grandfather", "nan", "gran", "refugee", "client", "patient", "tenant", "resident",
    }
)
_TIME_NOUN = re.compile(r"\s(?:visit|visits|session|contact)$")
# Words after "X, 9," that end the list: the commas go with the age.
_LIST_ENDS = frozenset(
    {
        "are", "is", "was", "were", "has", "have", "had", "and", "who", "goes", "lives", "got",
        "came", "told", "said", "will", "can", "did", "does", "went", "both", "all",
    }
)
_DIGITS_BEFORE = re.compile(r"(?<!\w)\d{1,3}[- ]?$")
_RANGE_AFTER = re.compile(r"\s*(?:till|til|until|to|-|–|and|or)\s*\d")
_REFLEXIVE_AFTER = re.compile(r"\s+(?:herself|himself|themselves|themself)\b")
_SINCE_BEFORE = re.compile(r"\bsince\s+(?:he|she|they)\s+$")
_POSSESSOR_BEFORE = re.compile(r"\b(?:my|our|his|her|their|the)\s+$")
_NOT_NOUN_AFTER = re.compile(r"(?:\s+(?:today|yesterday|posted|said|was|is)\b|\s*[,.;:!?]|\s*$)")
_COPULA_BEFORE = re.compile(  # ("it's only Weds")
    r"\b(?:is|was|are|were|be|['’]s|its|as|than|another|any)\s+(?:only\s+|just\s+)?$"
)
_WHERE_AFTER = re.compile(r"\s+(?:at|in)\s")
_DROP_PREPS = frozenset(
    {
        "on", "at", "in", "from", "by", "since", "until", "till", "during", "for", "every", "to",
        "this", "last", "next", "aged", "age",
    }
)
_SETTINGS = (
    "family centre", "children's house", "children's home", "care home", "nursing home",
    "day centre", "contact centre", "hostel", "refuge",
)
_VOWEL_SOUND = re.compile(r"(?:[aeio]|u(?!ni|se|su|ro|ti|ra|bi)|hour|hon|8|11\b|18\b)", re.I)
_SENTENCE_END = (".", "!", "?")
# A sentence ended just before, perhaps with emoji after it: "She were. 😂 " + placeholder.
_SENTENCE_BEFORE = re.compile(r"[.!?](?:\s*[^\w\s.,;:!?'’\"()\[\]-])*\s*$")
# A quoted message opening a line or following a colon: "chat:\n'" + placeholder.
_QUOTE_OPENS = re.compile(r"(?:^|(?<=[\n.!?:])\s*)['‘\"“]$")

# The tidy-up of spacing and punctuation left by removals, run around each seam only.
_TIDY = (
    (re.compile(r"[ \t]+([,.;:])"), r"\1"),
    (re.compile(r"([,;:])(?:\s*[,;:])+"), r"\1"),
    (re.compile(r"[,;:]\s*([.!?])"), r"\1"),
    (re.compile(r"\(\s*\)"), ""),
    (re.compile(r",(?=[A-Za-z])"), ", "),
    (re.compile(r"[ \t]{2,}"), " "),
)
# Placeholders that must not stand twice in a row ("at school school").
_ONCE = frozenset({"school", "church", "nearby", "locally", "someone", "local", "baby"})
# Anything one of _TIDY would change (a cheap test first).
_UNTIDY = re.compile(r"[ \t][,.;:]|[,;:]\s*[,.;:!?]|\(\s*\)|,[A-Za-z]|[ \t]{2}")
# Run over the whole rewrite, only when the placeholder they need is there.
_PAIRS = (
    ("another young person", re.compile(r"\b[Aa] young person (?:&|and) another young person\b"),
     "two young people"),
    ("someone else", re.compile(r"\b[Ss]omeone (?:&|and) someone else\b"), "two people"),
)
_SEAM_MARGIN = 6
_SPACES = re.compile(r"[ \t]{2,}")
_NO_SPACE_BEFORE = frozenset({"", " ", ",", ".", ";", ":", "!", "?", ")", "'", "’"})
_PLACE_GAP = re.compile(r"\s*(?:on|in|at|off|near|of)?\s*$")
_LEADING_JUNK = re.compile(r"^[\s,;:=–-]+")


def _same_case(new: str, m: re.Match[str]) -> str:
    return new.capitalize() if m.group(0)[:1].isupper() else new


def _tidy(out: str, seams: list[tuple[int, int]]) -> str:
    """Tidy the text around each seam (right to left, so earlier offsets stay valid)."""
    windows: list[list[int]] = []
    n = len(out)
    for a, b in seams:
        a = out.rfind(" ", 0, max(0, min(a, n) - _SEAM_MARGIN)) + 1  # whole words only
        b = out.find(" ", min(n, b + _SEAM_MARGIN))
        if b < 0:
            b = n
        if windows and a <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], b)
        else:
            windows.append([a, b])
    for a, b in reversed(windows):
        piece = out[a:b]
        if _UNTIDY.search(piece) is None:
            continue
        for pattern, replacement in _TIDY:
            piece = pattern.sub(replacement, piece)
        out = out[:a] + piece + out[b:]
    return out


def _last_word(text: str) -> str:
    tail = text[-12:].rstrip().lower()
    cut = max(tail.rfind(" "), tail.rfind("("), tail.rfind(","))
    return tail[cut + 1 :]


def _vowel(word: str) -> bool:
    return bool(_VOWEL_SOUND.match(word))


def _age_years(quote: str) -> int | None:
    digits = _NUMBER.search(quote)
    if digits:
        return int(digits.group(0))
    for word in _WORD.findall(quote):
        if word in _TENS:
            return _TENS[word]
        if word in _WORD_NUMBERS:
            return _WORD_NUMBERS[word]
    return None


class _Rewriter:
    def __init__(
        self,
        text: str,
        lower: str,
        words: Mapping[str, str],
        age_words: Mapping[str, str],
        keep_conditions: frozenset[str],
        young: bool,
    ) -> None:
        self.text = text
        self.lower = lower
        self.words = words
        self.age_words = age_words
        self.keep_conditions = keep_conditions
        self.young = young
        self.used: dict[str, str] = {}  # placeholder -> the first identifier it stood for
        self.area_used = False

    # --- one identifier -------------------------------------------------------------

    def replace(self, kind: str, start: int, end: int) -> tuple[int, int, str] | None:
        handler = getattr(self, "_" + kind, None)
        if handler is not None:
            found: tuple[int, int, str] | None = handler(start, end)
            return found
        new = self.words.get(kind)
        return None if new is None else (start, end, new)

    def _person(self, placeholder: str, key: str) -> str:
        """A second mention of the same person is definite, a different one "another"."""
        first = self.used.get(placeholder)
        if first is None:
            self.used[placeholder] = key
            return placeholder
        if placeholder == "someone":
            return "this person" if first == key else "someone else"
        head, _, rest = placeholder.partition(" ")
        if head not in ("a", "an") or not rest:
            return placeholder
        return ("the " if first == key else "another ") + rest

    def _name(self, start: int, end: int) -> tuple[int, int, str]:
        hyphen = _HYPHEN_NAME.match(self.text, end)
        if hyphen:  # "Lacey-Jo"
            end = hyphen.end()
        if _ROLE_BEFORE.search(self.lower, max(0, start - 16), start):
            return start - 1, end, ""  # "my old client Maggie" -> "my old client"
        if self._adjectival(end):
            return start, end, self.words["local"]  # "a small Kerry town"
        if self.lower.endswith(" the ", 0, start):  # "along the Shannon": a place
            return start, end, self.words["area"].split(" ", 1)[-1]
        if _NAME_AS_PLACE.search(self.lower, max(0, start - 10), start):
            return self._town(start, end)  # "in Devon", "outside Dungannon": a place
        if _VOCATIVE_AFTER.match(self.lower, end) and _DETERMINER_BEFORE.search(
            self.text, max(0, start - 4), start
        ):
            return start, end + (self.lower[end] == ","), ""  # "Ms Harrington you are"
        if _SPOKEN_TO.match(self.text, end) and _SENTENCE_OPENS.search(self.text, 0, start):
            return start, end + 2, ""  # "Tomás, I'll be there" -> "I'll be there"
        if _INITIAL_END.match(self.text, end - 2):
            end += 1  # "Jasmine R., whom" -> "someone, whom"
        if _APPOSITION_BEFORE.search(self.lower, max(0, start - 20), start) and (
            self.text[end : end + 1] == ","
        ):
            return start - 2, end + 1, ""  # "a client of mine, Pádraig, is" -> "... mine is"
        owner = _OWNER_BEFORE.search(self.lower, max(0, start - 7), start)
        if owner is not None and not self.text.endswith(("'s", "’s"), start, end):
            noun = _NOUN_AFTER.match(self.lower, end)
            if noun is not None and noun.group(1) not in _FUNCTION_WORDS:
                return start, end + 1, ""  # "her Ann Summers party" -> "her party"
            if owner.group(1) in ("our", "my", "your", "their"):  # "Our Leah" -> "Our young person"
                return start, end, self.words["name_possessed"]
        quote = self.text[start:end]
        possessive = quote.endswith(("'s", "’s")) and " " in quote.strip()
        if possessive:  # "Mrs Nguyen's daughter" -> "a woman's daughter"
            found = self._name(start, end - 2)
            return found[0], end, found[2] + quote[-2:]
        first = quote.split()[0].rstrip(".").capitalize()  # "mr P" is "Mr P"
        pair = _MR_AND_BEFORE.search(self.lower, max(0, start - 10), start)
        if pair is not None and first in ("Mrs", "Ms", "Miss"):  # "mr n mrs K" -> "a couple"
            couple = self.words["name_couple"]
            return pair.start(), end, couple[:1].upper() + couple[1:] if (
                self.text[pair.start()].isupper()
            ) else couple
        key = quote.split()[-1].lower() if first in ("Mr", "Mrs", "Ms", "Miss", "Mx") else (
            quote.split()[0].lower()
        )
        if " and " in quote or " & " in quote:
            new = self.words["name_couple"]
        elif first == "Mr":
            new = self.words["name_man"]
        elif first in ("Mrs", "Ms", "Miss"):
            new = self.words["name_woman"]
        elif first == "Mx":
            new = self.words["name"]
        else:
            small = _NAME_ADJECTIVE.search(self.lower, max(0, start - 10), start)
            young = self.young or (small is not None and small.group(1) != "old")
            new = self.words["name_young" if young else "name"]
        return start, end, self._person(new, key)

    def _initials(self, start: int, end: int) -> tuple[int, int, str]:
        if _ROLE_BEFORE.search(self.lower, max(0, start - 20), start):
            return start - 1, end, ""  # "our lad T" -> "our lad"
        if end - start >= 2 and re.search(r"\b(?:in|from|near|outside)\s+$", self.lower[:start]):
            return self._town(start, end)  # "youth justice in NI": a place
        key = self.text[start:end].lower()
        if "&" in key or " and " in key:  # "R & K"
            return start, end, self.words["initials_pair"]
        return start, end, self._person(self.words["initials"], key)

    def _face(self, start: int, end: int) -> tuple[int, int, str] | None:
        text = self.text
        opening = text.rfind("[", max(0, start - 60), start + 1)
        closing = text.find("]", end - 1, end + 60)
        if opening >= 0 and closing >= 0 and "]" not in text[opening:start]:
            start, end = opening, closing + 1  # the whole "[6 photos, faces visible]"
        elif text[start] != "[":
            if self.lower.startswith("face", start):
                return start, end, self.words["faces_hidden"]  # "faces visible" -> blurred
            return None  # "a pic", "a video": the words stay; the picture must go
        new = self.words["face"]
        if new in self.used:
            return start, end, ""
        self.used[new] = new
        return start, end, new

    def _age(self, start: int, end: int) -> tuple[int, int, str] | None:
        if self.lower.startswith("aged", start):
            whole = _AGED_PHRASE.match(self.lower, start)
            end = max(end, whole.end()) if whole else end  # "aged 7" of "aged 7 and 9"
            if self.text.endswith(", ", 0, start) and self.text.startswith(", ", end):
                return start - 2, end + 1, ""  # "Two boys, aged 6 and 8, moved" -> "boys moved"
        elif _RANGE_AFTER.match(self.lower, end):
            return None  # "visiting is 2 till 8": hours, not an age
        married = _MARRIED_FOR.match(self.lower, start)
        if married is not None:  # "married 70 yrs" -> "married for many years"
            return married.start(1), married.end(), self.words["married_years"]
        digits = _DIGITS_BEFORE.search(self.lower, max(0, start - 4), start)
        if digits is not None and self.lower[start:end].startswith(("year", "yr")):
            start = digits.start()  # "6-" + "year-old": the number goes too
        quote = self.lower[start:end]
        reflexive = _REFLEXIVE_AFTER.match(self.lower, end)
        if reflexive and quote.strip().isdigit():  # "17 herself" -> "young herself"
            if int(quote.strip()) < 25:
                return start, end, self.words["age_young_adjective"] or "young"
            return self._list_item(start, reflexive.end())
        mapped = self.age_words.get(quote)
        if mapped is not None:  # "teenager", "elderly", "the eldest"
            if mapped == quote:
                return None
            return self._list_item(start, end) or (start, end, mapped)
        years = _age_years(quote)
        infant = "week" in quote or "month" in quote
        age = 0 if infant or years is None else years
        group = (
            "young" if age < 18 else "young_adult" if age < 25 else "adult" if age < 65 else "older"
        )
        if quote.startswith("under "):  # "all under 10" -> "all young"; "kids under 8" -> "kids"
            previous = self.lower[max(0, start - 5) : start].split()
            return start, end, "young" if previous[-1:] in (["all"], ["both"]) else ""
        article = _ARTICLE_START.match(quote)
        opening = False  # no article, at the start of a sentence or clause: one is needed
        if not article and _DETERMINER_BEFORE.search(self.text, max(0, start - 4), start):
            article = _ARTICLE_START.match("a ")
            opening = True
        if infant:
            group = "baby"
        verb = _AGE_VERB.match(quote)
        noun = _AGE_NOUN.match(self.lower, end)
        if noun:
            # "15yo girl" -> "a young person"; "70 year old woman" -> "an older woman"
            end = noun.end()
            gendered = noun.lastgroup if group != "young" else None
            suffix = f"_{gendered}" if gendered in ("man", "woman") and group != "baby" else ""
            new = self.words[f"age_{group}{suffix}"]
            if not article:
                new = new.split(" ", 1)[1]
            return start, end, new
        if verb:
            # "is 15" -> "is a young person"; "turned 90" -> "had a birthday"
            word = verb.group(1).lower()
            if word in ("turned", "turns"):
                new = self.words["age_birthday_past" if word == "turned" else "age_birthday"]
                return start, end, new
            if group == "young" and age < 11 and _SINCE_BEFORE.search(self.lower, 0, start):
                return start + verb.end(), end, "little"  # "since she was 8" -> "was little"
            return start + verb.end(), end, self.words[f"age_{group}"]
        if not (infant or _AGED.search(quote)):
            return start, end, ""  # "aged 15", "(92)", "Ruby, 15,": the number just goes
        nxt = _WORD.match(self.lower, end + 1) if self.lower[end : end + 1] == " " else None
        if nxt and nxt.group(0) == "young" and not opening:
            skip = article.end() if article else 0
            return start + skip, end + 1, ""  # "a 16-year-old young carer" -> "a young carer"
        if nxt and nxt.group(0).endswith("ing") and nxt.group(0) not in _ING_NOUNS:
            nxt = None  # "a 14-year-old caring for his mum": the age is the noun
        if nxt and nxt.group(0) not in _FUNCTION_WORDS:
            # "an 87-year-old retired miner" -> "an older retired miner"
            adjective = self.words[f"age_{group}_adjective"]
            skip = article.end() if article and not opening else 0
            if opening:  # ". 87-year-old retired miner" -> ". An older retired miner"
                adjective = ("an " if _vowel(adjective) else "a ") + adjective if adjective else ""
            if not adjective:
                return start + skip, end + 1, ""
            return start + skip, end, adjective
        new = self.words[f"age_{group}"]
        if not article:
            new = new.split(" ", 1)[1]  # "the same 15 year old": keep the writer's article
        return start, end, self._person(new, quote) if article else new

    def _age_named(self, start: int, end: int) -> tuple[int, int, str]:
        """ "Mrs T was 84," -> "was elderly,": a named person's age as a plain adjective."""
        years = _age_years(self.lower[start:end]) or 0
        verb = self.lower[start:end].split()[0]
        group = "young" if years < 25 else "adult" if years < 65 else "older"
        return start, end, f"{verb} {self.words['age_predicate_' + group]}"

    def _award(self, start: int, end: int) -> tuple[int, int, str]:
        """ "got Player of the Match" -> "got an award", "has been named Young Carer of the
        Year for Wiltshire" -> "has been given an award", "his Duke of Edinburgh bronze" ->
        "his bronze award"."""
        m = _AWARD.match(self.text, start)
        award = self.words["award"]
        noun = _AWARD_NOUN.match(self.lower, end)
        if noun is not None:  # "a regional Young Carer of the Year award" -> "a regional award"
            return start, end + 1, ""
        if m is not None and m.group("verb"):
            return start, end, self.words["award_given"]
        if _POSSESSOR_BEFORE.search(self.lower, max(0, start - 6), start):  # "his", "the"
            level = m.group("level").lower() + " " if m is not None and m.group("level") else ""
            return start, end, level + award.split(" ", 1)[-1]
        return start, end, award

    def _festival(self, start: int, end: int) -> tuple[int, int, str]:
        """ "for Eid" -> "for a religious festival", "the Diwali party" -> "the festival party",
        "Eid Mubarak" -> "Happy holidays"."""
        greeting = _GREETING_AFTER.match(self.lower, end)
        if greeting is not None:
            return start, greeting.end(), self.words["festival_greeting"]
        if self.lower.endswith("happy ", 0, start):  # "Happy Diwali" -> "Happy holidays"
            return start, end, self.words["festival_greeting"].split(" ", 1)[-1]
        festival = self.words["festival"]
        noun = _NOUN_AFTER.match(self.lower, end)
        if (noun is not None and noun.group(1) not in _FUNCTION_WORDS) or (
            _FESTIVAL_SLOT.search(self.lower, max(0, start - 8), start)
        ):
            return start, end, festival.rsplit(" ", 1)[-1]
        return start, end, festival

    def _named_nature(self, start: int, end: int) -> tuple[int, int, str]:
        """ "on Lake Superior" -> "on the lake", "Loch Ness at dawn" -> "The loch at dawn"."""
        m = _NAMED_NATURE.match(self.text, start)
        return start, end, "the " + (m.group("head").lower() if m is not None else "lake")

    def _named_exams(self, start: int, end: int) -> tuple[int, int, str]:
        """ "sits her Highers" -> "sits her exams", "my Leaving Cert notes" -> "my exam notes"."""
        exams = self.words["exams"]
        if _EXAM_NOUN.match(self.lower, end):
            return start, end, exams.removesuffix("s")
        return start, end, exams

    def _emergency_room(self, start: int, end: int) -> tuple[int, int, str]:
        """ "an ER nurse" -> "an emergency nurse", "in the ER" -> "in the emergency room"."""
        if _ER_NOUN.match(self.lower, end):
            return start, end, self.words["emergency_room"].split(" ", 1)[0]
        return start, end, self.words["emergency_room"]

    def _faith(self, start: int, end: int) -> tuple[int, int, str]:
        """ "a Sikh taxi driver" -> "a taxi driver"."""
        return start, end, ""

    def _heritage(self, start: int, end: int) -> tuple[int, int, str]:
        """ "of mixed Somali and Welsh heritage" -> "of mixed heritage"; standing apart,
        "(Polish heritage, arrived" -> "(arrived"."""
        noun = _WORD.match(self.lower, end)
        listed = self._list_item(start, noun.end()) if noun is not None else None
        return listed or (start, end, "")

    def _division(self, start: int, end: int) -> tuple[int, int, str]:
        """ "a D1 school" -> "a school"."""
        return start, end, ""

    def _age_team(self, start: int, end: int) -> tuple[int, int, str]:
        """ "plays for the U14s" -> "plays for a local team", "the U14s final" -> "the final"."""
        m = _AGE_TEAM.match(self.text, start)
        if m is not None and m.group("noun"):
            the = self.text[start : start + 4].lower() == "the "
            return start + 4 if the else start, m.start("noun") + 1, ""
        return start, end, self.words["team"]

    def _public_past(self, start: int, end: int) -> tuple[int, int, str]:
        """ "Patient, 92, a former Olympic rower, and" -> "Patient, and": a public past
        points to one person; between commas it goes, elsewhere it is said in general."""
        return self._list_item(start, end) or (start, end, self.words["public_past"])

    def _service_past(self, start: int, end: int) -> tuple[int, int, str]:
        """ "an older former Wren who drove" -> "an older veteran who drove"."""
        return start, end, self.words["veteran"]

    def _dog_breed(self, start: int, end: int) -> tuple[int, int, str]:
        """ "keeps a Rottweiler" -> "keeps a big dog"."""
        return start, end, self.words["big_dog"]

    def _superhero(self, start: int, end: int) -> tuple[int, int, str]:
        """ "a Spider-Man mask" -> "a superhero mask"."""
        return start, end, self.words["superhero"]

    def _believed_figure(self, start: int, end: int) -> tuple[int, int, str]:
        """ "believes he's Jesus" -> "a religious figure", "believes he's the rightful Duke
        of Cornwall" -> "royalty"."""
        royal = any(word in _ROYAL_WORDS for word in self.text[start:end].split())
        return start, end, self.words["believed_royal" if royal else "believed_figure"]

    def _trade(self, start: int, end: int) -> tuple[int, int, str]:
        """ "Scaffolder from Pennywell, ya knaa" -> "From the area, ya knaa"."""
        return start, end, ""

    def _place_of_thing(self, start: int, end: int) -> tuple[int, int, str]:
        """ "a Hexham firm" -> "a local firm"."""
        return start, end, self.words["local"]

    def _place_of_kit(self, start: int, end: int) -> tuple[int, int, str]:
        """ "in a Wrexham kit" -> "in a football kit": a club's colours say where."""
        return start, end, self.words["club_kit"]

    def _place_of_event(self, start: int, end: int) -> tuple[int, int, str]:
        """ "over the Splott stabbing" -> "over the stabbing", "his first Riders game" ->
        "his first game"."""
        return start, end, ""

    def _tag_place(self, start: int, end: int) -> tuple[int, int, str]:
        """ "#Scunthorpe": gone from the run of tags that ends a post, else said as a place."""
        if _TAGS_ONLY.fullmatch(self.text, end):
            return start, end, ""
        return self._town(start, end)

    def _team(self, start: int, end: int) -> tuple[int, int, str]:
        """ "for the Redfern under-16s" -> "for a local team"."""
        return start, end, self.words["team"]

    def _named_landmark(self, start: int, end: int) -> tuple[int, int, str]:
        """ "off the Dunmore Viaduct" -> "off the viaduct": the name goes, the thing stays."""
        m = _NAMED_LANDMARK.match(self.text, start)
        if m is None:
            return start, end, self.text[start:end]
        if m.group("name1"):  # "to Kensington Palace" -> "to the palace"
            return start, m.end("head1"), "the " + m.group("head1").lower()
        return m.start("name"), m.end("head"), m.group("head").lower()

    def _proper_adjective(self, start: int, end: int) -> tuple[int, int, str] | None:
        """ "a Cornish fishing village" -> "a fishing village", "the Ukrainian nurse" -> "the
        nurse from abroad", "(girl, Eritrean, came over" -> "(girl, came over"."""
        m = _PROPER_ADJECTIVE.match(self.text, start)
        if m is None:
            return None
        home = m.group(1).lower() in _HOME_ORIGINS
        if m.group("speaking"):
            return start, end, "" if home else self.words["other_language"]
        listed = self._list_item(start, end)
        if listed is not None:
            return listed
        noun = _PLAIN_NOUN.match(self.text, end)
        if noun is not None and noun.group(1).lower() in _ROOTS:
            return self._list_item(start, noun.end(1))  # "(Polish heritage, arrived" -> "(arrived"
        if noun is None:
            return None if home else (start, end, self.words["from_abroad"])  # "she's Eritrean"
        if home or noun.group(1).lower() not in _PERSON_NOUNS:
            return start, noun.start(1), ""  # "Welsh cakes" -> "cakes"
        return start, noun.end(1), f"{noun.group(1)} {self.words['from_abroad']}"

    def _handle(self, start: int, end: int) -> tuple[int, int, str]:
        """An @handle: gone from a run of tags or a reply's opening, else "someone"."""
        text = self.text
        alone = _TAGS_ONLY.fullmatch(text, end) is not None or (
            _HANDLES_ONLY.fullmatch(text, 0, start) is not None
        )
        return start, end, "" if alone else self._person(self.words["name"], text[start:end])

    def _family_plural(self, start: int, end: int) -> tuple[int, int, str]:
        """ "the Hendersons" -> "a family"; "the Hendersons' oldest" -> "the family's oldest"."""
        new = self.words["family_plural"]
        if self.text[end : end + 1] in ("'", "’"):
            end += 1
            new = "the " + new.split(" ", 1)[-1] + "'s"
        return start, end, new

    def _named_lot(self, start: int, end: int) -> tuple[int, int, str]:
        """ "Hollinsby lot never learn" -> "That lot never learn"; "those Hollinsby lot" ->
        "those lot"."""
        if _DETERMINER_END.search(self.lower, max(0, start - 20), start):
            return start, end, ""
        return start, end, self.words["named_lot"]

    def _surname(self, start: int, end: int) -> tuple[int, int, str]:
        """ "the Mahmood kids" -> "the kids": the family name just goes; "our Walton family"
        (one on the caseload) -> "one of our families", not the writer's own."""
        if self.lower.endswith("our ", 0, start) and self.lower.startswith("family", end):
            return start - 4, end + len("family"), self.words["our_family"]
        return start, end, ""

    def _pseudonym(self, start: int, end: int) -> tuple[int, int, str]:
        """ "a girl I'll call Roisin" -> "a girl": the chosen name goes with its clause; a
        sentence that only gives the name ("I'll call her Mrs M.") goes whole."""
        text = self.text
        before = text[:start].rstrip()
        if text[end : end + 1] in (".", "!") and (not before or before[-1] in _SENTENCE_END):
            end += 1
            while text[end : end + 1] in (" ", "\n"):
                end += 1
        return start, end, ""

    def _unique(self, start: int, end: int) -> tuple[int, int, str] | None:
        """ "the only Somali family in the village", standing apart between commas or in
        brackets, just goes; inside a sentence it stays for the re-check to judge."""
        text = self.text
        if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
            return start - 1, end + 1, ""
        return self._list_item(start, end) or self._few(start)

    def _only_one(self, start: int, end: int) -> tuple[int, int, str]:
        """ "Only one family on the whole of X has" -> "One family on X has"."""
        return start, end, "One" if self.text[start].isupper() else "one"

    def _whole_of(self, start: int, end: int) -> tuple[int, int, str]:
        """ "on the whole of Larkspur Close" -> "on a nearby street": one place, no emphasis."""
        return start, end, ""

    def _few(self, start: int) -> tuple[int, int, str] | None:
        """ "the only Black child in his school" -> "one of the few Black children in his
        school": still true, and no longer points at one person."""
        only = _THE_ONLY.match(self.text, start)
        if only is None:
            return None
        words = only.group("noun").split()
        head = words[-1]
        plural = _PLURALS.get(head.lower(), head + ("es" if head.endswith(("s", "x")) else "s"))
        few = self.words["one_of_few"]
        kept: list[str] = []
        abroad = ""
        for word in words[:-1]:
            origin = _PROPER_ADJECTIVE.fullmatch(word)
            if origin is None or origin.group(1).lower() not in _ORIGIN_WORDS:
                kept.append(word)
            elif origin.group("speaking"):  # "Polish-speaking" -> "non-English-speaking"
                kept.append(self.words["other_language"])
            elif origin.group(1).lower() not in _HOME_ORIGINS:
                abroad = " " + self.words["from_abroad"]  # "families from abroad"
        return start, only.end(), " ".join([few, *kept, plural]) + abroad

    def _institution(self, start: int, end: int, word: str) -> tuple[int, int, str]:
        """A named hospital or court: "at Singleton Hospital" -> "at the hospital"."""
        before = self.lower[max(0, start - 4) : start]
        new = self.words[word]
        if before.endswith(("the ", "a ", "an ")):
            return start, end, new.split(" ", 1)[-1]
        return start, end, new

    def _hospital(self, start: int, end: int) -> tuple[int, int, str]:
        return self._institution(start, end, "hospital")

    def _court(self, start: int, end: int) -> tuple[int, int, str]:
        return self._institution(start, end, "court")

    def _university(self, start: int, end: int) -> tuple[int, int, str]:
        return self._institution(start, end, "university")

    def _prison(self, start: int, end: int) -> tuple[int, int, str]:
        return self._institution(start, end, "prison")

    def _ages_plural(self, start: int, end: int) -> tuple[int, int, str]:
        """ "twin 3yos" -> "twin young children"."""
        return start, end, self.words["ages_plural"]

    def _school_year(self, start: int, end: int) -> tuple[int, int, str]:
        """ "in P6" -> "in primary school", "S3" -> "secondary school" (Scottish years)."""
        key = "primary_school" if self.text[start] == "P" else "secondary_school"
        return start, end, self.words[key]

    def _ages(self, start: int, end: int) -> tuple[int, int, str]:
        """ "the kids are 2 & 5" -> "the kids are young"."""
        return start, end, " " + (self.words["age_young_adjective"] or "young")

    def _regnal(self, start: int, end: int) -> tuple[int, int, str]:
        """ "got into King Edward VII" -> "got into a school", "at Queen Mary's" -> "at school";
        a hospital where the post speaks of wards, beds, patients ("in the Queen Elizabeth")."""
        if self.lower.endswith("the ", 0, start) or _HOSPITAL_CUES.search(self.lower):
            # "in the Princess of Wales", "Bed manager at Queen Adelaide told me"
            return self._institution(start, end, "hospital")
        school = self.words["school"]
        at = self.lower.endswith("at ", 0, start)
        return start, end, school if at else ("an " if _vowel(school) else "a ") + school

    def _school(self, start: int, end: int) -> tuple[int, int, str]:
        return start, end, self.words["school"]

    def _church(self, start: int, end: int) -> tuple[int, int, str]:
        return start, end, self.words["church"]

    def _adjectival(self, end: int) -> bool:
        return _PLACE_NOUN.match(self.text, end) is not None

    def _street(self, start: int, end: int) -> tuple[int, int, str]:
        if self._adjectival(end):
            return start, end, self.words["local"]
        return start, end, self._person(self.words["street"], self.lower[start:end])

    def _estate(self, start: int, end: int) -> tuple[int, int, str]:
        if self._adjectival(end):
            return start, end, self.words["local"]
        return start, end, self._person(self.words["estate"], self.lower[start:end])

    def _setting(self, start: int, end: int) -> tuple[int, int, str]:
        quote = self.lower[start:end]
        for setting in _SETTINGS:
            if quote.endswith(setting):
                return start, end, ("an " if _vowel(setting) else "a ") + setting
        return start, end, self.words["setting"]

    def _address(self, start: int, end: int) -> tuple[int, int, str]:
        return start, end, self.words["address"]

    def _number(self, start: int, end: int) -> tuple[int, int, str]:
        quote = self.lower[start:end]
        words = quote.split()
        prep = words[0] if words[0] in ("at", "in") else ""
        if "room" in words or "bed" in words:
            noun = "a room" if "room" in words else "a bed"
            return start, end, f"{prep} {noun}".strip()
        return start, end, self.words["nearby"] if prep else self.words["address"]

    def _town(self, start: int, end: int) -> tuple[int, int, str]:
        text = self.text
        window_start = max(0, start - 20)
        isle = _ISLE_BEFORE.search(text, window_start, start)
        if isle:
            return isle.start(), end, self.words["island"]
        if self._adjectival(end):
            prep = _PREP_BEFORE.search(text, window_start, start)
            if not prep or prep.group(2):  # "at the Bridge St flats" -> "at the local flats"
                return start, end, self.words["local"]  # "the Bexford area", "a small X town"
            local = self.words["local"]
            return start, end, ("an " if _vowel(local) else "a ") + local  # "in a local city"
        region = _REGION_BEFORE.search(self.lower, window_start, start)
        if region is not None:  # "in rural Georgia" -> "in the area"
            start = region.start()
        suffix = text[end - 2 : end] if text[end - 2 : end] in ("'s", "’s") else ""
        prep = _PREP_BEFORE.search(text, window_start, start)
        after = _NOUN_AFTER.match(self.lower, end) if suffix else None
        if suffix and prep is not None and prep.group(1).lower() in ("in", "at") and (
            after is None or after.group(1) in _FUNCTION_WORDS
        ):  # "a gig in Hennessy's on Friday": a venue named after its owner
            return prep.start(2) if prep.group(2) else start, end, self.words["venue"]
        if prep is None:
            return start, end, self.words["area"] + suffix
        word = prep.group(1).lower()
        at = prep.start()
        if word == "of" and _CONTAINER_BEFORE.search(self.lower, max(0, at - 12), at):
            return start, end, self.text[start:end]  # "a bottle of Glenmorangie": a drink
        if word in ("near", "outside", "on", "off") or (
            self.area_used and word in ("in", "from", "at")
        ):
            return prep.start(), end, self.words["nearby"] + suffix
        if word == "at":
            return prep.start(), end, self.words["locally"] + suffix
        self.area_used = True
        return prep.start(2) if prep.group(2) else start, end, self.words["area"] + suffix

    def _landmark(self, start: int, end: int) -> tuple[int, int, str] | None:
        quote = self.lower[start:end]
        if not quote.startswith(_LANDMARK_STARTS):
            return None  # "the flats", "in the village": ordinary words, kept
        if quote.endswith((" the", " from", " to", " of")) or quote in ("beside", "behind"):
            obj = _LANDMARK_OBJECT.match(self.text, end)
            if obj is not None:
                end = obj.end()
        return start, end, self.words["nearby"]

    def _time(self, start: int, end: int) -> tuple[int, int, str] | None:
        if _COPULA_BEFORE.search(self.lower, max(0, start - 16), start) and not (
            _WHERE_AFTER.match(self.lower, end)
        ):  # ("contact is Saturdays at the family centre" is a visit's time: it goes)
            return None  # "his birthday is next week", "another Monday": no visit's time
        noun = _TIME_NOUN.search(self.lower, start, end)
        if noun is not None:  # "Sunday visit" -> "visit"
            return start, noun.start() + 1, ""
        if _POSSESSOR_BEFORE.search(self.lower, max(0, start - 6), start) and (
            _NOT_NOUN_AFTER.match(self.lower, end)
        ):  # "the mum from my 9am posted" -> "from my visit": the time stood for the visit
            return start, end, self.words["time_noun"]
        return start, end, ""

    def _list_item(self, start: int, end: int) -> tuple[int, int, str] | None:
        """A detail standing alone between commas ("ex-army, PTSD, lives ...") just goes,
        with one of the commas around it."""
        text = self.text
        opening = _LIST_ITEM_BEFORE.search(text, max(0, start - 3), start)
        closing = _LIST_ITEM_AFTER.match(text, end)
        if not opening or not closing:
            return None
        if text[end : closing.end()].strip() == ",":
            return start, closing.end(), ""  # "X, ex-miner, lives" -> "X, lives"
        if text[opening.start() : start].strip() == ",":
            return opening.start(), end, ""  # "X, ex-miner." -> "X."
        return None

    def _occupation(self, start: int, end: int) -> tuple[int, int, str] | None:
        return self._list_item(start, end)

    def _condition(self, start: int, end: int) -> tuple[int, int, str] | None:
        before = self.lower[max(0, start - 8) : start]
        if before.endswith("in a "):  # "a dad in a wheelchair" -> "a dad with a disability"
            return start - 5, end, self.words["condition_aid"]
        if self.lower[start:end] in self.keep_conditions:
            return self._list_item(start, end)  # "pregnant", "diabetic": adjectives
        slot = _CONDITION_SLOT.search(before)
        if slot is None:
            return self._list_item(start, end)  # "pregnant with her second": no noun slot
        if slot.group(0)[0] in "'’":  # "grandad's dementia" -> "grandad's health condition"
            return start, end, self.words["condition"].split(" ", 1)[-1]
        return start, end, self.words["condition"]

    def _origin(self, start: int, end: int) -> tuple[int, int, str] | None:
        quote = self.lower[start:end]
        if quote.startswith("from "):
            return start, end, ""
        if quote.endswith(" family"):  # "a travelling family" -> "a family"
            return start, end, "family"
        return None

    def _whole_brackets(self, ident: Ident) -> Ident:
        """A span never takes half a bracket: "(15" of "(15, autistic)" is "15"."""
        kind, start, end = ident
        quote = self.text[start:end]
        if quote.startswith("(") and ")" not in quote:
            start += 1
        if quote.endswith(")") and "(" not in quote:
            end -= 1
        return kind, start, end

    # --- joining -------------------------------------------------------------------------

    def run(self, idents: list[Ident]) -> str:
        replacements: list[tuple[int, int, str, str]] = []
        ordered = sorted(map(self._whole_brackets, idents), key=lambda i: (i[1], -i[2]))
        for kind, start, end in ordered:
            if replacements and start < replacements[-1][1]:
                s, e, new, previous = replacements[-1]
                if previous == kind == "time" and end > e:  # "on Tuesday" + "Tuesday at 10am"
                    replacements[-1] = (s, end, new, previous)
                continue
            found = self.replace(kind, start, end)
            if found is None:
                continue
            s, e, new = found
            if replacements and s < replacements[-1][1]:
                s = replacements[-1][1]
            replacements.append((s, e, new, kind))
            if len(replacements) == _MAX_REWRITES:  # a rewrite is for a post, not a book
                break
        return self._join(replacements)

    def _join(self, replacements: list[tuple[int, int, str, str]]) -> str:
        text = self.text
        out = ""
        last = 0
        previous_place_end = -1
        seams: list[tuple[int, int]] = []
        for start, end, new, kind in replacements:
            gap = text[last:start]
            # ("a local team" says where: "for a local team nearby" -> "for a local team")
            place = kind in (
                "town", "street", "estate", "landmark", "number", "address", "team", "age_team"
            )
            if place and previous_place_end == last and _PLACE_GAP.match(gap):
                new = ""  # "nearby in the area" -> "nearby": one place is enough
                gap = ""
            before = out + gap
            if new:
                before, new = self._fit(before, new)
                end = self._skip_repeat(new, end)
                if new.lower() in _ONCE and _last_word(before) == new.lower():
                    new = ""  # "school St Anne's" -> "school", not "school school"
            else:
                before, end = self._close_gap(before, start, end, kind)
            out = before + new
            if not new:
                seams.append((len(before), len(out)))
            last = end
            if place:
                previous_place_end = end
            if not new and out.rstrip()[-1:] in _SENTENCE_END:
                rest = text[last:]
                lead = len(rest) - len(rest.lstrip())
                text = text[:last] + rest[:lead] + rest[lead : lead + 1].upper() + rest[lead + 1 :]
        out += text[last:]
        out = _tidy(out, seams)
        if "  " in out or "\t" in out:
            out = _SPACES.sub(" ", out)
        for needed, pattern, replacement in _PAIRS:
            if needed in out:
                out = pattern.sub(partial(_same_case, replacement), out)
        out = _LEADING_JUNK.sub("", out).strip()
        return out[:1].upper() + out[1:]

    def _skip_repeat(self, new: str, end: int) -> int:
        """Past the same placeholder word right after: "St Anne's school" -> "school"."""
        word = new.rsplit(" ", 1)[-1].lower()
        if word in _ONCE:
            lower = self.lower
            probe = " " + word
            stop = end + len(probe)
            if lower.startswith(probe, end) and not (stop < len(lower) and lower[stop].isalnum()):
                return stop
        return end

    def _fit(self, before: str, new: str) -> tuple[str, str]:
        """Join a placeholder to the words before it: articles, adjectives, capitals."""
        if new.startswith(("a ", "an ")):
            adjective = _NAME_ADJECTIVE.search(before, max(0, len(before) - 10))
            if adjective:  # "little Kacey" -> "a young person", "old Mr Reid" -> "an older man"
                old = adjective.group(1).lower() in ("old", "auld")
                before = before[: adjective.start()]
                if old and new in ("a man", "a woman", "someone", "a young person"):
                    new = "an older " + new.split(" ", 1)[-1].replace("young ", "")
        tail = _TAIL_WORD.search(before, max(0, len(before) - 8))
        head = new.split(" ", 1)
        if tail and len(head) == 2 and head[0] in ("a", "an", "the", "another"):
            if tail.group(1).lower() in ("a", "an", "the", "this", "that"):
                before = before[: tail.start(1)]  # "the a nearby street" -> "a nearby street"
            elif head[0] != "another":
                new = head[1]  # "her a health condition" -> "her health condition"
        article = _A_AN.search(before, max(0, len(before) - 4))
        if article:
            want = "an" if _vowel(new) else "a"
            if article.group(1).lower() != want:
                word = want.capitalize() if article.group(1)[0] == "A" else want
                before = before[: article.start(1)] + word + before[article.end(1) :]
        if (
            not before.rstrip()
            or _SENTENCE_BEFORE.search(before, max(0, len(before) - 24))
            or _QUOTE_OPENS.search(before, max(0, len(before) - 4))
        ):
            new = new[:1].upper() + new[1:]
        if before and (before[-1].isalnum() or before[-1] in ",;:"):
            before += " "
        return before, new

    def _close_gap(self, before: str, start: int, end: int, kind: str) -> tuple[str, int]:
        """Remove an identifier without leaving a dangling word or doubled punctuation."""
        text = self.text
        quote = self.lower[start:end]
        if kind in ("time", "age", "origin") and quote.split(" ", 1)[0] not in _DROP_PREPS:
            last = _LAST_WORD.search(before, max(0, len(before) - 16))
            whole = last is not None and before[last.start() - 1 : last.start()] in (" ", "")
            if last and whole and last.group(1).lower() in _DROP_PREPS:
                before = before[: last.start()]  # "visit on Tuesday" -> "visit"
        before = before.rstrip(" ")
        nxt = text[end : end + 1]
        if nxt == "," and before.endswith(","):
            word_after = _WORD.match(self.lower, end + 2)
            if word_after is None or word_after.group(0) in _LIST_ENDS:
                end += 1  # "TJ, 9, are" -> "TJ are"
                before = before[:-1]
            else:
                end += 1  # "Mr Jenkins, 91, veteran" -> "a man, veteran"
        elif nxt in (".", "!", "?") and before.endswith((".", "!", "?")):
            end += 1  # "packed in. In November. Thanks" -> "packed in. Thanks"
        elif nxt in (",", ".", ";", ":", "!", "?", ")") and before.endswith((",", "(")):
            if before.endswith("(") and nxt == ")":
                end += 1  # "(15, autistic)" with both gone: the brackets go too
            before = before[:-1]
        elif before and before[-1] not in "([" and nxt not in _NO_SPACE_BEFORE:
            before += " "
        article = _A_AN.search(before + " ", max(0, len(before) - 3))
        if article:
            following = text[end:].lstrip()
            want = "an" if _vowel(following) else "a"
            if following and article.group(1).lower() != want:
                word = want.capitalize() if article.group(1)[0] == "A" else want
                before = before[: article.start(1)] + word + before[article.end(1) :]
        return before, end


# --- the net: identifiers the checker's rules may not have pointed at -----------------------

_HANDLE = re.compile(r"(?<![\w@])@\w{1,30}")
_HANDLE_SURNAME = re.compile(r" ([A-Z][a-z]+(?:['’][A-Z][a-z]+)?(?:-[A-Z][a-z]+)?)(?![\w-])")
_NAME_WORD_ONLY = re.compile(r"[A-Z][a-z]+")
# Whose someone is after a possessive: "Shannon's real mum" names a person, not a river.
_KIN_AFTER = re.compile(
    r"['’]s\s+(?:real\s+|birth\s+|own\s+|little\s+|new\s+|old\s+)?(?:mum|mam|mom|mother|dad"
    r"|father|nan|gran|nana|grandma|grandad|brother|sister|son|daughter|baby|boyfriend"
    r"|girlfriend|partner|foster\s+carers?|carers?|social\s+worker|teacher)\b"
)
_HANDLES_ONLY = re.compile(r"(?:\s*@\w+)*\s*")
_TAGS_ONLY = re.compile(r"(?:\s*[@#]\w+)*\s*[\W_]*")
# (after an opening quote too: "signed it 'Jayden, 9'"; not "O'Neill")
_GIVEN = re.compile(r"(?<![\w@#’-])(?<!\w')([A-Z][a-zà-ÿ]+(?:-[A-Z]?[a-zà-ÿ]+)?)(?![\w-])")
# A surname, or its initial inside a sentence ("Niamh O., on"; "Amy B. She" ends one).
_SURNAME_AFTER = re.compile(
    r" (?:([A-Z][a-z'’]+(?:-[A-Z][a-z]+)?)(?![\w'’-])|[A-Z]\.(?=[,;:)]|\s+[a-z]))"
)
_TITLE = re.compile(
    r"(?<![\w-])(?:[Mm]r|[Mm]rs|[Mm]s|[Mm]iss|M[Xx])\.?\s+(?:[A-Z][\w-]*(?:['’][\w-]+)*)(?![\w-])"
)
_INITIAL_PAIR = re.compile(
    r"(?<![\w&'’.-])(?!A&E|B&B|B&Q|M&S|P&O|R&D|H&M|A&P)[A-Z]\.?\s*(?:&|and)\s*[A-Z]\.?(?![\w&'’-])"
)
_INITIALS = re.compile(
    r"(?<![\w&'’.@#/+-])(?:[A-Z]\.){2,3}(?![\w&])|(?<![\w&'’.@#/+:;=-])([A-Z]{1,3})\.?"
    r"(?![\w&+/-]|['’](?![s]\b))"  # "JB's dad": a possessive stays; ":D" is a grin
)
# Initials in quotes, as a post disguises a person: "'R' was the youngest", "'L (14) back".
_QUOTED_INITIALS = re.compile(
    r"(?<![\w'’])['‘\"“](?P<ini>[A-Z]{1,2})(?:['’\"”](?![\w'’])|(?=\s*\(\d{1,2}\)))"
)
# Words before a single capital that make it a label, not a person: "Plan B", "Year 9".
_LABEL_BEFORE = re.compile(
    r"(?:plan|vitamin|type|year|section|ward|block|flat|room|grade|class|category|tier|level"
    r"|hep|hepatitis|unit|part|stage|bay|wing|floor|gate|platform|bed|group|team|band|zone"
    r"|appendix|form|schedule|option|step|point|route|row|size|number|no\.?|letter|exhibit"
    r"|question|q|vs|v|b&b|mr|mrs|ms|miss|dr)\s+$",
    re.IGNORECASE,
)
_CAPITALISED_BEFORE = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]+)\s$")
_NOT_INITIALS = frozenset({"A", "I", "X", "O", "OK", "TV", "US", "UK", "AM", "PM", "ID", "OR"})
# A capitalised word right after a person noun: "my worker Tash", "a homeless man, Kev,".
_ROLE_NAME = re.compile(
    r"\b(?:worker|colleague|client|manager|student|service\s+user|foster\s+(?:child|son"
    r"|daughter)|son|daughter|lad|lass|girl|boy|man|woman|gent|lady|fella|bloke|kid|resident"
    r"|patient|tenant|carer|mum|dad|mam|nan|gran|brother|sister)(?:,\s|\s)"
    r"(?P<name>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?=[\s,.;:!?)'’]|$)"
)
# "a family called the Hendersons": the naming clause goes.
_CALLED = re.compile(r"\s(?:called|named)\s+(?:the\s+)?([A-Z][a-z'’]+)(?![\w-])")
_FAMILY_SURNAME = re.compile(
    r"\bthe\s+(?:(?:\d+|two|three|four|five|six|wee|little|young|poor)\s+)*"
    r"([A-Z][a-z'’]+(?:-[A-Z][a-z]+)?(?:['’]s)?\s)(?=(?:kids|children|family|families"
    r"|twins|boys|girls|lads|brothers|sisters|household|lot|clan|case|siblings|sibs|woman|man"
    r"|lady|fella|bloke|boy|girl|lad|lass|kid|mum|dad|mam|baby|house|home)\b)"
)
# "Hollinsby lot never learn", "if Dee's lot come near": people named by their family, their
# street or whose they are ("the Mahmood lot" is _FAMILY_SURNAME's).
_NAMED_LOT = re.compile(
    r"(?<![\w'’-])(?<!the\s)(?<!The\s)(?P<word>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?P<own>['’]s)?"
    r"\s+lot\b(?!\s+(?:of|more|less|better|worse)\b)"
)
_NOT_A_LOT = frozenset(
    {"That", "This", "Your", "Our", "Their", "His", "Her", "My", "Whole", "Which", "What",
     "Another", "Same", "Other", "Last", "Next", "First", "Big", "Good", "Bad", "Old", "New",
     "Entire", "Those", "These", "Whose", "Every", "Any", "Some", "Such", "Sorry", "Thanks",
     "Yous", "Youse", "Ye", "Yez", "Yiz", "You"}
)
_DETERMINER_END = re.compile(
    r"\b(?:the|those|these|that|this|a|an|my|our|your|his|her|their)\s+(?:[a-z]+\s+)?$"
)
# "our Walton family": a family on the caseload, named by its surname.
_OUR_FAMILY = re.compile(r"\bour\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?\s)(?=family\b)")
# "the 4 wee Murphys", "the two little Kellys": a counted family named by its surname.
_FAMILY_COUNTED = re.compile(
    r"\bthe\s+(?:(?:\d+|two|three|four|five|six|seven|eight|wee|little|young|poor|wild)\s+)+"
    r"([A-Z][a-z'’]+s)\b"
)
_PSEUDONYM = re.compile(
    r",?\s*(?i:who\s+|whom\s+)?(?i:i['’]ll|i\s+will|we['’]ll|let['’]s)\s+call\s+(?i:him|her|them)?\s*"
    r"['‘\"]?(?:(?:Mrs|Mr|Ms|Miss)\.?\s+)?[A-Z][\w'’-]*['’\"]?",
)
# The dot of "Nov.", "st.": taken with the word, unless it ends the sentence too.
_ABBREVIATION_DOT = r"(?:\.(?!\s+(?-i:[A-Z])|\s*$))?"
_STREET = re.compile(
    r"(?<![\w'’-])(?:[A-Z][a-z'’-]+\s+){1,2}(?:Rd|St|Ave|Av|Cres|Ln|Dr|Pl|Sq|Gdns|Tce|Road"
    r"|Street|Lane|Avenue|Way|Drive|Terrace|Crescent|Grove|Place|Row|Walk|Gardens|Close|Mews"
    r"|Rise|Parade|Square|Brae|Wynd|Vennel|Boulevard|Blvd|Brow)\b(?!\s+[A-Z][a-z])"
    r"|\b(?:Highway|Route|Interstate|Hwy)\s?\d+\b|\bI-\d+\b"
    # "on Brook st", "off Lowther rd": the name capitalised, the short word for a street not
    # ("Long road", "Main street" are no names)
    r"|(?<![\w'’-])(?P<lower>[A-Z][a-z'’-]+)\s+(?:st|rd|ave)\b" + _ABBREVIATION_DOT + r"(?![\w'’-])"
)
# Welsh, Irish and Scottish Gaelic street names: "Heol y Gors", "Bóthar an Chladaigh".
_GAELIC_STREET = re.compile(
    r"(?<![\w'’-])(?:Heol|Ffordd|Stryd|Lon|Lôn|Rhodfa|Sràid|Bothar|Bóthar|Sráid)\s+"
    r"(?:(?:y|yr|an|na)\s+)?[A-Z][\w'’-]+"
)
_HOUSE_NUMBER = re.compile(r"(?<![\w.,:])\d{1,4}[a-z]?,?\s+$")
_HOSPITAL = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’.-]*\s+){1,3}(?:Hospital|Infirmary|Medical\s+Centre"
    r"|Medical\s+Center|Health\s+Centre)\b"
    r"|(?<=\bthe\s)VA(?:\s+(?:hospital|Hospital|medical\s+center|Medical\s+Center))?\b"
    r"|(?<![\w'’-])(?:the\s+)?Royal\s+(?!Navy\b|Marines?\b|Air\s+Force\b|Mail\b|Engineers\b"
    r"|Artillery\b|Signals\b|Corps\b|Regiment\b|Logistic\b|Family\b|Highness\b|British\b"
    r"|Legion\b|Society\b|Academy\b|College\b|Court\b|Ballet\b|Opera\b|Mint\b"
    r"|Household\b|Variety\b|Scots\b|Welsh\b|Irish\b|Anglian\b|Tank\b|Horse\b|Ulster\b"
    r"|Wedding\b|Visit\b|Show\b|Mile\b|Ascot\b|Warrant\b|Charter\b)"
    r"[A-Z][\w'’-]+(?:\s+(?:Hospital|Infirmary))?"
)
_COURT = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’-]*\s+){0,2}(?:Sheriff|Crown|Magistrates['’]?|County|Family"
    r"|Youth|District|Juvenile|High|Circuit|Superior|Children['’]s|Supreme)\s+Court\b"
)
_PRISON = re.compile(
    r"(?<![\w'’-])(?:HMP|HMYOI|HM\s+Prison)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
    r"|(?<![\w'’-])[A-Z][\w'’-]+\s+(?:(?i:prison|jail|gaol)|YOI|Penitentiary|Correctional)\b"
)
_SCHOOL = re.compile(
    r"(?<![\w'’-])(?:Ysgol|Scoil|Gaelscoil|Coláiste|Colaiste)(?:\s+[A-Z][\w'’-]*){1,3}"
    r"|(?<![\w'’-])(?:[A-Z][\w'’.-]*\s+){1,3}(?:Academy|Primary|High|School|College|Grammar"
    r"|Infants|Juniors|Comprehensive|Elementary|Middle)\b(?:\s+School)?"
)
_UNIVERSITY = re.compile(
    r"(?<![\w'’-])(?:[A-Z][\w'’.-]*\s+){1,2}University\b|\bUniversity\s+of\s+[A-Z][\w'’-]+"
)
_SETTING = re.compile(
    r"(?<![\w'’-])(?:[A-Z][a-z'’-]+\s+){1,2}(?:Lodge|Manor|Grange)\b"
    r"|(?<![\w'’-])(?<!\ba\s)(?:[A-Z][a-z'’-]+\s+){1,2}(?:House|(?i:family\s+centre|contact\s+centre"
    r"|children['’]s\s+home|care\s+home|nursing\s+home|day\s+centre|hostel|refuge))\b"
)
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|from|fae|frae|near|outside|off|to|at|around|round|nr|of|towards|past|lives|moved"
    r"|moving|through|via|across)\s+(?:(?:rural|eastern|western|northern|southern|north|south|east|west|central"
    r"|inner[- ]city|outer|greater|upstate|downtown|small[- ]town|the\s+(?:north|south|east"
    r"|west)\s+of)\s+)?)$",
    re.IGNORECASE,
)
_ADJ_PLACE = re.compile(
    r"\b(?:small|tiny|little|rural|remote|quiet|sleepy|local|coastal|former|mining|market)\s+"
    r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?:town|village|city|county|community|island"
    r"|parish|suburb|estate)\b"
)
_LIST_PLACE = re.compile(r"(?<=[a-z0-9],\s)([A-Z][a-z]+)(?=,\s[a-z]|\))")
# A place named as what a thing belongs to: "a Hexham firm", "the Lakewood mall", "a Wrexham
# kit", "the Splott stabbing". The place goes; the thing stays ("a local firm", "a football
# kit", "the stabbing").
_PLACE_OF_THING = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Hh]is|[Hh]er|[Tt]heir|[Mm]y|[Oo]ur)\s+(?:(?:first|last|next|big|old|same)\s+)?"
    r"(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:(?P<local>firm|company|business|factory"
    r"|employer|charity|mall|shopping\s+centre|retail\s+park|leisure\s+centre|plant|depot"
    r"|warehouse|call\s+centre|hotel|guest\s+house|caravan\s+park|campsite)|(?P<kit>kit|strip"
    r"|jersey|shirt|scarf)|(?P<event>stabbing|shooting|murder|riot|robbery|arson|blaze|fire|crash"
    r"|attack|raid|killing|assault|game|match|fixture|flat|bungalow|maisonette|tower\s+block))\b"
)
_KIN_WORDS = frozenset(
    {"Grandma", "Grandad", "Grandpa", "Granny", "Nana", "Nanna", "Nan", "Gran", "Mum", "Mam",
     "Mom", "Dad", "Auntie", "Aunty", "Uncle", "Nanny", "Grandmother", "Grandfather"}
)
_FROM_APART = re.compile(r"[,(]\s*from\s+$")
# Where something happened: "the house fire on Gratiot", "the crash on the Connector".
_EVENT_ON = re.compile(
    r"\b(?:fire|crash|stabbing|shooting|accident|incident|collision|attack|robbery|raid|riot"
    r"|standoff|pile-up)\s+on\s+(?:the\s+)?(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?![\w'’-])"
)
_TAG_PLACE = re.compile(r"(?<![\w#&])#(?P<word>[A-Z][a-z]+)(?![\w'’-])")
_PLACE_WORD = re.compile(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?")
# The first word of many two-word places, which alone is an ordinary word: "Great Yarmouth".
_PLACE_PREFIXES = frozenset(
    {"Great", "Little", "North", "South", "East", "West", "Upper", "Lower", "Old", "New", "Long",
     "Market", "Kings", "King's", "Bishops", "Bishop's", "Nether", "High", "Much", "Castle"}
)
# A capitalised word and "of" before a capitalised one: a title ("Court of Protection",
# "Player of the Match") unless the head word makes it a place.
_LABEL_AFTER = re.compile(r"\s+\d{1,3}(?![\w.:])")  # "Year 9", "Section 42", not "Darwin 600km"
_TITLE_AFTER = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
_ONE_MORE = re.compile(r"\s+([A-Z][a-z]+)(?![\w'’-])")
_TITLE_OF = re.compile(r"\b([A-Z][a-z]+)\s+of\s+(?:the\s+)?$")
_PLACE_HEADS = frozenset(
    {"Isle", "Island", "Isles", "City", "County", "Borough", "Vale", "Forest", "Kingdom", "Bay",
     "Port", "Firth", "Valley", "Town", "Village", "Republic", "State", "Province", "Parish",
     "District", "Mayor", "Mayoress", "Provost", "Lord", "Lady", "North", "South", "East",
     "West", "Centre", "Heart", "Edge", "Outskirts", "Rest", "Most", "Half", "All", "Some",
     "Part", "Parts", "Middle", "Top", "Bottom", "Side", "End", "Shores", "Banks"}
)
_AGE_EXACT = re.compile(
    r"\b(?:he|she|they|who|which|and|shes|hes)"
    r"(?:['’]s|['’]re|\s+is|(?<=shes)|(?<=hes)|\s+was|\s+were|\s+are|\s+turned"
    r"|\s+turns|\s+had\s+just\s+turned|\s+has\s+just\s+turned)\s+(?:only\s+|just\s+|now\s+)?"
    r"(?P<age>(?:\d{1,2}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ]\w+)?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen))(?![\w:%]|[.:]\d|\s*(?:am|pm|weeks?|months?"
    r"|days?|minutes?|mins?|hours?|hrs?|times?|x|kids|children|miles|quid|pounds|k|percent"
    r"|of|o['’]clock|in|out|other|too|more|people|till|til|until|to|-|–|(?:and|or|&)\s*\d"
    r"|years?\s+(?:ago|since|in|into|on|qualified)))",
    re.IGNORECASE,
)
# "Mum's 24.": a parent's age, only where the clause ends after it ("Mum's 3 bed flat").
_AGE_KIN = re.compile(
    r"\b(?:mum|dad|mam|mom|mommy|mummy|mammy|ma|da|mother|father|nan|gran)(?:['’]s|\s+is"
    r"|\s+was)\s+(?:only\s+|just\s+)?"
    r"(?P<age>\d{1,2}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty)(?:-\w+)?|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen)(?=\s*(?:[.,;!?)]|$|\s+(?:and|but|so|now|with|herself|himself"
    r"|years?\s+old)\b))",
    re.IGNORECASE,
)
# "3 kids, 9, 7 and 4", "brother and sister 7 and 5", "kids 2 & 5": the ages of a family.
_KIN_AGES = re.compile(
    r"\b(?:kids|children|boys|girls|twins|sister|brother|sons|daughters|siblings|ones|grandkids"
    r"|weans|bairns)(?:\s+(?P<are>are|were))?"
    r"(?P<ages>,?\s+(?:aged\s+)?\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})+)"
    r"(?!\s*(?:am|pm|weeks|months|years|hours|days|miles|times))\b"
)
# "Youngest is 8 months", "the baby's 6 weeks": an age said of one child of several.
_AGE_INFANT = re.compile(
    r"\b(?:youngest|eldest|oldest|baby|little\s+one|middle\s+one)(?:(?P<own>['’]s)|\s+(?P<verb_at>is|was))"
    r"\s+(?P<age>\d{1,2}\s*(?:weeks?|wks?|months?|mths?|days?)(?:\s+old)?|\d{1,2}(?=[\s,.;!?]|$))"
)
# "Mrs T was 84,", "Paddy is 90.": a named person's age (the name is the checker's).
_AGE_NAMED = re.compile(
    r"\b(?P<who>(?:Mrs|Mr|Ms|Miss)\.?\s+[A-Z][\w'’]*|[A-Z][a-z]+|[A-Z])\s+(?P<verb>is|was)\s+"
    r"(?P<age>\d{1,2})(?=\s*[,.;!?]|\s*$|\s+(?:and|but|now|with|when|today)\b)"
)
# First names the lexicon does not know, told by the words around them: "Phoned Mared on",
# "service user of mine, Pádraig, is", "Paddy from the flats rang".
_NAME_WORD = r"[A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?"
_NAME_CONTACT = re.compile(
    r"(?<![\w'’-])(?i:phoned|rang|rung|texted|messaged|called|visited|met)\s+(?P<name>"
    + _NAME_WORD + r")(?=\s+[a-z]|\s*[,.!?]|$)"
)
_NAME_APPOSITION = re.compile(r"\bof\s+(?:mine|ours),\s(?P<name>" + _NAME_WORD + r"),\s")
_NAME_FROM = re.compile(
    r"(?P<name>" + _NAME_WORD + r")\s+from\s+(?:(?:down|up|across|over|round)\s+)?the"
    r"(?:\s+[a-z][\w'’-]*)?" + _PLACE_NOUN.pattern  # "from the flats", not "from the King"
)
# "Took Rhodri (24, Down's)", "Darnell, 19, is": a capitalised word with an age after it.
_NAME_AGED = re.compile(
    r"(?P<name>" + _NAME_WORD + r")(?:\s*\((?:aged\s+)?|,\s)\d{1,2}"
    r"(?=\s*(?:[,)]|yo\b|y/o\b|yrs?\b|years?\b))"
)
# Whose family someone is: "Brought Destiny's little brother a gift" (a name the lexicon may
# not hold, or a word that is also a name).
_NAME_KIN = re.compile(
    r"(?<![\w'’-])(?P<name>" + _NAME_WORD + r")(?=['’]s\s+(?:little\s+|big\s+|baby\s+|older\s+"
    r"|younger\s+|twin\s+)?(?:brother|sister|mum|mam|mom|dad|nan|nana|gran|grandma|grandad"
    r"|auntie|aunt|uncle|cousin|baby|boyfriend|girlfriend|foster\s+carers?|sibling|siblings)\b)"
)
# A name after "your", "our", "my", told by what is said of the person: "your Ina's doing
# great", "our Kez is home".
_NAME_OWNED = re.compile(
    r"\b(?:your|our|my)\s+(?P<name>" + _NAME_WORD + r")(?=(?:['’]s|\s+is|\s+was)\s+(?:doing"
    r"|getting\s+on|having|coming\s+home|home|back\s+home|settling|settled|thriving|loving"
    r"|walking|talking|eating|sleeping|asking)\b)",
    re.IGNORECASE,
)
# A place said with "area": "three kids under 8, Ammanford area."
_PLACE_AREA = re.compile(
    r"(?<![\w'’-])(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\s+(?:area|district)\b"
)
# A name spelt with an accent, told by a possessive or by being spoken to: "Róisín's mam",
# "Tomás, I'll be there" (English words seldom carry one; the names of Ireland, Wales,
# Spain and many more do).
_NAME_ACCENTED = re.compile(
    r"(?<![\w'’-])(?P<name>[A-ZÀ-Þ][a-zà-ÿ]*[à-öø-ÿ][a-zà-ÿ]*)"
    r"(?=['’]s\b|,\s+(?:I\b|I['’]|[Yy]ou\b|[Ww]e\b|[Tt]hank|[Ww]ell\s+done|[Ll]ove\b|[Hh]appy\b"
    r"|[Cc]ongrat))"
)
# A monarch's name in an institution's: "got into King Edward VII", "at Queen Mary's".
_REGNAL = re.compile(
    r"\b(?P<prep>into|to|at|in|attends|attending)\s+(?:the\s+)?(?P<ident>(?:King|Queen|Prince"
    r"|Princess)\s+(?:of\s+)?[A-Z][a-z]+(?:\s+[IVX]{1,4}\b|['’]s)?)(?![\w'’-]|\s+(?:[A-Z]|of\b))"
)
_HOSPITAL_CUES = re.compile(
    r"\b(?:ward|bed|a&e|discharge[ds]?|nurses?|patients?|consultant|admitted|hospital|surgery"
    r"|op|operation|scan|outpatients)\b"
)
_ABSTRACT_NOUN = re.compile(r"(?:ment|tion|sion|ness|ity|ship|ance|ence|ing)$")
_PROPER_BEFORE = re.compile(r"\b[A-Z][a-z]+(?:['’]s)?\s$")
_WHERE_BEFORE = re.compile(r"\b(?:in|from|fae|frae|near|outside|nr|at|of|around|round)\s+$")
_ROYAL_BEFORE = re.compile(r"\b(?:king|queen|prince|princess|duke|duchess)\s+$")
# A place as a sentence's subject, told by what is said of it: "Maesteg is something else",
# "Caerau has broken me today", "Ashby strikes again".
_PLACE_SUBJECT = re.compile(
    r"(?P<place>[A-Z][a-z]+(?:-[A-Z]?[a-z]+)*)\s+(?:is\s+something\s+else|has\s+broken\s+me"
    r"|never\s+disappoints|strikes\s+again|has\s+done\s+me\s+in|is\s+a\s+different\s+world"
    r"|(?P<loose>is\s+(?:wild|mad|crazy|bonkers|unreal|chaos|carnage|a\s+madhouse|a\s+war\s?zone)"
    r"|was\s+(?:wild|mad|carnage|chaos)))\b"
)
# How many English, Welsh and Scottish place names end: with a predicate that could be
# said of anything ("X is wild"), or as a hashtag, the ending tells a place from a word.
# (Only endings that few other words have: "-ton", "-port", "-ness" are also "button",
# "report", "business".)
_PLACE_ENDING = re.compile(
    r"\w\w(?:mouth|ham|ford|bury|borough|brough|burgh|field|wick|pool|caster|cester|chester"
    r"|thorpe|thorp|stead|combe|minster|shire|holme|worth)$|^(?:llan|aber)\w{3}"
)
# A trade opening a description: "Scaffolder from Pennywell, ya knaa who ya are" -> "From
# the area, ...": the trade goes, the sentence starts at "from".
_TRADE_FROM = re.compile(
    r"(?P<trade>[A-Z][a-z]+(?:\s+[a-z]+)?(?:er|or|ist|ian|man))\s+(?=from\s+[A-Z][\w'’-]+"
    r"(?:\s+[A-Z][\w'’-]+)?,)"
)
# Who someone believes they are, in a crisis: "convinced he's Jesus" -> "convinced he's a
# religious figure" (a vivid detail that, with the time and place, points to one night).
_BELIEVED_FIGURE = re.compile(
    r"\b(?:convinced|thinks|thought|believes|believed|sure|insisting|insists)\s+"
    r"(?:he|she|they)(?:['’]s|['’]re|\s+is|\s+was|\s+were|\s+are)\s+"
    r"(?P<figure>Jesus(?:\s+Christ)?|God|the\s+Messiah|the\s+Devil|Satan|Moses|Buddha"
    r"|(?:the\s+)?(?:rightful\s+|real\s+|true\s+)?(?:King|Queen|Prince|Princess|Duke|Duchess"
    r"|Earl|Emperor|Empress)(?:\s+of\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)?)(?![\w-])"
)
_ROYAL_WORDS = ("King", "Queen", "Prince", "Princess", "Duke", "Duchess", "Earl", "Emperor",
                "Empress")
# Capitalised words those cues also meet that are no one's name.
_NOT_NAMES = frozenset(
    {
        "Police", "Office", "Council", "Social", "Services", "Staff", "Someone", "Somebody",
        "Mum", "Dad", "Mam", "Nan", "Gran", "Everyone", "Nobody", "People", "Folk", "Man",
        "Woman", "Lad", "Lass", "Girl", "Boy", "Bloke", "Fella", "Letter", "Referral", "Email",
        "News", "Word", "Call", "Team", "Manager", "Home", "Church", "Work", "School", "God",
        "Mom", "Client", "Patient", "Resident", "Tenant", "Carer", "Worker", "Student",
        "Teacher", "Nurse", "Doctor", "Officer", "Baby", "Child", "Kid", "Friend", "Partner",
        "Husband", "Wife", "Neighbour", "Neighbor", "Director", "Boss", "Grandma", "Grandad",
        "Grandpa", "Granny", "Nana", "Nanna", "Auntie", "Aunty", "Uncle", "Nanny", "Sister",
        "Brother", "Son", "Daughter", "Cousin", "Anyone", "Foster",
    }
)
# "60s" standing alone between commas: an age band ("in her 80s" is the checker's).
_DECADE = re.compile(r"(?<=,\s)(?:early\s|mid\s|late\s)?[1-9]0s(?=,)")
# "a fifteen-year-old", "twenty-three year old": an age in words.
_AGE_WORDED = re.compile(
    r"\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three"
    r"|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen)"
    r"[- ](?:year|yr)s?[- ]old\b"
)
# "twin 3yos", "two 5 year olds": the ages of several children.
_AGES_PLURAL = re.compile(r"\b\d{1,2}\s?(?:yos|y/os|year[- ]olds|yr[- ]olds)\b")
# "3 siblings (4, 7 & 10)": the ages in brackets after the children.
_KIN_BRACKET = re.compile(
    r"\b(?:twins|kids|children|boys|girls|sisters|brothers|siblings|ones|grandkids|weans|bairns"
    r"|sons|daughters)\s*(?P<ages>\(\d{1,2}(?:\s*(?:,|and|&)\s*\d{1,2})*\))"
)
_KIN_ARE = re.compile(
    r"\b(?:twins|kids|children|boys|girls|sisters|brothers|siblings|ones|grandkids|weans|bairns)"
    r"\s+(?:are|were)(?P<ages>\s+\d{1,2})(?=\s*(?:[.,;!?)]|$|\s+(?:and|but|now|so)\b))"
)
_AGED_VERB_BEFORE = re.compile(
    r"(?:\b(?:have|has|had|all|both|really|just|we|i|they|you|he|she|must|visibly)|['’]ve)\s+$"
)
_AGED_PHRASE = re.compile(
    r"\baged\s+(?:between\s+)?\d{1,2}(?:\s*(?:and|&|-|to)\s*\d{1,2})?\b"
    r"|\baged\s+(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
    r"|fourteen|fifteen|sixteen|seventeen)(?:\s*(?:and|&|-|to)\s*(?:one|two|three|four|five"
    r"|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen))?\b",
    re.IGNORECASE,
)
# "15, Aboriginal, been in 9 placements": an age opening a sentence, with its comma.
# "My client Darnell, 19, is": a number alone between commas after a word.
# ("'Mrs K', 72, a retired GP"; "signed 'Kai, 11'": the comma goes with the age)
_AGE_COMMA = re.compile(
    r"(?<=[A-Za-z'’]),\s(\d{1,2})(?=,\s[a-z]|\))|(?<=[A-Za-z])(,\s\d{1,2})(?=['’\"”](?!\w))"
)
_AGE_SELF = re.compile(r"\b(\d{1,2})(?=\s+(?:herself|himself|themselves|themself)\b)")
_AGE_OPENING = re.compile(
    r"(?:^|[.!?]\s+|[^\w\s,;:'’\"(]\s+|(?<=\())(\d{1,2},\s)(?=[A-Za-z])"
    r"|(?<=[.!?]\s)(\d{1,2}[.!](?:\s(?=[A-Z])|$))"
    r"|(?<=[A-Za-z]\s)(\((?:now|just|only|nearly|almost)?\s?\d{1,2}\))"  # "S (now 17)"
)
_DAYS = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
    r"|(?:Mon|Tue|Tues|Wed|Weds|Thu|Thur|Thurs|Fri|Sat|Sun)\b"
)
_DAY_TIME = re.compile(
    r"(?:\b(?:on\s+a|on|every|last|next|this|by|till|til|until|from|since|each)\s+)?(?i:" + _DAYS
    + ")"
    r"(?:\s+(?:morning|afternoon|evening|night|lunchtime)s?)?"
    r"(?:\s+(?:at\s+)?\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?"
    r"(?:\s*[-–]\s*\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?)?)?(?![\w-])"
    r"(?!\s+(?:dinner|lunch|roast|best|school|paper|papers|league|service|times|club))"
)
_SHORT_DAY = re.compile(r"(?:Mon|Tue|Tues|Wed|Weds|Thu|Thur|Thurs|Fri|Sat|Sun)\b")
_MONTH = re.compile(
    r"\b(?:(?:in|since|from|until|till|by|last|next|this|early|late|mid|end\s+of|during|over)"
    r"\s+)(?:the\s+)?(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b" + _ABBREVIATION_DOT
    + r"(?:\s+half[- ]term|\s+(?:19|20)\d\d\b)?",
    re.IGNORECASE,
)
# A date: "on 2 February", "9 Nov", "the 3rd of March", "March 3rd, 2024".
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)"
)
_DATE = re.compile(
    r"(?:\b(?:on|by|from|until|till|since|before|after)\s+)?(?:the\s+)?(?<![\w/.£$-])\d{1,2}"
    r"(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTHS + r"\b" + _ABBREVIATION_DOT
    + r"(?:,?\s+(?:19|20)\d\d\b)?"
    r"|(?:\b(?:on|by|from|until|till|since|before|after)\s+)?\b" + _MONTHS
    + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?![\w:.%/])(?:,?\s+(?:19|20)\d\d\b)?"
    # "Sat 12th to Fri 18th": a day of the week with the date
    r"|(?:\b(?:on|by|from|to|until|till|since|before|after)\s+)?(?<![\w'’-])(?:mon|tue|tues|wed"
    r"|weds|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday|rsday)?\s+\d{1,2}(?:st|nd|rd|th)\b",
    re.IGNORECASE,
)
_DAY_RANGE_BEFORE = re.compile(r"(?:[-–/&]|\bto|\btill?|\band|\bor)\s*$")
_DAY_RANGE_AFTER = re.compile(r"\s*(?:[-–/&]|to\b|till?\b|and\b|or\b)")
# Short days that are no other word ("sat", "sun", "wed" and "mon" are, or may be).
_SHORT_DAYS_ALONE = frozenset({"tue", "tues", "weds", "thu", "thur", "thurs", "fri"})
_CLOCK = re.compile(
    r"\b(?:(?:at|by|till|til|until|from|around|about|before|after)\s+)?(?:\d{1,2}(?:[:.]\d{2})?"
    r"\s*(?:am|pm)\b|(?<=at\s)\d{1,2}(?:[:.]\d{2})?(?![\w:.%/]|\s+[A-Z])|midnight|midday|noon)"
    r"(?:\s*[-–]\s*\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?\b)?",
    re.IGNORECASE,
)
_SEASON = re.compile(
    r"\b(?:in|during|over|at)\s+the\s+(?:\w+\s+)?half[- ]term\b"
    r"|\b(?:last|next|this)\s+(?:summer|autumn|winter|spring|month|christmas|easter)\b",
    re.IGNORECASE,
)
# "the only (Black) child", "the only trans pupil": a person the post singles out.
_THE_ONLY = re.compile(
    r"(?:(?i:the\s+only)|(?<![\w'’,;]\s)(?<![\w'’])Only)\s+(?P<noun>(?:[\w-]+\s+){0,2}?(?i:lad|boy"
    r"|girl|child|kid|pupil|student|family|woman|man|person|resident|tenant|teenager|baby|mum"
    r"|dad|bloke|fella|guy|gent|lass|household|patient|client|carer|one\s+(?=in\b)))(?!\w)"
)
# The place of an "only" clause: "Only person on Unst with", "the only lad in Mevagissey".
_UNIQUE_PLACE = re.compile(r"\b(?:in|on|at|from)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?![\w'’-])")
_ONLY_ONE = re.compile(
    r"(?<![Tt]he\s)\b(?i:only\s+one)\b(?=\s+(?:family|child|kid|boy|girl|household|house"
    r"|person|lad|lass|woman|man|young|teenager|pupil)\b)"
)
_PLURALS = {
    "child": "children", "family": "families", "man": "men", "woman": "women",
    "person": "people", "baby": "babies", "one": "ones", "fella": "fellas", "guy": "guys",
}
_WHOLE_OF = re.compile(r"\bthe\s+whole\s+of\s+(?=the\s|[A-Z])")
_SCHOOL_YEAR = re.compile(r"(?<![\w-])(?:P[1-7]|S[1-6])(?![\w-])")
_UNIQUE = re.compile(
    r"\b(?:the\s+)?only\s+(?:one\s+)?(?:[\w'’-]+\s+){0,3}?(?:in|on|at|of)\s+(?:the\s+|his\s+"
    r"|her\s+|their\s+|our\s+|that\s+)?(?:whole\s+(?:of\s+)?)?(?:\w[\w'’-]*)"
    r"(?:\s+[A-Z][\w'’-]*)*",
    re.IGNORECASE,
)
# A story already public, or known to everyone around the person: no wording hides it.
_KNOWN_STORY = re.compile(
    r"\b(?:some of you (?:will|may|might) (?:remember|have seen|know)|you(?:['’]ll| will| may"
    r"| might) have (?:seen|read|heard)|(?:was|were|been|is|are) in the (?:local )?(?:papers?"
    r"|news)|made the (?:news|papers)|on the (?:local )?news|in the local paper|local paper"
    r"|everyone (?:knows|round here knows)|everybody knows|the whole (?:village|town|estate"
    r"|street|school|island|community) (?:knows|knew|will know|['’]ll know|will hear|heard)"
    r"|well known in the|local celebrity|famous in"
    # a public post quoted or shared: its words lead to it, and to who wrote it
    r"|qt|quote[- ]tweet(?:ed|ing)?|(?:his|her|their|(?:dad|mum|mam|mom|mother|father|parent"
    r"|client|family|son|daughter|partner)['’]s) (?:own )?public (?:post|tweet|page))\b",
    re.IGNORECASE,
)
# A named paper's story: "in the Argus this morning", "the front of today's Echo".
_IN_THE_PAPER = re.compile(
    r"\b(?:in|on\s+the\s+front\s+of|front\s+page\s+of|on\s+the\s+front\s+page\s+of)\s+"
    r"(?:the|today['’]s|yesterday['’]s|this\s+week['’]s|last\s+night['’]s)\s+(?:[A-Z][a-z]+\s+)?"
    r"(?:Argus|Echo|Gazette|Chronicle|Herald|Courier|Advertiser|Mercury|Sentinel|Examiner"
    r"|Evening\s+\w+|Telegraph|Journal|Press|Citizen|Bugle|Recorder|Reporter|Informer)\b"
    r"(?!\s+of\b)"  # "the British Journal of Social Work" is no newspaper
)
_DIGIT_AFTER = re.compile(r"\s*\d")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?][\"'’”)\]])\s+|(?<=[.!?])\s+|\n+")

# Why there is no safe version, by reason: the sentences are categories.yaml's `rewrite`
# keys "no_safe_<reason>" (content is data; a missing key stops the checker loading).
NO_SAFE_REASONS = ("photo", "known", "long", "details")


class _NoSafeMessages(Mapping[str, str]):
    """The "no safe version" sentences by reason, read from the rules when first used (not
    at import: importing the checker stays cheap for commands that never rewrite)."""

    def __init__(self) -> None:
        self._messages: dict[str, str] | None = None

    def _loaded(self) -> dict[str, str]:
        if self._messages is None:
            words = load_rules().rewrite
            missing = [f"no_safe_{r}" for r in NO_SAFE_REASONS if not words.get(f"no_safe_{r}")]
            if missing:
                raise RulesError(f"categories.yaml: rewrite lacks {', '.join(missing)}")
            self._messages = {reason: words[f"no_safe_{reason}"] for reason in NO_SAFE_REASONS}
        return self._messages

    def __getitem__(self, reason: str) -> str:
        return self._loaded()[reason]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(NO_SAFE_REASONS)


NO_SAFE_VERSION: Mapping[str, str] = _NoSafeMessages()


def _stands_apart(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a clause of its own, in brackets or between commas ("a young woman,
    the only ... in our service, through")? (`_Rewriter._list_item` and `_unique` take it out.)"""
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        return True
    opening = _LIST_ITEM_BEFORE.search(text, max(0, start - 3), start)
    closing = _LIST_ITEM_AFTER.match(text, end)
    if not opening or not closing:
        return False
    return text[end : closing.end()].strip() == "," or text[opening.start() : start].strip() == ","


class _Net:
    """Finds identifiers in a post with patterns of its own: the checker's list is a start,
    never the whole of what a safer version must take out."""

    def __init__(self, text: str, lower: str) -> None:
        self.rules = load_rules()
        self.text = text
        self.lower = lower
        self.found: list[Ident] = []
        self.taken = bytearray(len(text))  # 1 where an identifier already stands

    def scan(self, pattern: re.Pattern[str], lower: bool = False) -> list[re.Match[str]]:
        """Every match of ``pattern``, or none at once when the words it needs are absent."""
        gate = _GATES.get(pattern)
        if gate is not None and not any(word in self.lower for word in gate):
            return []
        return list(pattern.finditer(self.lower if lower else self.text))

    def add(self, kind: str, start: int, end: int) -> None:
        if end > start and self.taken.find(1, start, end) < 0:
            self.found.append((kind, start, end))
            self.taken[start:end] = b"\x01" * (end - start)

    def sentence_start(self, start: int) -> bool:
        before = self.text[max(0, start - 4) : start].rstrip(" \"'‘“(")
        return not before or before[-1] in ".!?:\n" or not before[-1].isascii()

    def run(self, idents: list[Ident]) -> list[Ident]:
        """The checker's identifiers, less those a wider one of ours holds, plus ours."""
        for pattern, kind in _WIDE:
            for m in self.scan(pattern):
                if kind == "named_landmark" and m.group("name1") and (
                    m.group("name1").strip() in self.rules.not_starts
                ):
                    continue  # "Visited Castle" is no castle's name
                self.add(kind, *m.span("ident" if "ident" in pattern.groupindex else 0))
        for pattern in (_UNIQUE, _THE_ONLY):  # standing apart, an "only" clause goes whole
            for m in self.scan(pattern):  # (unless it can be said of a few: see `_few`)
                start, end = m.span()
                if _stands_apart(self.text, start, end) and not _THE_ONLY.match(self.text, start):
                    self.add("unique", start, end)
        wide = self.taken
        kept = [
            self._person_not_place(i)
            for i in idents
            if not (wide[i[1]] and wide[i[2] - 1] and i[2] > i[1])
            and not (i[0] == "town" and self._in_title(i[1]))
        ]
        for _, s, e in kept:
            self.taken[s:e] = b"\x01" * (e - s)
        self._more()
        for kind, _, e in [*kept, *self.found]:
            pair = _AND_NAME.match(self.text, e) if kind == "name" else None
            word = pair.group(1) if pair else ""
            if pair and not {word} & (self.rules.not_starts | self.rules.not_places) and (
                word not in self.rules.big_places and word not in self.rules.org_suffixes
            ):
                self.add("name", pair.start(1), pair.end(1))  # "Ollie and Grace"
        return kept + self.found

    def _place_by_name(self, word: str) -> bool:
        """A place told by its name alone: a big place, or a place-name ending ("Tarnmouth",
        "Scunthorpe") on a word that is no first name."""
        rules = self.rules
        if word in rules.big_places:
            return True
        return _PLACE_ENDING.search(word.lower()) is not None and not {word} & (
            rules.given_names | rules.not_places | rules.not_starts | rules.org_suffixes
        )

    def _in_title(self, start: int) -> bool:
        """Is the word at ``start`` the end of a title rather than a place: "Player of the
        Match", "Court of Protection", "Employee of the Month"? ("Isle of Wight", "the East of
        England", "Mayor of Hartlepool" and "Most of Leeds" are places.)"""
        m = _TITLE_OF.search(self.text, max(0, start - 30), start)
        return m is not None and m.group(1) not in _PLACE_HEADS and not self.sentence_start(
            m.start(1)
        )

    def _person_not_place(self, ident: Ident) -> Ident:
        """A first name the checker read as a town after "from" or "to" is a person; one the
        checker read as a person, said apart after "from", is a place ("11, from Barry,")."""
        kind, s, e = ident
        word = self.text[s:e]
        if kind == "name" and _FROM_APART.search(self.text, max(0, s - 8), s) and (
            self.text[e : e + 1] in (",", ")", ".")
        ):
            return ("town", s, e)
        if kind == "town" and word.endswith(("'s", "’s")) and _KIN_AFTER.match(self.lower, e - 2):
            word = word[:-2]  # "Cheers to Shannon's real mum": whose mum, a person
            e -= 2
        if kind == "town" and word in self.rules.given_names and word not in (
            self.rules.big_places
        ) and not _NAME_AS_PLACE.search(self.lower, max(0, s - 10), s):
            return ("name", s, e)
        return ident

    def _more(self) -> None:
        text = self.text
        rules = self.rules
        for m in self.scan(_HANDLE):
            e = m.end()
            surname = _HANDLE_SURNAME.match(text, e)
            if surname and text[: m.start()].strip() and _NAME_WORD_ONLY.fullmatch(
                text, m.start() + 1, e
            ) and (
                not {surname.group(1)} & (rules.not_starts | rules.not_places | _NOT_NAMES)
            ):
                e = surname.end()  # "@Leanne Hughes": a tag by full name, as Facebook writes it
            self.add("handle", m.start(), e)
        for pattern, kind in (
            (_HOSPITAL, "hospital"), (_COURT, "court"), (_PRISON, "prison"),
            (_UNIVERSITY, "university"), (_SCHOOL, "school"), (_SETTING, "setting"),
            (_STREET, "street"),
        ):
            for m in self.scan(pattern):
                s, e = m.span()
                if text.startswith("the ", s) or text.startswith("The ", s):
                    s += 4
                number = _HOUSE_NUMBER.search(text, max(0, s - 8), s) if kind == "street" else None
                if number is not None:  # "14 Hazel Grove": an address
                    self.add("address", number.start(), e)
                    continue
                first = text[s:e].split()[0]
                if kind == "street" and m.group("lower") and (
                    first in self.rules.not_starts or self.sentence_start(s)
                ):
                    continue
                if kind != "street" and first in self.rules.not_starts and kind != "hospital":
                    s = text.find(" ", s) + 1  # "Visited Ridgeway Academy": the verb stays
                    if not text[s:e].strip() or text[s:e].split()[0] in ("Academy", "School"):
                        continue
                self.add(kind, s, e)
        self._times()
        self._people()
        self._places()
        self._ages()
        for m in self.scan(_SCHOOL_YEAR):
            self.add("school_year", *m.span())
        for m in self.scan(_FESTIVAL):
            self.add("festival", *m.span())
        for m in self.scan(_ER):
            self.add("emergency_room", *m.span())
        for m in self.scan(_DIVISION):
            self.add("division", *m.span())
        for m in self.scan(_AGE_TEAM):
            self.add("age_team", m.start(), m.start("noun") if m.group("noun") else m.end())
        for m in self.scan(_ONLY_ONE):
            self.add("only_one", *m.span())
        for m in self.scan(_UNIQUE):
            place = _UNIQUE_PLACE.search(text, m.start(), m.end())
            if place is not None and self._could_be_name(place.group(1).split()[0], False) and (
                place.group(1) not in self.rules.given_names
            ):
                self.add("town", *place.span(1))  # "Only person on Unst" -> "... nearby"
            self.add("unique", *m.span())
        for m in self.scan(_THE_ONLY):
            self.add("unique", *m.span())
        for m in self.scan(_WHOLE_OF):
            self.add("whole_of", *m.span())
        for m in self.scan(_HERITAGE):
            words = re.findall(r"[A-Z][a-z]+", m.group("origins"))
            if all(w.lower() in _ORIGINS or _ORIGIN_ENDING.search(w) for w in words):
                self.add("heritage", *m.span("origins"))  # "of mixed Somali and Welsh heritage"
        for m in _PROPER_ADJECTIVE.finditer(self.text):
            if m.group(1).lower() in _ORIGIN_WORDS:
                self.add("proper_adjective", *m.span())
        for m in self.scan(_FAITH_BEFORE_NOUN):
            self.add("faith", *m.span("faith"))  # "a Sikh taxi driver" -> "a taxi driver"

    def _people(self) -> None:
        text = self.text
        rules = self.rules
        for m in self.scan(_TITLE):
            self.add("name", *m.span())
        for m in self.scan(_CALLED):
            if m.group(1) not in rules.not_places and m.group(1) not in rules.org_suffixes:
                self.add("surname", *m.span())
        for m in self.scan(_FAMILY_COUNTED):
            word = m.group(1)[:-1].rstrip("'’")
            if word not in rules.not_places and word not in rules.big_places:
                self.add("family_counted", *m.span(1))
        for m in self.scan(_NAMED_LOT):
            word = m.group("word")
            if word in _NOT_A_LOT or not self._could_be_name(word, False):
                continue
            self.add("name" if m.group("own") else "named_lot", *m.span("word"))
        for m in self.scan(_OUR_FAMILY):
            if self._could_be_name(m.group(1).strip(), False):
                self.add("surname", *m.span(1))
        for m in self.scan(_FAMILY_SURNAME):
            word = m.group(1).strip().rstrip("s").rstrip("'’")
            if word not in rules.not_places and word not in rules.org_suffixes and (
                word not in rules.big_places and word.lower() not in _ORIGINS
            ):
                self.add("surname", *m.span(1))
        for m in _GIVEN.finditer(text):
            word = m.group(1)
            if word not in rules.given_names and word.split("-")[0].capitalize() not in (
                rules.given_names
            ):
                continue
            before = self.lower[max(0, m.start() - 24) : m.start()]
            if before.endswith(("the next ", "the new ", "the real ")):
                continue  # "he's the next Conor McGregor": a public figure, as a comparison
            if _ROYAL_BEFORE.search(before):
                continue  # "King Edward", "Prince William": a monarch, or a place named so
            if _OWN_NAME_BEFORE.search(before):
                continue  # "call me Auntie Beth", "I'm Jo": the writer's own name
            if word in rules.big_places or _NAME_AS_PLACE.search(before) or (
                _FROM_APART.search(before) and text[m.end() : m.end() + 1] in (",", ")", ".")
            ):
                self.add("town", m.start(), m.end())  # "in Devon", "near Shannon", ", from Barry,"
                continue
            end = m.end()
            sur = _SURNAME_AFTER.match(text, end)
            if sur and not {sur.group(1)} & (rules.not_places | rules.org_suffixes) and (
                sur.group(1) not in rules.not_starts
            ):
                end = sur.end()
            self.add("name", m.start(), end)
        for m in self.scan(_ROLE_NAME):
            word = m.group("name")
            if word not in rules.not_starts and word not in rules.not_places and (
                word not in rules.org_suffixes and word.lower() not in _ORIGINS
                and word not in rules.big_places and word.upper() != word
            ):
                self.add("name", *m.span("name"))
        for pattern in (
            _NAME_CONTACT, _NAME_APPOSITION, _NAME_FROM, _NAME_AGED, _NAME_ACCENTED, _NAME_KIN,
            _NAME_OWNED,
        ):
            for m in self.scan(pattern):
                s, e = m.span("name")
                if pattern is _NAME_FROM and not self.sentence_start(s):
                    continue
                if pattern is _NAME_ACCENTED and text[e] == "," and not self.sentence_start(s):
                    continue  # spoken to, the name opens its sentence
                if pattern is _NAME_AGED and (
                    _ABSTRACT_NOUN.search(m.group("name"))  # "Placement, 11, from Barry"
                    or (_PROPER_BEFORE.search(text, max(0, s - 16), s) and not self.sentence_start(
                        text.rfind(" ", 0, s - 1) + 1
                    ))
                    or _WHERE_BEFORE.search(self.lower, max(0, s - 12), s)
                ):
                    continue  # "from Bishop's Stortford, 88": a place's second word
                if pattern is _NAME_OWNED and not m.group("name")[:1].isupper():
                    continue
                plural = pattern not in (_NAME_ACCENTED, _NAME_AGED, _NAME_KIN, _NAME_OWNED)
                if self._could_be_name(m.group("name"), plural):
                    self.add("name", s, e)
        for m in self.scan(_INITIAL_PAIR):
            self.add("initials", *m.span())
        for m in self.scan(_QUOTED_INITIALS):
            s, e = m.span("ini")
            if not self._not_initials(m.group("ini"), s, e):
                if m.group(0)[-1:] in "'’\"”":  # "'R' was" -> "a young person was"
                    s, e = m.start(), m.end()
                self.add("initials", s, e)
        for m in _INITIALS.finditer(text):
            token = m.group(1)
            if token is not None and self._not_initials(token, m.start(), m.end()):
                continue
            self.add("initials", m.start(), m.end() if token is None else m.start(1) + len(token))

    def _could_be_name(self, word: str, plural: bool = True) -> bool:
        """A capitalised word the cues found: no place, organisation or ordinary noun (nor a
        plural, unless the cue rules one out: "Tomás, I'll", "Rhys (15)")."""
        rules = self.rules
        first = word.split("-")[0]
        return not (
            {word, first} & (rules.not_starts | rules.not_places | rules.org_suffixes)
            or word in rules.big_places or word in rules.acronyms or word in _NOT_NAMES
            or word.lower() in _ORIGINS or (plural and word.endswith("s"))
        )

    def _not_initials(self, token: str, start: int, end: int) -> bool:
        """ "GP", "Plan B", "Year 9 C": capitals that are not a person's initials."""
        if token in _NOT_INITIALS or token in self.rules.acronyms:
            return True
        if len(token) > 1 and not self._person_like(start, end):
            return True
        brand = _CAPITALISED_BEFORE.search(self.text, max(0, start - 16), start)
        if len(token) == 1 and brand and brand.group(1) not in self.rules.given_names:
            return True  # "Circle K", "Vitamin D": part of a name, not a person's initial
        label = _LABEL_BEFORE.search(self.lower, max(0, start - 12), start)
        title = self.lower[max(0, start - 5) : start].rstrip().endswith(("mr", "mrs", "ms", "miss"))
        return label is not None and not title

    def _person_like(self, start: int, end: int) -> bool:
        """Is a run of capitals ("TJ") a person: an age or a verb after it?"""
        after = self.text[end : end + 16]
        if re.match(r"\s*(?:\(\d|,\s?\d)|\s+(?:and|&)\s+[A-Z]{1,3}\s+[a-z]", after):
            return True  # "TJ (15)", "TJ, 15", "TJ and KB kicked off"
        if _KIN_AFTER.match(self.text, end):
            return True  # "JB's dad"
        if end - start == 2 and re.match(r"\s+from\s+[A-Z][a-z]", after):
            return True  # "KT from Castlemilk"
        word = re.match(r"\s+([a-z']+)", after)
        return word is not None and word.group(1) in self.rules.initials_verbs

    def _places(self) -> None:
        text = self.text
        rules = self.rules
        refused = rules.not_places | rules.org_suffixes | rules.acronyms | rules.not_starts
        for m in _PLACE_WORD.finditer(text):
            s = m.start()
            if s and (text[s - 1].isalnum() or text[s - 1] in "'’@#&-"):
                continue
            if not _PLACE_BEFORE.search(self.lower, max(0, s - 40), s):
                continue
            if self._in_title(s):
                continue  # "Player of the Match", "the Court of Protection"
            words = m.group(0).split()
            while words and (words[-1] in refused or words[-1].lower() in _ORIGINS):
                words.pop()
            compound = len(words) == 2 and words[0] in _PLACE_PREFIXES and (
                words[1] not in refused and words[1] not in rules.given_names
            )  # "from Great Yarmouth", "in North Shields"
            if not words or (words[0] in refused and not compound) or words[0] in (
                self.rules.given_names
            ):
                continue
            if words[0].lower() in _ORIGINS or words[0].upper() == words[0]:
                continue  # "in English", "at YOT"
            word = words[0]
            if (word.rstrip("'’s") in refused and not compound) or _SHORT_DAY.fullmatch(word):
                continue
            if re.sub(r"['’]s$", "", word) in _KIN_WORDS:
                if len(words) == 2:  # "lunch at Grandma Bea's" -> "lunch at Grandma's"
                    name = re.sub(r"['’]s$", "", words[1])
                    at = text.index(name, s + len(word))
                    self.add("surname", at - 1, at + len(name))
                continue  # "tea at Grandma's": family, not a place
            end = s + len(" ".join(words))
            if text[end : end + 2] in ("'s", "’s"):
                continue  # "to Tesco's", a shop
            if _LABEL_AFTER.match(text, end) or (
                _TITLE_AFTER.match(text, end) and words[-1] not in _PLACE_HEADS
            ):
                continue  # "in Year 9", "to Lasting Power of Attorney": a label, a title
            more = _ONE_MORE.match(text, end) if compound else None
            if more is not None and more.group(1) not in refused:
                end = more.end()  # "at Kings Lynn Central"
            self.add("town", s, end)
        for m in self.scan(_ADJ_PLACE):
            words = m.group(1).split()
            if words[0] not in refused and words[-1] not in refused:
                self.add("town", *m.span(1))  # "a small Mississippi town"
        for m in self.scan(_TRADE_FROM):
            s = m.start("trade")
            first = m.group("trade").split()[0]
            if self.sentence_start(s) and not {first} & (self.rules.not_starts | _NOT_NAMES):
                self.add("trade", s, m.end())  # "Scaffolder from Pennywell,"
        for m in self.scan(_BELIEVED_FIGURE):
            self.add("believed_figure", *m.span("figure"))  # "convinced he's Jesus"
        for m in self.scan(_PLACE_SUBJECT):
            s = m.start("place")
            word = m.group("place")
            loose = m.group("loose") is not None and not self._place_by_name(word)
            if self.sentence_start(s) and self._could_be_name(word) and not loose:
                self.add("town", s, m.end("place"))  # "Maesteg is something else"
        for m in self.scan(_PLACE_OF_THING):
            words = m.group("place").split()
            if words[0] in refused or words[-1] in refused or {*words} & rules.given_names or (
                words[0].lower() in _ORIGINS or not self._could_be_name(words[-1], False)
            ):
                continue
            kind = "place_of_thing" if m.group("local") else (
                "place_of_kit" if m.group("kit") else "place_of_event"
            )
            self.add(kind, *m.span("place"))
        for m in self.scan(_PLACE_AREA):
            words = m.group("place").split()
            if not (set(words) & (refused | rules.given_names)) and not self.sentence_start(
                m.start()
            ) and words[0].lower() not in _ORIGINS:
                self.add("town", *m.span("place"))  # "three kids, Ammanford area"
        for m in self.scan(_EVENT_ON):
            words = m.group("place").split()
            if set(words) & (refused | rules.given_names) or _SHORT_DAY.fullmatch(words[0]):
                continue
            self.add("town", *m.span("place"))  # "the house fire on Gratiot" -> "... nearby"
        for m in self.scan(_TAG_PLACE):
            if self._place_by_name(m.group("word")):
                self.add("tag_place", *m.span())  # "#Scunthorpe"
        for m in _LIST_PLACE.finditer(text):
            word = m.group(1)
            if word in refused or word in rules.given_names or word.lower() in _ORIGINS:
                continue
            self.add("town", *m.span(1))  # "one of my lads, 20, Easterhouse, on a CPO"

    def _ages(self) -> None:
        for m in self.scan(_MARRIED_FOR, True):
            self.add("age", *m.span())
        for m in self.scan(_AGE_INFANT, True):
            self.add("age", m.start() if m.group("own") else m.start("verb_at"), m.end("age"))
        for m in self.scan(_AGE_NAMED):
            if m.group("who") not in self.rules.not_starts:
                self.add("age_named", m.start("verb"), m.end("age"))
        for m in [*self.scan(_AGE_EXACT, True), *self.scan(_AGE_KIN, True)]:
            verb_start = m.start(0)
            words = self.lower[verb_start : m.start("age")].split()
            # keep the pronoun: the age quote starts at the verb ("she's" counts as one)
            if len(words) >= 2 and not re.match(r"\w+['’](?:s|re)$", words[0]):
                verb_start = self.lower.index(words[1], verb_start)
            self.add("age", verb_start, m.end("age"))
        for m in self.scan(_DECADE, True):
            self.add("age", *m.span())
        for m in self.scan(_AGE_WORDED, True):
            self.add("age", *m.span())
        for m in self.scan(_AGES_PLURAL, True):
            self.add("ages_plural", *m.span())
        for m in self.scan(_AGED_PHRASE, True):
            if not _AGED_VERB_BEFORE.search(self.lower, max(0, m.start() - 12), m.start()):
                self.add("age", *m.span())  # not "we have all aged ten years": a verb
        for m in self.scan(_KIN_BRACKET, True):
            self.add("age", *m.span("ages"))
        for m in self.scan(_KIN_ARE, True):
            self.add("ages", *m.span("ages"))
        for m in self.scan(_KIN_AGES, True):
            self.add("ages" if m.group("are") else "age", *m.span("ages"))
        for m in self.scan(_AGE_SELF, True):
            self.add("age", *m.span(1))
        for m in self.scan(_AGE_COMMA):
            self.add("age", *m.span(1 if m.group(1) else 2))
        for m in self.scan(_AGE_OPENING):
            group = next(g for g in (1, 2, 3) if m.group(g))
            self.add("age", *m.span(group))

    def _times(self) -> None:
        text = self.text
        for m in self.scan(_DAY_TIME):
            s, e = m.span()
            core = m.group(0)
            day = re.search(r"(?i:mon|tue|wed|thu|fri|sat|sun)\w*", core)
            full = day is not None and day.group(0).lower().rstrip("s").endswith("day")
            if day is not None and not full and day.group(0).lower() in _SHORT_DAYS_ALONE:
                at = s + day.start()  # "arrived tues", not "Mon-Thurs", "Tues and Thurs"
                full = not (at and (text[at - 1].isalnum() or text[at - 1] in "'’")) and not (
                    _DAY_RANGE_BEFORE.search(self.lower, max(0, at - 6), at)
                    or _DAY_RANGE_AFTER.match(self.lower, e)
                )
            if not full and not core.lower().startswith(
                ("on ", "every ", "by ", "till ", "til ", "until ", "from ", "since ", "next ",
                 "last ")
            ):
                continue  # "sat with her", "Sun out": a verb or the weather
            self.add("time", s, e)
        for pattern in (_DATE, _MONTH, _SEASON, _CLOCK):
            for m in self.scan(pattern):
                s, e = m.span()
                word = text[s:e].split()[-1]
                if pattern is _MONTH and word.lower() == "may" and not _DIGIT_AFTER.match(text, e):
                    continue  # "by May", "in may": a modal verb or a name as often as the month
                self.add("time", s, e)


# A named team: "the Redfern under-16s", "Brindle Town U18s", "the Swansea City academy".
_TEAM = re.compile(
    r"(?:\b[Tt]he\s+)?(?<![\w'’-])(?:[A-Z][\w'’-]+\s+){1,2}(?:(?i:under[- ]?\d{1,2}s?)"
    r"|U\d{1,2}s?)(?![\w-])"
    r"|(?:\b[Tt]he\s+)?(?<![\w'’-])(?:[A-Z][\w'’-]+\s+){0,2}(?:City|Town|United|Rovers|Athletic"
    r"|Wanderers|Albion|Rangers|Celtic|FC|AFC|RFC)\s+(?:academy|youth\s+team|reserves"
    r"|under[- ]?\d{1,2}s?)\b"
)
# A named landmark: "the Dunmore Viaduct", "the Swan Hunter yards": the name goes.
_NAMED_LANDMARK = re.compile(
    r"\bthe\s+(?P<name>(?:[A-Z][\w'’-]+\s+){1,2})(?P<head>(?i:viaduct|bridge|pier|dam"
    r"|reservoir|quarry|colliery|shipyards?|yards|docks|flyover|lighthouse|cliffs?|palace|castle"
    r"|cathedral|abbey|stadium))\b"
    # without "the", one word and a capitalised head: "writing to Kensington Palace"
    # ("Hebden Bridge", "Barnard Castle" are towns: those heads need "the")
    r"|(?<![\w'’-])(?P<name1>[A-Z][a-z'’-]+\s+)(?P<head1>Viaduct|Reservoir|Quarry|Colliery"
    r"|Lighthouse|Palace|Cathedral|Abbey|Stadium)\b(?!\s+[A-Z]|['’])"
)

# A distinguishing past or possession said by a proper noun: "a former Lord Mayor of our
# city", "a former Olympic rower", "a former Wren", "a Rottweiler", "a Spider-Man mask".
_PUBLIC_PAST = re.compile(
    r"\b[Aa]n?\s+former\s+(?:Lord\s+Mayor|Lady\s+Mayoress|Mayor|MP|MSP|AM|Olympian|Paralympian"
    r"|(?:Olympic|Paralympic|Commonwealth\s+Games|international|Premier\s+League)\s+[a-z]+"
    r"(?:\s+(?:hopeful|champion|medallist|medalist|star|coach|player|athlete))?)"
    r"(?:\s+of\s+(?:our|the|this|their)\s+(?:city|town|county|borough|village))?(?![\w-])"
)
_SERVICE_PAST = re.compile(
    r"\b(?:former|ex-|retired)\s*(?:Wren|Gurkha|Chelsea\s+Pensioner|Desert\s+Rat|Royal\s+Navy"
    r"|Royal\s+Marines?|Royal\s+Air\s+Force|RAF|Navy|Army|Paratrooper|Para|Marine|Air\s+Force)"
    r"(?:\s+(?:vet|veteran))?(?![\w-])"
)
_DOG_BREED = re.compile(
    r"\b[Aa]n?\s+(?:Rottweiler|Rottie|Alsatian|German\s+Shepherd|Doberman|Akita|XL\s+Bully"
    r"|Pit\s*[Bb]ull|Staffie|Staffy|Mastiff|Husky)(?![\w-])"
)
_SUPERHERO = re.compile(
    r"(?<![\w-])(?:Spider-Man|Spiderman|Batman|Superman|Iron\s+Man|Hulk|Captain\s+America"
    r"|Wonder\s+Woman)(?=\s+(?:mask|costume|outfit|suit|pyjamas|pjs|top|t-shirt))"
)

# An Irish or British county by its prefix: "in Co. Clare", "County Durham" -> "in the area"
# (the checker's scan sees only "Co"). A county's court, hall or council is an institution.
_COUNTY = re.compile(
    r"(?<![\w'’])(?:Co\.?|County)\s+[A-Z][a-z]+(?![\w'’-])"
    r"(?!\s+(?:Court|Hall|Council|Lines|Show|Cup|Championship|Ground|Police|Fire|Asylum))"
)
# A nickname in quotes as the subject of a sentence: "Gutted 'Smudge' has moved on".
_QUOTED_NICKNAME = re.compile(
    r"(?<![\w'’])['‘\"“][A-Z][a-z]+['’\"”](?=\s+(?:has|had|is|was|and|said|says|moved|left"
    r"|came|went|got|did|does|will|would|loves|loved|turned|started|finally)\b)"
)
# The music someone is known for singing or playing: "belting out Oasis at breakfast".
_MUSIC = re.compile(
    r"\b(?:belting\s+out|singing|blasting|blaring|humming|dancing\s+to|listening\s+to)\s+"
    r"(?P<ident>(?!Radio\b|BBC\b|Happy\s+Birthday\b)[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,2})"
)

# "ER" is an emergency room, not someone's initials: "an ER nurse" -> "an emergency nurse".
_ER = re.compile(r"(?<![\w&'’.-])ER(?![\w&'’-])")
_ER_NOUN = re.compile(
    r"\s+(?:nurse|nurses|doctor|doctors|doc|visit|visits|trip|department|staff|shift|shifts"
    r"|waiting|physician|resident|admission|bay|room)\b"
)
# A named award: "Player of the Match", "Young Carer of the Year for Wiltshire", "his Duke of
# Edinburgh bronze". Who won what, and where, points to one person.
_AWARD = re.compile(
    r"(?:\b(?P<verb>named|voted|crowned)\s+)?(?<![\w'’-])(?:[A-Z][\w'’-]*\s+){1,3}of\s+the\s+"
    r"(?:Match|Year|Month|Quarter|Season|Week|Tournament|Tourney)\b"
    r"(?:\s+(?:for|in|at)\s+(?:the\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)?"
    r"|\bDuke\s+of\s+Edinburgh(?:['’]s)?(?:\s+(?i:award))?"
    r"(?:\s+(?P<level>(?i:bronze|silver|gold)))?(?:\s+(?i:award))?"
)
_GREETING_AFTER = re.compile(r"\s+(?:mubarak|sameach|samayach)\b")
_FESTIVAL_SLOT = re.compile(
    r"\b(?:the|this|that|my|our|his|her|their|first|last|next|every)\s+$"
)
_AWARD_NOUN = re.compile(r"\s(?:award|awards|prize|trophy|medal|title|gong|nomination)\b")
# "a D1 school", "a Division I team": the level of a college side singles a player out.
_DIVISION = re.compile(
    r"\b(?:D[123]|Division\s+(?:[123]|I{1,3}))\s+(?=(?:school|college|university|team|program"
    r"|programme|scholarship|offer|side)\b)"
)
# An age group's team on its own: "plays for the U14s", "in the U16s final".
_AGE_TEAM = re.compile(
    r"\b(?:[Tt]he\s+)?U\d{1,2}s?\b(?P<noun>\s+(?:final|match|game|league|cup|side|squad|team"
    r"|semi-final|semi|tournament))?"
)

# A condition named after a person: "with Huntington's", "his Parkinson's disease".
_EPONYM_CONDITION = re.compile(
    r"\b(?:(?i:early|young|late)[- ]onset\s+)?(?:Huntington|Parkinson|Alzheimer|Crohn|Asperger"
    r"|Tourette|Hodgkin|Addison|Cushing"
    r"|Raynaud|Duchenne|Guillain-Barr[eé]|Creutzfeldt-Jakob|Hashimoto|Graves|Meniere|Ménière"
    r"|Bell)['’]s?(?:\s+(?i:disease|syndrome|palsy|lymphoma|chorea))?(?![\w'’-])"
    # named without a possessive, always with the word: "Rett syndrome", "Marfan syndrome"
    r"|\b(?:Rett|Angelman|Prader-Willi|Klinefelter|Turner|Marfan|Tay-Sachs|Kawasaki|Dravet"
    r"|Lennox-Gastaut|Ehlers-Danlos|Williams|Edwards|Patau|Noonan|Sotos|Batten|Pompe|Wilson"
    r"|Niemann-Pick|Fragile\s+X)\s+(?i:syndrome|disease)\b"
)
# A faith's festival, which says the family's faith: "decorated the lounge for Eid".
_FESTIVAL = re.compile(
    r"\b(?:Eid(?:\s+(?:al|ul|el)[- ](?:Fitr|Adha))?|Diwali|Deepavali|Hanukkah|Chanukah|Ramadan"
    r"|Ramzan|Vaisakhi|Baisakhi|Passover|Pesach|Rosh\s+Hashanah|Yom\s+Kippur|Purim|Navratri|Holi"
    r"|Kwanzaa|Guru\s+Nanak['’]s\s+birthday|Bandi\s+Chhor\s+Divas)(?![\w'’-])"
)

# A named lake or river: "on Lake Superior" -> "on the lake" ("Mount ..." names towns too).
_NAMED_NATURE = re.compile(
    r"(?<![\w'’-])(?:[Tt]he\s+)?(?P<head>Lake|Loch|Lough|River)\s+(?!District\b)[A-Z][a-z]+"
    r"(?:\s+(?!District\b)[A-Z][a-z]+)?(?![\w'’-])"
)
_EXAM_NOUN = re.compile(
    r"\s+(?:notes|results|papers|revision|year|timetable|prep|season|stress|grades)\b"
)
# A national exam says which country: "sits her Highers this year" -> "sits her exams".
_NAMED_EXAMS = re.compile(
    r"\b(?:Advanced\s+Highers|Highers|Nat(?:ional)?\s*5s|Leaving\s+Cert(?:ificate)?|Junior\s+Cert"
    r"|VCE|NCEA|Matric)\b"
)

# Found first, and taking the place of any narrower identifier the checker saw inside.
_WIDE = (
    (_AWARD, "award"),
    (_NAMED_NATURE, "named_nature"),
    (_NAMED_EXAMS, "named_exams"),
    (_EPONYM_CONDITION, "condition"),
    (_PUBLIC_PAST, "public_past"),
    (_SERVICE_PAST, "service_past"),
    (_DOG_BREED, "dog_breed"),
    (_SUPERHERO, "superhero"),
    (_COUNTY, "town"),
    (_QUOTED_NICKNAME, "name"),
    (_MUSIC, "music"),
    (_TEAM, "team"),
    (_NAMED_LANDMARK, "named_landmark"),
    (_PSEUDONYM, "pseudonym"),
    (_UNIVERSITY, "university"),
    (_HOSPITAL, "hospital"),
    (_COURT, "court"),
    (_PRISON, "prison"),
    (_SCHOOL, "school"),
    (_SETTING, "setting"),
    (_GAELIC_STREET, "street"),
    (_REGNAL, "regnal"),
)

_DIGITS_GATE = tuple("0123456789")
_NUMBER_WORDS = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "teen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety",
)
# What must be in the lowercased post before a pattern can match (a cheap first test).
_GATES: dict[re.Pattern[str], tuple[str, ...]] = {
    _PSEUDONYM: ("call",),
    _PUBLIC_PAST: ("former",),
    _AWARD: (" of the match", " of the year", " of the month", " of the season", " of the quarter",
             " of the week", " of the tourn", "duke of edinburgh"),
    _DIVISION: ("d1", "d2", "d3", "division"),
    _ER: ("er",),
    _NAMED_NATURE: ("lake", "loch", "lough", "river"),
    _NAMED_EXAMS: ("highers", "nat", "cert", "vce", "ncea", "matric"),
    _EPONYM_CONDITION: ("'s", "’s", "syndrome", "disease"),
    _FAITH_BEFORE_NOUN: ("sikh", "muslim", "jewish", "hindu", "catholic", "protestant", "mormon",
                         "amish", "orthodox", "buddhist", "evangelical", "quaker", "rasta",
                         "holocaust"),
    _HERITAGE: ("heritage", "descent", "background", "origin", "roots", "parentage"),
    _FESTIVAL: ("eid", "diwali", "deepavali", "hanukkah", "chanukah", "ramadan", "ramzan",
                "vaisakhi", "baisakhi", "passover", "pesach", "rosh", "yom", "purim",
                "navratri", "holi", "kwanzaa", "guru", "bandi"),
    _AGE_TEAM: ("u",),
    _SERVICE_PAST: ("wren", "gurkha", "pensioner", "desert rat", "navy", "marine", "raf",
                    "air force", "army", "para"),
    _DOG_BREED: ("rott", "alsatian", "shepherd", "doberman", "akita", "bully", "bull", "staff",
                 "mastiff", "husky"),
    _COUNTY: ("co ", "co.", "county"),
    _QUOTED_NICKNAME: ("'", "‘", '"', "“"),
    _MUSIC: ("belting", "singing", "blasting", "blaring", "humming", "dancing to", "listening to"),
    _SUPERHERO: ("spider", "batman", "superman", "iron man", "hulk", "captain america",
                 "wonder woman"),
    _TEAM: ("under", "u1", "u2", "u9", "u8", "u7", "academy", "youth team", "reserves"),
    _NAMED_LANDMARK: ("viaduct", "bridge", "pier", "dam", "reservoir", "quarry", "colliery",
                      "yards", "docks", "flyover", "lighthouse", "cliff", "palace", "castle",
                      "cathedral", "abbey", "stadium"),
    _AGE_INFANT: ("youngest", "eldest", "oldest", "baby", "one"),
    _AGE_NAMED: (" is ", " was "),
    _MARRIED_FOR: ("married",),
    _NAME_CONTACT: ("phoned", "rang", "rung", "texted", "messaged", "called", "visited", "met"),
    _NAME_APPOSITION: ("of mine", "of ours"),
    _NAME_FROM: ("from",),
    _NAME_AGED: _DIGITS_GATE,
    _NAME_KIN: ("'s", "’s"),
    _NAME_OWNED: ("your ", "our ", "my "),
    _PLACE_AREA: ("area", "district"),
    _NAME_ACCENTED: tuple("àáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿ"),
    _REGNAL: ("king", "queen", "prince"),
    _BELIEVED_FIGURE: ("jesus", "god", "messiah", "devil", "satan", "moses", "buddha", "king",
                       "queen", "prince", "duke", "duchess", "earl", "emperor", "empress"),
    _TRADE_FROM: (" from ",),
    _PLACE_SUBJECT: ("something else", "broken me", "disappoints", "strikes again", "done me",
                     "wild", "mad", "crazy", "bonkers", "unreal", "chaos", "carnage", "war",
                     "different world"),
    _UNIVERSITY: ("university",),
    _HOSPITAL: ("hospital", "infirmary", "medical", "health centre", "royal", "the va"),
    _COURT: ("court",),
    _PRISON: ("hmp", "hmyoi", "prison", "yoi", "jail", "gaol", "penitentiary", "correctional"),
    _SCHOOL: (
        "academy", "primary", "high", "school", "college", "grammar", "infants", "juniors",
        "comprehensive", "elementary", "middle", "ysgol", "scoil", "coláiste", "colaiste",
    ),
    _GAELIC_STREET: ("heol", "ffordd", "stryd", "lon", "lôn", "rhodfa", "sràid", "bothar",
                     "bóthar", "sráid"),
    _SETTING: ("lodge", "manor", "grange", "house", "centre", "home", "hostel", "refuge"),
    _UNIQUE: ("only",),
    _THE_ONLY: ("only",),
    _WHOLE_OF: ("whole of",),
    _ONLY_ONE: ("only",),
    _SCHOOL_YEAR: ("p1", "p2", "p3", "p4", "p5", "p6", "p7", "s1", "s2", "s3", "s4", "s5", "s6"),
    _HANDLE: ("@",),
    _TAG_PLACE: ("#",),
    _EVENT_ON: (" on ",),
    _PLACE_OF_THING: (
        "firm", "company", "business", "factory", "employer", "charity", "mall", "centre",
        "park", "plant", "depot", "warehouse", "kit", "strip", "jersey", "shirt", "stabbing",
        "hotel", "house", "campsite", "scarf", "game", "match", "fixture", "flat", "bungalow",
        "maisonette", "block",
        "shooting", "murder", "riot", "robbery", "arson", "blaze", "fire", "crash", "attack",
        "raid", "killing", "assault",
    ),
    _TITLE: ("mr", "ms", "miss", "mx"),
    _FAMILY_SURNAME: ("the ",),
    _FAMILY_COUNTED: ("the ",),
    _CALLED: ("called", "named"),
    _OUR_FAMILY: ("our ",),
    _NAMED_LOT: (" lot",),
    _ROLE_NAME: tuple(" " + c for c in "abcdefghijklmnopqrstuvwxyz"),
    _INITIAL_PAIR: ("&", " and "),
    _QUOTED_INITIALS: ("'", "‘", '"', "“"),
    _AGE_EXACT: (*_DIGITS_GATE, *_NUMBER_WORDS),
    _AGE_KIN: ("mum", "dad", "mam", "mom", "ma ", "da ", "mother", "father", "nan", "gran"),
    _AGED_PHRASE: ("aged",),
    _AGE_WORDED: ("old",),
    _DECADE: ("0s",),
    _AGES_PLURAL: ("yos", "y/os", "olds"),
    _ADJ_PLACE: ("town", "village", "city", "county", "community", "island", "parish", "suburb"),
    _KIN_AGES: _DIGITS_GATE,
    _KIN_ARE: _DIGITS_GATE,
    _KIN_BRACKET: ("(",),
    _AGE_OPENING: _DIGITS_GATE,
    _AGE_COMMA: _DIGITS_GATE,
    _AGE_SELF: ("self", "selves"),
    _DAY_TIME: ("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    _MONTH: (
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ),
    _DATE: (
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ),
    _SEASON: ("half", "last ", "next ", "this "),
    _CLOCK: (*_DIGITS_GATE, "midnight", "midday", "noon"),
}

# Before a first name, words that make it a place ("in Devon"); "from Ollie" stays a person.
_NAME_AS_PLACE = re.compile(r"\b(?:in|near|outside|on)\s+$")
_AND_NAME = re.compile(r"\s+(?:and|&)\s+([A-Z][a-z]+)(?![\w-])")
_OWN_NAME_BEFORE = re.compile(
    r"(?:call(?:ed|s)?\s+me|i['’]m|\bim|my\s+name\s+is|me,)\s+['‘\"]?(?:auntie\s+|aunty\s+"
    r"|uncle\s+|miss\s+|nanny\s+)?$"
)

_ORIGINS = frozenset(
    {
        "black", "white", "asian", "irish", "polish", "somali", "roma", "traveller", "muslim",
        "jewish", "sikh", "hindu", "english", "welsh", "scottish", "british", "african",
        "caribbean", "aboriginal", "indigenous", "pakistani", "indian", "bangladeshi",
        "romanian", "syrian", "afghan", "eritrean", "sudanese", "albanian", "ukrainian",
        "chinese", "kurdish", "arabic", "urdu", "punjabi", "gaelic", "latino", "hispanic",
        "first", "native",
    }
)


# --- the safer version ------------------------------------------------------------------


def _has_confidentiality(text: str) -> bool:
    """The default re-check: does the checker still find a confidentiality risk?"""
    from kaleidoscope.check.checker import check_text  # imported late: checker imports us
    from kaleidoscope.check.records import Category

    return any(
        f.category is Category.CONFIDENTIALITY for f in check_text(text).findings
    )


def _sentences(text: str) -> list[str]:
    """Sentences with their closing marks: "(she did, verbally!)." stays one."""
    return [p for p in _SENTENCE_BREAK.split(text) if p.strip()]


def _join_sentences(parts: list[str]) -> str:
    out = " ".join(p.strip() for p in parts if p.strip())
    out = _LEADING_JUNK.sub("", out).strip()
    return out[:1].upper() + out[1:]


def _prune(text: str, flagged: Callable[[str], bool]) -> str | None:
    """Leave out whole sentences, fewest and shortest first, until the re-check passes;
    None when that would take more than half of the post or its only sentence."""
    parts = _sentences(text)
    total = sum(len(p) for p in parts)
    if len(parts) < 2 or len(parts) > _MAX_SENTENCES:
        return None
    kept = list(range(len(parts)))
    budget = _MAX_RECHECKS
    while True:
        options = []
        for i in kept[1:]:  # the first sentence says what the post is: it stays
            rest = [j for j in kept if j != i]
            size = sum(len(parts[j]) for j in rest)
            if not rest or size * 2 < total:
                continue
            options.append((len(parts[i]), i, rest))
        if not options:
            return None
        options.sort()
        for _, _, rest in options:
            if budget == 0:
                return None  # a long post that keeps failing: no safe version, found fast
            budget -= 1
            candidate = _join_sentences([parts[j] for j in rest])
            if not flagged(candidate):
                return candidate
        # no single sentence is enough: drop the one whose loss helps most, the longest
        # carrying an identifier cue (the shortest as a tie-break), and try again
        kept = max(options, key=lambda o: (_cue_count(parts[o[1]]), -o[0]))[2]


def _cue_count(sentence: str) -> int:
    lower = sentence.lower()
    patterns = (_AGED_PHRASE, _CLOCK, _MONTH, _UNIQUE, _SEASON)
    return sum(1 for p in patterns if p.search(lower)) + sum(1 for w in _DETAIL_WORDS if w in lower)


_DETAIL_WORDS = (
    "eldest", "youngest", "twins", "brother", "sister", "only", "first", "diagnos", "died",
    "prison", "charged", "sentenced", "pregnant", "village", "street", "estate", "school",
    "hospital", "court", "area", "nearby", "locally",
)
_MAX_SENTENCES = 40
_MAX_TEXT = 20_000  # characters: a blog post at most; an archive's 1 MB post gets no rewrite
_MAX_RECHECKS = 6  # re-checks one safer version may spend on leaving sentences out

# Seams a whole-text pass may still need to mend: an article before another determiner.
_ARTICLE_CLASH = re.compile(
    r"\b(?P<det>[Tt]he|[Aa]n?|[Oo]ur|[Mm]y|[Hh]is|[Hh]er|[Tt]heir|first)\s+(?P<art>an?)\s"
    r"(?=(?:young|local|nearby|care|health|baby|man|woman|couple|case|family|prison|older"
    r"|adult)\b)"
)
_NUMBER_BEFORE = re.compile(r"\b\d+\s+(?=(?:a\s+|an\s+)?(?:young|older)\s)")


# The make-up of a family, said in general: the second step when the re-check still finds
# a jigsaw ("the eldest of four", "twins", "mum of 5", "three girls").
_FAMILY_DETAILS = (
    (re.compile(r",?\s*(?:the\s+)?(?:eldest|oldest|youngest|middle\s+one)\s+of\s+(?:\d+|two|three"
                r"|four|five|six|seven|eight|nine|ten)(?=[\s,.;:!?)]|$)", re.I), ""),
    (re.compile(r"\b(?:brother\s+and\s+sister|sister\s+and\s+brother|twin\s+(?:boys|girls"
                r"|brothers|sisters)|twins)\b", re.I), "children"),
    (re.compile(r"\b((?:mum|mam|mom|mother|dad|father))\s+of\s+(?:\d+|two|three|four|five|six"
                r"|seven|eight|nine|ten)\b", re.I), r"\1"),
    (re.compile(r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+(?:little\s+|young\s+)?"
                r"(?:kids|children|boys|girls|grandkids|grandchildren|grandweans|sons|daughters"
                r"|siblings|weans|bairns|lads)\b", re.I), "children"),
)
_CHILDREN_APART = re.compile(r",\s*(?:the\s+)?children,")
_DOUBLE_CHILDREN = re.compile(r"\b(?:the\s+)?(two\s+)?children\s+children\b")


def _family_in_general(text: str) -> str:
    """ "the eldest of four" goes; "twins", "mum of 5", "three girls" become "children",
    "mum". What is left says there are children, not how many or which."""
    for pattern, new in _FAMILY_DETAILS:
        text = pattern.sub(new, text)
    text = _DOUBLE_CHILDREN.sub("children", text)
    text = _CHILDREN_APART.sub(",", text)  # "arrived, children, came" -> "arrived, came"
    text = re.sub(r"\b(?:a|an|one|two)\s+children\b", "children", text)
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _fix_clash(m: re.Match[str]) -> str:
    det, art = m.group("det"), m.group("art")
    if det.lower() in ("the", "a", "an"):  # "the a young person" -> "a young person"
        return (art.capitalize() if det[:1].isupper() else art) + " "
    return det + " "  # "our first a young person" -> "our first young person"


def _mend(text: str) -> str:
    """Whole-text mending of seams the word-by-word pass cannot see: "our first a young
    person" -> "our first young person", "17 young" -> "young"."""
    text = _ARTICLE_CLASH.sub(_fix_clash, text)
    return _NUMBER_BEFORE.sub("", text)


@dataclass(frozen=True, slots=True)
class Safer:
    """A safer version of a post, or why there is none.

    ``text`` is the post rewritten, re-checked and free of confidentiality findings; when
    it is None, ``reason`` is one of `NO_SAFE_VERSION`'s keys and ``message`` the
    sentence to show instead.
    """

    text: str | None
    reason: str | None = None
    message: str | None = None
    pruned: bool = False  # whole sentences were left out to make it safe


def _no_safe(reason: str, words: Mapping[str, str]) -> Safer:
    message = words.get(f"no_safe_{reason}") or NO_SAFE_VERSION[reason]
    return Safer(text=None, reason=reason, message=message)


def safer_version(
    text: str,
    lower: str,
    idents: list[Ident],
    words: Mapping[str, str],
    age_words: Mapping[str, str],
    keep_conditions: frozenset[str],
    young: bool,
    flagged: Callable[[str], bool] | None = _has_confidentiality,
) -> Safer:
    """The post with every identifier generalised and re-checked (see the module
    docstring). ``flagged`` re-checks a candidate (True: a confidentiality risk remains);
    None skips the re-check (for tests of the wording alone)."""
    if any(kind == "face" for kind, _, _ in idents):
        return _no_safe("photo", words)
    if len(text) > _MAX_TEXT:
        return _no_safe("long", words)
    if _KNOWN_STORY.search(lower) or _IN_THE_PAPER.search(text):
        return _no_safe("known", words)
    every = _Net(text, lower).run(idents)
    if len(every) > _MAX_REWRITES:
        return _no_safe("long", words)  # more to take out than a rewrite can be trusted with
    out = _Rewriter(text, lower, words, age_words, keep_conditions, young).run(every)
    out = _mend(out)
    if flagged is None or not flagged(out):
        return Safer(text=out)
    general = _family_in_general(out)
    if general != out:
        if not flagged(general):
            return Safer(text=general)
        out = general
    pruned = _prune(out, flagged)
    if pruned is None:
        return _no_safe("details", words)
    return Safer(text=pruned, pruned=True)


def rewrite(
    text: str,
    lower: str,
    idents: list[Ident],
    words: Mapping[str, str],
    age_words: Mapping[str, str],
    keep_conditions: frozenset[str],
    young: bool,
) -> str:
    """The safer version's text, or the sentence saying why there is none (the interface
    the checker's `Finding.rewrite` uses; `safer_version` gives the two apart)."""
    safer = safer_version(text, lower, idents, words, age_words, keep_conditions, young)
    if safer.text is not None:
        return safer.text
    return safer.message or NO_SAFE_VERSION["details"]
