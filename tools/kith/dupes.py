"""People who may be one person twice, each pair with its reasons, best first.

After importing a phone and LinkedIn, "Bob Smith" and "Robert Smith" are two
files. A pair is a candidate for any of these reasons (weights in REASONS):

- the same email address (case ignored);
- the same phone number, compared in E.164 (phonenumbers), read in the
  repository's `default_region` when written without `+country`;
- the same LinkedIn profile (scheme, `www.` and trailing slash ignored);
- the same name once accents, case and spacing are folded (`aka` included);
- a nickname of the same name with the same surname (Bob / Robert Smith),
  from the `nicknames` package's hand-curated list of English names;
- similar names at the same organisation (`J. Smith` and `John Smith` at
  Acme).

Pairs are found through indexes (a block per email, name, surname...), not by
comparing everyone with everyone, so a network of thousands stays quick. Two
people with a relationship between them (siblings, a parent and child) have
said they are two people: they are listed only when they share an email,
phone or profile.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .importers.clean import fold, url_key
from .model import Network, Person

# code -> (weight, how the reason reads). The weights rank pairs: an address
# or profile two people share is near proof; a name is a strong hint; a
# nickname or a similar name at one organisation is worth a look.
REASONS: dict[str, tuple[int, str]] = {
    "email": (100, "same email"),
    "linkedin": (100, "same LinkedIn profile"),
    "phone": (90, "same phone"),
    "name": (60, "same name"),
    "nickname": (45, "nickname of the same name"),
    "similar-name": (35, "similar name at the same organisation"),
}

IDENTIFIERS = frozenset({"email", "linkedin", "phone"})

# Above this many people at one organisation, names are compared only within
# the same first letters of the surname: a big employer would otherwise cost
# a comparison for every pair of its people.
_WHOLE_GROUP = 300
_SIMILAR = 0.8
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class Reason:
    code: str
    detail: str  # the shared value: the address, the name, `Bob ~ Robert`

    @property
    def weight(self) -> int:
        return REASONS[self.code][0]

    def describe(self) -> str:
        return f"{REASONS[self.code][1]}: {self.detail}"


@dataclass
class Pair:
    a: Person  # the slug that sorts first
    b: Person
    reasons: list[Reason] = field(default_factory=list)

    @property
    def score(self) -> int:
        return sum(r.weight for r in self.reasons)

    def as_dict(self) -> dict:
        return {
            "a": self.a.slug,
            "b": self.b.slug,
            "a_path": self.a.relpath,
            "b_path": self.b.relpath,
            "a_name": self.a.name,
            "b_name": self.b.name,
            "score": self.score,
            "reasons": [{"code": r.code, "detail": r.detail, "text": r.describe()} for r in self.reasons],
        }


def name_tokens(name: str) -> list[str]:
    """Folded words of a name: `Dr. José  García-Pérez` -> dr, jose, garcia-perez."""
    return _TOKEN.findall(fold(name))


def first_and_last(name: str) -> tuple[str, str] | None:
    """(first name, surname) when the name has at least two words; a
    `Last, First` name is turned round. Initials and titles are kept: only
    a nickname match reads these, and `Dr` is no one's nickname."""
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    words = name_tokens(name)
    if len(words) < 2:
        return None
    return words[0], words[-1]


@lru_cache(maxsize=1)
def _nicknamer():
    from nicknames import NickNamer  # loads a CSV: only when dupes runs

    return NickNamer()


def name_family(first: str) -> frozenset[str]:
    """The names `first` is a nickname of, and its own nicknames (bob ->
    robert, rob; robert -> bob, bobby, ...): one step in the list, not two,
    since two nicknames of one name may be two names (Bob and Bill are both
    short for Robert in the list)."""
    if len(first) < 2:
        return frozenset()
    namer = _nicknamer()
    return frozenset(namer.canonicals_of(first) | namer.nicknames_of(first)) - {first}


def phone_key(text: str, region: str | None) -> str | None:
    """E.164 when the number can be read as a full number, else None: the
    same reading the import compares numbers by (phones.e164)."""
    from .phones import e164

    return e164(text, region)


def _same_tail(a: str, b: str) -> bool:
    """One number ends the other (trunk zeros aside), seven digits or more."""
    da = "".join(c for c in a if c.isdigit()).lstrip("0")
    db = "".join(c for c in b if c.isdigit()).lstrip("0")
    if not da or not db:
        return False
    short, long_ = sorted((da, db), key=len)
    return len(short) >= 7 and long_.endswith(short)


def _related(a: Person, b: Person) -> bool:
    return any(r.other == b.slug for r in a.relationships) or any(r.other == a.slug for r in b.relationships)


class _Finder:
    def __init__(self, network: Network, region: str | None) -> None:
        self.people = network.sorted_people()
        self.region = region
        self.pairs: dict[tuple[str, str], Pair] = {}

    def add(self, a: Person, b: Person, reason: Reason) -> None:
        if a.slug == b.slug:
            return
        if b.slug < a.slug:
            a, b = b, a
        pair = self.pairs.get((a.slug, b.slug))
        if pair is None:
            pair = self.pairs[(a.slug, b.slug)] = Pair(a, b)
        if all(r.code != reason.code for r in pair.reasons):
            pair.reasons.append(reason)

    def block(self, groups: dict[str, list[Person]], code: str, detail: dict[str, str] | None = None) -> None:
        for key, members in groups.items():
            unique = list({p.slug: p for p in members}.values())
            for i, a in enumerate(unique):
                for b in unique[i + 1 :]:
                    self.add(a, b, Reason(code, (detail or {}).get(key, key)))

    def run(self) -> list[Pair]:
        emails: dict[str, list[Person]] = defaultdict(list)
        shown_email: dict[str, str] = {}
        profiles: dict[str, list[Person]] = defaultdict(list)
        phones: dict[str, list[Person]] = defaultdict(list)
        loose_phones: list[tuple[Person, str]] = []
        names: dict[str, list[Person]] = defaultdict(list)
        shown_name: dict[str, str] = {}
        by_first_last: dict[tuple[str, str], list[Person]] = defaultdict(list)
        companies: dict[str, list[Person]] = defaultdict(list)
        for person in self.people:
            for email in person.emails:
                key = email.strip().lower()
                emails[key].append(person)
                shown_email.setdefault(key, email.strip())
            linkedin = person.links.get("linkedin")
            if linkedin:
                profiles[url_key(linkedin)].append(person)
            for phone in person.phones:
                key = phone_key(phone, self.region)
                if key:
                    phones[key].append(person)
                else:
                    loose_phones.append((person, phone))
            for name in {fold(n): n for n in [person.name, *person.aka] if fold(n)}.items():
                names[name[0]].append(person)
                shown_name.setdefault(name[0], name[1])
            parts = first_and_last(person.name)
            if parts:
                by_first_last[(parts[1], parts[0])].append(person)
            if person.company and fold(person.company):
                companies[fold(person.company)].append(person)
        self.block(emails, "email", shown_email)
        self.block(profiles, "linkedin")
        self.block(phones, "phone")
        self._loose_phones(loose_phones, phones)
        self.block(names, "name", shown_name)
        self._nicknames(by_first_last)
        self._similar(companies)
        # Related people said they are two: names alone do not make them
        # one. A shared address still does (and `kith validate` errors on it).
        found = [
            p for p in self.pairs.values()
            if not _related(p.a, p.b) or any(r.code in IDENTIFIERS for r in p.reasons)
        ]
        for pair in found:
            pair.reasons.sort(key=lambda r: (-r.weight, r.code))
        found.sort(key=lambda p: (-p.score, p.a.slug, p.b.slug))
        return found

    def _loose_phones(self, loose: list[tuple[Person, str]], phones: dict[str, list[Person]]) -> None:
        """Numbers E.164 cannot hold (no country, too short): compared by
        their last digits with the others. Looser than the import, which
        keeps `555 1234` and `+1 415 555 1234` as two numbers: here it is
        only a reason to look at a pair."""
        if not loose:
            return
        everyone = loose + [(p, key) for key, members in phones.items() for p in members]
        by_tail: dict[str, list[tuple[Person, str]]] = defaultdict(list)
        for person, phone in everyone:
            digits = "".join(c for c in phone if c.isdigit())
            if len(digits) >= 7:
                by_tail[digits[-7:]].append((person, phone))
        for group in by_tail.values():
            for i, (a, pa) in enumerate(group):
                for b, pb in group[i + 1 :]:
                    if a is not b and _same_tail(pa, pb):
                        self.add(a, b, Reason("phone", pa if len(pa) >= len(pb) else pb))

    def _nicknames(self, by_first_last: dict[tuple[str, str], list[Person]]) -> None:
        for (last, first), people in by_first_last.items():
            for other_first in name_family(first):
                if other_first < first:
                    continue  # each pair of names once
                for b in by_first_last.get((last, other_first), ()):
                    for a in people:
                        self.add(a, b, Reason("nickname", f"{_cap(first)} ~ {_cap(other_first)} {_cap(last)}"))

    def _similar(self, companies: dict[str, list[Person]]) -> None:
        for members in companies.values():
            if len(members) < 2:
                continue
            blocks: Iterable[list[Person]]
            if len(members) <= _WHOLE_GROUP:
                blocks = [members]
            else:
                by_surname: dict[str, list[Person]] = defaultdict(list)
                for person in members:
                    words = name_tokens(person.name)
                    by_surname[words[-1][:3] if words else ""].append(person)
                blocks = by_surname.values()
            for block in blocks:
                for i, a in enumerate(block):
                    for b in block[i + 1 :]:
                        if _similar_names(a.name, b.name):
                            self.add(a, b, Reason("similar-name", f"{a.name} ~ {b.name} at {a.company}"))


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _similar_names(a: str, b: str) -> bool:
    """`J. Smith` ~ `John Smith`, `Jon Smith` ~ `John Smith`; not `Ann Lee` ~
    `Bob Lee`: the surnames agree and the first names nearly do, or one is
    the other's initial; or the whole names are nearly the same text."""
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return False  # that is the `name` reason
    pa, pb = first_and_last(a), first_and_last(b)
    if pa and pb and pa[1] == pb[1]:
        x, y = pa[0], pb[0]
        if (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
            return True
        return difflib.SequenceMatcher(None, x, y).ratio() >= _SIMILAR
    return difflib.SequenceMatcher(None, fa, fb).ratio() >= 0.9


def find_pairs(network: Network, region: str | None = None) -> list[Pair]:
    """Every candidate pair in `network`, best first (score, then slugs)."""
    return _Finder(network, region).run()
