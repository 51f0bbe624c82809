"""The front-matter keys: one declaration read by the validator, the loader and
`kith schema`, so the three can never disagree."""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import CIRCLES

# Kinds of value. "text" is a string; "list" a list of strings (a single string
# is accepted with a warning); "email-list" and "phone-list" are lists with a
# per-item rule; "slug" names another person's file.
TEXT = "text"
LIST = "list"
EMAIL_LIST = "email-list"
PHONE_LIST = "phone-list"
LINKS = "links"
CIRCLE = "circle"
CADENCE = "cadence"
DATE = "date"
BIRTHDAY = "birthday"
MET = "met"
RELATIONSHIPS = "relationships"
BOOL = "bool"
SLUG = "slug"


@dataclass(frozen=True)
class Field:
    key: str
    kind: str
    description: str
    required: bool = False
    children: tuple["Field", ...] = field(default=())


MET_FIELDS: tuple[Field, ...] = (
    Field("date", DATE, "The day you met (YYYY-MM-DD)."),
    Field("where", TEXT, "Where you met: becomes a place page."),
    Field("event", TEXT, "The event you met at: becomes an event page."),
    Field("via", SLUG, "The slug of the person who introduced you."),
)

RELATIONSHIP_FIELDS: tuple[Field, ...] = (
    Field("with", SLUG, "The slug of the other person.", required=True),
    Field(
        "type",
        TEXT,
        "What the other person is to this one (mentor, colleague, ...); "
        "without it the two are simply related.",
    ),
)

FIELDS: tuple[Field, ...] = (
    Field("name", TEXT, "Full name: the only required key.", required=True),
    Field("aka", LIST, "Other names, for search and matching."),
    Field("company", TEXT, "Organisation: becomes an organisation page."),
    Field("title", TEXT, "Job title or role."),
    Field("location", TEXT, "Where they live or work."),
    Field("emails", EMAIL_LIST, "Email addresses."),
    Field("phones", PHONE_LIST, "Phone numbers, E.164 after `kith enrich`."),
    Field("links", LINKS, "Named links: {linkedin: URL, web: URL}."),
    Field("tags", LIST, "Communities and groups; each gets a tag page."),
    Field("circle", CIRCLE, "How close: " + " | ".join(CIRCLES) + "."),
    Field("cadence", CADENCE, "Keep in touch every N d/w/m/y (2w, 3m, 1y)."),
    Field("snooze", DATE, "No cadence, met or intro reminders before this day."),
    Field("met", MET, "How you met.", children=MET_FIELDS),
    Field("birthday", BIRTHDAY, "YYYY-MM-DD, or --MM-DD when the year is unknown."),
    Field("interests", LIST, "What they care about."),
    Field("offers", LIST, "What they can help others with."),
    Field("needs", LIST, "What they are looking for."),
    Field(
        "relationships",
        RELATIONSHIPS,
        "Typed links to other people: [{with: slug, type: mentor}].",
        children=RELATIONSHIP_FIELDS,
    ),
    Field("private", BOOL, "true keeps this person off the site entirely."),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)

LIST_KINDS = frozenset({LIST, EMAIL_LIST, PHONE_LIST})
TEXT_LIST_KEYS = tuple(f.key for f in FIELDS if f.kind in LIST_KINDS)
