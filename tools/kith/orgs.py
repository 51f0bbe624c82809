"""One organisation, however it is written.

"Stripe", "Stripe, Inc." and "STRIPE INC" are one organisation; so are
"Company, The" and "The Company", and "Société Générale" and "Societe
Generale SA". `org_key` gives them one key: case, accents, punctuation and
spacing ignored, a leading or trailing "The" dropped, and legal forms at the
end (Inc, Ltd, GmbH, LLC, SA, ...) taken off. Files keep what the user
wrote; the site groups people by this key and shows the spelling most of
them use, and the import does not report "Stripe" against "Stripe Inc" as
a conflict.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import fold

# Legal forms, as words after punctuation is removed ("S.A." is "s a",
# written here as "sa" and matched with its letters run together too).
LEGAL_FORMS = frozenset(
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "cos", "ltd", "limited",
        "llc", "llp", "lp", "plc", "pllc", "pc", "gmbh", "ag", "kg", "ug", "ohg", "gbr", "ev", "eg",
        "se", "sa", "sas", "sarl", "sasu", "eurl", "sca", "spa", "srl", "sl", "slu", "bv", "nv",
        "cv", "vof", "oy", "oyj", "ab", "asa", "aps", "kk", "pte", "pty", "pvt", "sdn",
        "bhd", "tbk", "kft", "zrt", "nyrt", "sp", "zoo", "doo", "ad", "dd", "sro", "as", "ooo",
        "zao", "oao", "pao", "ltda", "sab", "sapi", "mbh",
    }
)
# Forms written as more than one word; each is removed whole.
_MULTI = (
    ("gmbh", "co", "kg"), ("co", "kg"), ("s", "a"), ("s", "l"), ("s", "r", "l"), ("s", "p", "a"),
    ("b", "v"), ("n", "v"), ("a", "g"), ("e", "v"), ("l", "l", "c"), ("l", "t", "d"), ("p", "l", "c"),
    ("pty", "ltd"), ("pvt", "ltd"), ("pte", "ltd"), ("sdn", "bhd"), ("sp", "z", "o", "o"),
    ("sa", "de", "cv"), ("s", "a", "de", "c", "v"), ("d", "o", "o"), ("s", "r", "o"), ("k", "k"),
)
_WORDS = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    # kith.text's folding (case, accents, ß, ł...), with & and + as "and".
    return fold(text.replace("&", " and ").replace("+", " and "))


@lru_cache(maxsize=65536)
def org_key(name: str) -> str:
    """The key that spellings of one organisation share; "" for nothing."""
    words = _WORDS.findall(_fold(name))
    # "Company, The" is how directories sort "The Company".
    if len(words) > 1 and words[-1] == "the":
        words = words[:-1]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    changed = True
    while changed and len(words) > 1:
        changed = False
        for form in _MULTI:
            if len(words) > len(form) and tuple(words[-len(form) :]) == form:
                words = words[: -len(form)]
                changed = True
                break
        else:
            # "Smith & Co" -> "smith and co" -> "smith and" -> "smith".
            if len(words) > 1 and (words[-1] in LEGAL_FORMS or words[-1] == "and"):
                words = words[:-1]
                changed = True
    return " ".join(words) or " ".join(name.casefold().split())
