"""The follow-up rules (kith.followups), on the edges of the calendar."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from kith.config import Settings
from kith.followups import (
    by_urgency,
    describe_when,
    due_items,
    items_for,
    last_contact,
    never_followed_up,
    next_due,
)
from kith.load import parse_person
from kith.model import Network, Person

D = dt.date.fromisoformat
TODAY = D("2026-11-22")
SETTINGS = Settings()


def person(slug: str, front: str, body: str = "") -> Person:
    front = textwrap.dedent(front).strip("\n")
    body = textwrap.dedent(body).lstrip("\n")
    raw = f"---\n{front}\n---\n\n{body}".encode()
    loaded = parse_person(raw, Path(f"/repo/people/{slug}.md"), f"people/{slug}.md")
    assert loaded.person is not None, loaded.findings
    return loaded.person


def network(*people: Person) -> Network:
    return Network(root=Path("/repo"), people={p.slug: p for p in people})


def summary(items) -> list[tuple[str, str, str]]:
    return [(i.slug, i.reason, i.due.isoformat()) for i in items]


def reasons(p: Person, today: dt.date = TODAY, settings: Settings = SETTINGS) -> dict[str, dt.date]:
    return {i.reason: i.due for i in items_for(p, today, settings)}


# -- cadence -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "last", "due"),
    [
        ("10d", "2026-11-01", "2026-11-11"),
        ("2w", "2026-11-01", "2026-11-15"),
        ("1m", "2026-01-31", "2026-02-28"),  # month end: the last day of a shorter month
        ("1m", "2024-01-31", "2024-02-29"),  # leap year
        ("3m", "2025-11-30", "2026-02-28"),
        ("1y", "2024-02-29", "2025-02-28"),
        ("4y", "2024-02-29", "2028-02-29"),
        ("2m", "2026-09-01", "2026-11-01"),
    ],
)
def test_cadence_is_due_last_contact_plus_cadence_by_calendar(cadence, last, due):
    p = person("ada", f"name: Ada\ncadence: {cadence}", f"## Log\n\n- {last} call: hi\n")
    (item,) = items_for(p, TODAY, SETTINGS)
    assert item.reason == "cadence"
    assert item.due == D(due)
    assert item.days_overdue == (TODAY - D(due)).days


def test_cadence_detail_and_line_point_at_the_cadence_key():
    p = person("ada", "name: Ada\ncircle: close\ncadence: 2m", "## Log\n\n- 2026-09-01 coffee: hi\n")
    (item,) = items_for(p, TODAY, SETTINGS)
    assert item.detail == "every 2 months; last contact 2026-09-01"
    assert item.line == 4  # `---` is line 1
    assert item.days_overdue == 21
    assert item.circle == "close"


def test_newest_entry_counts_whatever_the_order_of_the_log():
    p = person(
        "ada",
        "name: Ada\ncadence: 1m",
        "## Log\n\n- 2026-08-01 call: a\n- 2026-11-01 call: b\n- 2026-10-01 call: c\n",
    )
    assert reasons(p) == {"cadence": D("2026-12-01")}


def test_never_contacted_with_a_cadence_is_due_today():
    p = person("ada", "name: Ada\ncadence: 1w")
    (item,) = items_for(p, TODAY, SETTINGS)
    assert (item.due, item.days_overdue) == (TODAY, 0)
    assert item.detail == "every week; never in touch yet"


def test_met_date_is_the_last_contact_when_the_log_is_empty():
    p = person("ada", "name: Ada\ncadence: 6m\nmet: {date: 2026-01-10, event: FOSDEM}")
    (item,) = items_for(p, TODAY, SETTINGS)
    assert item.due == D("2026-07-10")
    assert item.detail == "every 6 months; met 2026-01-10"


def test_future_dated_entries_are_plans_not_contact():
    p = person(
        "ada",
        "name: Ada\ncadence: 1m",
        "## Log\n\n- 2026-12-24 dinner: planned\n- 2026-10-01 call: hi\n",
    )
    assert last_contact(p, TODAY) == D("2026-10-01")
    assert reasons(p) == {"cadence": D("2026-11-01")}
    # ...and once the day has come, it is contact.
    assert reasons(p, D("2026-12-24")) == {"cadence": D("2027-01-24")}


def test_only_future_entries_fall_back_to_met_then_to_never():
    with_met = person(
        "ada", "name: Ada\ncadence: 1y\nmet: {date: 2020-05-05}", "## Log\n\n- 2027-01-01 call: plan\n"
    )
    assert reasons(with_met)["cadence"] == D("2021-05-05")
    without = person("bob", "name: Bob\ncadence: 1y", "## Log\n\n- 2027-01-01 call: plan\n")
    assert reasons(without) == {"cadence": TODAY}


def test_a_person_with_no_data_is_never_due():
    assert items_for(person("ada", "name: Ada"), TODAY, SETTINGS) == []


# -- tasks ---------------------------------------------------------------------


def test_open_dated_tasks_are_due_on_their_day_done_and_undated_are_not():
    p = person(
        "ada",
        "name: Ada",
        """
        ## Log

        - [ ] 2026-12-01 send the publisher contact
        - [x] 2026-10-05 thank-you note
        - [ ] some day, maybe
        - [ ] 2026-11-20 return the book
        """,
    )
    items = items_for(p, TODAY, SETTINGS)
    assert [(i.due.isoformat(), i.detail, i.line, i.days_overdue) for i in items] == [
        ("2026-11-20", "return the book", 10, 2),
        ("2026-12-01", "send the publisher contact", 7, -9),
    ]


def test_private_tasks_are_left_out_of_the_public_view():
    p2 = person(
        "bob",
        "name: Bob",
        "## Log\n\n- [ ] 2026-11-25 open\n\n### Private\n\n- [ ] 2026-11-26 secret\n",
    )
    assert [i.detail for i in items_for(p2, TODAY, SETTINGS)] == ["open", "secret"]
    assert [i.detail for i in items_for(p2, TODAY, SETTINGS, include_private=False)] == ["open"]


# -- met -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("met", "listed"),
    [
        ("2026-10-23", True),  # exactly 30 days ago: still inside the window
        ("2026-10-22", False),  # 31 days ago
        ("2026-11-22", True),  # today
        ("2026-11-23", False),  # not met yet
    ],
)
def test_met_window_edges(met, listed):
    p = person("ada", f"name: Ada\nmet: {{date: {met}, event: PyCon US 2024}}")
    items = items_for(p, TODAY, SETTINGS)
    if not listed:
        assert items == []
        return
    (item,) = items
    assert item.reason == "met"
    assert item.due == D(met) + dt.timedelta(days=2)
    assert item.detail == "met at PyCon US 2024"


def test_met_follow_up_is_done_by_any_entry_on_or_after_the_day_met():
    front = "name: Ada\nmet: {date: 2026-11-10, where: Berlin}"
    assert reasons(person("a", front)) == {"met": D("2026-11-12")}
    assert reasons(person("a", front, "## Log\n\n- 2026-11-10 coffee: met\n")) == {}
    assert reasons(person("a", front, "## Log\n\n- 2026-11-15 mail: nice to meet\n")) == {}
    # an older entry, or a planned one, does not count
    assert reasons(person("a", front, "## Log\n\n- 2026-11-09 mail: see you\n")) == {"met": D("2026-11-12")}
    assert reasons(person("a", front, "## Log\n\n- 2026-12-01 lunch: planned\n")) == {"met": D("2026-11-12")}


def test_met_window_and_delay_come_from_settings():
    p = person("ada", "name: Ada\nmet: {date: 2026-10-01}")
    assert reasons(p) == {}
    settings = Settings(met_window=60, met_followup=5)
    (item,) = items_for(p, TODAY, settings)
    assert (item.due, item.detail) == (D("2026-10-06"), "met on 2026-10-01")


# -- birthdays -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("birthday", "today", "due", "detail"),
    [
        ("1815-12-10", "2026-11-22", "2026-12-10", "turns 211"),
        ("--12-10", "2026-11-22", "2026-12-10", "10 December"),
        ("--11-22", "2026-11-22", "2026-11-22", "22 November"),  # today, not next year
        ("1990-11-21", "2026-11-22", "2027-11-21", "turns 37"),  # yesterday: next year
        ("1988-02-29", "2026-11-22", "2027-02-28", "turns 39"),  # 29 Feb in a common year
        ("1988-02-29", "2027-11-22", "2028-02-29", "turns 40"),  # ...and in a leap year
        ("--02-29", "2027-02-28", "2027-02-28", "29 February"),
        ("--02-29", "2027-03-01", "2028-02-29", "29 February"),
        ("--01-01", "2026-12-31", "2027-01-01", "1 January"),  # across the new year
    ],
)
def test_birthday_is_due_on_the_next_occurrence(birthday, today, due, detail):
    p = person("ada", f"name: Ada\nbirthday: '{birthday}'")
    (item,) = items_for(p, D(today), SETTINGS)
    assert (item.reason, item.due, item.detail) == ("birthday", D(due), detail)
    assert item.days_overdue <= 0


# -- intros --------------------------------------------------------------------


def test_intro_asks_how_it_went_two_weeks_later():
    p = person("ada", "name: Ada", "## Log\n\n- 2026-11-01 intro: introduced her to [[charles]]\n")
    (item,) = items_for(p, TODAY, SETTINGS)
    assert (item.reason, item.due, item.other) == ("intro", D("2026-11-15"), "charles")
    assert item.detail == "intro to [[charles]] on 2026-11-01: how did it go?"
    assert item.line == 7


def test_intro_is_answered_by_a_later_entry_only():
    intro = "- 2026-11-01 intro: to [[charles]]\n"
    assert reasons(person("a", "name: A", f"## Log\n\n{intro}- 2026-11-03 call: went well\n")) == {}
    # the same day is the intro itself, not news of how it went
    assert "intro" in reasons(person("a", "name: A", f"## Log\n\n{intro}- 2026-11-01 coffee: x\n"))
    # a planned call has not happened yet
    assert "intro" in reasons(person("a", "name: A", f"## Log\n\n{intro}- 2026-12-01 call: plan\n"))


def test_intro_items_per_person_introduced_and_never_to_oneself():
    p = person("ada", "name: Ada", "## Log\n\n- 2026-11-01 intro: [[bob]], [[cy]], [[bob]] and [[ada]]\n")
    assert [i.other for i in items_for(p, TODAY, SETTINGS)] == ["bob", "cy"]


def test_other_kinds_that_mention_someone_are_not_intros():
    p = person("ada", "name: Ada", "## Log\n\n- 2026-11-01 coffee: with [[bob]]\n")
    assert items_for(p, TODAY, SETTINGS) == []


def test_future_intro_is_not_due_yet():
    p = person("ada", "name: Ada", "## Log\n\n- 2026-11-30 intro: [[bob]]\n")
    assert items_for(p, TODAY, SETTINGS) == []


# -- snooze --------------------------------------------------------------------


def _snoozed(snooze: str) -> Person:
    return person(
        "ada",
        f"""
        name: Ada
        cadence: 1m
        snooze: {snooze}
        birthday: --11-25
        met: {{date: 2026-11-15}}
        """,
        """
        ## Log

        - [ ] 2026-11-21 send the slides
        - 2026-09-01 intro: to [[bob]]
        """,
    )


def test_snooze_hides_cadence_met_and_intro_but_not_tasks_and_birthdays():
    assert set(reasons(_snoozed("2026-11-23"))) == {"task", "birthday"}


def test_snooze_ends_on_its_day():
    assert set(reasons(_snoozed("2026-11-22"))) == {"cadence", "task", "met", "birthday", "intro"}


# -- the list ------------------------------------------------------------------


def test_list_holds_items_due_within_seven_days_by_default_inclusive():
    net = network(
        person("a", "name: A", "## Log\n\n- [ ] 2026-11-29 seven days\n- [ ] 2026-11-30 eight\n"),
        person("b", "name: B", "## Log\n\n- [ ] 2025-01-01 long overdue\n"),
    )
    assert summary(due_items(net, TODAY, SETTINGS)) == [
        ("b", "task", "2025-01-01"),
        ("a", "task", "2026-11-29"),
    ]
    assert len(due_items(net, TODAY, SETTINGS, within=8)) == 3
    assert len(due_items(net, TODAY, SETTINGS, within=0)) == 1
    assert len(due_items(net, TODAY, Settings(within=30))) == 3


def test_list_is_ordered_by_due_then_slug_then_reason():
    net = network(
        person("zed", "name: Zed\ncadence: 1w", "## Log\n\n- 2026-11-15 call: x\n- [ ] 2026-11-22 t\n"),
        person("amy", "name: Amy\nbirthday: --11-22"),
        person("bob", "name: Bob\ncadence: 1w"),
    )
    assert summary(due_items(net, TODAY, SETTINGS)) == [
        ("amy", "birthday", "2026-11-22"),
        ("bob", "cadence", "2026-11-22"),
        ("zed", "cadence", "2026-11-22"),
        ("zed", "task", "2026-11-22"),
    ]


def test_limit_keeps_the_most_overdue_closer_circles_first_on_ties():
    net = network(
        person("a", "name: A\ncircle: acquaintance", "## Log\n\n- [ ] 2026-11-01 x\n"),
        person("b", "name: B\ncircle: inner", "## Log\n\n- [ ] 2026-11-10 x\n"),
        person("c", "name: C", "## Log\n\n- [ ] 2026-11-10 x\n"),
        person("d", "name: D\ncircle: close", "## Log\n\n- [ ] 2026-11-10 x\n"),
        person("e", "name: E\ncircle: inner", "## Log\n\n- [ ] 2026-11-20 x\n"),
    )
    assert [i.slug for i in due_items(net, TODAY, SETTINGS, limit=3)] == ["a", "b", "d"]
    assert [i.slug for i in due_items(net, TODAY, Settings(limit=2))] == ["a", "b"]
    assert len(due_items(net, TODAY, Settings(limit=2), limit=0)) == 5
    everyone = due_items(net, TODAY, SETTINGS)
    assert [i.slug for i in sorted(everyone, key=by_urgency)] == ["a", "b", "d", "c", "e"]


def test_filters_by_tag_circle_and_privacy():
    net = network(
        person("a", "name: A\ncadence: 1w\ntags: [Python, poetry]\ncircle: close"),
        person("b", "name: B\ncadence: 1w\ntags: [math]\ncircle: close\nprivate: true"),
        person("c", "name: C\ncadence: 1w"),
    )
    assert [i.slug for i in due_items(net, TODAY, SETTINGS, tag="python")] == ["a"]
    assert [i.slug for i in due_items(net, TODAY, SETTINGS, circle="close")] == ["a", "b"]
    assert [i.slug for i in due_items(net, TODAY, SETTINGS, include_private=False)] == ["a", "c"]
    assert [i.slug for i in due_items(net, TODAY, SETTINGS)] == ["a", "b", "c"]


def test_next_due_is_the_most_urgent_item_of_a_person():
    p = person(
        "ada",
        "name: Ada\ncadence: 1y\nbirthday: --12-10",
        "## Log\n\n- 2026-06-01 call: x\n- [ ] 2026-11-30 send\n",
    )
    item = next_due(p, TODAY, SETTINGS)
    assert item is not None and (item.reason, item.due) == ("task", D("2026-11-30"))
    assert next_due(person("bob", "name: Bob"), TODAY, SETTINGS) is None


def test_never_followed_up_ignores_the_window_but_not_the_log():
    people = [
        person("old", "name: Old\nmet: {date: 2024-03-14, event: PyCon}"),
        person("done", "name: Done\nmet: {date: 2024-03-14, event: PyCon}", "## Log\n\n- 2024-03-20 mail: hi\n"),
        person("new", "name: New\nmet: {date: 2026-11-20, event: PyCon}", "## Log\n\n- 2026-12-01 call: plan\n"),
        person("later", "name: Later\nmet: {date: 2026-12-20}"),
        person("never", "name: Never"),
    ]
    assert [p.slug for p in never_followed_up(people, TODAY)] == ["old", "new"]


@pytest.mark.parametrize(
    ("days", "text"),
    [(3, "3 days overdue"), (1, "1 day overdue"), (0, "due today"), (-1, "in 1 day"), (-4, "in 4 days")],
)
def test_describe_when(days, text):
    assert describe_when(days) == text
