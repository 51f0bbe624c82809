"""Mentions count: an entry of a contact kind is contact with everyone it
mentions (kith.contact), through `kith due`, `kith find` and the loader."""

from __future__ import annotations

import datetime as dt
import json

from kith.config import Settings
from kith.followups import last_contact
from kith.load import load_network

TODAY = "2026-11-22"


def due_slugs(kith, repo, *args):
    result = kith(repo, "due", "--today", TODAY, "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return {(d["slug"], d["reason"]) for d in json.loads(result.stdout)}


def test_a_dinner_in_one_file_is_contact_with_everyone_it_mentions(repo, kith):
    repo.person("ada", "name: Ada\ncadence: 1m", "## Log\n\n- 2026-11-02 dinner: with [[mary]] and [[carl]]\n")
    repo.person("mary", "name: Mary\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    repo.person("carl", "name: Carl\ncadence: 1m")
    repo.person("zed", "name: Zed\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    assert due_slugs(kith, repo) == {("zed", "cadence")}
    network = load_network(repo.root)
    today = dt.date.fromisoformat(TODAY)
    assert last_contact(network.people["mary"], today) == dt.date(2026, 11, 2)
    assert network.people["mary"].last_contact == dt.date(2026, 11, 2)
    credit = network.people["carl"].credits[0]
    assert (credit.path, credit.line, credit.by, credit.kind) == ("people/ada.md", 8, "ada", "dinner")


def test_intro_ask_and_shared_are_not_contact_with_who_they_mention(repo, kith):
    repo.person(
        "ada",
        "name: Ada",
        "## Log\n\n- 2026-11-02 intro: to [[bo]]\n- 2026-11-03 ask: about [[bo]]\n- 2026-11-04 shared: [[bo]]'s post\n"
        "- 2026-11-05 [[bo]] came up\n",
    )
    repo.person("bo", "name: Bo\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    assert ("bo", "cadence") in due_slugs(kith, repo)
    assert load_network(repo.root).people["bo"].credits == ()


def test_contact_kinds_come_from_mkdocs_yml(repo, kith):
    repo.write("mkdocs.yml", "site_name: x\nplugins:\n  - kith:\n      contact_kinds: [intro, Standup]\n")
    repo.person("ada", "name: Ada", "## Log\n\n- 2026-11-02 intro: to [[bo]]\n- 2026-11-03 dinner: [[cy]]\n")
    repo.person("bo", "name: Bo\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    repo.person("cy", "name: Cy\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    assert due_slugs(kith, repo) == {("cy", "cadence")}


def test_private_entries_and_private_people_still_count_but_carry_privacy(repo):
    repo.person("ada", "name: Ada\nprivate: true", "## Log\n\n- 2026-11-02 call: with [[bo]]\n")
    repo.person("cy", "name: Cy", "## Log\n\n### Private\n\n- 2026-11-03 lunch: with [[bo]]\n")
    repo.person("bo", "name: Bo\ncadence: 1m")
    bo = load_network(repo.root).people["bo"]
    assert [(c.date.day, c.private) for c in bo.credits] == [(2, True), (3, True)]
    assert bo.last_contact == dt.date(2026, 11, 3)


def test_future_entries_are_plans_not_contact(repo, kith):
    repo.person("ada", "name: Ada", "## Log\n\n- 2026-12-02 dinner: with [[bo]]\n")
    repo.person("bo", "name: Bo\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    assert ("bo", "cadence") in due_slugs(kith, repo)


def test_a_self_mention_and_an_unknown_slug_credit_nobody(repo):
    repo.person("ada", "name: Ada", "## Log\n\n- 2026-11-02 call: [[ada]] and [[nobody]]\n")
    network = load_network(repo.root)
    assert network.people["ada"].credits == ()


def test_show_says_last_contact_from_a_mention(repo, kith):
    repo.person("ada", "name: Ada", "## Log\n\n- 2026-11-02 coffee: with [[bo]]\n")
    repo.person("bo", "name: Bo\nmet: {date: 2026-01-01}")
    result = kith(repo, "show", "bo", "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["last_contact"], data["last_contact_from"]) == ("2026-11-02", "log")


def test_credits_are_recomputed_on_every_load_through_the_cache(repo, kith):
    """A Person object is reused while its file is unchanged; what others
    wrote about them must not be."""
    repo.person("ada", "name: Ada", "## Log\n\n- 2026-11-02 coffee: with [[bo]]\n")
    repo.person("bo", "name: Bo\ncadence: 1m", "## Log\n\n- 2026-09-01 call: x\n")
    assert ("bo", "cadence") not in due_slugs(kith, repo)
    repo.person("ada", "name: Ada", "## Log\n\n- 2026-11-02 read: about [[bo]]\n")
    assert ("bo", "cadence") in due_slugs(kith, repo)


def test_settings_parse_contact_kinds_me_and_journal_dir():
    from kith.config import settings_from_mapping

    settings = settings_from_mapping(
        {"contact_kinds": ["Dinner"], "me": "Me@Example.org", "journal_dir": "notes/daily/", "meeting_kind": "Met"}
    )
    assert settings.contact_kinds == ("dinner",)
    assert settings.me == ("me@example.org",)
    assert settings.journal_dir == "notes/daily"
    assert settings.meeting_kind == "met"
    assert Settings().journal_dir == "journal"
