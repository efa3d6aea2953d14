"""A safer version of a post: every identifier generalised, the text still plain English.

The checker hands over the identifiers it found as ``(kind, start, end)``; each kind has
its own generalisation (``categories.yaml``, section ``rewrite``) chosen to fit the words
around it: "at St Anne's" -> "at school", "on the Eastfield estate" -> "on a local
estate", "in Ashby" -> "in the area", "this morning" -> (dropped, with no dangling
preposition). A second mention of the same person reads "the young person", a different
one "another young person". A final pass tidies spaces and punctuation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["rewrite"]

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
_WORD = re.compile(r"[a-z]+")
_ARTICLE_START = re.compile(r"(?:a|an|the|my|this|our)\s", re.I)
_AGED = re.compile(r"\d\s?(?:yo|y/o|y\.o|yrs?\sold|years?[\s-]old|-year-old|-yr-old)|\bold\b|yo\b")
_AGE_VERB = re.compile(r"(is|turned|turns|he's|she's|be)\s", re.I)
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
        "being", "currently", "just",
    }
)
_NAME_ADJECTIVE = re.compile(r"\b(little|baby|wee|young|lovely|old)\s+$", re.IGNORECASE)
_TAIL_WORD = re.compile(r"\b(the|a|an|her|his|their|my|our|your|its)\s+$", re.IGNORECASE)
# A role noun just before a name: "my client Maggie" -> "my client" (the name just goes).
_ROLE_BEFORE = re.compile(
    r"\b(?:client|service\suser|care\sleaver|foster\schild|foster\syouth|young\sperson|yp|resident"
    r"|baby|patient|tenant|brother|sister|son|daughter|mum|mam|dad|nan|gran|stepdad|stepmum"
    r"|boyfriend|girlfriend|partner|cousin|twin)\s+$",
    re.IGNORECASE,
)
_HYPHEN_NAME = re.compile(r"-[A-Z][a-z]+")
_LIST_ITEM_BEFORE = re.compile(r"(?:^|[(,;:.!?])\s*$")
_LIST_ITEM_AFTER = re.compile(r"\s*(?:,\s*|[);.!?]|$)")
_DETERMINER_BEFORE = re.compile(r"(?:^|[(,;:.!?])\s*$")
_A_AN = re.compile(r"\b([Aa]n?)\s+$")
_LAST_WORD = re.compile(r"([A-Za-z]+)\s*$")
_PREP_BEFORE = re.compile(
    r"\b(in|at|from|to|near|of|on|off|down|round)\s+(?:(the)\s+)?$", re.IGNORECASE
)
_ISLE_BEFORE = re.compile(r"\b(?:the\s+)?(?:isle|island)\s+of\s+$", re.IGNORECASE)
# A place used as an adjective: "the Bexford area", "the Harbour Road flats".
_PLACE_NOUN = re.compile(
    r"\s+(?:area|flats|estate|site|end|shops|park|surgery|parade|precinct|district|side"
    r"|community|tower|towers|block|houses|road|village)\b"
)
# A landmark phrase ("above the", "beside the") takes the words after it as its object.
_LANDMARK_OBJECT = re.compile(r"\s+(?:[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*){0,2}|[a-z][\w'’&-]*)")
_LANDMARK_STARTS = (
    "above", "beside", "behind", "next to", "next door to", "opposite", "round the corner",
    "across from", "near the",
)
_CONDITION_SLOT = re.compile(r"(?:\b(?:her|his|their|a|an|with|has|have|had)|['’]s)\s$")
_TIME_NOUN = re.compile(r"\s(?:visit|visits|session|contact)$")
_DROP_PREPS = frozenset(
    {
        "on", "at", "in", "from", "by", "since", "until", "till", "during", "for", "every",
        "this", "last", "next", "aged", "age",
    }
)
_SETTINGS = (
    "family centre", "children's house", "children's home", "care home", "nursing home",
    "day centre", "contact centre", "hostel", "refuge",
)
_VOWEL_SOUND = re.compile(r"(?:[aeio]|u(?!ni|se|su|ro|ti|ra|bi)|hour|hon|8|11\b|18\b)", re.I)
_SENTENCE_END = (".", "!", "?")

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
_ONCE = frozenset({"school", "church", "nearby", "locally", "someone", "local"})
# Anything one of _TIDY would change (a cheap test first).
_UNTIDY = re.compile(r"[ \t][,.;:]|[,;:]\s*[,.;:!?]|\(\s*\)|,[A-Za-z]|[ \t]{2}")
# Run over the whole rewrite, only when the placeholder they need is there.
_PAIRS = (
    ("another young person", re.compile(r"\ba young person (?:&|and) another young person\b"),
     "two young people"),
    ("someone else", re.compile(r"\bsomeone (?:&|and) someone else\b"), "two people"),
)
_SEAM_MARGIN = 6
_SPACES = re.compile(r"[ \t]{2,}")
_NO_SPACE_BEFORE = frozenset({"", " ", ",", ".", ";", ":", "!", "?", ")", "'", "’"})
_PLACE_GAP = re.compile(r"\s*(?:on|in|at|off|near|of)?\s*$")
_LEADING_JUNK = re.compile(r"^[\s,;:=–-]+")


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
        quote = self.text[start:end]
        first = quote.split()[0].rstrip(".")
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
        quote = self.lower[start:end]
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
        if not article and _DETERMINER_BEFORE.search(self.text, max(0, start - 4), start):
            article = _ARTICLE_START.match("a ")  # at the start of a sentence or clause
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
            return start + verb.end(), end, self.words[f"age_{group}"]
        if not (infant or _AGED.search(quote)):
            return start, end, ""  # "aged 15", "(92)", "Ruby, 15,": the number just goes
        nxt = _WORD.match(self.lower, end + 1) if self.lower[end : end + 1] == " " else None
        if nxt and nxt.group(0) not in _FUNCTION_WORDS:
            # "an 87-year-old retired miner" -> "an older retired miner"
            adjective = self.words[f"age_{group}_adjective"]
            if not adjective:
                return start + (article.end() if article else 0), end + 1, ""
            return start + (article.end() if article else 0), end, adjective
        new = self.words[f"age_{group}"]
        if not article:
            new = new.split(" ", 1)[1]  # "the same 15 year old": keep the writer's article
        return start, end, self._person(new, quote) if article else new

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
            return start, end, self.words["local"]
        prep = _PREP_BEFORE.search(text, window_start, start)
        if prep is None:
            return start, end, self.words["area"]
        word = prep.group(1).lower()
        if word == "near" or (self.area_used and word in ("in", "from", "at")):
            return prep.start(), end, self.words["nearby"]
        if word == "at":
            return prep.start(), end, self.words["locally"]
        self.area_used = True
        return prep.start(2) if prep.group(2) else start, end, self.words["area"]

    def _landmark(self, start: int, end: int) -> tuple[int, int, str] | None:
        quote = self.lower[start:end]
        if not quote.startswith(_LANDMARK_STARTS):
            return None  # "the flats", "in the village": ordinary words, kept
        if quote.endswith((" the", " from", " to", " of")) or quote in ("beside", "behind"):
            obj = _LANDMARK_OBJECT.match(self.text, end)
            if obj is not None:
                end = obj.end()
        return start, end, self.words["nearby"]

    def _time(self, start: int, end: int) -> tuple[int, int, str]:
        noun = _TIME_NOUN.search(self.lower, start, end)
        if noun is not None:  # "Sunday visit" -> "visit"
            return start, noun.start() + 1, ""
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

    # --- joining -------------------------------------------------------------------------

    def run(self, idents: list[Ident]) -> str:
        replacements: list[tuple[int, int, str, str]] = []
        for kind, start, end in sorted(idents, key=lambda i: (i[1], -i[2])):
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
            place = kind in ("town", "street", "estate", "landmark", "number", "address")
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
                out = pattern.sub(replacement, out)
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
                old = adjective.group(1).lower() == "old"
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
        if not before.rstrip() or before.rstrip()[-1] in _SENTENCE_END:
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
            end += 1  # "TJ, 9, are" -> "TJ are"
            before = before[:-1]
        elif nxt in (",", ".", ";", ":", "!", "?", ")") and before.endswith((",", "(")):
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


def rewrite(
    text: str,
    lower: str,
    idents: list[Ident],
    words: Mapping[str, str],
    age_words: Mapping[str, str],
    keep_conditions: frozenset[str],
    young: bool,
) -> str:
    """The post with every identifier generalised (see the module docstring)."""
    return _Rewriter(text, lower, words, age_words, keep_conditions, young).run(idents)
