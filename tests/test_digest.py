"""`kith digest` (GitHub issue 19): what to do today or this week, each
person once, on a network whose answers are known for 2026-11-22; printed as
text, Markdown and HTML; private people never in it.

Mail and notifications are in tests/test_digest_send.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

TODAY = "2026-11-22"  # a Sunday
CANARY = "CANARY-PRIVATE-d1g3"


def make_network(repo):
    """Who is due for what on 2026-11-22 (met_followup 2, intro_followup 14):"""
    # Cadence due 2026-11-01: 21 days overdue. A task in 3 days, naming a
    # private person. A task in a `## Private` section, due today.
    repo.person("ada", "name: Ada Lovelace\ncircle: close\ncadence: 2m", f"""\
        ## Log

        - 2026-09-01 coffee: talked about her book
        - [ ] 2026-11-25 send the publisher contact to [[kit]]

        ## Private

        - [ ] 2026-11-22 {CANARY} private task
        """)
    # A task due today; a birthday in 2 days (Tuesday).
    repo.person("bea", "name: Bea Brown\nbirthday: 1990-11-24", """\
        ## Log

        - [ ] 2026-11-22 call about the flat
        """)
    # Met yesterday, nothing logged since: follow up due tomorrow.
    repo.person("cy", "name: Cy Chen\ncircle: friend\nmet: {date: 2026-11-21, event: PyCon}")
    # An intro on 2026-11-05: asked about on 2026-11-19, 3 days overdue.
    repo.person("dee", "name: Dee Diaz", "## Log\n\n- 2026-11-05 intro: to [[ada]]\n")
    # An intro to a private person on 2026-11-10: asked about on 2026-11-24.
    repo.person("gus", "name: Gus Green", "## Log\n\n- 2026-11-10 intro: to [[kit]]\n")
    # Keep in touch every week, last contact 2026-11-20: due Friday 27th.
    repo.person("eve", "name: Eve Evans\ncadence: 1w", "## Log\n\n- 2026-11-20 call: fine\n")
    # Due on 2026-12-01: in neither digest.
    repo.person("fay", "name: Fay Fox\ncadence: 1m", "## Log\n\n- 2026-11-01 call: fine\n")
    # Private: overdue, a birthday today, a task today. Never in a digest.
    repo.person("kit", f"name: {CANARY}\nprivate: true\ncadence: 1w\nbirthday: --11-22", f"""\
        ## Log

        - [ ] 2026-11-22 {CANARY} task
        """)
    return repo


@pytest.fixture
def net(repo):
    return make_network(repo)


DAY_TEXT = """\
kith digest for Sunday 22 November 2026

4 people to get in touch with today, 2 of them overdue.

OVERDUE

* Ada Lovelace (close)
  - keep in touch, 21 days overdue: every 2 months; last contact 2026-09-01

* Dee Diaz
  - ask how the intro went, 3 days overdue: intro to Ada Lovelace on
    2026-11-05: how did it go?

MET, NOT FOLLOWED UP YET

* Cy Chen (friend)
  - follow up after meeting, in 1 day (Mon 23 Nov): met at PyCon

OPEN TASKS

* Bea Brown
  - task, due today: call about the flat
"""


def test_the_day_digest_for_a_fixed_day(net, kith):
    result = kith(net, "digest", "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert result.stdout == DAY_TEXT


def sections(text: str) -> dict[str, list[str]]:
    """Upper-case heading -> the names listed under it (text format)."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line.isupper() and line.strip():
            current = line
            found[current] = []
        elif line.startswith("* ") and current:
            found[current].append(line[2:])
    return found


def test_the_week_digest_lists_each_person_once_with_all_they_are_due_for(net, kith):
    result = kith(net, "digest", "--today", TODAY, "--period", "week")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("kith digest for the week, 22 to 28 November 2026\n\n"
                           "6 people to get in touch with this week, 2 of them overdue.\n")
    assert sections(text) == {
        "OVERDUE": ["Ada Lovelace (close)", "Dee Diaz"],
        "BIRTHDAYS": ["Bea Brown"],
        "MET, NOT FOLLOWED UP YET": ["Cy Chen (friend)"],
        "INTRODUCTIONS TO CHECK ON": ["Gus Green"],
        "KEEP IN TOUCH": ["Eve Evans"],
    }
    # Ada's task and Bea's task come with them, not as entries of their own.
    assert "  - task, in 3 days (Wed 25 Nov): send the publisher contact to someone\n" in text
    assert "  - ask how the intro went, in 2 days (Tue 24 Nov): intro to someone on\n    2026-11-10: how did it go?\n" in text
    assert "  - task, due today: call about the flat\n  - birthday, in 2 days (Tue 24 Nov): turns 36\n" in text
    assert "  - keep in touch, in 5 days (Fri 27 Nov): every week; last contact\n    2026-11-20\n" in text
    assert "Fay" not in text
    for name in ("Ada Lovelace", "Bea Brown", "Cy Chen", "Dee Diaz", "Eve Evans", "Gus Green"):
        assert len(re.findall(rf"^\* {name}", text, re.M)) == 1


def test_nobody_due_says_so(repo, kith):
    repo.person("fay", "name: Fay Fox\ncadence: 1m", "## Log\n\n- 2026-11-01 call: fine\n")
    result = kith(repo, "digest", "--today", TODAY)
    assert result.exit_code == 0
    assert result.stdout == "kith digest for Sunday 22 November 2026\n\nNobody is due today.\n"


@pytest.mark.parametrize("period", ["day", "week"])
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_private_people_and_sections_are_never_in_a_digest(net, kith, period, fmt):
    result = kith(net, "digest", "--today", TODAY, "--period", period, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert CANARY not in result.output
    assert "kit" not in re.sub(r"kith", "", result.output)  # not even the slug
    # The private person's birthday today and overdue cadence left no trace
    # in the counts either.
    assert ("4 people" if period == "day" else "6 people") in result.output


def write_site_url(repo, url: str, extra: str = "") -> None:
    repo.write("mkdocs.yml", f"site_name: t\nsite_url: {url}\n{extra}plugins:\n  - kith\n")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self._href = dict(attrs)["href"]

    def handle_data(self, data):
        if self._href is not None:
            self.links.append((self._href, data))
            self._href = None


def test_with_site_url_each_person_links_to_their_page(net, kith):
    write_site_url(net, "https://kith.example.org/me/")
    text = kith(net, "digest", "--today", TODAY).stdout
    assert "  https://kith.example.org/me/people/ada/\n" in text
    assert text.endswith("The site: https://kith.example.org/me/\n")

    page = Links()
    page.feed(kith(net, "digest", "--today", TODAY, "--format", "html").stdout)
    assert ("https://kith.example.org/me/people/ada/", "Ada Lovelace") in page.links
    # A [[mention]] of a public person links too.
    assert page.links.count(("https://kith.example.org/me/people/ada/", "Ada Lovelace")) == 2

    markdown = kith(net, "digest", "--today", TODAY, "--format", "markdown").stdout
    assert "- **[Ada Lovelace](<https://kith.example.org/me/people/ada/>) (close)**" in markdown


def test_use_directory_urls_false_links_to_html_files(net, kith):
    write_site_url(net, "https://kith.example.org", "use_directory_urls: false\n")
    text = kith(net, "digest", "--today", TODAY).stdout
    assert "  https://kith.example.org/people/ada.html\n" in text


def test_without_site_url_there_are_no_links(net, kith):
    html = kith(net, "digest", "--today", TODAY, "--format", "html").stdout
    assert "<a " not in html and "http" not in html.replace("http-equiv", "")


def test_a_site_url_that_is_not_http_gives_no_links_and_says_so(net, kith):
    write_site_url(net, "'javascript:alert(1)'")
    result = kith(net, "digest", "--today", TODAY, "--format", "html")
    assert result.exit_code == 0
    assert "javascript" not in result.stdout
    assert result.stderr.startswith("mkdocs.yml:2: warning: site_url 'javascript:alert(1)' is not an http(s) address")


HOSTILE = '<script>alert(1)</script> *bold* [x](javascript:alert(2)) & `code`'


def test_hostile_names_and_tasks_are_escaped_cleaned_and_cut(repo, kith):
    repo.person("x", f"name: '{HOSTILE}'\ncadence: 1w", "## Log\n\n"
                "- [ ] 2026-11-20 " + "<img src=x onerror=alert(3)> \u202eevil\u202c " + "long " * 200 + "\n")
    repo.person("y", "name: \"Line\\nBreak\\u001b[31m red\"\ncadence: 1w")
    write_site_url(repo, "https://kith.example.org/")

    html = kith(repo, "digest", "--today", TODAY, "--format", "html").stdout
    page = Links()
    page.feed(html)
    assert set(page.tags) <= {"html", "head", "meta", "title", "body", "h1", "h2", "p", "ul", "li", "strong", "a", "span"}
    assert all(href.startswith("https://kith.example.org/") for href, _ in page.links)
    assert "&lt;script&gt;" in html and "&lt;img" in html

    markdown = kith(repo, "digest", "--today", TODAY, "--format", "markdown").stdout
    assert "<script>" not in markdown and "<img" not in markdown
    assert r"\*bold\*" in markdown and r"\[x\](javascript:alert(2))" in markdown and r"\`code\`" in markdown

    text = kith(repo, "digest", "--today", TODAY).stdout
    assert "\u202e" not in text and "\x1b" not in text
    assert "* Line Break [31m red\n" in text
    assert "long long…" in text
    assert all(len(line) <= 76 for line in text.splitlines() if "https://" not in line)


def test_bad_options_are_usage_errors(net, kith):
    result = kith(net, "digest", "--period", "month")
    assert result.exit_code == 2 and "'month' is not one of 'day', 'week'" in result.output
    result = kith(net, "digest", "--to", "me@example.org")
    assert result.exit_code == 2 and "--to and --dry-run go with --send" in result.output


def test_the_example_network_digest(example_repo, kith):
    result = kith(example_repo, "digest", "--today", TODAY, "--period", "week")
    assert result.exit_code == 0, result.output
    text = result.stdout
    found = sections(text)
    names = [name.split(" (")[0] for listed in found.values() for name in listed]
    # 18: the example journal's family dinner of 2026-11-21 is contact with
    # Margaret, Ben and Rosie Hale, which moves Ben and Rosie past the week.
    assert len(names) == len(set(names)) == 18
    # Peregrine Ashdown-Vale is private in the example network.
    assert "Peregrine" not in text
    assert found["OVERDUE"][0] == "Oliver Grant (acquaintance)"
    assert found["BIRTHDAYS"] == ["Zoë Whitfield (inner)"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_private_mention_where_the_detail_is_cut_leaves_nothing_of_its_slug(repo, kith, fmt):
    repo.person("hidden-lover", "name: Hidden Lover\nprivate: true")
    for pad in (225, 230, 236, 239, 245):  # the cut falls before, on and after the mention
        repo.person(f"p{pad}", f"name: P{pad}", "## Log\n\n- [ ] 2026-11-20 " + "x" * pad + " ask [[hidden-lover]] about it\n")
    out = kith(repo, "digest", "--today", TODAY, "--format", fmt).output
    assert "hidden" not in out.lower() and "lover" not in out.lower()
    assert "[[" not in out
