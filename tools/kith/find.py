"""Search: who matches a query, best first, and in which fields.

`search(people, "zoe")` folds case and accents on both sides (NFKD, marks
dropped, casefold), so "zoe" finds "Zoë" and "ZOË" finds "zoe". Every word
of the query must match somewhere in a person (name, aka, company, tags,
emails, interests, offers, needs, places, notes...), not necessarily in the
same field. The score says how good the match is:

- the whole query is the person's name (or slug): `EXACT_NAME`;
- the whole query starts the name, or each word starts a word of the name:
  `NAME_PREFIX`;
- for each word, the weight of the best field it matched, in the order
  name word > aka > company and tags > other fields > notes (`WEIGHTS`).

Pure functions over the model: the CLI only prints the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .text import fold, sort_key, words

EXACT_NAME = 1000
NAME_PREFIX = 500

# What one query word is worth in each field. A name or aka word must start
# with the query word; elsewhere the word may appear anywhere in the value.
WEIGHTS: dict[str, int] = {
    "name": 80,
    "aka": 60,
    "company": 40,
    "tags": 40,
    "title": 20,
    "emails": 20,
    "location": 20,
    "met.where": 20,
    "met.event": 20,
    "interests": 20,
    "offers": 20,
    "needs": 20,
    "notes": 5,
    "log": 5,
}
FIELDS: tuple[str, ...] = tuple(WEIGHTS)
"""Every field searched, best first: the order `Match.fields` lists them in."""

# A name word found inside a word ("field" in "Whitfield") counts as any other field.
NAME_INSIDE = 20

SNIPPET = 60
# `fold` and `words` come from kith.text: one folding for the site, the
# CLI, the finder and the importers (and the index, kith.index).


if TYPE_CHECKING:
    from .model import Person


@dataclass(frozen=True)
class Match:
    """One person found: the score, the fields that matched (best first) and,
    for each field, the value (or an excerpt of it) that matched."""

    person: Person
    score: int
    fields: tuple[str, ...]
    snippets: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "slug": self.person.slug,
            "name": self.person.name,
            "score": self.score,
            "matches": list(self.fields),
            "path": self.person.relpath,
        }


def searchable(person: Person) -> dict[str, list[str]]:
    """Each field's values as text, as searched."""
    met = person.met
    return {
        "name": [person.name, person.slug],
        "aka": list(person.aka),
        "company": [person.company] if person.company else [],
        "tags": list(person.tags),
        "title": [person.title] if person.title else [],
        "emails": list(person.emails),
        "location": [person.location] if person.location else [],
        "met.where": [met.where] if met and met.where else [],
        "met.event": [met.event] if met and met.event else [],
        "interests": list(person.interests),
        "offers": list(person.offers),
        "needs": list(person.needs),
        "notes": [person.notes] if person.notes.strip() else [],
        "log": [e.text for e in person.log] + [t.text for t in person.tasks],
    }


def _word_weight(field: str, word: str, value: str) -> int:
    """What `word` (folded) is worth in one value of `field`; 0 if absent."""
    folded = fold(value)
    if word not in folded:
        return 0
    if field in ("name", "aka"):
        if any(w.startswith(word) for w in words(value)):
            return WEIGHTS[field]
        return NAME_INSIDE
    return WEIGHTS[field]


def _excerpt(value: str, word: str) -> str:
    """The value, or SNIPPET characters of it around the first hit, on one line."""
    flat = " ".join(value.split())
    if len(flat) <= SNIPPET:
        return flat
    # Folding keeps positions close enough for an excerpt (ß -> ss shifts a little).
    at = max(fold(flat).find(word), 0)
    start = max(at - SNIPPET // 3, 0)
    text = flat[start : start + SNIPPET]
    return ("…" if start else "") + text + ("…" if start + SNIPPET < len(flat) else "")


def _name_bonus(person: Person, query_words: list[str]) -> int:
    phrase = " ".join(query_words)
    name_words = words(person.name)
    if phrase == " ".join(name_words) or phrase == " ".join(words(person.slug)):
        return EXACT_NAME
    if " ".join(name_words).startswith(phrase):
        return NAME_PREFIX
    if all(any(n.startswith(q) for n in name_words) for q in query_words):
        return NAME_PREFIX
    return 0


def match(person: Person, query: str) -> Match | None:
    """How `person` matches `query`, or None when some query word matches nowhere."""
    query_words = words(query)
    if not query_words:
        return None
    values = searchable(person)
    total = 0
    found: dict[str, str] = {}
    for word in query_words:
        best = 0
        for field in FIELDS:
            for value in values[field]:
                weight = _word_weight(field, word, value)
                if weight:
                    found.setdefault(field, _excerpt(value, word))
                    best = max(best, weight)
        if not best:
            return None
        total += best
    total += _name_bonus(person, query_words)
    ordered = tuple(f for f in FIELDS if f in found)
    return Match(person, total, ordered, {f: found[f] for f in ordered})


def filtered(
    people: Iterable[Person],
    tag: str | None = None,
    company: str | None = None,
    circle: str | None = None,
) -> list[Person]:
    """People with the tag (any case or accents), whose company contains
    `company` (likewise), in the circle."""
    wanted_tag = fold(tag) if tag else None
    wanted_company = fold(company) if company else None
    out = []
    for person in people:
        if wanted_tag is not None and wanted_tag not in {fold(t) for t in person.tags}:
            continue
        if wanted_company is not None and wanted_company not in fold(person.company or ""):
            continue
        if circle is not None and person.circle != circle:
            continue
        out.append(person)
    return out


def search(
    people: Iterable[Person],
    query: str = "",
    tag: str | None = None,
    company: str | None = None,
    circle: str | None = None,
    limit: int | None = None,
) -> list[Match]:
    """Everyone matching `query` and the filters, best first (on equal
    scores, more fields matched first, then by name, then slug). An empty query lists everyone the filters keep, by name."""
    kept = filtered(people, tag, company, circle)
    if not words(query):
        found = [Match(p, 0, (), {}) for p in kept]
    else:
        found = [m for m in (match(p, query) for p in kept) if m is not None]
    found.sort(key=lambda m: (-m.score, -len(m.fields), sort_key(m.person.name), m.person.slug))
    return found[:limit] if limit else found


# -- one person: `kith show` -------------------------------------------------


def slug_given(given: str) -> str:
    """The slug a user means by `ada`, `[[ada]]` or `people/ada.md`."""
    text = given.strip()
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2].strip()
    if text.endswith(".md"):
        text = text.rsplit("/", 1)[-1][:-3]
    return text


def resolve(people: Mapping[str, Any], given: str) -> tuple[str | None, str]:
    """The slug `given` names (see `slug_given`), else (None, hint) where
    hint is "; did you mean `x`?" or "". `people`: slug -> anything with a
    `name` (a Person)."""
    text = slug_given(given)
    if text in people:
        return text, ""
    # Imported here: fields imports the YAML side of the loader.
    from .fields import did_you_mean

    hint = did_you_mean(text, sorted(people))
    if not hint:
        starts = sorted(s for s in people if s.startswith(text))[:3]
        if not starts:
            # `zoe` for Zoë Whitfield: a name that starts with the word.
            folded = fold(text)
            starts = sorted(s for s, p in people.items() if folded and fold(p.name).startswith(folded))[:3]
        if starts:
            hint = "; did you mean " + " or ".join(f"`{s}`" for s in starts) + "?"
    return None, hint


def facts(person: Person, region: str | None = None, readable: bool = True) -> list[tuple[str, str]]:
    """The card's key facts as (label, text), in the order a card shows them.
    `readable`: phones in international format (numbers without +country read
    in `region`) and a birthday as "3 February"; else as the file has them."""
    from . import phones
    from .dates import birthday_text  # the model's dates: only `kith show` needs them

    rows: list[tuple[str, str]] = []
    if person.aka:
        rows.append(("Also known as", ", ".join(person.aka)))
    role = " at ".join(x for x in (person.title, person.company) if x)
    if role:
        rows.append(("Role", role))
    if person.location:
        rows.append(("Location", person.location))
    if person.circle:
        rows.append(("Circle", person.circle))
    if person.cadence:
        rows.append(("Keep in touch", person.cadence.describe()))
    if person.snooze:
        rows.append(("Snoozed until", person.snooze.isoformat()))
    if person.emails:
        rows.append(("Email", ", ".join(person.emails)))
    if person.phones:
        shown = [phones.shown(x, region) for x in person.phones] if readable else person.phones
        rows.append(("Phone", ", ".join(shown)))
    for label, url in person.links.items():
        rows.append((label, url))
    if person.birthday:
        rows.append(("Birthday", birthday_text(person.birthday) if readable else person.birthday.iso()))
    met = person.met
    if met:
        parts = [x for x in (met.date.isoformat() if met.date else None, met.event, met.where) if x]
        if met.via:
            parts.append(f"via {met.via}")
        if parts:
            rows.append(("Met", ", ".join(parts)))
    for label, values in (
        ("Tags", person.tags),
        ("Interests", person.interests),
        ("Offers", person.offers),
        ("Needs", person.needs),
    ):
        if values:
            rows.append((label, ", ".join(values)))
    if person.private:
        rows.append(("Private", "yes: kept off the site"))
    return rows
