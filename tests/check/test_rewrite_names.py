"""Names and places no list knows leave the safer version (the new training writers, t125-t140).

A capitalised word the name and place lists do not hold ("Fiachra", "Shaz", "Rotorua", "the
McGillivrays") is taken for a name or a place by the words around it and generalised so the
sentence still reads: "to see Ngaire" -> "to see someone", "a Cleveland courtroom" -> "a
courtroom", "up the Mount" -> "nearby". Opening a sentence a capital says nothing, so there
the word needs a cue of its own: whose something is, what only people do, being hailed.

Each post here is invented for these tests, one or two per class, and each failed before
the class was fixed. `safer_version` is called with no identifiers from the checker and no
re-check, so what is tested is the rewrite's own net and wording; a phrase the class must
leave alone (a box of Roses, his posters) rides along in the same post.
"""

from __future__ import annotations

import pytest

from kaleidoscope.check.rewrite import safer_version
from kaleidoscope.check.rules import load_rules


def safer(text: str) -> str:
    rules = load_rules()
    result = safer_version(
        text, text.lower(), [], rules.rewrite, rules.age_word_rewrite, rules.keep_conditions,
        False, flagged=None,
    )
    assert result.text is not None
    return result.text


CASES = {
    # whose something is, inside a sentence and opening one
    "possessive inside": (
        "Walked into Reign's flat for the welfare check and she'd made me a brew.",
        "Walked into someone's flat for the welfare check and she'd made me a brew.",
    ),
    "possessive opening": (
        "Tavita's review meeting is at 2 and he's texted to say he's late.",
        "Someone's review meeting is at 2 and he's texted to say he's late.",
    ),
    # a name opening a sentence, doing what only people do, or with an age
    "doer opening": (
        "Ulani has gone AWOL from the unit again, third time this week.",
        "Someone has gone AWOL from the unit again, third time this week.",
    ),
    "caller opening": (
        "Fearghal rang the duty line three times before lunch, he wants his old worker back.",
        "Someone rang the duty line three times before lunch, he wants his old worker back.",
    ),
    "age after a name": (
        "Ruairi was eleven the first time he was excluded. Still makes me sad.",
        "Someone was eleven the first time he was excluded. Still makes me sad.",
    ),
    # a name inside a sentence, told by the words around it
    "seen or moved": (
        "Popped round to see Thandeka on my day off with a box of Roses.",
        "Popped round to see someone on my day off with a box of Roses.",
    ),
    "with a sibling": (
        "Had to move Keoni and his sister to a new home tonight.",
        "Had to move someone and his sister to a new home tonight.",
    ),
    # letters beyond Latin-1
    "diacritics": (
        "Took Ionuț to the cinema after his court hearing, he'd never been.",
        "Took someone to the cinema after his court hearing, he'd never been.",
    ),
    # nicknames, and a name said again at the close
    "nickname": (
        "Another frequent flyer in A&E. Big Dunc again. Faking chest pains for a sandwich.",
        "Another frequent flyer in A&E. Someone again. Faking chest pains for a sandwich.",
    ),
    "nickname again": (
        "Baz came to the door in his undies again for the visit. Love him but cmon Baz",
        "Someone came to the door in his undies again for the visit. Love him but cmon",
    ),
    "spoken to again": (
        "The whole ward knows Siobhra now. Thanks for the flowers, Siobhra.",
        "The whole ward knows someone now. Thanks for the flowers.",
    ),
    # a kinship word as a title, a note that the name is not the real one, a quoted nickname
    "kin title": (
        "Mamma Folasade from the carers' group just got her diagnosis and asked me to tell "
        "the others.",
        "Someone from the carers' group just got her diagnosis and asked me to tell the others.",
    ),
    "not her real name": (
        "Nanna Joyce (not her real name, but close enough) has rung me five times today.",
        "Someone has rung me five times today.",
    ),
    "call me": (
        "Bed 12 (Mr Ferreira, 'call me Manny') is going home to a third floor flat with no lift.",
        "Bed 12 (a man) is going home to a third floor flat with no lift.",
    ),
    # plural and possessive surnames
    "family": (
        "The McAlindens cancelled the visit again. Those kids deserve better.",
        "A family cancelled the visit again. Those kids deserve better.",
    ),
    "family with a particle": (
        "The Van der Berghs want to foster again and after what I saw, over my dead body.",
        "A family want to foster again and after what I saw, over my dead body.",
    ),
    "surname said again": (
        "Officially the Mahoney file is CLOSED! Six years of visits. We did it, Nana Mahoney.",
        "Officially the file is CLOSED! Six years of visits. We did it.",
    ),
    # places used as adjectives (a team's name the same)
    "place as adjective": (
        "In a Wagga courtroom full of grown men, he told the truth.",
        "In a courtroom full of grown men, he told the truth.",
    ),
    "team as adjective": (
        "Cropped his face out so it's fine, just his room, his Spurs posters and the bunkbed.",
        "Cropped his face out so it's fine, just his room, his posters and the bunkbed.",
    ),
    # places said by the words before them, and multi-word places
    "street after a home": (
        "Shoutout to the grandma raising 4 grandbabies in a 2-bed on Delmar who told me off.",
        "Shoutout to the grandma raising 4 grandbabies in a 2-bed nearby who told me off.",
    ),
    "up the": (
        "Her first place of her own, up the Mount, and she's done so well since leaving care.",
        "Her first place of her own, nearby, and she's done so well since leaving care.",
    ),
    "as far as": (
        "The dog came with us as far as Bonar Bridge. There's a lesson in there.",
        "The dog came with us as far as the area. There's a lesson in there.",
    ),
    "standing apart": (
        "Ms Ada (94, Coral Bay, the one with the parrot) is refusing the nursing home placement.",
        "A woman (the one with the parrot) is refusing the nursing home placement.",
    ),
    "journey": (
        "Placement broke down at 11pm. Tonyrefail to Pontyclun and back twice. Love this job.",
        "Placement broke down. To the area and back twice. Love this job.",
    ),
    # a place (or a person) hailed opening a sentence, or as the post's dateline
    "hailed": (
        "The judge called him a thug in open court. Kilcreggan, do better.",
        "The judge called him a thug in open court. Do better.",
    ),
    "dateline": (
        "She drew a picture of daddy hurting mummy. Tullyglass, Thursday afternoon. Rough one.",
        "She drew a picture of daddy hurting mummy. Rough one.",
    ),
    "tag": (
        "Photo dump from the disco, everyone danced #supportedliving #Kurriwong",
        "Photo dump from the disco, everyone danced #supportedliving",
    ),
    # children's names said as the things they are named after
    "named after things": (
        "Why do these mums name their kids after drinks, had a Brandy and a Chardonnay today",
        "Why do these mums name their kids after drinks, had two people today",
    ),
}


@pytest.mark.parametrize("text,expected", CASES.values(), ids=CASES.keys())
def test_a_name_or_place_no_list_knows_is_generalised(text: str, expected: str) -> None:
    assert safer(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # an ordinary word opening a sentence stays; the name after it goes
        ("Apparently Xolisa's new foster mum doesn't cook. Fingers crossed.",
         "Apparently someone's new foster mum doesn't cook. Fingers crossed."),
        # a title, a drink, a shop's, a word and "is" stay; the name goes
        ("Watched Escape to the Country with Thandeka and handed her a Twix. Kettle's on.",
         "Watched Escape to the Country with someone and handed her a Twix. Kettle's on."),
    ],
)
def test_the_words_around_the_name_stay(text: str, expected: str) -> None:
    assert safer(text) == expected
