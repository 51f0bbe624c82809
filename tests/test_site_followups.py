"""Follow-ups on the built site (GitHub issue 3): the home page's lead
sections, the Follow-ups page, the "Next" line on person cards and the
calendar feed, checked against what `kith due` and `kith export ics` say for
the same day. Every site here is built for real with `mkdocs build`.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import Repo
from sitebuild import build_site, site_text

pytestmark = pytest.mark.slow

TODAY = "2026-11-22"
PRIVATE_NAME = "CANARY-PRIVATE-NAME-8c1f"
PRIVATE_TASK = "CANARY-PRIVATE-TASK-11aa"
PRIVATE_INTRO = "CANARY-PRIVATE-INTRO-2b2b"

# A dozen people with known dates; the comment says what each is due for on
# 2026-11-22 with the default settings (within 7, met_window 30).
PEOPLE = {
    # cadence due 2026-11-01 (21 days overdue); a task in 3 days; a private task.
    "ada": (
        "name: Ada Lovelace\ncircle: close\ncadence: 2m",
        """\
        ## Log

        - 2026-09-01 coffee: talked about her book
        - [ ] 2026-11-25 send the publisher contact to [[bea]]

        ### Private

        - [ ] 2026-11-23 CANARY-PRIVATE-TASK-11aa
        """,
    ),
    # cadence due today; inner circle, so before Cy on the same day.
    "bea": ("name: Bea Brandt\ncircle: inner\ncadence: 1m", "## Log\n\n- 2026-10-22 call: catch-up\n"),
    # cadence, never in touch: due today.
    "cy": ("name: Cy Young\ncircle: friend\ncadence: 3m", ""),
    # met 7 days ago, nothing since: due 2026-11-17 (5 days overdue).
    "dee": ("name: Dee Dalton\nmet:\n  date: 2026-11-15\n  event: PyCon US 2026", ""),
    # birthday in 3 days.
    "eve": ("name: Eve Evans\ncircle: acquaintance\nbirthday: --11-25", ""),
    # intro on 2026-11-01 to Ada and to the private Kit: two items due 2026-11-15.
    "gus": (
        "name: Gus Grant\ncircle: friend",
        "## Log\n\n- 2026-11-01 intro: introduced him to [[ada]] and [[kit]]\n",
    ),
    # cadence due 2026-10-24 (29 days overdue): the most overdue.
    "hal": ("name: Hal Hughes\ncircle: close\ncadence: 2w", "## Log\n\n- 2026-10-10 coffee: plans\n"),
    # cadence due 2026-11-01 like Ada, but inner: listed before her.
    "ivy": ("name: Ivy Irwin\ncircle: inner\ncadence: 1m", "## Log\n\n- 2026-10-01 call: news\n"),
    # birthday in 18 days: "Later" on the Follow-ups page, and on the home page.
    "jon": ("name: Jon Jones\ncircle: friend\nbirthday: 1990-12-10", ""),
    # private, and overdue: on `kith due`, never on the site.
    "kit": (
        f"name: {PRIVATE_NAME}\nprivate: true\ncadence: 1w",
        f"{PRIVATE_INTRO} notes.\n\n## Log\n\n- 2026-10-01 call: {PRIVATE_INTRO}\n",
    ),
    # cadence due 2026-12-20: "Later".
    "lou": ("name: Lou Lamb\ncircle: friend\ncadence: 1m", "## Log\n\n- 2026-11-20 lunch: fine\n"),
    # snoozed: nothing due, so no "Next" line.
    "mo": (
        "name: Mo Moss\ncircle: close\ncadence: 1w\nsnooze: 2027-01-15",
        "## Log\n\n- 2026-11-01 call: off travelling\n",
    ),
    # met 52 days ago, never followed up: outside met_window (30).
    "nia": ("name: Nia Nolan\nmet:\n  date: 2026-10-01\n  where: Lisbon", ""),
}

ROW = re.compile(r'<(?:tr|li|p class="kith-next") data-slug="([^"]+)" data-reason="([^"]+)" data-due="([^"]+)"')
CLI_ROW = re.compile(
    r"^(?P<when>.+?)\s{2,}(?P<due>\d{4}-\d\d-\d\d)\s{2,}(?P<name>.+?)\s{2,}"
    r"(?P<reason>cadence|task|met|birthday|intro)\s{2,}"
)


def make_repo(root: Path) -> Repo:
    repo = Repo(root)
    for slug, (front, body) in PEOPLE.items():
        repo.person(slug, front, body)
    return repo


def build(repo: Repo, **kw):
    result, site = build_site(repo.root, **kw)
    assert result.returncode == 0, result.stderr
    return site


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def page_rows(html: str) -> list[tuple[str, str, str]]:
    """(slug, reason, due) of each row of the Follow-ups page's main table."""
    main = re.split(r'class="kith-section kith-(?:open-tasks|later)"', html)[0]
    return ROW.findall(main)


def later_rows(html: str) -> list[tuple[str, str, str]]:
    return ROW.findall(html.split('class="kith-section kith-later"')[1])


def public(items: list[dict]) -> list[dict]:
    """`kith due --format json` items minus what the site must not show:
    the private Kit and Ada's task written under `### Private`."""
    return [i for i in items if i["slug"] != "kit" and PRIVATE_TASK not in i["detail"]]


def cli_table(output: str, private: bool = False) -> list[tuple[str, str, str]]:
    """(name, reason, due) of each row of `kith due`'s table, in its order;
    rows of private people and private items left out unless `private`."""
    rows = []
    for line in output.splitlines():
        match = CLI_ROW.match(line)
        if not match:
            continue
        # The CLI names people in details (`intro to <name>`), private ones too.
        if not private and (match["name"] == PRIVATE_NAME or PRIVATE_TASK in line):
            continue
        rows.append((match["name"], match["reason"], match["due"]))
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The network built once, `today` given in the plugin's options."""
    repo = make_repo(tmp_path_factory.mktemp("followups") / "repo")
    site = build(repo, kith_options={"today": TODAY})
    return repo, site


# -- the Follow-ups page against `kith due` ----------------------------------


def test_followups_page_lists_what_kith_due_lists_in_its_order(built, kith):
    repo, site = built
    html = read(site, "followups/index.html")
    listed = kith(repo, "due", "--today", TODAY, "--format", "json")
    assert listed.exit_code == 0, listed.output
    items = public(json.loads(listed.output))
    names = {i["slug"]: i["name"] for i in items}
    table = kith(repo, "due", "--today", TODAY).output
    cli_rows = cli_table(table)

    rows = page_rows(html)
    # Same items as the JSON (private person and item removed)...
    assert sorted(rows) == sorted((i["slug"], i["reason"], i["due"]) for i in items)
    # ...in the order of the CLI's table: most overdue first, inner before
    # close on a tie (Ivy before Ada), inner before friend today (Bea, Cy).
    assert [(names[s], r, d) for s, r, d in rows] == cli_rows
    assert [s for s, _, _ in rows] == ["hal", "ivy", "ada", "gus", "gus", "dee", "bea", "cy", "ada", "eve"]
    # Kit and the private task are on the CLI's list.
    assert len(cli_table(table, private=True)) == len(rows) + 2


def test_followups_page_says_why_and_when(built):
    _, site = built
    html = read(site, "followups/index.html")
    assert "<h1>Follow-ups</h1>" in html
    assert "29 days overdue" in html
    assert "every 2 weeks; last contact 2026-10-10" in html
    # The intro detail links Ada and hides the private Kit.
    gus = [r for r in re.findall(r'<tr data-slug="gus".*?</tr>', html, re.S)]
    assert len(gus) == 2
    assert any('href="../people/ada/"' in r and ">Ada Lovelace</a> on 2026-11-01" in r for r in gus)
    assert any('class="kith-private"' in r for r in gus)
    # A task that names someone links them.
    assert 'send the publisher contact to <a href="../people/bea/" class="kith-mention">Bea Brandt</a>' in html


def test_followups_page_later_section(built):
    _, site = built
    html = read(site, "followups/index.html")
    assert later_rows(html) == [("jon", "birthday", "2026-12-10"), ("lou", "cadence", "2026-12-20")]
    assert "turns 36" in html


def test_followups_page_links_the_feed_and_stays_out_of_search(built):
    _, site = built
    html = read(site, "followups/index.html")
    assert '<a href="../followups.ics">Subscribe to the calendar feed</a>' in html
    index = json.loads(read(site, "search/search_index.json"))
    assert not [d for d in index["docs"] if d["location"].startswith("followups/")]
    # In the navigation, reachable from every page.
    assert 'href="followups/"' in read(site, "index.html")


# -- the home page ------------------------------------------------------------


def today_list(html: str) -> str:
    match = re.search(r'<ul class="kith-list kith-due kith-today-list">(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_home_is_today_each_person_once_with_counts_to_the_full_lists(built):
    _, site = built
    html = read(site, "index.html")
    assert "<h1>Today</h1>" in html
    rows = ROW.findall(today_list(html))
    # Each person once, in the order of the daily list; Gus's two intros are
    # one line, Ada's task (in 3 days) waits behind her overdue cadence, and
    # Eve's birthday this week is there though it is not due yet.
    assert [s for s, _, _ in rows] == ["hal", "ivy", "ada", "gus", "dee", "bea", "cy", "eve"]
    assert dict((s, r) for s, r, _ in rows) == {
        "hal": "cadence", "ivy": "cadence", "ada": "cadence", "gus": "intro",
        "dee": "met", "bea": "cadence", "cy": "cadence", "eve": "birthday",
    }
    text = re.sub(r"<[^>]+>", "", today_list(html))
    # Relative dates, in words; the reason and the person on each line.
    assert "Hal Hughes keep in touch every 2 weeks 4 weeks overdue" in text
    assert "Gus Grant introduction ask how the introduction to Ada Lovelace went 7 days overdue and 1 more" in text
    assert "Dee Dalton follow up met at PyCon US 2026 5 days overdue" in text
    assert "Bea Brandt keep in touch every month today" in text
    assert "Eve Evans birthday 25 November in 3 days" in text  # no year: no age
    assert PRIVATE_NAME not in html and "kit" not in [s for s, _, _ in rows]
    # Everything else behind counts that lead to the full lists.
    counts = dict(
        (label, (int(n), href))
        for href, n, label in re.findall(r'<a href="([^"]*)"><strong>(\d+)</strong> <span>([^<]*)</span>', html)
    )
    assert counts["overdue"] == (6, "followups/")
    assert counts["due this week"] == (4, "followups/#due-soon")
    assert counts["birthdays this month"] == (2, "followups/#later")
    assert counts["open tasks"][0] == 1 and counts["people"] == (12, "people/")
    assert not re.search(r"<li>\s*<li", html)  # no empty bullets


def test_limit_caps_the_home_list_not_the_followups_page(tmp_path, kith):
    repo = make_repo(tmp_path / "repo")
    site = build(repo, kith_options={"today": TODAY, "limit": 3, "met_window": 60})
    html = read(site, "index.html")
    rows = ROW.findall(today_list(html))
    # met_window 60 (from mkdocs.yml): Nia, met 52 days ago, is due too; half
    # the list goes to people met or introduced, the rest to the most overdue.
    assert [s for s, _, _ in rows] == ["nia", "hal", "gus"]
    assert "and 6 more people on" in html
    # The Follow-ups page is the full list.
    assert len(page_rows(read(site, "followups/index.html"))) == 11
    # `kith due` reads the same options: the three most urgent items, the
    # private Kit among them.
    listed = json.loads(kith(repo, "due", "--today", TODAY, "--format", "json").output)
    assert [i["slug"] for i in listed] == ["nia", "kit", "hal"]


def test_every_setting_is_a_plugin_option():
    from kith.config import Settings
    from kith_mkdocs.config import KithConfig

    options = {name for name, _ in KithConfig._schema}
    # How Markdown renders comes from mkdocs.yml's own markdown_extensions.
    # Edit links come from its repo_url and edit_uri.
    from_mkdocs = {"markdown_extensions", "markdown_options", "edit_root"}
    assert {f.name for f in fields(Settings)} - from_mkdocs <= options


# -- person pages ---------------------------------------------------------------


def test_person_card_says_what_is_next(built):
    _, site = built
    ada = read(site, "people/ada/index.html")
    nxt = re.search(r'<p class="kith-next".*?</p>', ada, re.S).group(0)
    assert "keep in touch" in nxt and "2026-11-01" in nxt and "21 days overdue" in nxt
    assert "every 2 months; last contact 2026-09-01" in nxt
    eve = read(site, "people/eve/index.html")
    assert re.search(r'<p class="kith-next" data-slug="eve" data-reason="birthday".*?in 3 days', eve, re.S)
    # Snoozed, no task, no birthday: nothing is next.
    assert "kith-next" not in read(site, "people/mo/index.html")


# -- logging takes someone off the list, on both -----------------------------


def test_logging_an_entry_takes_the_person_off_both_lists(tmp_path, kith):
    repo = make_repo(tmp_path / "repo")
    site = build(repo, kith_options={"today": TODAY})
    assert ("hal", "cadence", "2026-10-24") in page_rows(read(site, "followups/index.html"))
    assert 'data-slug="hal"' in today_list(read(site, "index.html"))

    logged = kith(repo, "log", "hal", "coffee: hi", "--today", TODAY)
    assert logged.exit_code == 0, logged.output
    assert "2026-11-22 coffee: hi" in repo.read("people/hal.md")

    listed = json.loads(kith(repo, "due", "--today", TODAY, "--format", "json").output)
    assert "hal" not in {i["slug"] for i in listed}
    site = build(repo, kith_options={"today": TODAY})
    html = read(site, "followups/index.html")
    assert "hal" not in {s for s, _, _ in page_rows(html)}
    # Next due two weeks after the coffee: beyond the 7 days, so under "Later".
    assert ("hal", "cadence", "2026-12-06") in later_rows(html)
    assert 'data-slug="hal"' not in today_list(read(site, "index.html"))


# -- privacy --------------------------------------------------------------------


def test_private_people_and_items_never_reach_the_site(built, kith):
    repo, site = built
    # They are on the CLI's list...
    assert PRIVATE_NAME in kith(repo, "due", "--today", TODAY).output
    # ...and nowhere in the site: pages, search index, calendar feed.
    for rel, text in site_text(site).items():
        for canary in (PRIVATE_NAME, PRIVATE_TASK, PRIVATE_INTRO):
            assert canary not in text, f"{canary} in {rel}"
    for rel in ("index.html", "followups/index.html"):
        assert 'data-slug="kit"' not in read(site, rel)
    assert not (site / "people" / "kit").exists()


# -- the calendar feed ----------------------------------------------------------


def test_feed_is_what_kith_export_ics_writes(built, kith):
    repo, site = built
    feed = (site / "followups.ics").read_bytes()
    exported = kith(repo, "export", "ics", "--today", TODAY)
    assert exported.exit_code == 0
    assert exported.stdout_bytes == feed

    cal = Calendar.from_ical(feed)
    events = cal.walk("VEVENT")
    summaries = {str(ev["summary"]) for ev in events}
    assert "Keep in touch: Hal Hughes" in summaries
    assert "Birthday: Jon Jones" in summaries
    assert not [s for s in summaries if PRIVATE_NAME in s]


def test_feed_uids_are_stable_across_builds(tmp_path):
    repo = make_repo(tmp_path / "repo")
    first = (build(repo, kith_options={"today": TODAY}) / "followups.ics").read_bytes()
    second = (build(repo, kith_options={"today": TODAY}) / "followups.ics").read_bytes()

    def uids(data: bytes) -> list[str]:
        return sorted(str(ev["uid"]) for ev in Calendar.from_ical(data).walk("VEVENT"))

    assert uids(first) == uids(second)
    assert len(set(uids(first))) == len(uids(first)) > 5
    assert first == second


# -- KITH_TODAY -----------------------------------------------------------------


def test_kith_today_sets_the_day_of_the_build(tmp_path, kith, monkeypatch):
    repo = make_repo(tmp_path / "repo")
    site = build(repo, env={"KITH_TODAY": "2026-12-01"})  # no `today` option
    html = read(site, "followups/index.html")
    assert re.search(r"today is <time[^>]*>2026-12-01</time>", html)
    assert ("hal", "cadence", "2026-10-24") in page_rows(html)
    assert "38 days overdue" in html
    monkeypatch.setenv("KITH_TODAY", "2026-12-01")
    exported = kith(repo, "export", "ics")
    assert exported.stdout_bytes == (site / "followups.ics").read_bytes()
    listed = json.loads(kith(repo, "due", "--format", "json").output)
    assert sorted(page_rows(html)) == sorted((i["slug"], i["reason"], i["due"]) for i in public(listed))
